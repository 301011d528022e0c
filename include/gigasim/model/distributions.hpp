#pragma once
// Random distributions of job sizes and durations, sampled from a named stream.
// Parameters are validated by the scenario loader; sampling assumes they are valid.
#include <cstdint>
#include <vector>

#include "gigasim/core/random.hpp"
#include "gigasim/core/time.hpp"

namespace gigasim {

/// Chips per job: fixed, weighted choice among values, or power of two between min and max.
struct ChipsDistribution {
  enum class Kind { Fixed, Choice, Pow2 };
  Kind kind = Kind::Fixed;
  std::uint32_t value = 1;            ///< Fixed
  std::vector<std::uint32_t> values;  ///< Choice
  std::vector<double> weights;        ///< Choice: relative weights, same length as values
  std::uint32_t min = 1, max = 1;     ///< Pow2: both powers of two; every power in [min,max] equally likely

  std::uint32_t sample(RandomEngine& rng) const;
  double mean() const;                 ///< exact expectation, for load estimates
  std::uint32_t largest() const;
};

/// Job run time: fixed, exponential (mean), lognormal (median and sigma of ln), uniform [min,max].
/// Samples are rounded to whole milliseconds, at least 1 ms and at most kMaxDurationSeconds.
struct DurationDistribution {
  enum class Kind { Fixed, Exponential, Lognormal, Uniform };
  Kind kind = Kind::Fixed;
  double a = 0;  ///< seconds: Fixed value | Exponential mean | Lognormal median | Uniform min
  double b = 0;  ///< Lognormal sigma (dimensionless) | Uniform max (seconds)

  Duration sample(RandomEngine& rng) const;
  double mean_seconds() const;  ///< exact expectation, for load estimates
};

}  // namespace gigasim
