#include "gigasim/model/distributions.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace gigasim {

namespace {
// Index of the first table point with prob >= u (the last one if u is past every point).
std::size_t first_at_or_above(const std::vector<double>& prob, double u) {
  const auto it = std::lower_bound(prob.begin(), prob.end(), u);
  return it == prob.end() ? prob.size() - 1 : static_cast<std::size_t>(it - prob.begin());
}
double uniform01(RandomEngine& rng) { return boost::random::uniform_real_distribution<double>(0.0, 1.0)(rng); }
}  // namespace

double PercentileTable::continuous_quantile(double u) const {
  const std::size_t i = first_at_or_above(prob, u);
  if (i == 0) return value.front();
  const double p0 = prob[i - 1], p1 = prob[i], v0 = value[i - 1], v1 = value[i];
  const double t = p1 > p0 ? std::clamp((u - p0) / (p1 - p0), 0.0, 1.0) : 1.0;
  return v0 * std::pow(v1 / v0, t);  // log-linear between the points
}

double PercentileTable::discrete_quantile(double u) const { return value[first_at_or_above(prob, u)]; }

double PercentileTable::continuous_mean() const {
  // Over a segment, X = v0 (v1/v0)^T with T uniform: E = (v1 - v0) / ln(v1 / v0).
  double m = 0;
  for (std::size_t i = 1; i < prob.size(); ++i) {
    const double dp = prob[i] - prob[i - 1], v0 = value[i - 1], v1 = value[i];
    m += dp * (v1 > v0 ? (v1 - v0) / std::log(v1 / v0) : v0);
  }
  return m;
}

double PercentileTable::discrete_mean() const {
  double m = 0, prev = 0;
  for (std::size_t i = 0; i < prob.size(); ++i) {
    m += (prob[i] - prev) * value[i];
    prev = prob[i];
  }
  return m;
}

std::uint32_t ChipsDistribution::sample(RandomEngine& rng) const {
  switch (kind) {
    case Kind::Fixed:
      return value;
    case Kind::Choice: {
      boost::random::discrete_distribution<std::size_t, double> pick(weights.begin(), weights.end());
      return values[pick(rng)];
    }
    case Kind::Pow2: {
      const int lo = std::countr_zero(min), hi = std::countr_zero(max);
      boost::random::uniform_int_distribution<int> k(lo, hi);
      return std::uint32_t{1} << k(rng);
    }
    case Kind::Empirical:
      return static_cast<std::uint32_t>(table.discrete_quantile(uniform01(rng)));
  }
  return value;
}

double ChipsDistribution::mean() const {
  switch (kind) {
    case Kind::Fixed:
      return value;
    case Kind::Choice: {
      const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
      double m = 0;
      for (std::size_t i = 0; i < values.size(); ++i) m += values[i] * weights[i] / total;
      return m;
    }
    case Kind::Pow2: {
      const int lo = std::countr_zero(min), hi = std::countr_zero(max);
      double s = 0;
      for (int k = lo; k <= hi; ++k) s += std::ldexp(1.0, k);
      return s / (hi - lo + 1);
    }
    case Kind::Empirical:
      return table.discrete_mean();
  }
  return value;
}

std::uint32_t ChipsDistribution::largest() const {
  switch (kind) {
    case Kind::Fixed: return value;
    case Kind::Choice: return *std::max_element(values.begin(), values.end());
    case Kind::Pow2: return max;
    case Kind::Empirical: return static_cast<std::uint32_t>(table.value.back());
  }
  return value;
}

Duration DurationDistribution::sample(RandomEngine& rng) const {
  double s = a;
  switch (kind) {
    case Kind::Fixed:
      break;
    case Kind::Exponential:
      s = boost::random::exponential_distribution<double>(1.0 / a)(rng);
      break;
    case Kind::Lognormal:
      s = a * std::exp(b * boost::random::normal_distribution<double>(0.0, 1.0)(rng));
      break;
    case Kind::Uniform:
      // Boost redraws until the value is below max: with min == max it never returns (found by
      // the fuzzer). A degenerate range is its one value.
      s = a < b ? boost::random::uniform_real_distribution<double>(a, b)(rng) : a;
      break;
    case Kind::Empirical:
      s = table.continuous_quantile(uniform01(rng));
      break;
  }
  // Heavy tails (a lognormal with a large sigma) could overflow the clock: cap the draw.
  return std::max(Duration::from_seconds(std::min(s, kMaxDurationSeconds)), Duration::millis(1));
}

double DurationDistribution::mean_seconds() const {
  switch (kind) {
    case Kind::Fixed: return a;
    case Kind::Exponential: return a;
    case Kind::Lognormal: return a * std::exp(b * b / 2);
    case Kind::Uniform: return (a + b) / 2;
    case Kind::Empirical: return table.continuous_mean();
  }
  return a;
}

double RealDistribution::sample(RandomEngine& rng) const {
  switch (kind) {
    case Kind::Fixed: return a;
    case Kind::Lognormal: return a * std::exp(b * boost::random::normal_distribution<double>(0.0, 1.0)(rng));
    case Kind::LogUniform: return a * std::pow(b / a, uniform01(rng));
    case Kind::Choice: {
      boost::random::discrete_distribution<std::size_t, double> pick(weights.begin(), weights.end());
      return values[pick(rng)];
    }
    case Kind::Empirical: return table.continuous_quantile(uniform01(rng));
  }
  return a;
}

double RealDistribution::mean() const {
  switch (kind) {
    case Kind::Fixed: return a;
    case Kind::Lognormal: return a * std::exp(b * b / 2);
    case Kind::LogUniform: return b > a ? (b - a) / std::log(b / a) : a;
    case Kind::Choice: {
      const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
      double m = 0;
      for (std::size_t i = 0; i < values.size(); ++i) m += values[i] * weights[i] / total;
      return m;
    }
    case Kind::Empirical: return table.continuous_mean();
  }
  return a;
}

}  // namespace gigasim
