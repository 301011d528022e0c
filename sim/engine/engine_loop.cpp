// Construction and the event loop.
#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "engine.hpp"
#include "gigasim/error.hpp"
#include "gigasim/model/validate.hpp"
#include "gigasim/observers/demand.hpp"
#include "gigasim/observers/economics.hpp"
#include "gigasim/observers/factory_metrics.hpp"
#include "gigasim/observers/job_records.hpp"
#include "gigasim/observers/job_statistics.hpp"
#include "gigasim/observers/services.hpp"
#include "gigasim/observers/timeseries.hpp"
#include "gigasim/observers/yearly.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/units.hpp"

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

Engine::Engine(const Scenario& sc, const SimulationOptions& opt, std::unique_ptr<Scheduler> scheduler)
    : sc_(sc),
      seed_(opt.seed.value_or(sc.seed)),
      horizon_(opt.horizon ? opt.horizon : sc.horizon),
      warmup_start_(SimTime::zero() + sc.warmup),
      progress_(opt.progress),
      sampling_(opt.timeseries != nullptr),
      timeseries_interval_(opt.timeseries_interval),
      limits_(opt.limits) {
  validate(sc);  // a scenario built in code is checked as a loaded one is
  if (sampling_ && timeseries_interval_.ms() <= 0) throw InputError("the time-series interval must be positive");
  if (sampling_ && horizon_) {
    const double rows = static_cast<double>(horizon_->ms()) / static_cast<double>(timeseries_interval_.ms()) *
                        static_cast<double>(sc.factories.size() + 1);
    if (rows > static_cast<double>(limits_.timeseries_rows))
      throw InputError(fmt::format(
          "a time series every {} over {} gives {:.3g} rows, more than the limit of {} (use a longer interval, "
          "or raise it with --limit timeseries_rows=N)",
          timeseries_interval_.ms() < 60'000 ? fmt::format("{}ms", timeseries_interval_.ms())
                                             : format_duration(timeseries_interval_.seconds_f()),
          format_duration(horizon_->seconds_f()), rows,
          limits_.timeseries_rows));
  }
  if (!horizon_) {
    for (const auto& w : sc.workload)
      if (endless(w))
        throw InputError(w.label + ": this generator never ends and the scenario has no horizon; "
                         "give `horizon`, or the generator a `count` or `until`");
    for (const auto& s : sc.services)
      if (!s.until)
        throw InputError(s.name + ": this service never ends and the scenario has no horizon; "
                         "give `horizon`, or the service `until`");
  }
  pools_.reserve(sc.factories.size());
  for (std::size_t f = 0; f < sc.factories.size(); ++f) {
    pools_.emplace_back(sc.factories[f]);
    if (sc.factories[f].failures) {
      const std::string p = "factory/" + std::to_string(f) + "/";
      failures_.emplace_back(
          FailureState{make_stream(seed_, p + "failures"), make_stream(seed_, p + "victims"),
                       make_stream(seed_, p + "repairs"), make_stream(seed_, p + "repair-outcomes"), {}, 0, 0});
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
  bind(sc_, now_, pools_);
  tenant_held_chips_.assign(sc.tenants.size(), 0);
  tenant_queued_.assign(sc.tenants.size(), 0);
  scheduler_ = scheduler                 ? std::move(scheduler)
               : opt.general_scheduler ? make_general_scheduler(sc.policy, sc.tenants)
                                       : make_scheduler(sc.policy, sc.tenants);
  track_releases_ = scheduler_->needs_release_index();
  track_preemptible_ = scheduler_->preempts();
  preemptible_.resize(sc.factories.size());
  releases_.resize(sc.factories.size());
  elastic_ = has_elastic_jobs(sc);
  if (elastic_) elastic_running_.resize(sc.factories.size());
  checkpoints_.push_back(sc.checkpoint);
  for (const auto& w : sc.workload) {
    if (w.checkpoint) checkpoints_.push_back(*w.checkpoint);
    source_checkpoint_.push_back(w.checkpoint ? static_cast<std::uint16_t>(checkpoints_.size() - 1) : 0);
  }

  register_observers(opt);
}

namespace {
template <class T>
const T* owned_of(const std::vector<std::unique_ptr<Observer>>& owned) {
  for (const auto& o : owned)
    if (const auto* t = dynamic_cast<const T*>(o.get())) return t;
  return nullptr;
}
}  // namespace

// What the run reports, each measured by its own observer; the economics read the factory
// integrals and the allocation ledger fills in the tenants listed by the job statistics. A fork
// continues copies of the original's observers (their sums so far), with the new sinks.
void Engine::register_observers(const SimulationOptions& opt, const Engine* original) {
  auto& owned = owned_.value;
  const auto* from = original ? &original->owned_.value : nullptr;
  auto add = [&](auto observer) {
    auto* raw = observer.get();
    owned.push_back(std::move(observer));
    return raw;
  };
  // The five that see every job are called by their type, first (publish); their sums and the
  // economics' reading of them do not depend on the order of observers.
  metrics_ = add(from ? owned_of<FactoryMetricsObserver>(*from)->forked(*this)
                      : std::make_unique<FactoryMetricsObserver>(*this));
  statistics_ = add(from ? owned_of<JobStatisticsObserver>(*from)->forked(*this)
                         : std::make_unique<JobStatisticsObserver>(*this, opt.wait_distribution));
  allocations_ = add(from ? owned_of<AllocationLedger>(*from)->forked(*this) : std::make_unique<AllocationLedger>(*this));
  demand_ = add(from ? owned_of<DemandObserver>(*from)->forked(*this) : std::make_unique<DemandObserver>(*this));
  yearly_ = add(from ? owned_of<YearlyObserver>(*from)->forked(*this) : std::make_unique<YearlyObserver>(*this));
  const std::size_t direct = owned.size();
  add(std::make_unique<EconomicsObserver>(*this, *metrics_));  // no state of its own; after the metrics
  if (!sc_.services.empty())
    add(from ? owned_of<ServiceObserver>(*from)->forked(*this) : std::make_unique<ServiceObserver>(*this));
  if (opt.timeseries) {
    if (!from) {
      add(std::make_unique<TimeseriesObserver>(*this, *opt.timeseries));
    } else if (const auto* t = owned_of<TimeseriesObserver>(*from)) {
      add(t->forked(*this, *opt.timeseries));
    } else {
      throw InputError("fork: the run forked takes no time-series samples, so its fork cannot write them");
    }
  }
  if (opt.job_sink) add(std::make_unique<JobRecordsObserver>(*this, *opt.job_sink));  // no state of its own
  // Per event kind, the observers publish() calls through the interface: the engine's own after
  // the first five (called directly), then the caller's.
  std::vector<Observer*> called(owned.size() - direct);
  for (std::size_t i = direct; i < owned.size(); ++i) called[i - direct] = owned[i].get();
  for (Observer* o : opt.observers)
    if (o) called.push_back(o);
  for (auto& list : interested_.value) list.clear();
  for (Observer* o : called)
    for (std::uint32_t k = 0; k < kEventKinds; ++k)
      if (o->interests() & (1u << k)) interested_.value[k].push_back(o);
}

Engine::Engine(const Engine& other, const SimulationOptions& opt) : Engine(other) {
  if (other.scheduler_ && !scheduler_)
    throw PolicyError("fork: the policy's scheduler cannot be copied (it does not implement Scheduler::clone)");
  bind(sc_, now_, pools_);
  progress_ = opt.progress;
  register_observers(opt, &other);
}

void Engine::on_online(std::uint32_t f) {
  pools_[f].bring_online();
  --offline_factories_;
  installed_chips_ += sc_.factories[f].chips;
  pool_changed(f);
  publish<EventBit::CapacityChanged>([&](auto& o) { o.capacity_changed(f); });
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
  // With a topology, growth comes as whole domains, with their spares (the loader refuses
  // removals there).
  const std::uint32_t new_domains = domains_[f] && p.chips > 0 ? nodes / domains_[f]->nodes_per_domain() : 0;
  const std::uint32_t new_spares = new_domains > 0 ? new_domains * domains_[f]->spares_per_domain() : 0;
  if (p.chips > 0) pool.add_nodes(nodes, new_spares);
  else pool.remove_nodes(nodes);
  if (new_domains > 0) domains_[f]->add_domains(new_domains);
  installed_chips_ += p.chips;
  phases_done_[f] = phase + 1;
  update_access_limits();
  pool_changed(f);
  publish<EventBit::CapacityChanged>([&](auto& o) { o.capacity_changed(f); });
  if (failures_[f] && p.chips > 0) schedule_next_failure(f);  // a higher rate from now on
  if (domain_failures_[f] && p.chips > 0) schedule_next_domain_failure(f);
}

// Without a horizon the run ends once no job is active and none can arrive: failures and
// repairs alone would otherwise go on forever.
// Jobs of tenants whose enforced allocation is used up can never start: they do not keep an
// open-ended run going once nothing else is left.
bool Engine::finished() const {
  if (horizon_ || live_sources_ != 0 || offline_factories_ != 0 || live_services_ != 0) return false;
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

void Engine::begin() {
  begun_ = true;
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
  begin_services();
  if (sampling_) events_.push(SimTime::zero() + timeseries_interval_, EventKind::Sample, 0);
}

std::optional<SimTime> Engine::next_event_time() {
  if (!begun_) begin();
  if (done_ || events_.empty() || (horizon_ && events_.top().time > *horizon_)) return std::nullopt;
  return events_.top().time;
}

// One instant: every event at the earliest time t in (kind rank, tie-break) order, then one
// scheduling pass for t (none if only samples happened). At the horizon only completions count.
bool Engine::step() {
  if (!begun_) begin();
  if (done_) return false;
  if (events_.empty() || (horizon_ && events_.top().time > *horizon_)) {
    done_ = true;
    return false;
  }
  const SimTime t = events_.top().time;
  now_ = t;
  bool changed = false;  // an instant with only samples gets no scheduling pass
  while (!events_.empty() && events_.top().time == t) {
    if (horizon_ && t == *horizon_ && events_.top().kind != EventKind::JobEnd) break;
    const Event e = events_.pop();
    changed |= e.kind != EventKind::Sample;
    event_count_ += e.kind != EventKind::Sample;
    if (progress_ && (event_count_ & 0xffff) == 0) progress_({now_, event_count_, next_job_id_, jobs_.active()});
    switch (e.kind) {
      case EventKind::JobEnd: on_end(e.index, e.generation); break;
      case EventKind::NodeRepair: on_repair(e.index, e.generation); break;
      case EventKind::DomainRepair: on_domain_repair(e.index, e.generation); break;
      case EventKind::DomainFailure: on_domain_failure(e.index, e.generation); break;
      case EventKind::FactoryOnline:
        if (e.generation == 0) on_online(e.index);
        else on_capacity_change(e.index, e.generation - 1);
        break;
      case EventKind::CapacityLoss: on_capacity_change(e.index, e.generation - 1); break;
      case EventKind::NodeFailure: on_failure(e.index, e.generation); break;
      case EventKind::MaintenanceStart: on_maintenance_start(e.index); break;
      case EventKind::MaintenanceEnd: on_maintenance_end(e.index); break;
      case EventKind::JobArrival: on_arrival(e.index); break;
      case EventKind::ServiceDemand: on_service_demand(e.index); break;
      case EventKind::Sample:
        // Open-ended runs have no row count known up front: counted as they come.
        if ((samples_ += sc_.factories.size() + 1) > limits_.timeseries_rows)
          throw Error(fmt::format("stopped at {}: the time series passed the limit of {} rows "
                                  "(use a longer interval, or raise it with --limit timeseries_rows=N)",
                                  format_duration(now_.seconds_f()), limits_.timeseries_rows));
        publish<EventBit::SampleDue>([](auto& o) { o.sample_due(); });
        if (!finished()) events_.push(now_ + timeseries_interval_, EventKind::Sample, 0);
        break;
    }
  }
  if ((horizon_ && t == *horizon_) || finished()) {
    done_ = true;
    return false;
  }
  if (changed) {
    if (elastic_) lend_elastic_nodes();
    if (!service_status_.empty()) serve_services();
    scheduler_->schedule(*this);
    if (elastic_) settle_elastic_jobs();
    scheduler_->pass_settled(*this);
  }
  return true;
}

void Engine::run_until(SimTime t) {
  while (true) {
    const auto next = next_event_time();
    if (next && *next > t) return;
    if (!step()) return;  // with no instant left, step() ends the run
  }
}

}  // namespace detail

Simulation::Simulation(const Scenario& scenario, const SimulationOptions& options, std::unique_ptr<Scheduler> scheduler)
    : engine_(std::make_unique<detail::Engine>(scenario, options, std::move(scheduler))) {}
Simulation::Simulation() = default;
Simulation::~Simulation() = default;

Simulation Simulation::fork(const SimulationOptions& options) const {
  if (finished_) throw std::logic_error("Simulation::fork: the run has ended (its result was taken)");
  Simulation copy;
  copy.engine_ = std::make_unique<detail::Engine>(*engine_, options);
  return copy;
}
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

bool Simulation::step() {
  if (finished_) return false;
  return engine_->step();
}

void Simulation::run_until(SimTime t) {
  if (!finished_) engine_->run_until(t);
}

void Simulation::stop() {
  if (!finished_) engine_->stop();
}

bool Simulation::done() const { return finished_ || engine_->done(); }
SimTime Simulation::now() const { return engine_->now(); }
std::optional<SimTime> Simulation::next_event_time() const {
  return finished_ ? std::nullopt : engine_->next_event_time();
}
const ClusterView& Simulation::cluster() const { return *engine_; }
const Scheduler& Simulation::scheduler() const { return engine_->scheduler(); }
std::size_t Simulation::active_jobs() const { return engine_->active_jobs(); }

RunResult Simulation::result() {
  if (finished_) throw std::logic_error("Simulation::result: the result was already taken");
  while (engine_->step()) {
  }
  finished_ = true;
  return engine_->finish();
}


RunResult simulate(const Scenario& scenario, const SimulationOptions& options, std::unique_ptr<Scheduler> scheduler) {
  Simulation sim(scenario, options, std::move(scheduler));
  return sim.result();
}

}  // namespace gigasim
