#pragma once
// What the engine publishes as a run goes on, and the interface of those who listen.
//
// The engine (sim/engine/) keeps the event loop, the pools, the jobs' life cycle and the checking
// of policy decisions; everything it reports -- chip-time per factory, waits and slowdowns, money,
// allocations, time series, per-job records -- is computed by observers of its events, one file
// each (include/gigasim/observers/). A new metric is one observer plus its output field.
//
// Every event is published after the engine has applied it, at the current simulated time
// (RunView::now()), in the engine's deterministic event order. Observers only observe: they
// never change the run. The job passed is the engine's record of it (read-only, valid only
// during the call).
#include <cstdint>
#include <span>
#include <string_view>

#include "gigasim/core/time.hpp"
#include "gigasim/metrics/run_result.hpp"
#include "gigasim/model/checkpointing.hpp"
#include "gigasim/model/factory_pool.hpp"
#include "gigasim/model/job.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// Read access to a run for observers. The time, scenario and factories are plain reads (they
/// are asked on every event); the engine provides the rest.
class RunView {
 public:
  virtual ~RunView() = default;
  SimTime now() const { return *now_; }
  const Scenario& scenario() const { return *scenario_; }
  std::span<const FactoryPool> factories() const { return factories_; }
  /// Start of the measurement window (time zero + warm-up).
  SimTime warmup_start() const { return SimTime::zero() + scenario_->warmup; }
  /// Chips per node of factory f.
  std::int64_t node_size(std::uint32_t f) const { return scenario_->factories[f].node_size; }
  /// The user-given id of a job (trace or list `id`); empty when it has none.
  virtual std::string_view label(const ActiveJob& job) const = 0;
  /// Model FLOP/s of the job on factory f (work jobs: their precision and MFU; duration jobs:
  /// the scenario's defaults), scaling efficiency included.
  virtual double flop_rate(const ActiveJob& job, std::uint32_t factory) const = 0;
  /// The first factory the job may use: where its run time is planned while it waits, and the
  /// factory its demand is counted on (docs/metrics.md, "Demand").
  virtual std::uint32_t home_factory(const ActiveJob& job) const = 0;
  /// The scenario's inference services now, in Scenario::services order.
  virtual std::span<const ServiceStatus> services() const { return {}; }

 protected:
  /// Called once by the engine, before any event, with what the reads above return.
  void bind(const Scenario& scenario, const SimTime& now, std::span<const FactoryPool> factories) {
    scenario_ = &scenario;
    now_ = &now;
    factories_ = factories;
  }

 private:
  const Scenario* scenario_ = nullptr;
  const SimTime* now_ = nullptr;
  std::span<const FactoryPool> factories_;
};

/// An attempt that ends: completed, cut short by a failure or preemption, or still running at
/// the end of the run. The job still describes the attempt (factory, nodes, start, span factor).
struct AttemptEnd {
  SimTime stop;        ///< when it ended (now)
  Duration saved;      ///< useful work it keeps, in the attempt's wall time (span slowdown included)
  AttemptPlan plan;    ///< its restart overhead, work, checkpoint interval and cost
};

/// An elastic job's change of size (docs/semantics.md, "Elastic jobs").
struct Resize {
  std::uint32_t old_nodes = 0, old_chips = 0;  ///< what it held before
  /// It started at this instant and is only given more nodes before computing anything (no
  /// attempt ended). Otherwise its attempt ended just before (attempt_ended, keeping all its
  /// work) and a new one begins with the resize cost.
  bool at_start = false;
};

/// The kinds of events, as bits of Observer::interests().
enum class EventBit : std::uint32_t {
  JobSubmitted = 1u << 0, JobRejected = 1u << 1, JobQueued = 1u << 2, JobStarted = 1u << 3,
  AttemptEnded = 1u << 4, JobInterrupted = 1u << 5, JobPreempted = 1u << 6, JobReleased = 1u << 7,
  JobCompleted = 1u << 8, PoolChanged = 1u << 9, NodeFailed = 1u << 10, DomainFailed = 1u << 11,
  SampleDue = 1u << 12, JobActiveAtEnd = 1u << 13, RunEnded = 1u << 14, CapacityChanged = 1u << 15,
  NodesRepaired = 1u << 16, RepairEnded = 1u << 17, JobResized = 1u << 18, ServiceChanged = 1u << 19,
};
inline constexpr std::uint32_t kEventKinds = 20;

/// The stages of a node's repair (FailureSpec): automatic first, manual after it fails.
enum class RepairStage : std::uint8_t { Automatic, Manual };
constexpr std::uint32_t operator|(EventBit a, EventBit b) {
  return static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b);
}
constexpr std::uint32_t operator|(std::uint32_t a, EventBit b) { return a | static_cast<std::uint32_t>(b); }

class Observer {
 public:
  virtual ~Observer() = default;
  /// The events this observer wants (EventBit values or-ed together); it is called for those
  /// only. Default: all. Declaring fewer keeps the engine's per-event cost down.
  virtual std::uint32_t interests() const { return ~0u; }

  /// A job arrived (every job, also those rejected at once).
  virtual void job_submitted(const ActiveJob&) {}
  /// It can never run (no factory it may use is large enough, or holds its memory); it leaves.
  virtual void job_rejected(const ActiveJob&, const UnschedulableJob&) {}
  /// It waits in the queue: newly submitted (`again` false) or after losing its nodes.
  virtual void job_queued(const ActiveJob&, bool /*again*/) {}
  /// It took its nodes (job.factory, job.nodes) and starts an attempt; `first` unless it ran before.
  virtual void job_started(const ActiveJob&, bool /*first*/) {}
  /// Its attempt ended; published before any other event of that end.
  virtual void attempt_ended(const ActiveJob&, const AttemptEnd&) {}
  /// A failure hit it (it restarts on a spare, or gives back its nodes and queues again).
  virtual void job_interrupted(const ActiveJob&) {}
  /// The policy stopped it to make room (it gives back its nodes and queues again).
  virtual void job_preempted(const ActiveJob&) {}
  /// It gave back its nodes (job.factory, job.nodes still describe them): completed or requeued.
  virtual void job_released(const ActiveJob&) {}
  /// An elastic job changed size while running (see Resize); it now holds job.nodes nodes for
  /// job.chips chips on the same factory.
  virtual void job_resized(const ActiveJob&, const Resize&) {}
  /// It finished all its work (after job_released).
  virtual void job_completed(const ActiveJob&) {}
  /// The node states of factory f changed (online, capacity, jobs, failures, repairs, maintenance).
  virtual void pool_changed(std::uint32_t) {}
  /// A node of factory f went down (a failure; a job it hit is published as interrupted).
  virtual void node_failed(std::uint32_t) {}
  /// A whole scale-up domain of factory f went down.
  virtual void domain_failed(std::uint32_t) {}
  /// Failed nodes of factory f are healthy again (one node, or a whole domain's).
  virtual void nodes_repaired(std::uint32_t /*factory*/, std::uint32_t /*nodes*/) {}
  /// A repair of one failed node of factory f ended: it brought the node back (`succeeded`,
  /// then nodes_repaired follows unless the node's domain is down) or escalates to a manual one.
  virtual void repair_ended(std::uint32_t /*factory*/, RepairStage, bool /*succeeded*/) {}
  /// Factory f came online, grew or began to lose capacity (a phase or its retirement); its
  /// pool's installed count says how much it has now (removed nodes leave as they drain).
  virtual void capacity_changed(std::uint32_t) {}
  /// Inference service `s`'s demand or the chips it holds changed (RunView::services()).
  virtual void service_changed(std::uint32_t /*service*/) {}
  /// A time-series sample is due now (SimulationOptions::timeseries_interval).
  virtual void sample_due() {}
  /// The run ended at `end` with this job still waiting or running (in arrival order).
  virtual void job_active_at_end(const ActiveJob&) {}
  /// The run ended: add what this observer measured to the result (observers are called in the
  /// order they were registered; the engine's own come first).
  virtual void run_ended(RunResult&) {}
};

}  // namespace gigasim
