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
#include <memory>
#include <optional>
#include <vector>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/run_result.hpp"
#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

namespace detail {
class Engine;
}

/// Bounds that stop a run before it exhausts the machine (docs/scenario-format.md, "Limits"):
/// a run that passes one ends with an Error saying why -- never with the kernel's OOM killer.
struct RunLimits {
  /// Jobs waiting or running at once. Each costs 200-300 bytes of engine and scheduler state
  /// (210 measured under FIFO), so the default stays under 3 GB; a queue that long means the
  /// offered load exceeds capacity.
  std::uint64_t active_jobs = 10'000'000;
  /// Time-series rows (one per factory and one of totals per sample): the HTML report keeps
  /// them in memory, ~150 bytes each.
  std::uint64_t timeseries_rows = 5'000'000;
};

/// How far a run has got (SimulationOptions::progress).
struct RunProgress {
  SimTime now;                       ///< simulated time reached
  std::uint64_t events = 0;          ///< handled so far
  std::uint64_t jobs_submitted = 0;  ///< arrivals so far
  std::uint64_t jobs_active = 0;     ///< waiting or running now
  /// Jobs that left the run: completed, or refused at arrival (unschedulable).
  std::uint64_t jobs_done() const { return jobs_submitted - jobs_active; }
};

struct SimulationOptions {
  std::optional<std::uint64_t> seed;    ///< overrides Scenario::seed
  std::optional<SimTime> horizon;       ///< overrides Scenario::horizon
  JobRecordSink* job_sink = nullptr;    ///< receives one record per job, if set
  TimeseriesSink* timeseries = nullptr; ///< receives interval means, if set ...
  Duration timeseries_interval = Duration::days(1);  ///< ... every this long, from time 0
  /// Called now and then (every 2^16 events) with how far the run has got; observes only.
  std::function<void(const RunProgress&)> progress;
  /// Fill TenantResult::wait_cdf (costs a sort of the waits).
  bool wait_distribution = false;
  /// For tests: use the general QueueScheduler even where a specialised one exists (fifo+none).
  bool general_scheduler = false;
  /// The caller's observers, called after the engine's own (which measure the RunResult), in
  /// this order. Not owned; they must outlive the run.
  std::vector<Observer*> observers;
  RunLimits limits;
};

/// One run of one scenario, driven step by step (as SimGrid's run_until or ns-3's Stop):
///
///   Simulation sim(scenario);
///   sim.run_until(SimTime::zero() + Duration::days(30));   // every instant up to day 30
///   auto waiting = sim.cluster().factories()[0].free_nodes(); // inspect between steps
///   RunResult r = sim.result();                              // to the end, then the metrics
///
/// `scenario` (and the option's sinks and observers) must outlive the Simulation. A run driven
/// step by step gives the same result as simulate(): steps only decide when the caller looks.
class Simulation {
 public:
  /// `scheduler`: the policy that decides (see policy/scheduler.hpp); nullptr = the one the
  /// scenario's `policy` section names. Throws InputError if the run cannot end (no horizon
  /// and an endless workload).
  explicit Simulation(const Scenario& scenario, const SimulationOptions& options = {},
                      std::unique_ptr<Scheduler> scheduler = nullptr);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  /// Handles the next instant: all its events, then one scheduling pass. Returns whether the
  /// run goes on (false once it reached its horizon, ran out of events, or was stopped).
  bool step();
  /// Handles every instant at or before t (fewer if the run ends first).
  void run_until(SimTime t);
  /// Ends the run now: result() reports up to the last instant handled, not the horizon.
  void stop();
  bool done() const;
  /// The last instant handled (time 0 before the first step).
  SimTime now() const;
  /// When the next instant is (also before the first step); nullopt once the run is done or
  /// nothing is left to happen at or before the horizon.
  std::optional<SimTime> next_event_time() const;
  /// The cluster as the scheduler sees it: factories, their pools and the active jobs.
  const ClusterView& cluster() const;
  const Scheduler& scheduler() const;
  /// Jobs waiting or running now.
  std::size_t active_jobs() const;
  /// Runs to the end (unless stopped) and returns the metrics. Once per Simulation.
  RunResult result();

  /// Checkpoint and restore: an independent copy of the run at this instant (its queue, running
  /// jobs, failure clocks, random streams and the metrics so far), which goes on by itself and
  /// gives exactly the result this run would give from here. The fork reports what happens after
  /// this instant to `options`' job_sink, timeseries (only if this run samples one) and
  /// observers; its seed, horizon and policy are this run's. Throws PolicyError if the
  /// scheduler cannot be copied (Scheduler::clone), std::logic_error once the result is taken.
  Simulation fork(const SimulationOptions& options = {}) const;

 private:
  Simulation();
  std::unique_ptr<detail::Engine> engine_;
  bool finished_ = false;
};

/// Runs `scenario` to its horizon (or until every job finished) and returns the metrics:
/// Simulation(scenario, options, scheduler).result().
RunResult simulate(const Scenario& scenario, const SimulationOptions& options = {},
                   std::unique_ptr<Scheduler> scheduler = nullptr);

}  // namespace gigasim
