#pragma once
// Summary statistics of a sample (mean, percentiles, max). Up to kExactLimit values per set
// every value is kept (8 bytes each) and the statistics are exact. Percentiles use linear
// interpolation between order statistics (Hyndman & Fan type 7, the default of R and NumPy):
// p-quantile of sorted x[0..n-1] is x[h] + (h - floor h)(x[h+1] - x[h]) at h = (n-1)p.
// Beyond kExactLimit values (a run of over four million measured jobs: GroupedSamples) the set
// keeps a log-linear histogram instead -- the same type-7 rule on bucket midpoints, every
// percentile within 0.1% (relative) of the exact one -- so that 10^8 jobs do not need 8 bytes
// per job and value; the count, mean and max stay exact. docs/metrics.md.
#include <cstdint>
#include <optional>
#include <vector>

namespace gigasim {

struct Summary {
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;  ///< all 0 when count == 0
  /// A statistic, or nullopt over an empty sample (reports print "n/a" and JSON null).
  std::optional<double> get(double Summary::*field) const {
    return count > 0 ? std::optional<double>(this->*field) : std::nullopt;
  }
};

class SampleSet {
 public:
  /// Values kept exactly per set (32 MiB); the 2^22 + 1-th turns the set into a histogram.
  static constexpr std::size_t kExactLimit = std::size_t{1} << 22;

  SampleSet() = default;
  /// A set of these values, in this order (a histogram beyond kExactLimit of them).
  explicit SampleSet(std::vector<double> values);

  void add(double x) {
    // Turned before the push that would grow the storage past 2^22 values to 2^23 of them.
    if (values_.size() == kExactLimit) [[unlikely]] to_histogram();
    if (histogram_.active) [[unlikely]] {
      histogram_.add(x);
      return;
    }
    values_.push_back(x);
  }
  void append(const SampleSet& o);
  std::size_t size() const { return histogram_.active ? histogram_.count : values_.size(); }
  /// Whether the statistics are exact (every value kept).
  bool exact() const { return !histogram_.active; }
  /// Computes the summary in O(n) (selection, not a full sort); reorders the stored values.
  Summary summarize();
  /// Type-7 quantiles at p = 0, 1/k, ..., 1 (k + 1 values; empty for an empty sample). Sorts.
  std::vector<double> quantiles(int k);
  struct CdfPoint {
    double x = 0;      ///< a value of the sample
    double share = 0;  ///< share of the sample <= x
  };
  /// The empirical distribution function F(x) = share of the sample <= x, without interpolation
  /// (a share of zeros stays exactly at 0, never smeared into small positive values): one point
  /// at the largest value <= 0 if there is one, then k points at the order statistics that split
  /// the positive values evenly (all of them when there are at most k), distinct and increasing.
  /// So the shape of the positive part -- what a log axis shows -- is resolved even when nearly
  /// every value is 0. With a histogram, bucket midpoints. Empty for an empty sample. Sorts.
  std::vector<CdfPoint> cdf(int k);
  /// From now on the set keeps a histogram (of the values so far, then of those added): for a
  /// group of a larger sample that went past kExactLimit as a whole.
  void to_histogram();

 private:
  // Buckets of 2^-9 relative width: a positive double's exponent and top 9 mantissa bits,
  // which order like the values themselves. Midpoints are within 2^-10 < 0.1% of any value in
  // the bucket. Negative values go to a mirrored store, zeros to a count.
  struct Histogram {
    static constexpr int kMantissaBits = 9;
    struct Store {
      std::int64_t lo = 0;  // key of buckets[0]
      std::vector<std::uint64_t> buckets;
      void add(std::int64_t key, std::uint64_t n);
    };
    bool active = false;
    Store positive, negative;
    std::uint64_t zeros = 0, count = 0;
    double sum = 0, min = 0, max = 0;  // exact (sum in arrival order)

    void add(double x);
    void merge(const Histogram& o);
    /// The k-th smallest value (0-based) as its bucket's midpoint, clamped to [min, max].
    double order_statistic(std::uint64_t k) const;
    double quantile(double p) const;
  };
  std::vector<double> values_;
  Histogram histogram_;
};

}  // namespace gigasim
