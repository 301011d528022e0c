#pragma once
// What bench, sweep and compare report per tenant and per workload source across replicas
// (docs/metrics.md, "Per tenant and per workload source"): the mean wait, the chip-hours held in
// the window and the demand not met by the end, each with its 95% confidence interval.
#include <optional>
#include <string>
#include <vector>

#include "gigasim/metrics/confidence.hpp"
#include "gigasim/metrics/run_result.hpp"

namespace gigasim {

/// One group's figures in one run.
struct GroupFigures {
  std::string name;
  std::optional<double> wait_mean_s;  ///< none when no measured job of it started
  double busy_chip_hours = 0;
  double unmet_eflop_days = 0;
};

/// The same across replicas.
struct GroupEstimates {
  std::string name;
  Estimate wait_mean_s, busy_chip_hours, unmet_eflop_days;
};

std::vector<GroupFigures> tenant_figures(const RunResult& r);
std::vector<GroupFigures> source_figures(const RunResult& r);

/// `replicas[r]` lists run r's groups. Groups are matched by name, in the order they first
/// appear; a replica without a group (a swept parameter that changed the groups) is left out of
/// that group's estimates, as is an undefined wait.
std::vector<GroupEstimates> estimate_groups(const std::vector<std::vector<GroupFigures>>& replicas);

}  // namespace gigasim
