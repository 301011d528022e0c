#pragma once
// SWF export: the job stream a scenario's workload submits, in the Parallel Workloads Archive's
// Standard Workload Format (v2.2), so that Batsim, the Slurm simulator or Alea replay the same
// workload. It is the workload, not a schedule: it does not depend on the plan or the policy
// (common random numbers), and no simulation is run to write it.
//
// Per job, in submission order (ties in workload declaration order, as the engine queues them):
//   1 job number (1, 2, ...)   2 submit (s)        4 run time (s)     5 and 8 chips
//   9 requested time: the runtime estimate the scheduler would use (policy.estimate, or the
//     job's own from a trace)   10 memory need in KB per chip (-1 if none)
//   11 status 1   12 user and 15 queue: tenant index + 1 (the header names them)
// Other fields are -1. Times have millisecond decimals when not whole seconds (strict SWF has
// integers; SWF readers -- gigasim's, Batsim's -- read decimals). Work-defined jobs (FLOPs) are
// written with their run time on their tenant's first allowed factory.
#include <cstdint>
#include <optional>

#include "gigasim/core/time.hpp"
#include "gigasim/model/scenario.hpp"
#include "gigasim/output/atomic_file.hpp"

namespace gigasim {

/// Writes every job submitted before `horizon` (the scenario's if not given; a workload that
/// never ends without one is an InputError). `seed` overrides the scenario's. Returns the
/// number of jobs written.
std::uint64_t write_workload_swf(const Scenario& scenario, std::optional<SimTime> horizon,
                                 std::optional<std::uint64_t> seed, AtomicFile& out);

}  // namespace gigasim
