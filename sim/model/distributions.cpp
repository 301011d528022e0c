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
  }
  return value;
}

std::uint32_t ChipsDistribution::largest() const {
  switch (kind) {
    case Kind::Fixed: return value;
    case Kind::Choice: return *std::max_element(values.begin(), values.end());
    case Kind::Pow2: return max;
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
      s = boost::random::uniform_real_distribution<double>(a, b)(rng);
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
  }
  return a;
}

}  // namespace gigasim
