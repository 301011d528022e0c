#pragma once
// The Parallel Workloads Archive's Standard Workload Format (SWF, v2.2): one job per line, 18
// whitespace-separated fields, -1 for unknown, header comments starting with ';'
// (e.g. "; MaxProcs: 1024"). Fields read (1-based, as the format's definition numbers them):
//    1 job number        -> the job's id
//    2 submit time (s)   -> submit (the earliest job is rebased to 0 unless rebase: false)
//    4 run time (s)      -> duration
//    5 allocated procs,  8 requested procs  -> chips (allocated if known, else requested),
//                           x chips_per_processor, rounded up
//    9 requested time    -> the job's own runtime estimate (if estimates: requested)
//   10 requested memory  -> memory need (KB per processor, x processors)
//   11 status            -> 1 completed, 0 failed (kept: they held their nodes), 5 cancelled
//                           (dropped unless cancelled: keep), 2-4 partial (kept)
//   12 user, 13 group, 15 queue, 16 partition -> the tenant, by tenant_field and tenant_map
// Other fields are read only to check that the line is well formed. Decimal values are
// accepted where the format has integers (gigasim's own export writes milliseconds).
// The transformations of CSV traces (time_scale, shift, chip_scale, sample_every, repeat) apply.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/scenario/trace_csv.hpp"

namespace gigasim {

struct SwfOptions {
  TraceOptions common;              ///< time_scale, shift, chip_scale, every, repeat, limits, ...
  double chips_per_processor = 1;   ///< chips = ceil(processors x this)
  bool keep_cancelled = false;      ///< status 5: dropped (reported) unless true
  bool estimates = true;            ///< field 9 becomes each job's runtime estimate
  enum class TenantField { None, User, Group, Queue, Partition } tenant_field = TenantField::None;
  std::map<std::string, std::uint16_t> tenant_map;  ///< field value -> tenant index
};

/// Header facts of an SWF file that gigasim reports (and checks chips against).
struct SwfHeader {
  std::optional<std::int64_t> max_procs, max_nodes, unix_start_time;
};

/// Reads an SWF file. Throws InputError "file:line: field N (name): expected ..., got '...'"
/// for a bad line unless on_bad_row: skip. `header` (if given) receives the header facts.
TraceLoad read_swf(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                   const SwfOptions& options, std::uint64_t* content_hash = nullptr, SwfHeader* header = nullptr);
TraceLoad parse_swf(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                    const SwfOptions& options, SwfHeader* header = nullptr);

}  // namespace gigasim
