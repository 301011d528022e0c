#pragma once
// Statistics across replicas (independent runs with different seeds) and fairness.
#include <cstddef>
#include <optional>
#include <vector>

namespace gigasim {

/// Sample mean and the half-width of its 95% confidence interval, from Student's t with n-1
/// degrees of freedom: half_width = t(0.975, n-1) * s / sqrt(n), s the sample standard deviation.
/// half_width is 0 when n < 2. n == 0: no replica had a value (a metric over an empty sample,
/// e.g. the wait of a run in which no job started): reported as null / "n/a", never as 0.
struct Estimate {
  double mean = 0;
  double half_width = 0;
  std::size_t n = 0;
  bool defined() const { return n > 0; }
};

Estimate mean_ci95(const std::vector<double>& samples);
/// Over the replicas that have a value (the others are skipped, and n says how many had one).
Estimate mean_ci95_defined(const std::vector<std::optional<double>>& samples);

/// Which way is better for a figure that gets a verdict (None: informational).
enum class Better { None, Higher, Lower };

/// One alternative against a baseline on one figure, from the paired differences (alternative
/// minus baseline, one per replica): significant when their 95% confidence interval excludes 0
/// (a paired t-test at 5%, two-sided).
enum class Verdict {
  NotApplicable,   ///< informational figure, the baseline itself, or no value
  Same,            ///< identical in every replica
  Better, Worse,   ///< significant at 95%
  NotSignificant,  ///< the interval contains 0 (or only touches it)
  OneReplica,      ///< a single replica: no interval, no verdict
};
Verdict paired_verdict(Better better, const Estimate& paired_difference);
const char* verdict_name(Verdict v);  ///< "better", "worse", "not_significant", "same", "one_replica", "n/a"

/// Jain's fairness index (sum x)^2 / (n sum x^2): 1 when all x are equal, 1/n when one x has
/// everything. Defined as 1 for an empty or all-zero x.
double jain_index(const std::vector<double>& x);

}  // namespace gigasim
