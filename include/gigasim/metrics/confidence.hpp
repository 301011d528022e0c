#pragma once
// Statistics across replicas (independent runs with different seeds) and fairness.
#include <algorithm>
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

/// Replicas in rounds until a precision target holds (compare and bench --precision): at least 3
/// (2 give a t-interval 12.7 standard errors wide), doubling up to `max_replicas` (at least 2).
/// `add(n)` runs replicas up to n in all, `summarise()` makes the result of those run, and
/// `precise(result)` says whether it meets the target. Decided by counts only, never by timing.
template <class Add, class Summarise, class Precise>
auto replicate_to_precision(std::size_t first, std::size_t max_replicas, Add add, Summarise summarise, Precise precise) {
  const std::size_t limit = std::max<std::size_t>(max_replicas, 2);
  std::size_t n = std::min(std::max<std::size_t>(first, 3), limit);
  add(n);
  auto out = summarise();
  while (!precise(out) && n < limit) {
    n = std::min(n * 2, limit);
    add(n);
    out = summarise();
  }
  return out;
}

}  // namespace gigasim
