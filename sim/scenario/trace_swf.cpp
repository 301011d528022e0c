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


class SwfParser final : public detail::RowParser {
 public:
  explicit SwfParser(const SwfOptions& opt) : opt_(opt) {}

  Kind parse(std::string_view line, const detail::LineReader&, detail::TraceRow& row, std::string& problem,
             TraceLoad& counts) override {
    const auto first = line.find_first_not_of(" \t\r");
    if (line[first] == ';') {
      read_header_line(line.substr(first), header_);
      return Kind::Skip;
    }
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
      else v_[n++] = *x;
      at = line.find_first_not_of(" \t\r", stop);
      if (at == std::string_view::npos) break;
    }
    if (problem.empty() && n != kFields) problem = "expected 18 fields, got " + std::to_string(n);
    if (!problem.empty()) return Kind::Bad;
    const auto& v = v_;
    // Compared as a double: a field of 1e301 must not be converted to int (undefined).
    const bool cancelled_status = v[10] == 5.0;
    const double procs = v[4] > 0 ? v[4] : v[7];
    const double chips = std::ceil(procs * opt_.chips_per_processor - 1e-9);
    if (cancelled_status && !opt_.keep_cancelled) {
      ++counts.dropped_cancelled;  // a job cancelled before (or while) running: not part of the offered load
      return Kind::Skip;
    }
    if (v[1] < 0) problem = field_label(1) + ": expected a time >= 0, got " + fmt::format("{:g}", v[1]);
    else if (!(v[3] > 0) || v[3] > kMaxDurationSeconds)
      problem = field_label(3) + ": expected a run time > 0, got " + fmt::format("{:g}", v[3]);
    else if (!(procs > 0))
      problem = "fields 5 and 8 (allocated, requested processors): expected a positive count, both unknown";
    else if (chips < 1 || chips > 4294967295.0)
      problem = fmt::format("{} processors x chips_per_processor {:g} = {:g} chips: expected 1 to 2^32-1", procs,
                            opt_.chips_per_processor, chips);
    if (!problem.empty()) return Kind::Bad;
    row.submit_s = v[1];
    row.job.chips = static_cast<std::uint32_t>(chips);
    row.job.duration = std::max(Duration::from_seconds(v[3]), Duration::millis(1));
    if (opt_.estimates && v[8] > 0 && v[8] <= kMaxDurationSeconds)
      row.job.estimate = std::max(Duration::from_seconds(v[8]), Duration::millis(1));
    if (v[9] > 0) row.job.memory_bytes = v[9] * 1024.0 * procs;
    row.id = fmt::format("{:g}", v[0]);
    const std::size_t tf = opt_.tenant_field == SwfOptions::TenantField::User        ? 11
                           : opt_.tenant_field == SwfOptions::TenantField::Group     ? 12
                           : opt_.tenant_field == SwfOptions::TenantField::Queue     ? 14
                           : opt_.tenant_field == SwfOptions::TenantField::Partition ? 15
                                                                                     : kFields;
    const TraceOptions& common = opt_.common;
    if (tf < kFields) {
      const std::string key = fmt::format("{:g}", v[tf]);
      const auto it = opt_.tenant_map.find(key);
      if (it != opt_.tenant_map.end()) row.job.tenant = it->second;
      else if (common.default_tenant >= 0) row.job.tenant = static_cast<std::uint16_t>(common.default_tenant);
      else problem = field_label(tf) + ": '" + key + "' is not in tenant_map and the source has no `tenant`";
    } else {
      row.job.tenant = static_cast<std::uint16_t>(common.default_tenant);
    }
    return problem.empty() ? Kind::Row : Kind::Bad;
  }

  void finish(const detail::LineReader&) const override {}
  // SWF times are seconds from the log's start already: rebase only when asked.
  bool rebase_by_default() const override { return false; }
  std::string chips_label() const override { return "fields 5/8 (processors)"; }
  std::unique_ptr<detail::RowParser> clone() const override { return std::make_unique<SwfParser>(*this); }
  const SwfHeader& header() const { return header_; }

 private:
  SwfOptions opt_;
  SwfHeader header_;
  std::array<double, kFields> v_{};
};

void check_tenants(const SwfOptions& opt, const std::string& name) {
  if (opt.tenant_field == SwfOptions::TenantField::None && opt.common.default_tenant < 0)
    throw InputError(name + ": the scenario has several tenants: give the trace source a `tenant`, or "
                            "swf.tenant_field and swf.tenant_map");
}

// The header facts, read from the comment lines at the top (a trace's jobs are not needed).
SwfHeader header_of(detail::LineReader& lines) {
  SwfHeader h;
  std::string_view line;
  while (lines.next(line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line[first] != ';') break;
    read_header_line(line.substr(first), h);
  }
  return h;
}

}  // namespace

TraceLoad read_swf(const std::filesystem::path& file, const std::vector<TenantSpec>&, const SwfOptions& opt,
                   std::uint64_t* content_hash, SwfHeader* header) {
  check_tenants(opt, file.string());
  TraceLoad out = detail::load_trace_file(file, SwfParser(opt), opt.common, content_hash);
  if (header) {
    detail::LineReader lines(file, opt.common.max_line_bytes, opt.common.max_bytes);
    *header = header_of(lines);
  }
  return out;
}

TraceLoad parse_swf(const std::string& content, const std::string& name, const std::vector<TenantSpec>&,
                    const SwfOptions& opt, SwfHeader* header) {
  check_tenants(opt, name);
  TraceLoad out = detail::load_trace_text(content, name, SwfParser(opt), opt.common);
  if (header) {
    detail::LineReader lines(content, name, opt.common.max_line_bytes);
    *header = header_of(lines);
  }
  return out;
}

}  // namespace gigasim
