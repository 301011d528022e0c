#pragma once
// The discrete-event engine: one run of one scenario. A Simulation is a plain value (no globals),
// so many can run side by side (compare, bench, sweeps).
//
// The event loop (sim/engine/engine_loop.cpp):
//   repeat: take the earliest instant t in the event queue;
//           handle every event at t in (kind rank, tie-break) order -- completions, repairs,
//           maintenance ends, factories coming online, failures, maintenance starts, arrivals,
//           samples (see core/event_queue.hpp);
//           then run ONE scheduling pass of the policy for t (none if only samples happened).
//   stop at the horizon: completions at exactly the horizon count, arrivals at or after it do
//   not, and no job starts at the horizon.
#include <cstdint>
#include <functional>
#include <optional>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/metrics/run_result.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

struct SimulationOptions {
  std::optional<std::uint64_t> seed;    ///< overrides Scenario::seed
  std::optional<SimTime> horizon;       ///< overrides Scenario::horizon
  JobRecordSink* job_sink = nullptr;    ///< receives one record per job, if set
  TimeseriesSink* timeseries = nullptr; ///< receives interval means, if set ...
  Duration timeseries_interval = Duration::days(1);  ///< ... every this long, from time 0
  /// Called now and then (every 2^16 events) with the simulated time reached; observes only.
  std::function<void(SimTime now)> progress;
  /// Fill TenantResult::wait_quantiles_s (costs a sort of the waits).
  bool wait_quantiles = false;
  /// For tests: use the general QueueScheduler even where a specialised one exists (fifo+none).
  bool general_scheduler = false;
};

/// Runs `scenario` to its horizon (or until every job finished) and returns the metrics.
/// Throws InputError if the run cannot end (no horizon and an endless workload).
RunResult simulate(const Scenario& scenario, const SimulationOptions& options = {});

}  // namespace gigasim
