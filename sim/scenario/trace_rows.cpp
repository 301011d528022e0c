#include "trace_rows.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/error.hpp"

namespace gigasim::detail {

bool TraceLines::next(std::string_view& line) {
  if (pos_ >= content_.size()) return false;
  std::size_t end = content_.find('\n', pos_);
  if (end == std::string::npos) end = content_.size();
  ++line_no_;
  if (end - pos_ > max_)
    throw InputError(where() + "line is longer than " + std::to_string(max_) +
                     " bytes: not a job record (raise it with --limit trace_line_bytes=BYTES)");
  line = std::string_view(content_.data() + pos_, end - pos_);
  pos_ = end + 1;
  return true;
}

void reject_row(const TraceOptions& opt, const std::string& where, const std::string& problem, TraceLoad& out) {
  constexpr std::size_t kSkippedShown = 20;
  if (!opt.skip_bad_rows) throw InputError(where + problem);
  ++out.skipped_rows;
  if (out.skipped.size() < kSkippedShown) out.skipped.push_back(where + problem);
}

namespace {
// A stable sort of large elements by a key: sorts (key, index) pairs, then moves each element
// once into place -- ~4x faster than std::stable_sort moving 100-byte rows at every merge.
template <typename T, typename KeyOf>
void sort_stably(std::vector<T>& v, KeyOf key_of) {
  using Key = decltype(key_of(v.front()));
  std::vector<std::pair<Key, std::uint32_t>> keys(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) keys[i] = {key_of(v[i]), static_cast<std::uint32_t>(i)};
  std::sort(keys.begin(), keys.end());  // (key, index): ties keep their original order
  std::vector<T> sorted;
  sorted.reserve(v.size());
  for (const auto& k : keys) sorted.push_back(std::move(v[k.second]));
  v = std::move(sorted);
}
}  // namespace

void finish_trace(std::vector<TraceRow>&& rows, bool rebase, const TraceOptions& opt, const std::string& name,
                  const std::string& chips_label, TraceLoad& out) {
  std::size_t line_no = 0;
  auto fail = [&](const std::string& msg) -> void {
    throw InputError(name + ":" + std::to_string(line_no) + ": " + msg);
  };
  // Time: rebase, scale, shift. Stable sort by the raw submit keeps file order for ties. Most
  // traces are in order already (one pass tells); others sort 16-byte keys, not the rows.
  const auto earlier = [](const TraceRow& a, const TraceRow& b) { return a.submit_s < b.submit_s; };
  if (!std::is_sorted(rows.begin(), rows.end(), earlier)) sort_stably(rows, [](const TraceRow& r) { return r.submit_s; });
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
  // Rebase, scale and shift keep the order; only overlapping repeat copies need a sort. Copy 0
  // is moved in (its ids are not copied); copies 1.. follow, then a stable sort if they overlap.
  std::vector<JobEntry> copies;
  copies.reserve(jobs.size() * (opt.repeat - 1));
  for (std::uint32_t copy = 1; copy < opt.repeat; ++copy) {
    const Duration offset = Duration::millis(opt.repeat_shift.ms() * static_cast<std::int64_t>(copy));
    for (const JobEntry& e : jobs) {
      JobEntry c = e;
      c.submit = c.submit + offset;
      if (!c.id.empty()) c.id.append(1, '#').append(std::to_string(copy));
      copies.push_back(std::move(c));
    }
  }
  std::vector<JobEntry>& table = out.table.jobs;
  table = std::move(jobs);
  table.insert(table.end(), std::make_move_iterator(copies.begin()), std::make_move_iterator(copies.end()));
  const auto earlier_job = [](const JobEntry& a, const JobEntry& b) { return a.submit < b.submit; };
  if (!std::is_sorted(table.begin(), table.end(), earlier_job)) sort_stably(table, [](const JobEntry& e) { return e.submit.ms(); });
}

}  // namespace gigasim::detail
