#include "gigasim/engine/simulation.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/random/uniform_real_distribution.hpp>

#include "gigasim/core/event_queue.hpp"
#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/metrics/window_integral.hpp"
#include "gigasim/model/job.hpp"
#include "gigasim/model/job_source.hpp"
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

namespace {

constexpr double kMsPerHour = 3.6e6;
constexpr double kMsPerDay = 8.64e7;
/// Bounded slowdown's floor on run time: keeps very short jobs from dominating the mean.
constexpr Duration kSlowdownFloor = Duration::seconds(10);

bool endless(const WorkloadSpec& w) {
  const auto* g = std::get_if<GeneratorSpec>(&w.source);
  return g && !g->arrivals.count && !g->arrivals.until;
}

struct FactoryMetrics {
  WindowIntegral installed_chips, busy_chips, requested_chips;
  std::uint64_t jobs_started = 0;
};

struct TenantMetrics {
  explicit TenantMetrics(SimTime window_start) : busy_chips(window_start) {}
  WindowIntegral busy_chips;
  JobCounts jobs;
  SampleSet wait_s, jct_s, slowdown;
};

class Engine final : public ClusterView {
 public:
  Engine(const Scenario& sc, const SimulationOptions& opt)
      : sc_(sc),
        sink_(opt.job_sink),
        seed_(opt.seed.value_or(sc.seed)),
        horizon_(opt.horizon ? opt.horizon : sc.horizon),
        warmup_start_(SimTime::zero() + sc.warmup),
        queue_length_(warmup_start_),
        running_jobs_(warmup_start_) {
    if (!horizon_)
      for (const auto& w : sc.workload)
        if (endless(w))
          throw InputError(w.label + ": this generator never ends and the scenario has no horizon; "
                           "give `horizon`, or the generator a `count` or `until`");
    if (sc.factories.size() >= kNoFactory) throw InputError("too many factories");
    pools_.reserve(sc.factories.size());
    for (const auto& f : sc.factories) {
      pools_.emplace_back(f);
      factory_metrics_.push_back({WindowIntegral(warmup_start_), WindowIntegral(warmup_start_),
                                  WindowIntegral(warmup_start_), 0});
    }
    build_site_tables();
    tenant_metrics_.assign(sc.tenants.size(), TenantMetrics(warmup_start_));
    scheduler_ = opt.general_scheduler ? make_general_scheduler(sc.policy, sc.tenants)
                                       : make_scheduler(sc.policy, sc.tenants);
    track_releases_ = scheduler_->needs_release_index();
    releases_.resize(sc.factories.size());
    tenant_held_chips_.assign(sc.tenants.size(), 0);
  }

  RunResult run();

  // ClusterView
  SimTime now() const override { return now_; }
  std::span<const FactoryPool> factories() const override { return pools_; }
  const ActiveJob& job(std::uint32_t slot) const override { return jobs_[slot]; }
  const ReleaseIndex& releases(std::uint32_t f) const override { return releases_[f]; }
  std::int64_t held_chips(std::uint16_t tenant) const override { return tenant_held_chips_[tenant]; }
  bool may_use(std::uint16_t tenant, std::uint32_t f) const override {
    return allowed_[static_cast<std::size_t>(tenant) * pools_.size() + f] != 0;
  }
  void start(std::uint32_t slot, std::uint32_t f) override;

 private:
  void build_site_tables();
  void schedule_next_arrival(std::uint32_t source);
  Duration estimate_of(Duration run, std::uint32_t source);
  void on_arrival(std::uint32_t source);
  void on_end(std::uint32_t slot);
  void on_online(std::uint32_t f);
  void emit(const ActiveJob& j, JobOutcome outcome, std::optional<SimTime> end);
  void finish(RunResult& r);
  bool measured(const ActiveJob& j) const { return j.submit >= warmup_start_; }

  const Scenario& sc_;
  JobRecordSink* sink_;
  std::uint64_t seed_;
  std::optional<SimTime> horizon_;
  SimTime warmup_start_;
  SimTime now_;

  std::vector<FactoryPool> pools_;
  std::vector<std::uint8_t> allowed_;             // [tenant][factory]
  std::vector<std::uint32_t> tenant_max_chips_;   // largest job a tenant can ever run
  std::vector<std::unique_ptr<JobSource>> sources_;
  std::vector<JobDraft> pending_;                 // each source's next job, already in the queue
  std::unique_ptr<Scheduler> scheduler_;
  bool track_releases_ = false;
  std::vector<ReleaseIndex> releases_;            // per factory, when the policy needs it
  std::vector<std::int64_t> tenant_held_chips_;
  std::vector<RandomEngine> estimate_rngs_;       // per source, for drawn estimate factors
  EventQueue events_;
  JobTable jobs_;
  std::uint64_t next_job_id_ = 0;

  std::vector<FactoryMetrics> factory_metrics_;
  std::vector<TenantMetrics> tenant_metrics_;
  WindowIntegral queue_length_, running_jobs_;
  std::uint64_t completions_in_window_ = 0;
  std::vector<UnschedulableJob> unschedulable_;
  std::uint64_t event_count_ = 0;
};

void Engine::build_site_tables() {
  const std::size_t nf = pools_.size();
  allowed_.assign(sc_.tenants.size() * nf, 0);
  tenant_max_chips_.assign(sc_.tenants.size(), 0);
  for (std::size_t t = 0; t < sc_.tenants.size(); ++t) {
    const auto& sites = sc_.tenants[t].sites;
    for (std::size_t f = 0; f < nf; ++f) {
      const bool ok = sites.empty() || std::find(sites.begin(), sites.end(), f) != sites.end();
      allowed_[t * nf + f] = ok;
      if (ok) tenant_max_chips_[t] = std::max(tenant_max_chips_[t], sc_.factories[f].chips);
    }
  }
}

void Engine::schedule_next_arrival(std::uint32_t source) {
  auto draft = sources_[source]->next();
  if (!draft) return;
  if (draft->submit < now_)
    throw std::logic_error("workload source went back in time: " + sc_.workload[source].label);
  pending_[source] = *draft;
  // Tie-break by source index: simultaneous submissions queue in declaration order.
  events_.push_ordered(draft->submit, EventKind::JobArrival, source, source);
}

Duration Engine::estimate_of(Duration run, std::uint32_t source) {
  const EstimateSpec& e = sc_.policy.estimate;
  double factor = 1.0;
  switch (e.kind) {
    case EstimateSpec::Kind::Exact: return run;
    case EstimateSpec::Kind::Factor: factor = e.a; break;
    case EstimateSpec::Kind::Uniform:
      factor = boost::random::uniform_real_distribution<double>(e.a, e.b)(estimate_rngs_[source]);
      break;
  }
  const double s = std::min(run.seconds_f() * factor, kMaxDurationSeconds);
  return std::max(Duration::from_seconds(s), Duration::millis(1));
}

void Engine::on_arrival(std::uint32_t source) {
  const JobDraft d = pending_[source];
  ActiveJob j;
  j.id = next_job_id_++;
  j.submit = d.submit;
  j.run = d.run;
  j.estimate = estimate_of(d.run, source);
  j.chips = d.chips;
  j.source = source;
  j.row = d.row;
  j.tenant = d.tenant;
  TenantMetrics& tm = tenant_metrics_[d.tenant];
  ++tm.jobs.submitted;
  if (measured(j)) ++tm.jobs.measured;

  if (d.chips > tenant_max_chips_[d.tenant]) {
    ++tm.jobs.unschedulable;
    const auto& tenant = sc_.tenants[d.tenant];
    UnschedulableJob u;
    const auto label = sources_[source]->label(d.row);
    u.id = label.empty() ? std::to_string(j.id) : std::string(label);
    u.tenant = tenant.name;
    u.chips = d.chips;
    u.submit_s = d.submit.seconds_f();
    u.reason = "needs " + std::to_string(d.chips) + " chips; the largest factory " +
               (tenant.sites.empty() ? std::string("") : "tenant '" + tenant.name + "' may use ") +
               "has " + std::to_string(tenant_max_chips_[d.tenant]);
    unschedulable_.push_back(std::move(u));
    emit(j, JobOutcome::Unschedulable, std::nullopt);
  } else {
    const std::uint32_t slot = jobs_.add(j);
    queue_length_.add(now_, 1);
    scheduler_->enqueue(slot, *this);
  }
  schedule_next_arrival(source);
}

void Engine::start(std::uint32_t slot, std::uint32_t f) {
  ActiveJob& j = jobs_[slot];
  FactoryPool& pool = pools_.at(f);
  const std::uint32_t nodes = pool.nodes_for(j.chips);
  if (!jobs_.live(slot) || j.state != JobState::Queued || !pool.online() || !may_use(j.tenant, f) ||
      pool.free_nodes() < nodes)
    throw std::logic_error("policy made an invalid start decision");
  pool.allocate(nodes);
  j.state = JobState::Running;
  j.start = now_;
  j.factory = static_cast<std::uint16_t>(f);
  j.nodes = nodes;
  FactoryMetrics& fm = factory_metrics_[f];
  fm.busy_chips.add(now_, static_cast<std::int64_t>(nodes) * pool.spec().node_size);
  fm.requested_chips.add(now_, j.chips);
  ++fm.jobs_started;
  if (track_releases_) releases_[f].add(now_ + j.estimate, slot, nodes);
  const std::int64_t held = static_cast<std::int64_t>(nodes) * pool.spec().node_size;
  tenant_held_chips_[j.tenant] += held;
  tenant_metrics_[j.tenant].busy_chips.add(now_, held);
  queue_length_.add(now_, -1);
  running_jobs_.add(now_, 1);
  TenantMetrics& tm = tenant_metrics_[j.tenant];
  ++tm.jobs.started;
  if (measured(j)) tm.wait_s.add((now_ - j.submit).seconds_f());
  events_.push(now_ + j.run, EventKind::JobEnd, slot);
}

void Engine::on_end(std::uint32_t slot) {
  const ActiveJob j = jobs_[slot];
  FactoryPool& pool = pools_[j.factory];
  pool.release(j.nodes);
  FactoryMetrics& fm = factory_metrics_[j.factory];
  fm.busy_chips.add(now_, -static_cast<std::int64_t>(j.nodes) * pool.spec().node_size);
  fm.requested_chips.add(now_, -static_cast<std::int64_t>(j.chips));
  if (track_releases_) releases_[j.factory].remove(j.start + j.estimate, slot);
  const std::int64_t held = static_cast<std::int64_t>(j.nodes) * pool.spec().node_size;
  tenant_held_chips_[j.tenant] -= held;
  tenant_metrics_[j.tenant].busy_chips.add(now_, -held);
  running_jobs_.add(now_, -1);
  TenantMetrics& tm = tenant_metrics_[j.tenant];
  ++tm.jobs.completed;
  if (now_ >= warmup_start_) ++completions_in_window_;
  if (measured(j)) {
    const Duration jct = now_ - j.submit;
    tm.jct_s.add(jct.seconds_f());
    tm.slowdown.add(std::max(1.0, jct.seconds_f() / std::max(j.run, kSlowdownFloor).seconds_f()));
  }
  emit(j, JobOutcome::Completed, now_);
  jobs_.remove(slot);
}

void Engine::on_online(std::uint32_t f) {
  pools_[f].bring_online();
  factory_metrics_[f].installed_chips.set(now_, pools_[f].spec().chips);
}

void Engine::emit(const ActiveJob& j, JobOutcome outcome, std::optional<SimTime> end) {
  if (!sink_) return;
  JobRecord r;
  r.id = j.id;
  r.label = sources_[j.source]->label(j.row);
  r.tenant = sc_.tenants[j.tenant].name;
  r.submit = j.submit;
  if (outcome == JobOutcome::Completed || outcome == JobOutcome::Running) {
    r.start = j.start;
    r.factory = sc_.factories[j.factory].name;
  }
  r.end = end;
  r.chips = j.chips;
  r.outcome = outcome;
  sink_->record(r);
}

RunResult Engine::run() {
  for (std::uint32_t f = 0; f < pools_.size(); ++f)
    events_.push_ordered(std::max(sc_.factories[f].online, SimTime::zero()), EventKind::FactoryOnline,
                         f, f);
  pending_.resize(sc_.workload.size());
  for (std::size_t i = 0; i < sc_.workload.size(); ++i) {
    sources_.push_back(make_job_source(sc_.workload[i], i, seed_));
    estimate_rngs_.push_back(make_stream(seed_, "workload/" + std::to_string(i) + "/estimate"));
  }
  for (std::uint32_t i = 0; i < sources_.size(); ++i) schedule_next_arrival(i);

  bool stopped = false;
  while (!events_.empty() && !stopped) {
    const SimTime t = events_.top().time;
    if (horizon_ && t > *horizon_) break;
    now_ = t;
    while (!events_.empty() && events_.top().time == t) {
      if (horizon_ && t == *horizon_ && events_.top().kind != EventKind::JobEnd) {
        stopped = true;  // at the horizon only completions count
        break;
      }
      const Event e = events_.pop();
      ++event_count_;
      switch (e.kind) {
        case EventKind::JobEnd: on_end(e.index); break;
        case EventKind::FactoryOnline: on_online(e.index); break;
        case EventKind::JobArrival: on_arrival(e.index); break;
      }
    }
    if (horizon_ && t == *horizon_) break;
    scheduler_->schedule(*this);
  }
  if (horizon_) now_ = *horizon_;

  RunResult r;
  finish(r);
  return r;
}

void Engine::finish(RunResult& r) {
  const SimTime end = now_;
  r.scenario = sc_.name;
  r.seed = seed_;
  r.scenario_hash = sc_.content_hash;
  r.end_s = end.seconds_f();
  r.warmup_s = sc_.warmup.seconds_f();
  const double window_ms = static_cast<double>(std::max<std::int64_t>(0, (end - warmup_start_).ms()));
  r.window_s = window_ms / 1000.0;
  r.events = event_count_;

  // Jobs still active at the end, reported in arrival order.
  std::vector<std::uint32_t> active;
  for (std::uint32_t s = 0; s < jobs_.capacity(); ++s)
    if (jobs_.live(s)) active.push_back(s);
  std::sort(active.begin(), active.end(), [&](auto a, auto b) { return jobs_[a].id < jobs_[b].id; });
  for (auto s : active) {
    const ActiveJob& j = jobs_[s];
    auto& counts = tenant_metrics_[j.tenant].jobs;
    if (j.state == JobState::Queued) {
      ++counts.queued_at_end;
      emit(j, JobOutcome::Queued, std::nullopt);
    } else {
      ++counts.running_at_end;
      emit(j, JobOutcome::Running, std::nullopt);
    }
  }

  double installed_ms = 0, busy_ms = 0, requested_ms = 0;
  for (std::size_t f = 0; f < pools_.size(); ++f) {
    FactoryMetrics& fm = factory_metrics_[f];
    const auto& spec = sc_.factories[f];
    FactoryResult fr;
    fr.name = spec.name;
    fr.chip = spec.chip.name;
    fr.chips = spec.chips;
    fr.node_size = spec.node_size;
    fr.online_s = std::max(spec.online, SimTime::zero()).seconds_f();
    const auto inst = static_cast<double>(fm.installed_chips.area_until(end));
    const auto busy = static_cast<double>(fm.busy_chips.area_until(end));
    installed_ms += inst;
    busy_ms += busy;
    requested_ms += static_cast<double>(fm.requested_chips.area_until(end));
    fr.installed_chip_hours = inst / kMsPerHour;
    fr.busy_chip_hours = busy / kMsPerHour;
    fr.utilisation = inst > 0 ? busy / inst : 0.0;
    fr.jobs_started = fm.jobs_started;
    r.factories.push_back(fr);
  }
  r.installed_chip_hours = installed_ms / kMsPerHour;
  r.busy_chip_hours = busy_ms / kMsPerHour;
  r.requested_chip_hours = requested_ms / kMsPerHour;
  r.utilisation = installed_ms > 0 ? busy_ms / installed_ms : 0.0;
  r.utilisation_requested = installed_ms > 0 ? requested_ms / installed_ms : 0.0;

  SampleSet all_wait, all_jct, all_slowdown;
  for (std::size_t t = 0; t < tenant_metrics_.size(); ++t) {
    TenantMetrics& tm = tenant_metrics_[t];
    tm.jobs.unfinished = tm.jobs.queued_at_end + tm.jobs.running_at_end;
    all_wait.append(tm.wait_s);
    all_jct.append(tm.jct_s);
    all_slowdown.append(tm.slowdown);
    TenantResult tr;
    tr.name = sc_.tenants[t].name;
    tr.share = sc_.tenants[t].share;
    tr.busy_chip_hours = static_cast<double>(tm.busy_chips.area_until(end)) / kMsPerHour;
    tr.jobs = tm.jobs;
    tr.wait_s = tm.wait_s.summarize();
    tr.jct_s = tm.jct_s.summarize();
    tr.bounded_slowdown = tm.slowdown.summarize();
    r.tenants.push_back(tr);

    JobCounts& c = r.jobs;
    c.submitted += tm.jobs.submitted;
    c.measured += tm.jobs.measured;
    c.started += tm.jobs.started;
    c.completed += tm.jobs.completed;
    c.unfinished += tm.jobs.unfinished;
    c.queued_at_end += tm.jobs.queued_at_end;
    c.running_at_end += tm.jobs.running_at_end;
    c.unschedulable += tm.jobs.unschedulable;
  }
  r.wait_s = all_wait.summarize();
  r.jct_s = all_jct.summarize();
  r.bounded_slowdown = all_slowdown.summarize();

  if (window_ms > 0) {
    const double days = window_ms / kMsPerDay;
    r.jobs_per_day = static_cast<double>(completions_in_window_) / days;
    r.arrivals_per_day = static_cast<double>(r.jobs.measured) / days;
    r.mean_queue_length = static_cast<double>(queue_length_.area_until(end)) / window_ms;
    r.mean_running_jobs = static_cast<double>(running_jobs_.area_until(end)) / window_ms;
  }
  r.unschedulable = std::move(unschedulable_);
}

}  // namespace

RunResult simulate(const Scenario& scenario, const SimulationOptions& options) {
  Engine engine(scenario, options);
  return engine.run();
}

}  // namespace gigasim
