#pragma once
// What every trace format shares once its rows are read: a row (submit time in seconds, the
// file line it came from, the job), and the transformations applied to all of them -- rebase,
// time_scale, shift, chip_scale, sample_every, repeat -- then the final sort by submit time.
#include <cstddef>
#include <string>
#include <vector>

#include "gigasim/scenario/trace_csv.hpp"

namespace gigasim::detail {

struct TraceRow {
  double submit_s;   // seconds; from the epoch for timestamps
  std::size_t line;  // in the file, for messages after sorting
  JobEntry entry;
};

/// Sorts `rows` by submit time (ties keep file order), applies `opt`'s transformations and
/// appends the jobs to `out.table`. `rebase`: the earliest submit becomes time 0. `chips_label`
/// names the chips field in messages ("column 'chips'", "field 8 (requested processors)").
/// Throws InputError "name:line: ..." for a job the transformations put out of range.
void finish_trace(std::vector<TraceRow>&& rows, bool rebase, const TraceOptions& opt, const std::string& name,
                  const std::string& chips_label, TraceLoad& out);

}  // namespace gigasim::detail
