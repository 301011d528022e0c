#include "gigasim/scenario/trace_swf.hpp"

#include <array>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "gigasim/scenario/units.hpp"
#include "trace_rows.hpp"

namespace gigasim {

namespace {

constexpr std::size_t kFields = 18;
constexpr const char* kFieldNames[kFields] = {
    "job number",      "submit time",         "wait time",       "run time",       "allocated processors",
    "average CPU time", "used memory",        "requested processors", "requested time", "requested memory",
    "status",          "user id",             "group id",        "executable",     "queue",
    "partition",       "preceding job",       "think time"};

std::string field_label(std::size_t i) { return fmt::format("field {} ({})", i + 1, kFieldNames[i]); }

// "; MaxProcs: 1024" -> (MaxProcs, 1024)
void read_header_line(std::string_view line, SwfHeader& h) {
  line.remove_prefix(1);
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  const std::string_view key = trim(line.substr(0, colon));
  const auto value = parse_integer(trim(line.substr(colon + 1)));
  if (!value) return;
  if (key == "MaxProcs") h.max_procs = value;
  else if (key == "MaxNodes") h.max_nodes = value;
  else if (key == "UnixStartTime") h.unix_start_time = value;
}

}  // namespace

TraceLoad read_swf(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants, const SwfOptions& opt,
                   std::uint64_t* content_hash, SwfHeader* header) {
  const std::string content = read_input_file(file, "trace file", opt.common.max_bytes, "trace_bytes");
  if (content_hash) *content_hash = fnv1a64(content, *content_hash);
  return parse_swf(content, file.string(), tenants, opt, header);
}

TraceLoad parse_swf(const std::string& content, const std::string& name, const std::vector<TenantSpec>&,
                    const SwfOptions& opt, SwfHeader* header_out) {
  const TraceOptions& common = opt.common;
  if (opt.tenant_field == SwfOptions::TenantField::None && common.default_tenant < 0)
    throw InputError(name + ": the scenario has several tenants: give the trace source a `tenant`, or "
                            "swf.tenant_field and swf.tenant_map");
  TraceLoad out;
  SwfHeader header;
  std::vector<detail::TraceRow> rows;
  std::size_t cancelled = 0;
  detail::TraceLines lines(content, name, common.max_line_bytes);
  std::string_view line;
  std::array<double, kFields> v{};
  while (lines.next(line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line[first] == ';') {
      read_header_line(line.substr(first), header);
      continue;
    }
    std::string problem;
    std::size_t n = 0, at = first;
    while (at < line.size() && problem.empty()) {
      const std::size_t stop = std::min(line.find_first_of(" \t\r", at), line.size());
      const std::string_view word = line.substr(at, stop - at);
      if (n == kFields) {
        problem = "expected 18 fields, got more";
        break;
      }
      const auto x = parse_real(word);
      if (!x) problem = field_label(n) + ": expected a number, got '" + std::string(word.substr(0, 40)) + "'";
      else v[n++] = *x;
      at = line.find_first_not_of(" \t\r", stop);
      if (at == std::string_view::npos) break;
    }
    if (problem.empty() && n != kFields) problem = "expected 18 fields, got " + std::to_string(n);

    detail::TraceRow row{};
    row.line = lines.number();
    if (problem.empty()) {
      // Compared as a double: a field of 1e301 must not be converted to int (undefined).
      const bool cancelled_status = v[10] == 5.0;
      const double procs = v[4] > 0 ? v[4] : v[7];
      const double chips = std::ceil(procs * opt.chips_per_processor - 1e-9);
      if (cancelled_status && !opt.keep_cancelled) {
        ++cancelled;  // a job cancelled before (or while) running: not part of the offered load
        continue;
      }
      if (v[1] < 0) problem = field_label(1) + ": expected a time >= 0, got " + fmt::format("{:g}", v[1]);
      else if (!(v[3] > 0) || v[3] > kMaxDurationSeconds)
        problem = field_label(3) + ": expected a run time > 0, got " + fmt::format("{:g}", v[3]);
      else if (!(procs > 0))
        problem = "fields 5 and 8 (allocated, requested processors): expected a positive count, both unknown";
      else if (chips < 1 || chips > 4294967295.0)
        problem = fmt::format("{} processors x chips_per_processor {:g} = {:g} chips: expected 1 to 2^32-1", procs,
                              opt.chips_per_processor, chips);
      if (problem.empty()) {
        row.submit_s = v[1];
        row.entry.chips = static_cast<std::uint32_t>(chips);
        row.entry.duration = std::max(Duration::from_seconds(v[3]), Duration::millis(1));
        if (opt.estimates && v[8] > 0 && v[8] <= kMaxDurationSeconds)
          row.entry.estimate = std::max(Duration::from_seconds(v[8]), Duration::millis(1));
        if (v[9] > 0) row.entry.memory_bytes = v[9] * 1024.0 * procs;
        row.entry.id = fmt::format("{:g}", v[0]);
        const std::size_t tf = opt.tenant_field == SwfOptions::TenantField::User    ? 11
                               : opt.tenant_field == SwfOptions::TenantField::Group ? 12
                               : opt.tenant_field == SwfOptions::TenantField::Queue ? 14
                               : opt.tenant_field == SwfOptions::TenantField::Partition ? 15
                                                                                         : kFields;
        if (tf < kFields) {
          const std::string key = fmt::format("{:g}", v[tf]);
          const auto it = opt.tenant_map.find(key);
          if (it != opt.tenant_map.end()) row.entry.tenant = it->second;
          else if (common.default_tenant >= 0) row.entry.tenant = static_cast<std::uint16_t>(common.default_tenant);
          else problem = field_label(tf) + ": '" + key + "' is not in tenant_map and the source has no `tenant`";
        } else {
          row.entry.tenant = static_cast<std::uint16_t>(common.default_tenant);
        }
      }
    }
    if (!problem.empty()) {
      detail::reject_row(common, lines.where(), problem, out);
      continue;
    }
    rows.push_back(std::move(row));
  }
  out.dropped_cancelled = cancelled;
  // SWF times are seconds from the log's start already: rebase only when asked.
  detail::finish_trace(std::move(rows), common.rebase.value_or(false), common, name, "fields 5/8 (processors)", out);
  if (header_out) *header_out = header;
  return out;
}

}  // namespace gigasim
