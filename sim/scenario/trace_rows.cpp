// Loading a trace once, then replaying it: streamed from its file, or held compactly.
#include "trace_rows.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/error.hpp"

namespace gigasim::detail {

void reject_row(const TraceOptions& opt, const std::string& where, const std::string& problem, TraceLoad& out) {
  constexpr std::size_t kSkippedShown = 20;
  if (!opt.skip_bad_rows) throw InputError(where + problem);
  ++out.skipped_rows;
  if (out.skipped.size() < kSkippedShown) out.skipped.push_back(where + problem);
}

namespace {

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

/// The transformations, fixed once the whole trace has been read (its earliest submit time).
struct Transform {
  double base_s = 0, time_scale = 1, shift_s = 0, chip_scale = 1;
  std::int64_t repeat_shift_ms = 0;
  std::uint64_t every = 1;
  std::uint32_t repeat = 1;

  double time_s(double submit_s) const { return (submit_s - base_s) * time_scale + shift_s; }
  TraceJob apply(double submit_s, TraceJob j, std::uint32_t copy) const {
    j.submit = SimTime::zero() + Duration::from_seconds(time_s(submit_s)) +
               Duration::millis(repeat_shift_ms * static_cast<std::int64_t>(copy));
    j.chips = scaled_chips(j.chips);
    return j;
  }
  std::uint32_t scaled_chips(std::uint32_t chips) const {
    if (chip_scale == 1) return chips;
    return static_cast<std::uint32_t>(std::min(std::ceil(chips * chip_scale - 1e-9), 4294967295.0));
  }
};

void append_copy_suffix(std::string& id, std::uint32_t copy) {
  if (copy > 0 && !id.empty()) id.append(1, '#').append(std::to_string(copy));
}

std::string changed(const std::string& name) {
  return "trace file '" + name + "' changed since the scenario was loaded: load it again";
}

// ---- streamed from the file --------------------------------------------------------------

struct StreamFacts {
  std::filesystem::path file;
  FileIdentity identity;
  std::uint64_t max_line_bytes = 0, max_bytes = 0;
  std::uint64_t rows = 0;  // rows read (before sample_every), per copy
  Transform transform;
};

class StreamCursor final : public TraceCursor {
 public:
  StreamCursor(const StreamFacts& facts, const RowParser& parser)
      : facts_(facts), fresh_(parser), parser_(parser.clone()),
        lines_(std::make_unique<LineReader>(facts.file, facts.max_line_bytes, facts.max_bytes)) {
    if (!(lines_->identity() == facts_.identity)) throw InputError(changed(lines_->name()));
  }
  StreamCursor(const StreamCursor& o)
      : facts_(o.facts_), fresh_(o.fresh_), parser_(o.parser_->clone()),
        lines_(std::make_unique<LineReader>(o.facts_.file, o.facts_.max_line_bytes, o.facts_.max_bytes)),
        row_(o.row_), copy_(o.copy_), last_submit_s_(o.last_submit_s_) {
    if (!(lines_->identity() == facts_.identity)) throw InputError(changed(lines_->name()));
    lines_->seek(o.lines_->offset(), o.lines_->number());
  }

  bool next(TraceJob& job, std::string& id) override {
    std::string_view line;
    while (true) {
      if (!lines_->next(line)) {
        if (row_ != facts_.rows) throw InputError(changed(lines_->name()));
        if (++copy_ >= facts_.transform.repeat) return false;
        lines_->seek(0, 0);  // the next copy reads the file again, from its header
        parser_ = fresh_.clone();
        row_ = 0;
        last_submit_s_ = -HUGE_VAL;
        continue;
      }
      if (blank(line)) continue;
      const RowParser::Kind kind = parser_->parse(line, *lines_, scratch_, problem_, counts_);
      if (kind != RowParser::Kind::Row) continue;  // bad rows were reported (or refused) at load
      // The load found the file sorted: anything else means it was rewritten since.
      if (scratch_.submit_s < last_submit_s_ || row_ >= facts_.rows) throw InputError(changed(lines_->name()));
      last_submit_s_ = scratch_.submit_s;
      if (row_++ % facts_.transform.every != 0) continue;
      job = facts_.transform.apply(scratch_.submit_s, scratch_.job, copy_);
      id = std::move(scratch_.id);
      append_copy_suffix(id, copy_);
      return true;
    }
  }

  std::unique_ptr<TraceCursor> clone() const override { return std::make_unique<StreamCursor>(*this); }

 private:
  const StreamFacts& facts_;
  const RowParser& fresh_;
  std::unique_ptr<RowParser> parser_;
  std::unique_ptr<LineReader> lines_;
  std::uint64_t row_ = 0;
  std::uint32_t copy_ = 0;
  double last_submit_s_ = -HUGE_VAL;
  TraceRow scratch_;
  std::string problem_;
  TraceLoad counts_;
};

class StreamedTable final : public TraceTable {
 public:
  StreamedTable(StreamFacts facts, std::unique_ptr<RowParser> parser, std::uint64_t size)
      : facts_(std::move(facts)), parser_(std::move(parser)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  bool streamed() const override { return true; }
  std::unique_ptr<TraceCursor> open() const override { return std::make_unique<StreamCursor>(facts_, *parser_); }

 private:
  StreamFacts facts_;
  std::unique_ptr<RowParser> parser_;
  std::uint64_t size_;
};

// ---- held in memory ------------------------------------------------------------------------

/// A held row: 48 bytes plus its id in the shared text (the old per-row layout took ~230).
struct HeldJob {
  TraceJob job;
  std::uint32_t id = 0;    // index into the ids (when the trace has ids)
  std::uint32_t copy = 0;  // the repeat copy: its id gets "#copy"
};

class HeldTable final : public TraceTable {
 public:
  std::vector<HeldJob> jobs;
  std::string id_text;                  // every id, one after the other
  std::vector<std::uint64_t> id_end;    // where id k ends in id_text (empty: no ids)

  std::uint64_t size() const override { return jobs.size(); }
  bool streamed() const override { return false; }
  std::unique_ptr<TraceCursor> open() const override;

  void id_of(const HeldJob& h, std::string& out) const {
    out.clear();
    if (id_end.empty()) return;
    const std::uint64_t begin = h.id == 0 ? 0 : id_end[h.id - 1];
    out.assign(id_text, begin, id_end[h.id] - begin);
    append_copy_suffix(out, h.copy);
  }
};

class HeldCursor final : public TraceCursor {
 public:
  explicit HeldCursor(const HeldTable& table) : table_(table) {}
  bool next(TraceJob& job, std::string& id) override {
    if (pos_ >= table_.jobs.size()) return false;
    const HeldJob& h = table_.jobs[pos_++];
    job = h.job;
    table_.id_of(h, id);
    return true;
  }
  std::unique_ptr<TraceCursor> clone() const override { return std::make_unique<HeldCursor>(*this); }

 private:
  const HeldTable& table_;
  std::size_t pos_ = 0;
};

std::unique_ptr<TraceCursor> HeldTable::open() const { return std::make_unique<HeldCursor>(*this); }

// A stable sort of rows by a key: sorts (key, index) pairs, then moves each row once into place.
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

/// What the reading pass learnt of the rows.
struct Scan {
  std::uint64_t rows = 0;
  bool sorted = true;
  double min_s = 0, max_s = 0, last_s = 0;
  std::size_t min_line = 0, max_line = 0;
  std::vector<HeldJob> held;  // when holding: the rows' jobs, submit kept raw in `raw`
  std::vector<double> raw;
  std::string id_text;
  std::vector<std::uint64_t> id_end;
  bool any_id = false;
};

// Reads every line. `hold`: keep the rows (a pipe, or a file found unsorted). `counts` receives
// skipped and dropped rows (a second pass gives a throw-away one: the first counted them).
void scan(LineReader& lines, RowParser& parser, const TraceOptions& opt, const Transform& tf, bool hold,
          Scan& s, TraceLoad& counts) {
  std::string_view line;
  TraceRow row;
  std::string problem;
  while (lines.next(line)) {
    if (blank(line)) continue;
    problem.clear();
    const RowParser::Kind kind = parser.parse(line, lines, row, problem, counts);
    if (kind == RowParser::Kind::Skip) continue;
    if (kind == RowParser::Kind::Bad) {
      reject_row(opt, lines.where(), problem, counts);
      continue;
    }
    if (tf.chip_scale != 1 && tf.scaled_chips(row.job.chips) < 1)
      throw InputError(lines.where() + parser.chips_label() + ": " + std::to_string(row.job.chips) +
                       " chips x chip_scale " + fmt::format("{:g}", opt.chip_scale) +
                       " rounds to 0 chips (a job needs at least 1)");
    if (s.rows == 0 || row.submit_s < s.min_s) s.min_s = row.submit_s, s.min_line = lines.number();
    if (s.rows == 0 || row.submit_s >= s.max_s) s.max_s = row.submit_s, s.max_line = lines.number();
    if (s.rows > 0 && row.submit_s < s.last_s) s.sorted = false;
    s.last_s = row.submit_s;
    ++s.rows;
    if (!hold) continue;
    if (s.rows > 0xffffffffull)
      throw InputError(lines.where() + "more than 2^32-1 rows: split the trace into several sources");
    HeldJob h;
    h.job = row.job;
    s.raw.push_back(row.submit_s);
    if (!row.id.empty()) s.any_id = true;
    s.id_text += row.id;
    s.id_end.push_back(s.id_text.size());
    h.id = static_cast<std::uint32_t>(s.id_end.size() - 1);
    s.held.push_back(h);
  }
  parser.finish(lines);
}

std::shared_ptr<const TraceTable> hold_table(Scan& s, const Transform& tf, const TraceOptions& opt,
                                             const std::string& name) {
  auto table = std::make_shared<HeldTable>();
  // Sort by the raw submit time (ties keep file order), then sample, transform and copy.
  std::vector<std::uint32_t> order(s.held.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!s.sorted) {
    std::vector<std::pair<double, std::uint32_t>> keys(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) keys[i] = {s.raw[i], i};
    std::sort(keys.begin(), keys.end());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = keys[i].second;
  }
  const std::uint64_t kept = (order.size() + tf.every - 1) / tf.every;
  if (kept * tf.repeat > opt.max_jobs)
    throw InputError(name + ": " + std::to_string(kept) + " jobs x repeat " + std::to_string(tf.repeat) +
                     " would exceed the limit of " + std::to_string(opt.max_jobs) +
                     " trace jobs held in memory per scenario (raise it with --limit trace_jobs=N)");
  table->jobs.reserve(kept * tf.repeat);
  for (std::uint32_t copy = 0; copy < tf.repeat; ++copy) {
    for (std::size_t k = 0; k < order.size(); k += tf.every) {
      const std::uint32_t i = order[k];
      HeldJob h = s.held[i];
      h.job = tf.apply(s.raw[i], h.job, copy);
      h.copy = copy;
      table->jobs.push_back(h);
    }
  }
  s.held = {};
  s.raw = {};
  if (s.any_id) {
    table->id_text = std::move(s.id_text);
    table->id_end = std::move(s.id_end);
  }
  // Copies that overlap in time are merged by submit time (ties: earlier copy first).
  const auto earlier = [](const HeldJob& a, const HeldJob& b) { return a.job.submit < b.job.submit; };
  if (!std::is_sorted(table->jobs.begin(), table->jobs.end(), earlier))
    sort_stably(table->jobs, [](const HeldJob& h) { return h.job.submit.ms(); });
  return table;
}

}  // namespace

void load_trace(LineReader& lines, const RowParser& prototype, const TraceOptions& opt,
                const std::optional<std::filesystem::path>& file, TraceLoad& out) {
  Transform tf;
  tf.time_scale = opt.time_scale;
  tf.shift_s = opt.shift.seconds_f();
  tf.chip_scale = opt.chip_scale;
  tf.every = opt.every;
  tf.repeat = opt.repeat;
  tf.repeat_shift_ms = opt.repeat_shift.ms();

  // A regular file is read once without holding anything; a pipe cannot be read twice.
  const bool streamable = file && lines.regular_file();
  std::unique_ptr<RowParser> parser = prototype.clone();
  Scan s;
  scan(lines, *parser, opt, tf, !streamable, s, out);

  const bool rebase = opt.rebase.value_or(parser->rebase_by_default());
  tf.base_s = rebase && s.rows > 0 ? s.min_s : 0.0;
  // Times are monotone in the raw submit time: the earliest and the latest rows bound them all.
  const double last_copy_s = opt.repeat_shift.seconds_f() * (opt.repeat - 1);
  for (const auto& [submit_s, line] : {std::pair{s.min_s, s.min_line}, {s.max_s, s.max_line}}) {
    if (s.rows == 0) break;
    const std::string where = lines.name() + ":" + std::to_string(line) + ": ";
    const double t = tf.time_s(submit_s);
    if (t < 0 || t > kMaxDurationSeconds)
      throw InputError(where + "submit time out of range after rebase/scale/shift (" + std::to_string(t) + " s)");
    if (t + last_copy_s > kMaxDurationSeconds)
      throw InputError(where + "the last `repeat` copy of this job would be submitted after 10^12 s (~31,700 years): "
                               "use fewer copies or a shorter repeat.shift");
  }
  const std::uint64_t kept = (s.rows + tf.every - 1) / tf.every;
  if (kept * tf.repeat > 0xffffffffull)
    throw InputError(lines.name() + ": " + std::to_string(kept) + " jobs x repeat " + std::to_string(tf.repeat) +
                     " is more than 2^32-1 jobs in one source: split the trace");

  // Streamed when the file is sorted and each copy starts after the previous one's last job.
  const bool copies_in_order =
      tf.repeat == 1 || s.rows == 0 ||
      (SimTime::zero() + Duration::from_seconds(tf.time_s(s.min_s)) + Duration::millis(tf.repeat_shift_ms) >=
       SimTime::zero() + Duration::from_seconds(tf.time_s(s.max_s)));
  if (streamable && s.sorted && copies_in_order) {
    StreamFacts facts{*file, lines.identity(), opt.max_line_bytes, opt.max_bytes, s.rows, tf};
    out.table = std::make_shared<StreamedTable>(std::move(facts), prototype.clone(), kept * tf.repeat);
    return;
  }
  if (streamable) {  // read again, holding the rows this time
    LineReader again(*file, opt.max_line_bytes, opt.max_bytes);
    if (!(again.identity() == lines.identity())) throw InputError(changed(lines.name()));
    parser = prototype.clone();
    Scan held;
    TraceLoad ignored = out;  // counted in the first pass
    scan(again, *parser, opt, tf, true, held, ignored);
    if (held.rows != s.rows) throw InputError(changed(lines.name()));
    held.sorted = s.sorted;
    s = std::move(held);
  }
  out.table = hold_table(s, tf, opt, lines.name());
}

TraceLoad load_trace_text(const std::string& content, const std::string& name, const RowParser& parser,
                          const TraceOptions& opt) {
  LineReader lines(content, name, opt.max_line_bytes);
  TraceLoad out;
  load_trace(lines, parser, opt, std::nullopt, out);
  return out;
}

TraceLoad load_trace_file(const std::filesystem::path& file, const RowParser& parser, const TraceOptions& opt,
                          std::uint64_t* content_hash) {
  LineReader lines(file, opt.max_line_bytes, opt.max_bytes, content_hash);
  TraceLoad out;
  load_trace(lines, parser, opt, file, out);
  return out;
}

}  // namespace gigasim::detail

namespace gigasim {

std::vector<TracedJob> read_all(const TraceTable& table) {
  std::vector<TracedJob> out;
  out.reserve(table.size());
  const auto cursor = table.open();
  TracedJob j;
  while (cursor->next(j.job, j.id)) out.push_back(j);
  return out;
}

}  // namespace gigasim
