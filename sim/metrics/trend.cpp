#include "gigasim/metrics/trend.hpp"

#include <algorithm>
#include <cmath>

namespace gigasim {

TrendTest mann_kendall(std::span<const double> x) {
  TrendTest t;
  const std::size_t n = x.size();
  if (n < 3) return t;
  std::vector<double> slopes;
  slopes.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i + 1 < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double d = x[j] - x[i];
      t.s += (d > 0) - (d < 0);
      slopes.push_back(d / static_cast<double>(j - i));
    }
  // Variance under "no trend", less the share of tied groups (Kendall 1975).
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  const double nn = static_cast<double>(n);
  double var = nn * (nn - 1) * (2 * nn + 5);
  for (std::size_t i = 0; i < n;) {
    std::size_t k = i;
    while (k < n && sorted[k] == sorted[i]) ++k;
    const double g = static_cast<double>(k - i);
    var -= g * (g - 1) * (2 * g + 5);
    i = k;
  }
  var /= 18;
  if (var > 0) t.z = t.s > 0 ? (t.s - 1) / std::sqrt(var) : t.s < 0 ? (t.s + 1) / std::sqrt(var) : 0;
  t.p_increasing = 0.5 * std::erfc(t.z / std::sqrt(2.0));
  const auto mid = slopes.begin() + static_cast<std::ptrdiff_t>(slopes.size() / 2);
  std::nth_element(slopes.begin(), mid, slopes.end());
  t.sen_slope = *mid;
  if (slopes.size() % 2 == 0) t.sen_slope = (t.sen_slope + *std::max_element(slopes.begin(), mid)) / 2;
  return t;
}

void AdaptiveBins::advance(SimTime t) {
  SimTime a = std::max(last_, from_);
  while (t > a) {
    const SimTime bin_end = from_ + Duration::millis(width_.ms() * static_cast<std::int64_t>(done_.size() + 1));
    const SimTime b = std::min(t, bin_end);
    area_ += value_ * static_cast<double>((b - a).ms());
    total_area_ += value_ * static_cast<double>((b - a).ms());
    a = b;
    if (b == bin_end) {
      done_.push_back(area_ / static_cast<double>(width_.ms()));
      area_ = 0;
      if (done_.size() == kMaxBins) {  // merge pairs: half as many bins, twice as wide
        for (std::size_t i = 0; i < kMaxBins / 2; ++i) done_[i] = (done_[2 * i] + done_[2 * i + 1]) / 2;
        done_.resize(kMaxBins / 2);
        width_ = Duration::millis(width_.ms() * 2);
      }
    }
  }
  last_ = std::max(last_, t);
}

double AdaptiveBins::mean_until(SimTime t) const {
  if (t <= from_) return 0;
  AdaptiveBins copy = *this;
  copy.advance(t);
  return copy.total_area_ / static_cast<double>((t - from_).ms());
}

void AdaptiveBins::set(SimTime t, double value) {
  advance(t);
  value_ = value;
}

std::vector<double> AdaptiveBins::means_until(SimTime t, std::size_t at_most) const {
  AdaptiveBins copy = *this;
  copy.advance(t);
  std::vector<double> out = copy.done_;
  const SimTime partial_from = from_ + Duration::millis(copy.width_.ms() * static_cast<std::int64_t>(out.size()));
  const auto covered = (std::max(t, partial_from) - partial_from).ms();
  if (2 * covered >= copy.width_.ms() && covered > 0) out.push_back(copy.area_ / static_cast<double>(covered));
  while (at_most >= 1 && out.size() > at_most) {
    std::vector<double> merged;
    for (std::size_t i = 0; i + 1 < out.size(); i += 2) merged.push_back((out[i] + out[i + 1]) / 2);
    if (out.size() % 2) merged.push_back(out.back());
    out = std::move(merged);
  }
  return out;
}

}  // namespace gigasim
