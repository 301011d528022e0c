#pragma once
// Is a quantity growing through a run? The Mann-Kendall test for a monotonic trend with Sen's
// slope (its robust estimate), over the time averages of the quantity in equal bins (docs/metrics.md,
// "Demand and stability"). Bins adapt to a run of unknown length: they start narrow and merge
// pairwise whenever there would be more than kMaxBins, so memory is fixed and the bins always
// cover the run evenly.
#include <cstdint>
#include <span>
#include <vector>

#include "gigasim/core/time.hpp"

namespace gigasim {

struct TrendTest {
  double s = 0;          ///< Mann-Kendall S: concordant minus discordant pairs
  double z = 0;          ///< S normalised (continuity-corrected, ties accounted for)
  double p_increasing = 1;  ///< one-sided p-value of "no trend" against "increasing"
  double sen_slope = 0;  ///< median of the pairwise slopes, per bin
};

/// The test over `x` in time order (needs at least 3 values; fewer give no trend, p = 1).
TrendTest mann_kendall(std::span<const double> x);

/// Time averages of a piecewise-constant value over equal bins from `from` on.
class AdaptiveBins {
 public:
  static constexpr std::size_t kMaxBins = 128;
  explicit AdaptiveBins(SimTime from, Duration first_width = Duration::seconds(60)) : from_(from), width_(first_width) {}
  /// The value becomes `value` at time t (times never go back).
  void set(SimTime t, double value);
  /// The complete bins up to t (a last partial bin is kept if it covers at least half a bin),
  /// then merged pairwise down to at most `at_most` bins.
  std::vector<double> means_until(SimTime t, std::size_t at_most) const;
  Duration width() const { return width_; }
  /// The exact time average over [from, t] (0 for an empty span).
  double mean_until(SimTime t) const;

 private:
  void advance(SimTime t);
  SimTime from_;
  Duration width_;
  SimTime last_ = SimTime::zero();
  double value_ = 0;
  std::vector<double> done_;  ///< means of the complete bins
  double area_ = 0;           ///< value x ms in the current bin so far
  double total_area_ = 0;     ///< value x ms since `from`
};

}  // namespace gigasim
