// Ending a run: the active jobs' last attempts are closed, then the observers fill the result
// (definitions: docs/metrics.md).
#include <algorithm>

#include "engine.hpp"

namespace gigasim::detail {

RunResult Engine::finish() {
  if (!begun_) begin();
  done_ = true;
  // A run ends at its horizon, unless the caller stopped it earlier (then: at the last instant).
  if (horizon_ && !stopped_) now_ = std::max(now_, *horizon_);
  const SimTime end = now_;
  RunResult r;
  r.scenario = sc_.name;
  r.start_date = sc_.start_date;
  r.seed = seed_;
  r.scenario_hash = sc_.content_hash;
  r.end_s = end.seconds_f();
  r.warmup_s = sc_.warmup.seconds_f();
  r.window_s = static_cast<double>(std::max<std::int64_t>(0, (end - warmup_start_).ms())) / 1000.0;
  r.events = event_count_;

  // Jobs still active at the end, in arrival order. A running job's work since its last
  // checkpoint is not lost (yet): it counts as useful.
  // Sorted as (id, slot) pairs: comparing through the job table missed the cache at every step
  // (a quarter of an overloaded 10^6-job year's run time went to this sort).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> active;
  for (std::uint32_t s = 0; s < jobs_.capacity(); ++s)
    if (jobs_.live(s)) active.emplace_back(jobs_[s].id, s);
  std::sort(active.begin(), active.end());
  for (const auto& [id, s] : active) {
    const ActiveJob& j = jobs_[s];
    if (j.state == JobState::Running) end_attempt(s, end, work_done_by(plan_of(j), end - j.start));
    publish<EventBit::JobActiveAtEnd>([&](auto& o) { o.job_active_at_end(j); });
  }
  publish<EventBit::RunEnded>([&](auto& o) { o.run_ended(r); });
  return r;
}

}  // namespace gigasim::detail
