#pragma once
// Random distributions of job sizes and durations, sampled from a named stream.
// Parameters are validated by the scenario loader; sampling assumes they are valid.
#include <cstdint>
#include <vector>

#include "gigasim/core/random.hpp"
#include "gigasim/core/time.hpp"

namespace gigasim {

/// An empirical distribution given as a percentile table: P(X <= value[i]) = prob[i], probs
/// strictly increasing in [0, 1], values non-decreasing and positive. Between points a continuous
/// quantity is interpolated log-linearly (job sizes and durations span orders of magnitude);
/// a discrete one (chips) takes the value of the first point at or above the drawn probability.
struct PercentileTable {
  std::vector<double> prob;
  std::vector<double> value;

  double continuous_quantile(double u) const;
  double discrete_quantile(double u) const;
  double continuous_mean() const;
  double discrete_mean() const;
};

/// Chips per job: fixed, weighted choice among values, or power of two between min and max.
struct ChipsDistribution {
  enum class Kind { Fixed, Choice, Pow2, Empirical };
  Kind kind = Kind::Fixed;
  std::uint32_t value = 1;            ///< Fixed
  std::vector<std::uint32_t> values;  ///< Choice
  std::vector<double> weights;        ///< Choice: relative weights, same length as values
  std::uint32_t min = 1, max = 1;     ///< Pow2: both powers of two; every power in [min,max] equally likely
  PercentileTable table;              ///< Empirical (discrete: values are chip counts; last prob is 1)

  std::uint32_t sample(RandomEngine& rng) const;
  double mean() const;                 ///< exact expectation, for load estimates
  std::uint32_t largest() const;
};

/// Job run time: fixed, exponential (mean), lognormal (median and sigma of ln), uniform [min,max],
/// or empirical (a percentile table in seconds, first prob 0 and last 1).
/// Samples are rounded to whole milliseconds, at least 1 ms and at most kMaxDurationSeconds.
struct DurationDistribution {
  enum class Kind { Fixed, Exponential, Lognormal, Uniform, Empirical };
  Kind kind = Kind::Fixed;
  double a = 0;  ///< seconds: Fixed value | Exponential mean | Lognormal median | Uniform min
  double b = 0;  ///< Lognormal sigma (dimensionless) | Uniform max (seconds)
  PercentileTable table;  ///< Empirical

  Duration sample(RandomEngine& rng) const;
  double mean_seconds() const;  ///< exact expectation, for load estimates
};

/// A positive quantity drawn at random: FLOPs of work, parameters, tokens. Fixed, lognormal
/// (median, sigma of ln), log-uniform [min, max], weighted choice, or empirical (percentile table,
/// first prob 0 and last 1).
struct RealDistribution {
  enum class Kind { Fixed, Lognormal, LogUniform, Choice, Empirical };
  Kind kind = Kind::Fixed;
  double a = 0;  ///< Fixed value | Lognormal median | LogUniform min
  double b = 0;  ///< Lognormal sigma | LogUniform max
  std::vector<double> values, weights;  ///< Choice
  PercentileTable table;                ///< Empirical

  double sample(RandomEngine& rng) const;
  double mean() const;  ///< exact expectation
};

}  // namespace gigasim
