#include "trace_rows.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/error.hpp"

namespace gigasim::detail {

void finish_trace(std::vector<TraceRow>&& rows, bool rebase, const TraceOptions& opt, const std::string& name,
                  const std::string& chips_label, TraceLoad& out) {
  std::size_t line_no = 0;
  auto fail = [&](const std::string& msg) -> void {
    throw InputError(name + ":" + std::to_string(line_no) + ": " + msg);
  };
  // Time: rebase, scale, shift. Stable sort by the raw submit keeps file order for ties.
  std::stable_sort(rows.begin(), rows.end(), [](const TraceRow& a, const TraceRow& b) { return a.submit_s < b.submit_s; });
  const double base = rebase && !rows.empty() ? rows.front().submit_s : 0.0;
  const std::uint64_t kept = (rows.size() + opt.every - 1) / opt.every;
  if (kept * opt.repeat > opt.max_jobs)
    throw InputError(name + ": " + std::to_string(kept) + " jobs x repeat " + std::to_string(opt.repeat) +
                     " would exceed the limit of " + std::to_string(opt.max_jobs) +
                     " trace jobs per scenario (raise it with --limit trace_jobs=N)");
  std::vector<JobEntry> jobs;
  jobs.reserve(kept);
  const double last_copy_s = opt.repeat_shift.seconds_f() * (opt.repeat - 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i % opt.every != 0) continue;
    JobEntry e = std::move(rows[i].entry);
    line_no = rows[i].line;
    const double t = (rows[i].submit_s - base) * opt.time_scale + opt.shift.seconds_f();
    if (t < 0 || t > kMaxDurationSeconds)
      fail("submit time out of range after rebase/scale/shift (" + std::to_string(t) + " s)");
    if (t + last_copy_s > kMaxDurationSeconds)
      fail("the last `repeat` copy of this job would be submitted after 10^12 s (~31,700 years): "
           "use fewer copies or a shorter repeat.shift");
    e.submit = SimTime::zero() + Duration::from_seconds(t);
    const double chips = std::ceil(e.chips * opt.chip_scale - 1e-9);
    if (chips < 1)
      fail(chips_label + ": " + std::to_string(e.chips) + " chips x chip_scale " +
           fmt::format("{:g}", opt.chip_scale) + " rounds to 0 chips (a job needs at least 1)");
    e.chips = static_cast<std::uint32_t>(std::min(chips, 4294967295.0));
    jobs.push_back(std::move(e));
  }
  rows = {};  // the raw rows are no longer needed: free them before the copies are made
  out.table.jobs.reserve(jobs.size() * opt.repeat);
  for (std::uint32_t copy = 0; copy < opt.repeat; ++copy) {
    const Duration offset = Duration::millis(opt.repeat_shift.ms() * static_cast<std::int64_t>(copy));
    for (const JobEntry& e : jobs) {
      JobEntry c = e;
      c.submit = c.submit + offset;
      if (copy > 0 && !c.id.empty()) c.id.append(1, '#').append(std::to_string(copy));
      out.table.jobs.push_back(std::move(c));
    }
  }
  std::stable_sort(out.table.jobs.begin(), out.table.jobs.end(),
                   [](const JobEntry& a, const JobEntry& b) { return a.submit < b.submit; });
}

}  // namespace gigasim::detail
