#pragma once
// Exact summary statistics of a sample (mean, percentiles, max). Keeps every value (8 bytes
// each): exact percentiles need them. Percentiles use linear interpolation between order
// statistics (Hyndman & Fan type 7, the default of R and NumPy): p-quantile of sorted x[0..n-1]
// is x[h] + (h - floor h)(x[h+1] - x[h]) at h = (n-1)p.
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
  void add(double x) { values_.push_back(x); }
  void append(const SampleSet& o) { values_.insert(values_.end(), o.values_.begin(), o.values_.end()); }
  std::size_t size() const { return values_.size(); }
  /// Computes the summary in O(n) (selection, not a full sort); reorders the stored values.
  Summary summarize();
  /// Type-7 quantiles at p = 0, 1/k, ..., 1 (k + 1 values; empty for an empty sample). Sorts.
  std::vector<double> quantiles(int k);

 private:
  std::vector<double> values_;
};

}  // namespace gigasim
