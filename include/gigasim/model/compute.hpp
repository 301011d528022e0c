#pragma once
// From work to time: how long a job of given FLOPs runs on given chips.
//
//   run time = FLOPs / (chips x peak(chip, precision) x MFU x efficiency(chips))
//
// MFU (model FLOP utilisation) is the fraction of peak a job achieves at small scale; the
// scaling efficiency is what it keeps at `chips` chips relative to that (1 = perfect scaling).
// If your MFU was measured at the job's full scale (as published MFUs usually are), leave the
// scaling model at `none`. Definitions: docs/compute-model.md.
#include <cstdint>
#include <span>
#include <string>

#include "gigasim/model/chip.hpp"

namespace gigasim {

enum class Precision : std::uint8_t { BF16, FP8 };

std::string to_string(Precision p);

/// Peak dense FLOP/s of one chip at a precision. FP8 on a chip without FP8 support runs at its
/// BF16 peak (the job falls back to BF16 kernels).
double peak_flops(const ChipType& chip, Precision p);

/// Training compute of a dense transformer: 6 x parameters x tokens (forward + backward).
inline double training_flops(double params, double tokens) { return 6.0 * params * tokens; }

/// Scaling efficiency e(n) of a job on n chips, relative to one chip.
///  - none:    e(n) = 1
///  - amdahl:  speed-up n e(n) = 1 / (s + (1 - s) / n), i.e. e(n) = 1 / (1 + s (n - 1)), serial fraction s
///  - usl:     Gunther's Universal Scalability Law, e(n) = 1 / (1 + a (n - 1) + b n (n - 1)),
///             contention a and coherency b
struct ScalingModel {
  enum class Kind : std::uint8_t { None, Amdahl, Usl };
  Kind kind = Kind::None;
  double a = 0;  ///< Amdahl serial fraction | USL contention
  double b = 0;  ///< USL coherency

  double efficiency(std::uint32_t chips) const;
};

/// A measured point: at `chips` chips the job kept `efficiency` of its per-chip throughput.
struct ScalingPoint {
  double chips = 1;
  double efficiency = 1;
};

/// Least-squares fits (Eigen) of the linearised models 1/e - 1 = a (n - 1) [+ b n (n - 1)],
/// with the coefficients kept >= 0 (a negative one is dropped and the other refitted).
/// Needs at least one point with n > 1; efficiencies in (0, 1].
ScalingModel fit_amdahl(std::span<const ScalingPoint> points);
ScalingModel fit_usl(std::span<const ScalingPoint> points);

/// The scenario's defaults for jobs that give work: precision, MFU and the scaling model.
struct ComputeDefaults {
  Precision precision = Precision::BF16;
  double mfu = 0.4;  ///< Llama 3 405B reached 38-43% BF16 MFU on 16,384 H100 (Meta, 2024)
  ScalingModel scaling;
  /// Memory per parameter that a params x tokens job needs inside one scale-up domain (bytes;
  /// 0 = no memory constraint unless a job gives `memory`).
  double memory_per_param = 0;
};

/// FLOP/s a job achieves on `chips` chips of `chip`.
double job_flop_rate(const ChipType& chip, std::uint32_t chips, Precision p, double mfu,
                     const ScalingModel& scaling);

}  // namespace gigasim
