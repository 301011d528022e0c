#include "gigasim/metrics/sample_stats.hpp"

#include <algorithm>
#include <cmath>

namespace gigasim {

namespace {
// Type-7 quantile on v[lo..n): after nth_element at k, v[k] is the k-th order statistic and
// everything after it is >= v[k], so v[k+1] is the minimum of the tail. Callers go in
// increasing p, so each selection narrows to the tail left by the previous one.
double quantile(std::vector<double>& v, double p, std::size_t& lo) {
  const std::size_t n = v.size();
  const double h = static_cast<double>(n - 1) * p;
  const auto k = static_cast<std::size_t>(std::floor(h));
  std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(lo), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  lo = k;
  const double xk = v[k];
  const double frac = h - static_cast<double>(k);
  if (frac == 0.0 || k + 1 >= n) return xk;
  const double xk1 = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(k + 1), v.end());
  return xk + frac * (xk1 - xk);
}
}  // namespace

std::vector<double> SampleSet::quantiles(int k) {
  std::vector<double> out;
  if (values_.empty() || k < 1) return out;
  std::sort(values_.begin(), values_.end());
  const std::size_t n = values_.size();
  for (int i = 0; i <= k; ++i) {
    const double h = static_cast<double>(n - 1) * i / k;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, n - 1);
    out.push_back(values_[lo] + (h - static_cast<double>(lo)) * (values_[hi] - values_[lo]));
  }
  return out;
}

Summary SampleSet::summarize() {
  Summary s;
  s.count = values_.size();
  if (values_.empty()) return s;
  double sum = 0;
  for (double x : values_) sum += x;  // summed in arrival order: deterministic
  s.mean = sum / static_cast<double>(values_.size());
  std::size_t lo = 0;
  s.p50 = quantile(values_, 0.50, lo);
  s.p95 = quantile(values_, 0.95, lo);
  s.p99 = quantile(values_, 0.99, lo);
  s.max = *std::max_element(values_.begin() + static_cast<std::ptrdiff_t>(lo), values_.end());
  return s;
}

}  // namespace gigasim
