#pragma once
// One line of verdicts for compare and bench reports: "NAME: better on a, b; worse on c; ...".
#include <string>
#include <vector>

#include "gigasim/metrics/confidence.hpp"

namespace gigasim {

/// `labels[k]` names the figure of `verdicts[k]`; figures without a verdict are left out. With a
/// single replica the line says there is no verdict and how to get one (`hint`).
std::string format_verdicts(const std::string& name, const std::vector<const char*>& labels,
                            const std::vector<Verdict>& verdicts, const char* hint);

/// The line after the verdicts when a precision was asked for: met after N replicas, or not.
std::string format_precision_line(double precision, bool met, unsigned replicas);

}  // namespace gigasim
