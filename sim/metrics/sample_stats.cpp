#include "gigasim/metrics/sample_stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

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

namespace {
constexpr int kShift = 52 - 9;  // Histogram::kMantissaBits: the bits of a key below the exponent

std::int64_t key_of(double magnitude) { return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(magnitude) >> kShift); }
double lower_bound_of(std::int64_t key) { return std::bit_cast<double>(static_cast<std::uint64_t>(key) << kShift); }
double midpoint_of(std::int64_t key) { return 0.5 * (lower_bound_of(key) + lower_bound_of(key + 1)); }
}  // namespace

void SampleSet::Histogram::Store::add(std::int64_t key, std::uint64_t n) {
  if (buckets.empty()) {
    lo = key;
    buckets.assign(1, 0);
  } else if (key < lo) {
    // Grow downwards by at least the current size, so that a slow drift costs amortised O(1).
    const auto extra = std::max<std::int64_t>(lo - key, static_cast<std::int64_t>(buckets.size()));
    buckets.insert(buckets.begin(), static_cast<std::size_t>(extra), 0);
    lo -= extra;
  } else if (key - lo >= static_cast<std::int64_t>(buckets.size())) {
    buckets.resize(std::max(static_cast<std::size_t>(key - lo + 1), 2 * buckets.size()), 0);
  }
  buckets[static_cast<std::size_t>(key - lo)] += n;
}

void SampleSet::Histogram::add(double x) {
  if (count == 0) min = max = x;
  min = std::min(min, x);
  max = std::max(max, x);
  sum += x;
  ++count;
  if (x > 0) positive.add(key_of(x), 1);
  else if (x < 0) negative.add(key_of(-x), 1);
  else ++zeros;
}

void SampleSet::Histogram::merge(const Histogram& o) {
  if (o.count == 0) return;
  if (count == 0) min = o.min, max = o.max;
  min = std::min(min, o.min);
  max = std::max(max, o.max);
  sum += o.sum;
  count += o.count;
  zeros += o.zeros;
  auto merge_store = [](Store& into, const Store& from) {
    for (std::size_t i = 0; i < from.buckets.size(); ++i)
      if (from.buckets[i] > 0) into.add(from.lo + static_cast<std::int64_t>(i), from.buckets[i]);
  };
  merge_store(positive, o.positive);
  merge_store(negative, o.negative);
}

double SampleSet::Histogram::order_statistic(std::uint64_t k) const {
  auto clamp = [&](double v) { return std::clamp(v, min, max); };
  // Negative values, largest magnitude (smallest value) first.
  for (std::size_t i = negative.buckets.size(); i-- > 0;) {
    if (k < negative.buckets[i]) return clamp(-midpoint_of(negative.lo + static_cast<std::int64_t>(i)));
    k -= negative.buckets[i];
  }
  if (k < zeros) return 0.0;
  k -= zeros;
  for (std::size_t i = 0; i < positive.buckets.size(); ++i) {
    if (k < positive.buckets[i]) return clamp(midpoint_of(positive.lo + static_cast<std::int64_t>(i)));
    k -= positive.buckets[i];
  }
  return max;
}

double SampleSet::Histogram::quantile(double p) const {
  const double h = static_cast<double>(count - 1) * p;
  const auto k = static_cast<std::uint64_t>(std::floor(h));
  const double xk = order_statistic(k), frac = h - static_cast<double>(k);
  if (frac == 0.0 || k + 1 >= count) return xk;
  return xk + frac * (order_statistic(k + 1) - xk);
}

SampleSet::SampleSet(std::vector<double> values) : values_(std::move(values)) {
  if (values_.size() > kExactLimit) to_histogram();
}

void SampleSet::to_histogram() {
  histogram_.active = true;
  for (double x : values_) histogram_.add(x);  // in arrival order: the same sum as the exact mean's
  values_ = {};
}

void SampleSet::append(const SampleSet& o) {
  if (!histogram_.active && !o.histogram_.active && values_.size() + o.values_.size() <= kExactLimit) {
    values_.insert(values_.end(), o.values_.begin(), o.values_.end());
    return;
  }
  if (!histogram_.active) to_histogram();
  if (o.histogram_.active) histogram_.merge(o.histogram_);
  else
    for (double x : o.values_) histogram_.add(x);
}

std::vector<double> SampleSet::quantiles(int k) {
  std::vector<double> out;
  if (histogram_.active) {
    if (histogram_.count == 0 || k < 1) return out;
    for (int i = 0; i <= k; ++i) out.push_back(histogram_.quantile(static_cast<double>(i) / k));
    return out;
  }
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

std::vector<SampleSet::CdfPoint> SampleSet::cdf(int k) {
  std::vector<CdfPoint> out;
  const auto push = [&](double x, double share) {
    if (!out.empty() && out.back().x == x) out.back().share = share;
    else out.push_back({x, share});
  };
  if (k < 1 || size() == 0) return out;
  const auto kk = static_cast<std::uint64_t>(k);
  if (histogram_.active) {
    const std::uint64_t n = histogram_.count, low = histogram_.zeros + [&] {
      std::uint64_t neg = 0;
      for (auto c : histogram_.negative.buckets) neg += c;
      return neg;
    }();
    const auto share = [&](std::uint64_t rank) { return static_cast<double>(rank) / static_cast<double>(n); };
    if (low > 0) push(histogram_.order_statistic(low - 1), share(low));
    const std::uint64_t pos = n - low;
    for (std::uint64_t i = 1; i <= kk && pos > 0; ++i) {
      const std::uint64_t rank = low + (pos * i + kk - 1) / kk;
      push(histogram_.order_statistic(rank - 1), share(rank));
    }
    return out;
  }
  std::sort(values_.begin(), values_.end());
  const std::size_t n = values_.size();
  // F(x) counts every value equal to x, not only those up to the rank that found it.
  const auto share = [&](double x) {
    return static_cast<double>(std::upper_bound(values_.begin(), values_.end(), x) - values_.begin()) /
           static_cast<double>(n);
  };
  const auto low = static_cast<std::size_t>(std::upper_bound(values_.begin(), values_.end(), 0.0) - values_.begin());
  if (low > 0) push(values_[low - 1], share(values_[low - 1]));
  const std::size_t pos = n - low;
  for (std::size_t i = 1; i <= kk && pos > 0; ++i) {
    const std::size_t rank = low + (pos * i + kk - 1) / kk;
    push(values_[rank - 1], share(values_[rank - 1]));
  }
  return out;
}

Summary SampleSet::summarize() {
  Summary s;
  if (histogram_.active) {
    const Histogram& h = histogram_;
    s.count = h.count;
    s.mean = h.sum / static_cast<double>(h.count);
    s.p50 = h.quantile(0.50);
    s.p95 = h.quantile(0.95);
    s.p99 = h.quantile(0.99);
    s.max = h.max;
    return s;
  }
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
