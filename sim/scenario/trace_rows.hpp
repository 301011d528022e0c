#pragma once
// What every trace format shares once its rows are read: a row (submit time in seconds, the
// file line it came from, the job), and the transformations applied to all of them -- rebase,
// time_scale, shift, chip_scale, sample_every, repeat -- then the final sort by submit time.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gigasim/scenario/trace_csv.hpp"

namespace gigasim::detail {

struct TraceRow {
  double submit_s;   // seconds; from the epoch for timestamps
  std::size_t line;  // in the file, for messages after sorting
  JobEntry entry;
};

/// The lines of a trace file's text, numbered from 1, each at most `max_line_bytes` long (a
/// longer one is an InputError naming the --limit that raises it: it is not a job record).
class TraceLines {
 public:
  TraceLines(const std::string& content, const std::string& name, std::uint64_t max_line_bytes, std::size_t start = 0)
      : content_(content), name_(name), max_(max_line_bytes), pos_(start) {}
  /// The next line (without its '\n'); false at the end.
  bool next(std::string_view& line);
  std::size_t number() const { return line_no_; }
  /// "name:line: ", the prefix of every message about the current line.
  std::string where() const { return name_ + ":" + std::to_string(line_no_) + ": "; }

 private:
  const std::string& content_;
  const std::string& name_;
  std::uint64_t max_;
  std::size_t pos_, line_no_ = 0;
};

/// A row that cannot be read: an InputError "where problem", or with on_bad_row: skip counted
/// in `out` (the first 20 kept for the warning).
void reject_row(const TraceOptions& opt, const std::string& where, const std::string& problem, TraceLoad& out);

/// Sorts `rows` by submit time (ties keep file order), applies `opt`'s transformations and
/// appends the jobs to `out.table`. `rebase`: the earliest submit becomes time 0. `chips_label`
/// names the chips field in messages ("column 'chips'", "field 8 (requested processors)").
/// Throws InputError "name:line: ..." for a job the transformations put out of range.
void finish_trace(std::vector<TraceRow>&& rows, bool rebase, const TraceOptions& opt, const std::string& name,
                  const std::string& chips_label, TraceLoad& out);

}  // namespace gigasim::detail
