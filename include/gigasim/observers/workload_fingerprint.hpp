#pragma once
// A fingerprint of the job stream a run submits: every arrival's ordinal, time, size, tenant,
// source and amount of work. Two runs with equal fingerprints saw the same jobs, whatever their
// factories did with them -- what `compare` means by "the plans see the same jobs" (common
// random numbers), checked on the jobs themselves rather than on the scenario text.
#include <cstdint>

#include "gigasim/engine/observer.hpp"

namespace gigasim {

class WorkloadFingerprint final : public Observer {
 public:
  std::uint32_t interests() const override { return static_cast<std::uint32_t>(EventBit::JobSubmitted); }
  void job_submitted(const ActiveJob& job) override;
  /// Order-sensitive hash of the arrivals so far; equal streams give equal values on any machine.
  std::uint64_t value() const { return hash_; }
  std::uint64_t jobs() const { return jobs_; }

 private:
  std::uint64_t hash_ = 0x6a09e667f3bcc909ULL;
  std::uint64_t jobs_ = 0;
};

}  // namespace gigasim
