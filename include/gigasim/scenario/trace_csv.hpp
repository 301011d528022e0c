#pragma once
// CSV job traces. A header row names the columns; TraceOptions::columns maps gigasim's fields to
// them (defaults: the field names themselves):
//   submit    submit time: seconds (x time_unit) after time 0, or a timestamp
//             "YYYY-MM-DD hh:mm:ss" (then rebased so that the earliest job is at time 0)
//   chips     chips the job needs (positive integer)
//   duration  run time in seconds (x time_unit) (> 0)
//   tenant    optional: a tenant name declared in the scenario
//   id        optional: the job's id, echoed in per-job output
// Other columns are ignored. Rows may come in any order: jobs are sorted by submit time, ties
// keeping file order. A sorted trace in a regular file is streamed during the run; others are
// held in a compact table (gigasim/model/trace_table.hpp). Transformations, in this order: rebase, time_scale (submit times only),
// shift, chip_scale, keep every k-th job, repeat.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/model/trace_table.hpp"

namespace gigasim {

struct TraceOptions {
  std::string submit = "submit", chips = "chips", duration = "duration";
  std::optional<std::string> tenant, id;  ///< column names; absent = use "tenant"/"id" if present
  double time_unit_s = 1;          ///< seconds per unit of numeric submit and duration values
  std::optional<bool> rebase;      ///< earliest submit -> 0; default: only for timestamps
  double time_scale = 1;           ///< submit times are multiplied by this (0.5 = twice the rate)
  Duration shift;                  ///< added to every submit time
  double chip_scale = 1;           ///< chips multiplied, rounded up
  std::uint64_t every = 1;         ///< keep every k-th job (by submit order)
  std::uint32_t repeat = 1;        ///< copies of the trace ...
  Duration repeat_shift;           ///< ... each shifted by this much more than the previous
  bool skip_bad_rows = false;      ///< on_bad_row: skip (report) instead of fail
  int default_tenant = -1;         ///< for rows without a tenant column; -1 = required
  /// Rows with 0 chips or a 0 duration are left out and counted (CPU-only jobs, jobs that never
  /// ran), not bad rows: set by the Acme preset.
  bool drop_unrun = false;
  // Bounds (InputLimits): the file's size, one line's length, and the jobs after expansion.
  std::uint64_t max_bytes = 2ull << 30;
  std::uint64_t max_line_bytes = 1ull << 16;
  std::uint64_t max_jobs = 20'000'000;  ///< jobs held in memory (streamed traces are not held)
};

struct TraceLoad {
  std::shared_ptr<const TraceTable> table;  ///< the jobs; never null after a load
  std::uint64_t skipped_rows = 0;
  std::vector<std::string> skipped;  ///< "file:line: reason" of the first skipped rows
  std::uint64_t dropped_cancelled = 0;  ///< SWF/sacct jobs cancelled before they ran (by design, not errors)
  std::uint64_t dropped_no_chips = 0;   ///< sacct/Acme jobs without accelerators (CPU-only jobs)
};

/// Reads a trace. Throws InputError "file:line: column 'x': expected ..., got '...'" for a bad
/// row unless skip_bad_rows, and for a missing file or header column in any case.
TraceLoad read_trace_csv(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                         const TraceOptions& options, std::uint64_t* content_hash = nullptr);
/// The same from text already in memory; `name` is used in messages.
TraceLoad parse_trace_csv(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                          const TraceOptions& options);

}  // namespace gigasim
