#include "gigasim/scenario/trace_sacct.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "gigasim/scenario/units.hpp"
#include "trace_rows.hpp"

namespace gigasim {

namespace {

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (true) {
    const std::size_t next = line.find(sep, at);
    out.push_back(line.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  if (!out.empty() && !out.back().empty() && out.back().back() == '\r') out.back().remove_suffix(1);
  return out;
}

// The count of `key` in a TRES list "billing=8,cpu=8,gres/gpu=4,mem=64G,node=1"; typed GPUs
// ("gres/gpu:a100=4") count too, unless the untyped total is also given.
std::optional<double> tres_count(std::string_view tres, std::string_view key) {
  std::optional<double> total, typed;
  for (const auto item : split(tres, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view k = item.substr(0, eq);
    const auto v = parse_real(item.substr(eq + 1));
    if (!v) continue;
    if (k == key) total = *v;
    else if (k.size() > key.size() && k.substr(0, key.size()) == key && k[key.size()] == ':')
      typed = typed.value_or(0) + *v;
  }
  return total ? total : typed;
}

}  // namespace

std::optional<double> parse_slurm_duration_s(std::string_view t) {
  if (t.empty()) return std::nullopt;
  double days = 0;
  if (const auto dash = t.find('-'); dash != std::string_view::npos) {
    const auto d = parse_integer(t.substr(0, dash));
    if (!d || *d < 0) return std::nullopt;
    days = static_cast<double>(*d);
    t.remove_prefix(dash + 1);
  }
  const auto parts = split(t, ':');
  if (parts.size() > 3) return std::nullopt;
  std::vector<double> v;
  for (const auto p : parts) {
    const auto x = parse_real(p);
    if (!x || *x < 0) return std::nullopt;
    v.push_back(*x);
  }
  double s = 0;
  if (v.size() == 3) s = v[0] * 3600 + v[1] * 60 + v[2];                 // HH:MM:SS
  else if (v.size() == 2) s = days > 0 ? v[0] * 3600 + v[1] * 60 : v[0] * 60 + v[1];  // D-HH:MM or MM:SS
  else s = days > 0 ? v[0] * 3600 : v[0] * 60;                           // D-HH or minutes
  return days * 86400 + s;
}

TraceLoad read_sacct(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                     const SacctOptions& opt, std::uint64_t* content_hash) {
  const std::string content = read_input_file(file, "trace file", opt.common.max_bytes, "trace_bytes");
  if (content_hash) *content_hash = fnv1a64(content, *content_hash);
  return parse_sacct(content, file.string(), tenants, opt);
}

TraceLoad parse_sacct(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                      const SacctOptions& opt) {
  const TraceOptions& common = opt.common;
  TraceLoad out;
  std::vector<detail::TraceRow> rows;
  detail::TraceLines lines(content, name, common.max_line_bytes);
  std::string_view line;
  auto where = [&] { return lines.where(); };
  std::vector<std::string> header;
  int c_id = -1, c_submit = -1, c_elapsed = -1, c_limit = -1, c_alloc = -1, c_req = -1, c_state = -1, c_tenant = -1;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto cells = split(line, '|');
    if (header.empty()) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        header.emplace_back(cells[i]);
        const int idx = static_cast<int>(i);
        if (cells[i] == "JobID") c_id = idx;
        if (cells[i] == "Submit") c_submit = idx;
        if (cells[i] == "Elapsed") c_elapsed = idx;
        if (cells[i] == "Timelimit") c_limit = idx;
        if (cells[i] == "AllocTRES") c_alloc = idx;
        if (cells[i] == "ReqTRES") c_req = idx;
        if (cells[i] == "State") c_state = idx;
        if (cells[i] == opt.tenant_field) c_tenant = idx;
      }
      for (auto [col, field] : {std::pair{c_id, "JobID"}, {c_submit, "Submit"}, {c_elapsed, "Elapsed"}})
        if (col < 0)
          throw InputError(where() + "the header has no '" + field +
                           "' field (sacct --parsable2 --format=JobID,Submit,Elapsed,AllocTRES,...)");
      if (c_alloc < 0 && c_req < 0) throw InputError(where() + "the header has neither 'AllocTRES' nor 'ReqTRES'");
      if (!opt.states.empty() && c_state < 0) throw InputError(where() + "sacct.states needs the 'State' field");
      continue;
    }
    std::string problem;
    auto bad = [&](const char* field, const char* what, std::string_view got) {
      if (problem.empty()) problem = fmt::format("{}: expected {}, got '{}'", field, what, got.substr(0, 60));
    };
    if (cells.size() != header.size()) {
      problem = "expected " + std::to_string(header.size()) + " fields, got " + std::to_string(cells.size());
    } else {
      const std::string_view id = cells[c_id];
      if (id.find('.') != std::string_view::npos) continue;  // a job step: its allocation row has the job
      if (id.find('[') != std::string_view::npos) {          // a pending array, never expanded: never ran
        ++out.dropped_cancelled;
        continue;
      }
      if (c_state >= 0 && !opt.states.empty()) {
        std::string_view state = cells[c_state];
        state = state.substr(0, state.find(' '));  // "CANCELLED by 1234"
        if (!opt.states.count(std::string(state))) continue;
      }
      const auto elapsed = parse_slurm_duration_s(cells[c_elapsed]);
      if (!elapsed || *elapsed > kMaxDurationSeconds) {
        bad("Elapsed", "a duration [D-]HH:MM:SS", cells[c_elapsed]);
      } else if (*elapsed <= 0) {
        ++out.dropped_cancelled;  // pending or cancelled before it started
        continue;
      }
      const std::string_view alloc = c_alloc >= 0 ? cells[c_alloc] : std::string_view{};
      const std::string_view tres = !alloc.empty() ? alloc : c_req >= 0 ? cells[c_req] : std::string_view{};
      const auto count = tres_count(tres, opt.chips == SacctOptions::Chips::Gpu ? "gres/gpu" : "cpu");
      if (problem.empty() && (!count || *count <= 0)) {
        ++out.dropped_no_chips;
        continue;
      }
      const auto submit = parse_datetime_ms(cells[c_submit]);
      if (!submit) bad("Submit", "a time YYYY-MM-DDThh:mm:ss", cells[c_submit]);
      if (problem.empty() && *count > 4294967295.0) bad(c_alloc >= 0 ? "AllocTRES" : "ReqTRES", "at most 2^32-1 chips", tres);
      detail::TraceRow row{};
      row.line = lines.number();
      if (problem.empty()) {
        row.submit_s = static_cast<double>(*submit) / 1000.0;
        row.entry.duration = std::max(Duration::from_seconds(*elapsed), Duration::millis(1));
        row.entry.chips = static_cast<std::uint32_t>(std::ceil(*count));
        row.entry.id = std::string(id);
        if (opt.estimates && c_limit >= 0)
          if (const auto limit = parse_slurm_duration_s(cells[c_limit]); limit && *limit > 0 && *limit <= kMaxDurationSeconds)
            row.entry.estimate = Duration::from_seconds(*limit);
        int tenant = common.default_tenant;
        if (c_tenant >= 0) {
          const std::string value(cells[c_tenant]);
          if (const auto it = opt.tenant_map.find(value); it != opt.tenant_map.end()) {
            tenant = it->second;
          } else {
            const auto same = std::find_if(tenants.begin(), tenants.end(), [&](const TenantSpec& t) { return t.name == value; });
            if (same != tenants.end()) tenant = static_cast<int>(same - tenants.begin());
          }
        }
        if (tenant < 0)
          problem = fmt::format("{} '{}': not a tenant of the scenario nor in sacct.tenant_map, and the source has "
                                "no `tenant`", opt.tenant_field, c_tenant >= 0 ? cells[c_tenant] : "");
        row.entry.tenant = static_cast<std::uint16_t>(std::max(tenant, 0));
      }
      if (problem.empty()) {
        rows.push_back(std::move(row));
        continue;
      }
    }
    detail::reject_row(common, where(), problem, out);
  }
  if (header.empty()) throw InputError(name + ": empty sacct log: expected a header line (sacct --parsable2)");
  detail::finish_trace(std::move(rows), common.rebase.value_or(true), common, name, "AllocTRES gres/gpu", out);
  return out;
}

}  // namespace gigasim
