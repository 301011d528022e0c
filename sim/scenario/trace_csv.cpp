#include "gigasim/scenario/trace_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "gigasim/scenario/units.hpp"
#include "trace_rows.hpp"

namespace gigasim {

using detail::finish_trace;
using detail::TraceRow;

namespace {

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> out;
  // Fast path: most lines have no quotes -- cut at commas, trim spaces, drop '\r'.
  if (line.find('"') == std::string_view::npos) {
    std::size_t at = 0;
    while (true) {
      const std::size_t comma = line.find(',', at);
      std::size_t b = at, e = comma == std::string_view::npos ? line.size() : comma;
      while (b < e && line[b] == ' ') ++b;
      while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\r')) --e;
      out.emplace_back(line.substr(b, e - b));
      if (comma == std::string_view::npos) break;
      at = comma + 1;
    }
    return out;
  }
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  for (auto& s : out) {
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  return out;
}

}  // namespace

namespace {


}  // namespace

TraceLoad read_trace_csv(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                         const TraceOptions& opt, std::uint64_t* content_hash) {
  const std::string content = read_input_file(file, "trace file", opt.max_bytes, "trace_bytes");
  if (content_hash) *content_hash = fnv1a64(content, *content_hash);
  return parse_trace_csv(content, file.string(), tenants, opt);
}

TraceLoad parse_trace_csv(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                          const TraceOptions& opt) {

  // Lines are views into `content`; a UTF-8 byte-order mark (spreadsheet exports) is not part of
  // the first column's name.
  detail::TraceLines lines(content, name, opt.max_line_bytes, content.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0);
  std::string_view line;
  auto where = [&] { return lines.where(); };
  auto fail = [&](const std::string& msg) -> void { throw InputError(where() + msg); };
  auto next_line = [&] { return lines.next(line); };

  int c_submit = -1, c_chips = -1, c_duration = -1, c_tenant = -1, c_id = -1;
  std::size_t n_columns = 0;
  while (next_line()) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto header = split_csv(line);
    n_columns = header.size();
    const std::string tenant_col = opt.tenant.value_or("tenant"), id_col = opt.id.value_or("id");
    for (std::size_t i = 0; i < header.size(); ++i) {
      const int idx = static_cast<int>(i);
      if (header[i] == opt.submit) c_submit = idx;
      if (header[i] == opt.chips) c_chips = idx;
      if (header[i] == opt.duration) c_duration = idx;
      if (header[i] == tenant_col) c_tenant = idx;
      if (header[i] == id_col) c_id = idx;
    }
    if (opt.tenant && c_tenant < 0) fail("header has no '" + *opt.tenant + "' column (columns.tenant)");
    if (opt.id && c_id < 0) fail("header has no '" + *opt.id + "' column (columns.id)");
    break;
  }
  if (n_columns == 0) fail("empty trace: expected a header line naming the columns");
  for (auto [col, label] : {std::pair{c_submit, &opt.submit}, {c_chips, &opt.chips}, {c_duration, &opt.duration}})
    if (col < 0) fail("header has no '" + *label + "' column (see `columns:` to map other names)");
  if (c_tenant < 0 && opt.default_tenant < 0)
    fail("no 'tenant' column and the scenario has several tenants: give the trace source a `tenant`");

  TraceLoad out;
  std::vector<TraceRow> rows;
  std::optional<bool> timestamps;  // decided by the first row, then required of every row
  while (next_line()) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string problem;
    const auto invalid = first_invalid_utf8(line);  // ids and names end up in JSON and CSV
    if (invalid)
      problem = "invalid UTF-8 at byte " + std::to_string(*invalid + 1) + " of the line: traces are UTF-8 text";
    const auto cells = invalid ? std::vector<std::string>{} : split_csv(line);
    TraceRow row{};
    row.line = lines.number();
    auto bad = [&](const std::string& column, const char* what, const std::string& got) {
      if (problem.empty()) problem = "column '" + column + "': expected " + what + ", got '" + got + "'";
    };
    if (invalid) {
      // reported below
    } else if (cells.size() != n_columns) {
      problem = "expected " + std::to_string(n_columns) + " columns, got " + std::to_string(cells.size());
    } else {
      const std::string& sub = cells[c_submit];
      const auto date = parse_datetime_ms(sub);
      const auto number = parse_real(sub);
      if (!timestamps) timestamps = date.has_value();
      if (*timestamps && date) row.submit_s = static_cast<double>(*date) / 1000.0;
      else if (!*timestamps && number && *number >= 0) row.submit_s = *number * opt.time_unit_s;
      else bad(opt.submit, *timestamps ? "a timestamp YYYY-MM-DD hh:mm:ss" : "a number >= 0", sub);
      const auto chips = parse_integer(cells[c_chips]);
      const auto dur = parse_real(cells[c_duration]);
      // Logs of real clusters (Acme) also list CPU-only jobs and jobs that never ran: not errors.
      if (opt.drop_unrun && chips && *chips == 0) {
        ++out.dropped_no_chips;
        continue;
      }
      if (opt.drop_unrun && dur && *dur == 0) {
        ++out.dropped_cancelled;
        continue;
      }
      if (!chips || *chips <= 0 || *chips > 0xffffffffLL) bad(opt.chips, "a positive integer", cells[c_chips]);
      else row.entry.chips = static_cast<std::uint32_t>(*chips);
      if (!dur || *dur <= 0 || *dur * opt.time_unit_s > kMaxDurationSeconds)
        bad(opt.duration, "a duration > 0", cells[c_duration]);
      else row.entry.duration = std::max(Duration::from_seconds(*dur * opt.time_unit_s), Duration::millis(1));
      if (c_tenant >= 0) {
        const std::string& t = cells[c_tenant];
        const auto it = std::find_if(tenants.begin(), tenants.end(), [&](auto& x) { return x.name == t; });
        if (it == tenants.end()) bad(opt.tenant.value_or("tenant"), "a tenant declared in the scenario", t);
        else row.entry.tenant = static_cast<std::uint16_t>(it - tenants.begin());
      } else {
        row.entry.tenant = static_cast<std::uint16_t>(opt.default_tenant);
      }
      if (c_id >= 0) row.entry.id = cells[c_id];
    }
    if (!problem.empty()) {
      detail::reject_row(opt, where(), problem, out);
      continue;
    }
    rows.push_back(std::move(row));
  }

  const bool rebase = opt.rebase.value_or(timestamps.value_or(false));
  finish_trace(std::move(rows), rebase, opt, name, "column '" + opt.chips + "'", out);
  return out;
}

}  // namespace gigasim
