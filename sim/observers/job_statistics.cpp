#include "gigasim/observers/job_statistics.hpp"

#include <algorithm>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
constexpr double kMsPerDay = 8.64e7;
}  // namespace

JobStatisticsObserver::JobStatisticsObserver(const RunView& view, bool wait_distribution)
    : view_(&view),
      warmup_start_(view.warmup_start()),
      wait_distribution_(wait_distribution),
      wait_s_(view.scenario().tenants.size(), view.scenario().workload.size()),
      jct_s_(wait_s_),
      slowdown_(wait_s_),
      queue_length_(warmup_start_),
      running_jobs_(warmup_start_) {
  tenants_.assign(view.scenario().tenants.size(), Group(warmup_start_));
  has_elastic_ = has_elastic_jobs(view.scenario());
  if (view.scenario().workload.size() > 1) sources_.assign(view.scenario().workload.size(), Group(warmup_start_));
}

std::int64_t JobStatisticsObserver::held_chips(const ActiveJob& j) const {
  return static_cast<std::int64_t>(j.nodes) * view_->node_size(j.factory);
}

void JobStatisticsObserver::job_submitted(const ActiveJob& j) {
  const bool in_window = measured(j);
  each_group(j, [&](Group& g) {
    ++g.jobs.submitted;
    if (in_window) ++g.jobs.measured;
  });
}

void JobStatisticsObserver::job_rejected(const ActiveJob& j, const UnschedulableJob& u) {
  each_group(j, [](Group& g) { ++g.jobs.unschedulable; });
  ++unschedulable_by_kind_[u.kind];
  // A spent allocation can reject millions of jobs: the list keeps the first (the per-job CSV
  // has every one), the counts by kind are whole.
  if (unschedulable_.size() < kUnschedulableListed) unschedulable_.push_back(u);
}

void JobStatisticsObserver::job_queued(const ActiveJob&, bool again) {
  queue_length_.add(view_->now(), 1);
  if (again) running_jobs_.add(view_->now(), -1);
}

void JobStatisticsObserver::job_started(const ActiveJob& j, bool first) {
  const SimTime now = view_->now();
  const std::int64_t chips = held_chips(j);
  const bool in_window = measured(j);
  each_group(j, [&](Group& g) {
    if (first) ++g.jobs.started;
    g.busy_chips.add(now, chips);
  });
  // The wait statistics: to the first start, not after a failure or a preemption.
  if (first && in_window) wait_s_.add((now - j.submit).seconds_f(), j.tenant, j.source);
  if (first && j.elastic()) ++elastic_.started;
  queue_length_.add(now, -1);
  running_jobs_.add(now, 1);
}

void JobStatisticsObserver::job_interrupted(const ActiveJob&) {
  if (view_->now() >= warmup_start_) ++interruptions_in_window_;
}

// A requeued job is counted out of the running jobs when it queues again (job_queued).
void JobStatisticsObserver::job_released(const ActiveJob& j) {
  const std::int64_t chips = held_chips(j);
  each_group(j, [&](Group& g) { g.busy_chips.add(view_->now(), -chips); });
}

void JobStatisticsObserver::job_resized(const ActiveJob& j, const Resize& r) {
  const std::int64_t delta = (static_cast<std::int64_t>(j.nodes) - r.old_nodes) * view_->node_size(j.factory);
  each_group(j, [&](Group& g) { g.busy_chips.add(view_->now(), delta); });
  if (!r.at_start) ++(j.nodes > r.old_nodes ? elastic_.grown : elastic_.shrunk);
}

void JobStatisticsObserver::job_completed(const ActiveJob& j) {
  const SimTime now = view_->now();
  running_jobs_.add(now, -1);
  const bool in_window = measured(j);
  const Duration jct = now - j.submit;
  const double slowdown = std::max(1.0, jct.seconds_f() / std::max(j.nominal_run, kSlowdownFloor).seconds_f());
  each_group(j, [&](Group& g) { ++g.jobs.completed; });
  if (now >= warmup_start_) ++completions_in_window_;
  if (!in_window) return;
  jct_s_.add(jct.seconds_f(), j.tenant, j.source);
  slowdown_.add(slowdown, j.tenant, j.source);
  // Effective training time ratio: the job's useful work / its wall time since first start.
  const Duration span = now - j.first_start;
  const double ettr =
      static_cast<double>(j.useful_time.ms()) / static_cast<double>(std::max<std::int64_t>(span.ms(), 1));
  ettr_.add(ettr);
  if (j.chips >= kLargeJobChips) {
    ettr_large_.add(ettr);
    jct_large_.add(jct.seconds_f());
  }
}

void JobStatisticsObserver::job_active_at_end(const ActiveJob& j) {
  const bool queued = j.state == JobState::Queued;
  each_group(j, [&](Group& g) { ++(queued ? g.jobs.queued_at_end : g.jobs.running_at_end); });
}

// With one source its figures are the run's.
void JobStatisticsObserver::list_sources(RunResult& r, SimTime end, const GroupedSamples::Summaries& wait,
                                         const GroupedSamples::Summaries& jct,
                                         const GroupedSamples::Summaries& slowdown) {
  const auto& workload = view_->scenario().workload;
  for (std::size_t i = 0; i < workload.size(); ++i) {
    SourceResult sr;
    sr.name = workload[i].label;
    if (sources_.empty()) {
      sr.jobs = r.jobs;
      for (const TenantResult& t : r.tenants) sr.busy_chip_hours += t.busy_chip_hours;
      sr.wait_s = r.wait_s;
      sr.jct_s = r.jct_s;
      sr.bounded_slowdown = r.bounded_slowdown;
    } else {
      Group& g = sources_[i];
      g.jobs.unfinished = g.jobs.queued_at_end + g.jobs.running_at_end;
      sr.jobs = g.jobs;
      sr.busy_chip_hours = static_cast<double>(g.busy_chips.area_until(end)) / kMsPerHour;
      sr.wait_s = wait.sources[i];
      sr.jct_s = jct.sources[i];
      sr.bounded_slowdown = slowdown.sources[i];
    }
    r.sources.push_back(std::move(sr));
  }
}

void JobStatisticsObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  const auto& specs = view_->scenario().tenants;
  const double window_ms = static_cast<double>(std::max<std::int64_t>(0, (end - warmup_start_).ms()));
  // One metric at a time, each consumed as it is summarised: the peak is one metric's values.
  const GroupedSamples::Summaries wait = wait_s_.summarize(wait_distribution_ ? 200 : 0);
  wait_s_ = GroupedSamples(0, 0);
  const GroupedSamples::Summaries jct = jct_s_.summarize(0);
  jct_s_ = GroupedSamples(0, 0);
  const GroupedSamples::Summaries slowdown = slowdown_.summarize(0);
  slowdown_ = GroupedSamples(0, 0);
  for (std::size_t i = 0; i < tenants_.size(); ++i) {
    Group& t = tenants_[i];
    t.jobs.unfinished = t.jobs.queued_at_end + t.jobs.running_at_end;
    TenantResult tr;
    tr.name = specs[i].name;
    tr.share = specs[i].share;
    tr.busy_chip_hours = static_cast<double>(t.busy_chips.area_until(end)) / kMsPerHour;
    tr.jobs = t.jobs;
    tr.wait_s = wait.tenants[i];
    if (wait_distribution_) tr.wait_cdf = wait.tenant_cdfs[i];
    tr.jct_s = jct.tenants[i];
    tr.bounded_slowdown = slowdown.tenants[i];
    r.tenants.push_back(tr);
    r.jobs += t.jobs;
  }
  r.wait_s = wait.all;
  r.jct_s = jct.all;
  r.bounded_slowdown = slowdown.all;
  list_sources(r, end, wait, jct, slowdown);
  r.ettr = ettr_.summarize();
  r.ettr_large = ettr_large_.summarize();
  r.jct_large_s = jct_large_.summarize();
  r.interruptions.in_window = interruptions_in_window_;
  r.preemptions = preemptions_;
  if (has_elastic_) r.elastic = elastic_;
  if (window_ms > 0) {
    const double days = window_ms / kMsPerDay;
    r.jobs_per_day = static_cast<double>(completions_in_window_) / days;
    r.arrivals_per_day = static_cast<double>(r.jobs.measured) / days;
    r.interruptions.per_day = static_cast<double>(interruptions_in_window_) / days;
    r.mean_queue_length = static_cast<double>(queue_length_.area_until(end)) / window_ms;
    r.mean_running_jobs = static_cast<double>(running_jobs_.area_until(end)) / window_ms;
  }
  r.unschedulable = unschedulable_;
  r.unschedulable_by_kind = unschedulable_by_kind_;
}

}  // namespace gigasim
