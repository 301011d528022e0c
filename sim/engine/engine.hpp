#pragma once
// The engine's internals (private to the library). One Engine is one run of one scenario.
// Files: engine_loop.cpp (construction, the event loop), engine_access.cpp (which factories a
// job may use), engine_jobs.cpp (arrival, start,
// completion, requeue), engine_failures.cpp (failures, repairs, interruptions),
// engine_report.cpp (turning the state into a RunResult).
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "gigasim/core/event_queue.hpp"
#include "gigasim/core/random.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/metrics/window_integral.hpp"
#include "gigasim/model/checkpointing.hpp"
#include "gigasim/model/domain_map.hpp"
#include "gigasim/model/job.hpp"
#include "gigasim/model/job_source.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim::detail {

inline constexpr double kMsPerHour = 3.6e6;
inline constexpr double kMsPerDay = 8.64e7;
/// Bounded slowdown's floor on run time: keeps very short jobs from dominating the mean.
inline constexpr Duration kSlowdownFloor = Duration::seconds(10);
/// Jobs of at least this many chips are "large" for the effective-training-time statistics.
inline constexpr std::uint32_t kLargeJobChips = 1024;

struct FactoryMetrics {
  explicit FactoryMetrics(SimTime from)
      : installed_chips(from), busy_chips(from), idle_chips(from), down_chips(from), maintenance_chips(from),
        requested_chips(from) {}
  WindowIntegral installed_chips, busy_chips, idle_chips, down_chips, maintenance_chips, requested_chips;
  double useful_chip_ms = 0;  ///< work kept (checkpointed or completed), inside the window
  double done_chip_ms = 0;    ///< work computed, kept or later lost, inside the window
  double useful_flops = 0;    ///< FLOPs of the useful work, inside the window
  std::uint64_t jobs_started = 0, failures = 0, interruptions = 0, domain_failures = 0;
};

/// A tenant's chip-time charged against its allocation, over the whole run (not the window).
struct TenantUsage {
  double used_chip_ms = 0;  ///< up to `since`
  SimTime since;
  std::optional<SimTime> exhausted_at;
};

struct TenantMetrics {
  explicit TenantMetrics(SimTime from) : busy_chips(from) {}
  WindowIntegral busy_chips;
  JobCounts jobs;
  SampleSet wait_s, jct_s, slowdown;
};

/// Per-factory failure machinery: the Poisson clock, node choice, repairs, and the running jobs
/// indexed by slot with node sums (to find the job holding the k-th busy node in O(log n)).
struct FailureState {
  RandomEngine clock, victim, repair;
  ReleaseIndex running;  // keyed by (0, slot): only the node sums and order matter
  std::uint32_t generation = 0;  // of the pending failure event; capacity growth redraws it
  std::uint32_t rate_nodes = 0;  // installed nodes the pending draw's rate assumed (thinning base)
};

/// Compute, energy and money of one factory from its window integrals (engine_report.cpp).
PlanEconomics economics_of(const FactorySpec& spec, double installed_chip_ms, double busy_chip_ms,
                           double idle_chip_ms, double useful_flops, std::uint32_t installed_nodes_at_end,
                           double window_ms);

class Engine final : public ClusterView {
 public:
  Engine(const Scenario& sc, const SimulationOptions& opt);
  RunResult run();

  // ClusterView
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
  bool within_quota(std::uint16_t tenant, std::int64_t chips) const override {
    const auto& q = sc_.tenants[tenant].quota;
    if (sc_.policy.enforce_allocations && allocation_exhausted(tenant)) return false;
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

 private:
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
  void on_end(std::uint32_t slot, std::uint32_t attempt);
  void plan_attempt(ActiveJob& j, std::uint32_t factory) const;
  double flop_rate(const ActiveJob& j, std::uint32_t factory) const;
  AttemptPlan plan_of(const ActiveJob& j) const;
  void begin_attempt(std::uint32_t slot);
  void end_attempt(std::uint32_t slot, SimTime stop, Duration saved);
  void requeue(std::uint32_t slot);
  void emit(const ActiveJob& j, JobOutcome outcome, std::optional<SimTime> end);
  const CheckpointSpec& checkpoint_of(const ActiveJob& j) const { return checkpoints_[j.checkpoint_spec]; }
  // engine_failures.cpp
  void schedule_next_failure(std::uint32_t f);
  void on_failure(std::uint32_t f, std::uint32_t generation);
  void on_repair(std::uint32_t f, std::uint32_t domain_plus_one);
  void on_maintenance_start(std::uint32_t f);
  void on_maintenance_end(std::uint32_t f);
  void interrupt(std::uint32_t slot);
  void count_interruption(std::uint32_t slot);
  void stop_attempt(std::uint32_t slot);
  void unhold_and_requeue(std::uint32_t slot);
  void node_went_down(std::uint32_t f, std::uint32_t domain_plus_one);
  // engine_topology.cpp
  void setup_topology(std::uint32_t f);
  void allocate_domains(std::uint32_t slot);
  void release_domains(std::uint32_t slot);
  void node_failure_in_domains(std::uint32_t f, std::uint32_t node);
  void schedule_next_domain_failure(std::uint32_t f);
  void on_domain_failure(std::uint32_t f);
  void on_domain_repair(std::uint32_t f, std::uint32_t d);
  /// The job's useful work of this attempt in wall time: slowed down when it spans extra domains.
  Duration attempt_work(const ActiveJob& j) const {
    return j.span_factor == 1 ? j.work : Duration::from_seconds(std::min(j.work.seconds_f() * j.span_factor, kMaxDurationSeconds));
  }
  // shared
  void sync_pool_metrics(std::uint32_t f);
  /// Brings a tenant's allocation usage up to now; call before its held chips change.
  void settle_usage(std::uint16_t tenant);
  double used_chip_ms(std::uint16_t tenant) const {
    const TenantUsage& u = tenant_usage_[tenant];
    return u.used_chip_ms + static_cast<double>(tenant_held_chips_[tenant]) * static_cast<double>((now_ - u.since).ms());
  }
  bool allocation_exhausted(std::uint16_t tenant) const {
    const auto& a = sc_.tenants[tenant].allocation_chip_hours;
    return a && used_chip_ms(tenant) >= *a * kMsPerHour;
  }
  bool measured(const ActiveJob& j) const { return j.submit >= warmup_start_; }
  // engine_report.cpp
  void finish(RunResult& r);
  void on_sample();

  const Scenario& sc_;
  JobRecordSink* sink_;
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
  std::vector<std::unique_ptr<JobSource>> sources_;
  std::vector<JobDraft> pending_;                // each source's next job, already in the queue
  std::size_t live_sources_ = 0;
  std::size_t offline_factories_ = 0;
  std::unique_ptr<Scheduler> scheduler_;
  bool track_releases_ = false;
  bool track_preemptible_ = false;
  std::vector<ReleaseIndex> releases_;           // per factory, when the policy needs it
  std::vector<std::optional<FailureState>> failures_;  // per factory with failures
  struct DomainFailureState {
    RandomEngine clock, victim, repair;
  };
  std::vector<std::optional<DomainMap>> domains_;                // per factory with a topology
  std::vector<std::optional<DomainFailureState>> domain_failures_;  // per factory with domain failures
  std::vector<std::vector<DomainMap::Share>> holds_;             // by slot: a job's nodes per domain
  std::vector<std::int64_t> tenant_held_chips_;
  std::vector<TenantUsage> tenant_usage_;
  std::vector<std::uint64_t> tenant_queued_;     // jobs waiting per tenant (ends a run stuck on exhausted allocations)
  std::int64_t installed_chips_ = 0;             // online chips over all factories (quota base)
  std::vector<RandomEngine> estimate_rngs_;      // per source, for drawn estimate factors
  EventQueue events_;
  JobTable jobs_;
  std::uint64_t next_job_id_ = 0;
  std::uint32_t next_attempt_ = 0;

  std::vector<FactoryMetrics> factory_metrics_;
  std::vector<TenantMetrics> tenant_metrics_;
  WindowIntegral queue_length_, running_jobs_;
  std::uint64_t completions_in_window_ = 0;
  std::uint64_t interruptions_in_window_ = 0;
  std::uint64_t preemptions_ = 0;
  std::vector<PreemptionIndex> preemptible_;     // per factory, when the policy preempts
  SampleSet ettr_, ettr_large_, jct_large_;
  std::vector<UnschedulableJob> unschedulable_;
  std::uint64_t event_count_ = 0;

  bool wait_quantiles_;
  std::function<void(SimTime)> progress_;
  TimeseriesSink* timeseries_;
  Duration timeseries_interval_;
  SimTime last_sample_;
  std::vector<std::int64_t> sample_areas_;  // running totals at the last sample, per series
};

}  // namespace gigasim::detail
