#pragma once
// Workload sources yield jobs lazily, in submit-time order, one at a time: the engine keeps only
// each source's next arrival in its event queue, so a run of 10^8 jobs never holds them all.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "gigasim/core/random.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// A job as a source submits it.
struct JobDraft {
  SimTime submit;
  std::uint32_t chips = 0;     ///< an elastic job's minimum
  std::uint32_t max_chips = 0; ///< > 0: elastic between `chips` and this many
  Duration run;               ///< run time once started (no waiting included); unused when work.flops > 0
  JobWork work;
  double memory_bytes = 0;      ///< needed inside one scale-up domain (0 = none)
  std::uint16_t tenant = 0;
  std::uint16_t job_class = 0;  ///< index into the generator's classes (0 for lists and traces)
  std::uint32_t row = 0;      ///< the source's own index for this job (for its label)
  Duration estimate;          ///< the job's own runtime estimate; zero = none (policy.estimate applies)
};

class JobSource {
 public:
  virtual ~JobSource() = default;
  /// The next job, with submit time >= the previous one's; nullopt when exhausted.
  virtual std::optional<JobDraft> next() = 0;
  /// User-visible id of the job at `row`; empty when the source does not name its jobs.
  virtual std::string_view label(std::uint32_t row) const = 0;
  /// The job at `row` has left the run (completed, or refused at arrival): its label will not
  /// be asked for again.
  virtual void forget(std::uint32_t /*row*/) {}
  /// An independent copy in the same state (its random streams included): the copy yields
  /// the jobs this one would yield from now on (Simulation::fork).
  virtual std::unique_ptr<JobSource> clone() const = 0;
};

/// Builds the source for workload entry `index`; generators draw from streams derived from
/// (seed, "workload/<index>/<purpose>") so that sources are independent of each other.
std::unique_ptr<JobSource> make_job_source(const WorkloadSpec& spec, std::size_t index,
                                           std::uint64_t seed);

}  // namespace gigasim
