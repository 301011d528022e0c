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
      queue_length_(warmup_start_),
      running_jobs_(warmup_start_) {
  tenants_.assign(view.scenario().tenants.size(), PerTenant(warmup_start_));
}

std::int64_t JobStatisticsObserver::held_chips(const ActiveJob& j) const {
  return static_cast<std::int64_t>(j.nodes) * view_->node_size(j.factory);
}

void JobStatisticsObserver::job_submitted(const ActiveJob& j) {
  PerTenant& t = tenants_[j.tenant];
  ++t.jobs.submitted;
  if (measured(j)) ++t.jobs.measured;
}

void JobStatisticsObserver::job_rejected(const ActiveJob& j, const UnschedulableJob& u) {
  ++tenants_[j.tenant].jobs.unschedulable;
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
  PerTenant& t = tenants_[j.tenant];
  const SimTime now = view_->now();
  if (first) {  // the wait statistics: to the first start, not after a failure or a preemption
    ++t.jobs.started;
    if (measured(j)) t.wait_s.add((now - j.submit).seconds_f());
  }
  t.busy_chips.add(now, held_chips(j));
  queue_length_.add(now, -1);
  running_jobs_.add(now, 1);
}

void JobStatisticsObserver::job_interrupted(const ActiveJob&) {
  if (view_->now() >= warmup_start_) ++interruptions_in_window_;
}

// A requeued job is counted out of the running jobs when it queues again (job_queued).
void JobStatisticsObserver::job_released(const ActiveJob& j) {
  tenants_[j.tenant].busy_chips.add(view_->now(), -held_chips(j));
}

void JobStatisticsObserver::job_completed(const ActiveJob& j) {
  const SimTime now = view_->now();
  PerTenant& t = tenants_[j.tenant];
  running_jobs_.add(now, -1);
  ++t.jobs.completed;
  if (now >= warmup_start_) ++completions_in_window_;
  if (!measured(j)) return;
  const Duration jct = now - j.submit;
  t.jct_s.add(jct.seconds_f());
  t.slowdown.add(std::max(1.0, jct.seconds_f() / std::max(j.nominal_run, kSlowdownFloor).seconds_f()));
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
  auto& counts = tenants_[j.tenant].jobs;
  if (j.state == JobState::Queued) ++counts.queued_at_end;
  else ++counts.running_at_end;
}

void JobStatisticsObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  const auto& specs = view_->scenario().tenants;
  const double window_ms = static_cast<double>(std::max<std::int64_t>(0, (end - warmup_start_).ms()));
  // The run's samples are the tenants' ones end to end. When only one tenant has any (a
  // single-tenant run), its summary is the run's, computed once: the same values in the same
  // order, so the same figures, without copying and selecting 10^6 values a second time.
  SampleSet all_wait, all_jct, all_slowdown;
  const PerTenant* only = nullptr;
  std::size_t with_samples = 0;
  for (const PerTenant& t : tenants_)
    if (t.wait_s.size() + t.jct_s.size() + t.slowdown.size() > 0) ++with_samples, only = &t;
  for (std::size_t i = 0; i < tenants_.size(); ++i) {
    PerTenant& t = tenants_[i];
    t.jobs.unfinished = t.jobs.queued_at_end + t.jobs.running_at_end;
    if (with_samples > 1) {
      all_wait.append(t.wait_s);
      all_jct.append(t.jct_s);
      all_slowdown.append(t.slowdown);
    }
    TenantResult tr;
    tr.name = specs[i].name;
    tr.share = specs[i].share;
    tr.busy_chip_hours = static_cast<double>(t.busy_chips.area_until(end)) / kMsPerHour;
    tr.jobs = t.jobs;
    tr.wait_s = t.wait_s.summarize();
    if (wait_distribution_) tr.wait_cdf = t.wait_s.cdf(200);
    tr.jct_s = t.jct_s.summarize();
    tr.bounded_slowdown = t.slowdown.summarize();
    r.tenants.push_back(tr);

    JobCounts& c = r.jobs;
    c.submitted += t.jobs.submitted;
    c.measured += t.jobs.measured;
    c.started += t.jobs.started;
    c.completed += t.jobs.completed;
    c.unfinished += t.jobs.unfinished;
    c.queued_at_end += t.jobs.queued_at_end;
    c.running_at_end += t.jobs.running_at_end;
    c.unschedulable += t.jobs.unschedulable;
  }
  if (with_samples == 1) {
    const TenantResult& tr = r.tenants[static_cast<std::size_t>(only - tenants_.data())];
    r.wait_s = tr.wait_s;
    r.jct_s = tr.jct_s;
    r.bounded_slowdown = tr.bounded_slowdown;
  } else {
    r.wait_s = all_wait.summarize();
    r.jct_s = all_jct.summarize();
    r.bounded_slowdown = all_slowdown.summarize();
  }
  r.ettr = ettr_.summarize();
  r.ettr_large = ettr_large_.summarize();
  r.jct_large_s = jct_large_.summarize();
  r.interruptions.in_window = interruptions_in_window_;
  r.preemptions = preemptions_;
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
