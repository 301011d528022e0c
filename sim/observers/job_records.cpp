#include "gigasim/observers/job_records.hpp"

namespace gigasim {

void JobRecordsObserver::job_rejected(const ActiveJob& j, const UnschedulableJob& u) {
  emit(j, JobOutcome::Unschedulable, std::nullopt, u.reason);
}

void JobRecordsObserver::job_completed(const ActiveJob& j) { emit(j, JobOutcome::Completed, view_->now()); }

void JobRecordsObserver::job_active_at_end(const ActiveJob& j) {
  emit(j, j.state == JobState::Queued ? JobOutcome::Queued : JobOutcome::Running, std::nullopt);
}

void JobRecordsObserver::emit(const ActiveJob& j, JobOutcome outcome, std::optional<SimTime> end,
                              std::string_view reason) {
  const Scenario& sc = view_->scenario();
  JobRecord r;
  r.id = j.id;
  r.label = view_->label(j);
  r.tenant = sc.tenants[j.tenant].name;
  r.submit = j.submit;
  if (outcome == JobOutcome::Completed || outcome == JobOutcome::Running) {
    r.start = j.first_start;
    r.factory = sc.factories[j.factory].name;
  } else if (outcome == JobOutcome::Queued && j.restarting) {
    r.start = j.first_start;  // started, was interrupted, waits again
  }
  r.end = end;
  r.chips = j.elastic() ? j.min_chips : j.chips;  // what it asked for: an elastic job's minimum
  r.outcome = outcome;
  r.interruptions = j.interruptions;
  r.reason = reason;
  const WorkloadSpec& w = sc.workload[j.source];
  r.source = w.label;
  if (const auto* g = std::get_if<GeneratorSpec>(&w.source); g && j.job_class < g->classes.size())
    r.job_class = g->classes[j.job_class].name;
  r.flops = j.flops;
  sink_.record(r);
}

}  // namespace gigasim
