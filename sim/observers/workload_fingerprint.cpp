#include "gigasim/observers/workload_fingerprint.hpp"

#include <bit>

#include "gigasim/core/random.hpp"

namespace gigasim {

void WorkloadFingerprint::job_submitted(const ActiveJob& job) {
  // A job given as FLOPs has a run time that depends on the chips it lands on: its FLOPs are
  // what identifies it. A job given as a duration is its duration everywhere.
  const std::uint64_t amount = job.by_work ? std::bit_cast<std::uint64_t>(job.flops_left)
                                           : static_cast<std::uint64_t>(job.work.ms());
  for (const std::uint64_t x : {job.id, static_cast<std::uint64_t>(job.submit.ms()), std::uint64_t{job.chips},
                                std::uint64_t{job.tenant}, std::uint64_t{job.source}, std::uint64_t{job.row}, amount,
                                std::uint64_t{static_cast<std::uint8_t>(job.precision)}})
    hash_ = splitmix64(hash_ ^ x);
  ++jobs_;
}

}  // namespace gigasim
