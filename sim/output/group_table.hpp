#pragma once
// The per-tenant and per-workload-source table of bench and sweep (internal to sim/output):
// one block per group, one line per alternative (a policy, a sweep point), so that any number
// of groups fits the width of a terminal.
#include <string>
#include <vector>

#include "gigasim/metrics/group_estimates.hpp"

namespace gigasim {

struct GroupAlternative {
  std::string label;                          ///< e.g. the policy, or "3: 0.85" for a sweep point
  const std::vector<GroupEstimates>* groups;  ///< its tenants or sources
};

/// `group` titles the first column ("tenant", "workload source"), `alternative` the second.
/// Groups in order of first appearance; empty when there is no group.
std::string format_group_table(const std::string& group, const std::string& alternative,
                               const std::vector<GroupAlternative>& alternatives);

/// The same as the rows of an HTML table (html::table), a group's name on its first line only.
std::string group_table_html(const std::string& group, const std::string& alternative,
                             const std::vector<GroupAlternative>& alternatives);

}  // namespace gigasim
