#pragma once
// The engine's internals (private to the library). One Engine is one run of one scenario.
// Files: engine_loop.cpp (construction, the event loop), engine_access.cpp (which factories a
// job may use), engine_jobs.cpp (arrival, start,
// completion, requeue), engine_failures.cpp (failures, repairs, interruptions),
// engine_elastic.cpp (elastic jobs lending, taking back and growing into nodes),
// engine_services.cpp (inference services holding nodes by a demand curve),
// engine_report.cpp (ending a run: the observers fill the RunResult). What the engine reports is
// computed by observers of its events (gigasim/engine/observer.hpp, sim/observers/).
#include <array>
#include <bit>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "gigasim/core/event_queue.hpp"
#include "gigasim/core/random.hpp"
#include "gigasim/engine/observer.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/checkpointing.hpp"
#include "gigasim/model/domain_map.hpp"
#include "gigasim/model/job.hpp"
#include "gigasim/model/job_source.hpp"
#include "gigasim/observers/allocations.hpp"
#include "gigasim/observers/demand.hpp"
#include "gigasim/observers/factory_metrics.hpp"
#include "gigasim/observers/job_statistics.hpp"
#include "gigasim/observers/yearly.hpp"
#include "gigasim/policy/scheduler.hpp"
#include "slot_node_index.hpp"

namespace gigasim::detail {

/// An owning pointer that deep-copies through T::clone() (nullptr if T cannot be copied), so
/// that an Engine can be copied member by member for Simulation::fork.
template <class T>
class ClonePtr {
 public:
  ClonePtr() = default;
  ClonePtr(std::unique_ptr<T> p) : p_(std::move(p)) {}  // NOLINT: implicit, like unique_ptr
  ClonePtr(const ClonePtr& o) : p_(o.p_ ? o.p_->clone() : nullptr) {}
  ClonePtr(ClonePtr&&) noexcept = default;
  ClonePtr& operator=(ClonePtr o) noexcept {
    p_ = std::move(o.p_);
    return *this;
  }
  T* operator->() const { return p_.get(); }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  std::unique_ptr<T> p_;
};

/// A member that a copy of its owner starts without (it points into the original).
template <class T>
struct NotCopied {
  T value{};
  NotCopied() = default;
  NotCopied(const NotCopied&) {}
  NotCopied& operator=(const NotCopied&) { return *this; }
};

/// Per-factory failure machinery: the Poisson clock, node choice, repairs, and the running jobs
/// indexed by slot with node sums (to find the job holding the k-th busy node in O(log n)).
struct FailureState {
  RandomEngine clock, victim, repair;
  RandomEngine outcome;          // whether a repair succeeds (only drawn when repairs can fail)
  SlotNodeIndex running;  // nodes held by slot: which job a failing busy node belongs to
  std::uint32_t generation = 0;  // of the pending failure event; capacity growth redraws it
  std::uint32_t rate_nodes = 0;  // installed nodes the pending draw's rate assumed (thinning base)
};

class Engine final : public ClusterView, public RunView {
 public:
  /// `scheduler`: the policy to run; nullptr = the one the scenario's `policy` names.
  Engine(const Scenario& sc, const SimulationOptions& opt, std::unique_ptr<Scheduler> scheduler);
  /// A fork: `other`'s state now, continuing on its own, reporting to `opt`'s sinks and observers
  /// (see Simulation::fork). Throws PolicyError if the scheduler cannot be copied.
  Engine(const Engine& other, const SimulationOptions& opt);

  // Step-wise runs (gigasim::Simulation): see simulation.hpp.
  bool step();
  void run_until(SimTime t);
  void stop() { done_ = true; stopped_ = true; }
  bool done() const { return done_; }
  /// When the next instant is (the run begins if it had not: arrivals are drawn lazily);
  /// nullopt when the run is done or no event is left before the horizon.
  std::optional<SimTime> next_event_time();
  RunResult finish();
  const Scheduler& scheduler() const { return *scheduler_; }
  std::size_t active_jobs() const { return jobs_.active(); }

  // ClusterView and RunView
  SimTime now() const override { return now_; }
  std::span<const FactoryPool> factories() const override { return pools_; }
  const ActiveJob& job(std::uint32_t slot) const override { return jobs_[slot]; }
  bool may_use(std::uint16_t access, std::uint32_t f) const override {
    return allowed_[static_cast<std::size_t>(access) * pools_.size() + f] != 0;
  }
  std::span<const std::uint32_t> allowed_factories(std::uint16_t access) const override {
    return access_[access].factories;
  }
  const ReleaseIndex& releases(std::uint32_t f) const override { return releases_[f]; }
  std::int64_t held_chips(std::uint16_t tenant) const override { return tenant_held_chips_[tenant]; }
  double used_chip_hours(std::uint16_t tenant) const override { return allocations_->used_chip_ms(tenant) / 3.6e6; }
  bool within_quota(std::uint16_t tenant, std::int64_t chips) const override {
    const auto& q = sc_.tenants[tenant].quota;
    if (sc_.policy.enforce_allocations && allocations_->exhausted(tenant)) return false;
    return !q || static_cast<double>(tenant_held_chips_[tenant] + chips) <= *q * static_cast<double>(installed_chips_);
  }
  Duration run_time_on(const ActiveJob& job, std::uint32_t f) const override {
    ActiveJob probe = job;
    plan_attempt(probe, f);
    return probe.run;
  }
  Duration estimate_on(const ActiveJob& job, std::uint32_t f) const override {
    ActiveJob probe = job;
    plan_attempt(probe, f);
    return probe.estimate;
  }
  void start(std::uint32_t slot, std::uint32_t f) override;
  void preempt(std::uint32_t slot) override;
  const PreemptionIndex& preemptible(std::uint32_t f) const override { return preemptible_[f]; }
  bool active(std::uint32_t slot) const override { return slot < jobs_.capacity() && jobs_.live(slot); }
  // RunView (and ClusterView)
  std::string_view label(const ActiveJob& j) const override { return sources_[j.source]->label(j.row); }
  double flop_rate(const ActiveJob& j, std::uint32_t factory) const override;
  std::uint32_t home_factory(const ActiveJob& j) const override { return access_[j.access].home; }
  std::span<const ServiceStatus> services() const override { return service_status_; }

 private:
  void begin();
  /// Calls f(observer) for every observer interested in `kind`: the engine's three that see
  /// every job (by their static type: a direct call, decided at compile time), then the others
  /// in registration order. `f` is a generic lambda, e.g. [&](auto& o) { o.job_started(j, first); }.
  template <EventBit kind, class F>
  void publish(F&& f) {
    constexpr auto bit = static_cast<std::uint32_t>(kind);
    if constexpr ((FactoryMetricsObserver::kInterests & bit) != 0) f(*metrics_);
    if constexpr ((JobStatisticsObserver::kInterests & bit) != 0) f(*statistics_);
    if constexpr ((AllocationLedger::kInterests & bit) != 0) f(*allocations_);
    if constexpr ((DemandObserver::kInterests & bit) != 0) f(*demand_);
    if constexpr ((YearlyObserver::kInterests & bit) != 0) f(*yearly_);
    for (Observer* o : interested_.value[std::countr_zero(bit)]) f(*o);
  }
  // engine_loop.cpp
  void build_site_tables();
  void on_online(std::uint32_t f);
  void on_capacity_change(std::uint32_t f, std::uint32_t phase);
  // engine_access.cpp
  std::uint16_t add_access(std::uint16_t tenant, const std::vector<std::uint8_t>& mask);
  void update_access_limit(std::uint16_t id);
  void update_access_limits();
  std::uint16_t access_for(std::uint16_t tenant, std::uint32_t chips, double memory_bytes);
  bool finished() const;
  // engine_jobs.cpp
  void schedule_next_arrival(std::uint32_t source);
  void on_arrival(std::uint32_t source);
  struct NeverStarts {
    std::string kind, reason;  // as UnschedulableJob
  };
  std::optional<NeverStarts> never_starts(const ActiveJob& j, double memory_bytes) const;
  void on_end(std::uint32_t slot, std::uint32_t attempt);
  void plan_attempt(ActiveJob& j, std::uint32_t factory) const;
  AttemptPlan plan_of(const ActiveJob& j) const;
  void begin_attempt(std::uint32_t slot);
  /// Pushes the attempt's end and enters it in the indexes (release, failure, preemption).
  void index_attempt(std::uint32_t slot);
  /// Removes the attempt from those indexes (its end event goes stale by its attempt id).
  void unindex_attempt(std::uint32_t slot);
  /// The next attempt's overhead before work: a resize's cost, a restart's, or none.
  Duration attempt_overhead(const ActiveJob& j) const;
  void end_attempt(std::uint32_t slot, SimTime stop, Duration saved);
  void requeue(std::uint32_t slot);
  const CheckpointSpec& checkpoint_of(const ActiveJob& j) const { return checkpoints_[j.checkpoint_spec]; }
  // engine_failures.cpp
  void schedule_next_failure(std::uint32_t f);
  void on_failure(std::uint32_t f, std::uint32_t generation);
  void on_repair(std::uint32_t f, std::uint32_t generation);  // generation: domain + 1, stage bit
  void on_maintenance_start(std::uint32_t f);
  void on_maintenance_end(std::uint32_t f);
  void interrupt(std::uint32_t slot);
  void count_interruption(std::uint32_t slot);
  void stop_attempt(std::uint32_t slot);
  void unhold_and_requeue(std::uint32_t slot);
  void node_went_down(std::uint32_t f, std::uint32_t domain_plus_one);
  // engine_elastic.cpp
  /// Before a scheduling pass: elastic jobs lend their nodes above their minimum to it.
  void lend_elastic_nodes();
  /// After it: they take back what is still free, shrink if they cannot, then grow into what
  /// is left (jobs started now first, then others where the resize pays off).
  void settle_elastic_jobs();
  /// Job `slot` (running, elastic) holds `nodes` nodes from now (the pool and the tenant's
  /// holdings are already updated): it keeps all its work and goes on at its new size.
  void resize(std::uint32_t slot, std::uint32_t nodes);
  /// Whether growing running job j to `nodes` nodes now would end it sooner, resize cost included.
  bool growth_pays_off(const ActiveJob& j, std::uint32_t nodes) const;
  /// The job's state once the work it has done in this attempt is kept (a resize, not a failure).
  void keep_work_done(ActiveJob& j, Duration done) const;
  std::uint32_t elastic_chips(const ActiveJob& j, std::uint32_t nodes) const {
    return std::min<std::uint32_t>(nodes * pools_[j.factory].spec().node_size, j.max_chips);
  }
  /// Most extra nodes job j's tenant may take on factory f under its quota (at most `wanted`).
  std::uint32_t quota_room(const ActiveJob& j, std::uint32_t f, std::uint32_t wanted) const;
  // engine_services.cpp
  void begin_services();
  /// A service's next step: its demand for the step that begins now.
  void on_service_demand(std::uint32_t s);
  /// Before a scheduling pass: every service gives back nodes above its demand and takes free
  /// ones (then, if the policy preempts, preemptible lower-priority jobs') up to it.
  void serve_services();
  void serve(std::uint32_t s);
  /// A node held by inference services on factory f failed: the `index`-th of their nodes there.
  void serving_node_failed(std::uint32_t f, std::uint32_t index);
  // engine_topology.cpp
  void setup_topology(std::uint32_t f);
  void allocate_domains(std::uint32_t slot);
  void release_domains(std::uint32_t slot);
  void node_failure_in_domains(std::uint32_t f, std::uint32_t node);
  void schedule_next_domain_failure(std::uint32_t f);
  void on_domain_failure(std::uint32_t f, std::uint32_t generation);
  void on_domain_repair(std::uint32_t f, std::uint32_t d);
  /// The pool decides how many of factory f's nodes are in maintenance (its drain); the domain
  /// map follows it here, choosing where. Checks that both agree on the free nodes.
  void sync_domain_maintenance(std::uint32_t f);
  /// The job's useful work of this attempt in wall time: slowed down when it spans extra domains.
  Duration attempt_work(const ActiveJob& j) const {
    return j.span_factor == 1 ? j.work : Duration::from_seconds(std::min(j.work.seconds_f() * j.span_factor, kMaxDurationSeconds));
  }
  // shared
  /// The pool's node states of factory f changed: tell the observers.
  void pool_changed(std::uint32_t f) {
    if (domains_[f]) sync_domain_maintenance(f);
    publish<EventBit::PoolChanged>([&](auto& o) { o.pool_changed(f); });
  }
  bool allocation_exhausted(std::uint16_t tenant) const { return allocations_->exhausted(tenant); }

  const Scenario& sc_;
  std::uint64_t seed_;
  std::optional<SimTime> horizon_;
  SimTime warmup_start_;
  SimTime now_;

  std::vector<FactoryPool> pools_;
  struct AccessProfile {
    std::uint16_t tenant = 0;
    std::vector<std::uint32_t> factories;  // ascending
    std::uint32_t max_chips = 0;           // largest job it can still run, from now on
    std::uint32_t home = 0;                // first allowed factory (estimates while queued)
  };
  std::vector<AccessProfile> access_;
  std::vector<std::uint8_t> allowed_;            // [access profile][factory]
  std::map<std::pair<std::uint16_t, std::vector<std::uint8_t>>, std::uint16_t> access_index_;
  std::vector<std::uint32_t> phases_done_;       // per factory: capacity phases applied so far
  std::vector<CheckpointSpec> checkpoints_;      // [0] scenario default, then per-source overrides
  std::vector<std::uint16_t> source_checkpoint_; // source -> index into checkpoints_
  std::vector<ClonePtr<JobSource>> sources_;
  std::vector<JobDraft> pending_;                // each source's next job, already in the queue
  std::size_t live_sources_ = 0;
  std::size_t offline_factories_ = 0;
  ClonePtr<Scheduler> scheduler_;
  bool track_releases_ = false;
  bool track_preemptible_ = false;
  std::vector<ReleaseIndex> releases_;           // per factory, when the policy needs it
  std::vector<std::optional<FailureState>> failures_;  // per factory with failures
  struct DomainFailureState {
    RandomEngine clock, victim, repair;
    std::uint32_t generation = 0;  // the pending failure's; a growth phase redraws it
  };
  std::vector<std::optional<DomainMap>> domains_;                // per factory with a topology
  std::vector<std::optional<DomainFailureState>> domain_failures_;  // per factory with domain failures
  std::vector<std::vector<DomainMap::Share>> holds_;             // by slot: a job's nodes per domain
  std::vector<std::int64_t> tenant_held_chips_;
  std::vector<std::uint64_t> tenant_queued_;     // jobs waiting per tenant (ends a run stuck on exhausted allocations)
  std::int64_t installed_chips_ = 0;             // online chips over all factories (quota base)
  std::vector<RandomEngine> estimate_rngs_;      // per source, for drawn estimate factors
  EventQueue events_;
  JobTable jobs_;
  std::uint64_t next_job_id_ = 0;
  std::uint32_t next_attempt_ = 0;

  std::vector<PreemptionIndex> preemptible_;     // per factory, when the policy preempts
  bool elastic_ = false;                         // the workload has elastic jobs
  /// Per factory without a topology: its running elastic jobs by (job id, slot), oldest first.
  std::vector<std::set<std::pair<std::uint64_t, std::uint32_t>>> elastic_running_;
  std::vector<ServiceStatus> service_status_;              // per service (RunView::services)
  std::vector<std::vector<std::uint32_t>> service_nodes_;   // [service][k]: nodes on its k-th site
  std::vector<std::uint32_t> service_order_;                // served by priority, then declaration
  std::size_t live_services_ = 0;                           // services whose demand may still change
  std::uint64_t event_count_ = 0;
  bool begun_ = false, done_ = false, stopped_ = false;

  std::function<void(const RunProgress&)> progress_;
  bool sampling_ = false;           // time-series samples are due (an observer takes them)
  Duration timeseries_interval_;
  RunLimits limits_;
  std::uint64_t samples_ = 0;       // time-series rows produced (limits_.timeseries_rows)
  double offered_chip_ms_ = 0;      // chips x planned run time of every job queued so far
  [[noreturn]] void stop_overloaded() const;
  // The engine's own observers (metrics, economics, allocations, time series, job records),
  // then the caller's. A fork registers copies of `from`'s (register_observers).
  void register_observers(const SimulationOptions& opt, const Engine* from = nullptr);
  Engine(const Engine& other) = default;  // the state only: see the fork constructor
  NotCopied<std::vector<std::unique_ptr<Observer>>> owned_;
  NotCopied<std::array<std::vector<Observer*>, kEventKinds>> interested_;  // per event kind, in order
  FactoryMetricsObserver* metrics_ = nullptr;    // the five are in owned_, called first
  JobStatisticsObserver* statistics_ = nullptr;
  AllocationLedger* allocations_ = nullptr;
  DemandObserver* demand_ = nullptr;             // and these two, after them
  YearlyObserver* yearly_ = nullptr;
};

}  // namespace gigasim::detail
