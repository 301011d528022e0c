// Construction and the event loop.
#include <algorithm>
#include <string>

#include "engine.hpp"
#include "gigasim/error.hpp"
#include "gigasim/policy/registry.hpp"

namespace gigasim {

std::string_view to_string(JobOutcome o) {
  switch (o) {
    case JobOutcome::Completed: return "completed";
    case JobOutcome::Running: return "running";
    case JobOutcome::Queued: return "queued";
    case JobOutcome::Unschedulable: return "unschedulable";
  }
  return "?";
}

namespace detail {

namespace {
bool endless(const WorkloadSpec& w) {
  const auto* g = std::get_if<GeneratorSpec>(&w.source);
  return g && !g->arrivals.count && !g->arrivals.until;
}
}  // namespace

Engine::Engine(const Scenario& sc, const SimulationOptions& opt)
    : sc_(sc),
      sink_(opt.job_sink),
      seed_(opt.seed.value_or(sc.seed)),
      horizon_(opt.horizon ? opt.horizon : sc.horizon),
      warmup_start_(SimTime::zero() + sc.warmup),
      queue_length_(warmup_start_),
      running_jobs_(warmup_start_),
      wait_quantiles_(opt.wait_quantiles),
      progress_(opt.progress),
      timeseries_(opt.timeseries),
      timeseries_interval_(opt.timeseries_interval) {
  if (timeseries_ && timeseries_interval_.ms() <= 0) throw InputError("the time-series interval must be positive");
  if (!horizon_)
    for (const auto& w : sc.workload)
      if (endless(w))
        throw InputError(w.label + ": this generator never ends and the scenario has no horizon; "
                         "give `horizon`, or the generator a `count` or `until`");
  if (sc.factories.size() >= kNoFactory) throw InputError("too many factories");
  if (sc.workload.size() >= 0xffff) throw InputError("too many workload sources");
  pools_.reserve(sc.factories.size());
  for (std::size_t f = 0; f < sc.factories.size(); ++f) {
    pools_.emplace_back(sc.factories[f]);
    factory_metrics_.emplace_back(warmup_start_);
    if (sc.factories[f].failures) {
      const std::string p = "factory/" + std::to_string(f) + "/";
      failures_.emplace_back(
          FailureState{make_stream(seed_, p + "failures"), make_stream(seed_, p + "victims"),
                       make_stream(seed_, p + "repairs"), {}, 0, 0});
    } else {
      failures_.emplace_back();
    }
    domains_.emplace_back();
    if (const auto& t = sc.factories[f].topology; t && t->failures) {
      const std::string p = "factory/" + std::to_string(f) + "/domain-";
      domain_failures_.emplace_back(DomainFailureState{make_stream(seed_, p + "failures"),
                                                       make_stream(seed_, p + "victims"),
                                                       make_stream(seed_, p + "repairs")});
    } else {
      domain_failures_.emplace_back();
    }
  }
  build_site_tables();
  tenant_metrics_.assign(sc.tenants.size(), TenantMetrics(warmup_start_));
  tenant_held_chips_.assign(sc.tenants.size(), 0);
  tenant_usage_.assign(sc.tenants.size(), TenantUsage{});
  tenant_queued_.assign(sc.tenants.size(), 0);
  scheduler_ = opt.general_scheduler ? make_general_scheduler(sc.policy, sc.tenants)
                                     : make_scheduler(sc.policy, sc.tenants);
  track_releases_ = scheduler_->needs_release_index();
  track_preemptible_ = scheduler_->preempts();
  preemptible_.resize(sc.factories.size());
  releases_.resize(sc.factories.size());
  checkpoints_.push_back(sc.checkpoint);
  for (const auto& w : sc.workload) {
    if (w.checkpoint) checkpoints_.push_back(*w.checkpoint);
    source_checkpoint_.push_back(w.checkpoint ? static_cast<std::uint16_t>(checkpoints_.size() - 1) : 0);
  }
}

void Engine::on_online(std::uint32_t f) {
  pools_[f].bring_online();
  --offline_factories_;
  installed_chips_ += sc_.factories[f].chips;
  sync_pool_metrics(f);
  setup_topology(f);
  if (failures_[f]) schedule_next_failure(f);
  if (const auto& m = sc_.factories[f].maintenance) {
    SimTime first = m->first.value_or(now_ + m->every);
    while (first < now_) first = first + m->every;  // windows before the factory exists are skipped
    events_.push_ordered(first, EventKind::MaintenanceStart, f, f);
  }
  const auto& phases = sc_.factories[f].phases;
  for (std::uint32_t i = 0; i < phases.size(); ++i)
    events_.push_ordered(std::max(phases[i].at, now_),
                         phases[i].chips > 0 ? EventKind::FactoryOnline : EventKind::CapacityLoss, f, f, i + 1);
}

// A capacity phase: nodes added now, or removed as they drain (running jobs are not killed).
void Engine::on_capacity_change(std::uint32_t f, std::uint32_t phase) {
  const FactorySpec& spec = sc_.factories[f];
  const CapacityPhase& p = spec.phases[phase];
  FactoryPool& pool = pools_[f];
  const auto nodes = static_cast<std::uint32_t>((p.chips < 0 ? -p.chips : p.chips) / spec.node_size);
  if (p.chips > 0) pool.add_nodes(nodes);
  else pool.remove_nodes(nodes);
  installed_chips_ += p.chips;
  phases_done_[f] = phase + 1;
  update_access_limits();
  sync_pool_metrics(f);
  if (failures_[f] && p.chips > 0) schedule_next_failure(f);  // a higher rate from now on
}

// Chip-time integrals follow the pool's node states exactly:
// busy + idle + down + maintenance = installed.
void Engine::sync_pool_metrics(std::uint32_t f) {
  const FactoryPool& p = pools_[f];
  const std::int64_t ns = p.spec().node_size;
  FactoryMetrics& m = factory_metrics_[f];
  m.installed_chips.set(now_, static_cast<std::int64_t>(p.installed_nodes()) * ns);
  m.busy_chips.set(now_, static_cast<std::int64_t>(p.busy_nodes()) * ns);
  m.idle_chips.set(now_, static_cast<std::int64_t>(p.idle_nodes() + p.spare_nodes()) * ns);
  m.down_chips.set(now_, static_cast<std::int64_t>(p.down_nodes()) * ns);
  m.maintenance_chips.set(now_, static_cast<std::int64_t>(p.maintenance_nodes()) * ns);
}

// Without a horizon the run ends once no job is active and none can arrive: failures and
// repairs alone would otherwise go on forever.
// Jobs of tenants whose enforced allocation is used up can never start: they do not keep an
// open-ended run going once nothing else is left.
bool Engine::finished() const {
  if (horizon_ || live_sources_ != 0 || offline_factories_ != 0) return false;
  if (jobs_.active() == 0) return true;
  if (!sc_.policy.enforce_allocations) return false;
  std::uint64_t stuck = 0;
  for (std::uint16_t t = 0; t < tenant_queued_.size(); ++t) {
    if (tenant_held_chips_[t] != 0) return false;  // running jobs: more events to come
    if (tenant_queued_[t] != 0 && !allocation_exhausted(t)) return false;
    stuck += tenant_queued_[t];
  }
  return stuck == jobs_.active();
}

void Engine::settle_usage(std::uint16_t t) {
  TenantUsage& u = tenant_usage_[t];
  const double before = u.used_chip_ms, held = static_cast<double>(tenant_held_chips_[t]);
  u.used_chip_ms = used_chip_ms(t);
  // The moment usage reached the allocation, interpolated inside [since, now] (usage grows linearly).
  if (const auto& a = sc_.tenants[t].allocation_chip_hours; a && !u.exhausted_at && u.used_chip_ms >= *a * kMsPerHour)
    u.exhausted_at = u.since + Duration::millis(static_cast<std::int64_t>(
                                   held > 0 ? std::ceil(std::max(0.0, *a * kMsPerHour - before) / held) : 0));
  u.since = now_;
}

RunResult Engine::run() {
  offline_factories_ = pools_.size();
  for (std::uint32_t f = 0; f < pools_.size(); ++f)
    events_.push_ordered(std::max(sc_.factories[f].online, SimTime::zero()), EventKind::FactoryOnline, f, f);
  pending_.resize(sc_.workload.size());
  for (std::size_t i = 0; i < sc_.workload.size(); ++i) {
    sources_.push_back(make_job_source(sc_.workload[i], i, seed_));
    estimate_rngs_.push_back(make_stream(seed_, "workload/" + std::to_string(i) + "/estimate"));
  }
  live_sources_ = sources_.size();
  for (std::uint32_t i = 0; i < sources_.size(); ++i) schedule_next_arrival(i);
  if (timeseries_) events_.push(SimTime::zero() + timeseries_interval_, EventKind::Sample, 0);

  bool stopped = false;
  while (!events_.empty() && !stopped) {
    const SimTime t = events_.top().time;
    if (horizon_ && t > *horizon_) break;
    now_ = t;
    bool changed = false;  // an instant with only samples gets no scheduling pass
    while (!events_.empty() && events_.top().time == t) {
      if (horizon_ && t == *horizon_ && events_.top().kind != EventKind::JobEnd) {
        stopped = true;  // at the horizon only completions count
        break;
      }
      const Event e = events_.pop();
      changed |= e.kind != EventKind::Sample;
      event_count_ += e.kind != EventKind::Sample;
      if (progress_ && (event_count_ & 0xffff) == 0) progress_(now_);
      switch (e.kind) {
        case EventKind::JobEnd: on_end(e.index, e.generation); break;
        case EventKind::NodeRepair: on_repair(e.index, e.generation); break;
        case EventKind::DomainRepair: on_domain_repair(e.index, e.generation); break;
        case EventKind::DomainFailure: on_domain_failure(e.index); break;
        case EventKind::FactoryOnline:
          if (e.generation == 0) on_online(e.index);
          else on_capacity_change(e.index, e.generation - 1);
          break;
        case EventKind::CapacityLoss: on_capacity_change(e.index, e.generation - 1); break;
        case EventKind::NodeFailure: on_failure(e.index, e.generation); break;
        case EventKind::MaintenanceStart: on_maintenance_start(e.index); break;
        case EventKind::MaintenanceEnd: on_maintenance_end(e.index); break;
        case EventKind::JobArrival: on_arrival(e.index); break;
        case EventKind::Sample: on_sample(); break;
      }
    }
    if ((horizon_ && t == *horizon_) || finished()) break;
    if (changed) scheduler_->schedule(*this);
  }
  if (horizon_) now_ = *horizon_;
  if (timeseries_ && now_ > last_sample_) on_sample();  // the last, possibly shorter, interval

  RunResult r;
  finish(r);
  return r;
}

}  // namespace detail

RunResult simulate(const Scenario& scenario, const SimulationOptions& options) {
  detail::Engine engine(scenario, options);
  return engine.run();
}

}  // namespace gigasim
