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

namespace {

// Cuts an unquoted line at commas into views, trimming spaces and '\r' (no allocation).
void split_plain(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t at = 0;
  while (true) {
    const std::size_t comma = line.find(',', at);
    std::size_t b = at, e = comma == std::string_view::npos ? line.size() : comma;
    while (b < e && line[b] == ' ') ++b;
    while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\r')) --e;
    out.push_back(line.substr(b, e - b));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
}

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(std::string_view line) {
  if (line.find('"') == std::string_view::npos) {
    std::vector<std::string_view> views;
    split_plain(line, views);
    return {views.begin(), views.end()};
  }
  std::vector<std::string> out;
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

bool ascii(std::string_view s) {
  unsigned char any = 0;
  for (const char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

class CsvParser final : public detail::RowParser {
 public:
  CsvParser(const std::vector<TenantSpec>& tenants, const TraceOptions& opt) : opt_(opt) {
    for (const auto& t : tenants) tenants_.push_back(t.name);
  }

  Kind parse(std::string_view line, const detail::LineReader& at, detail::TraceRow& row, std::string& problem,
             TraceLoad& counts) override {
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first column's name.
    if (at.number() == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (n_columns_ == 0) {
      read_header(line, at);
      return Kind::Skip;
    }
    if (!ascii(line))
      if (const auto invalid = first_invalid_utf8(line)) {  // ids and names end up in JSON and CSV
        problem = "invalid UTF-8 at byte " + std::to_string(*invalid + 1) + " of the line: traces are UTF-8 text";
        return Kind::Bad;
      }
    cells(line);
    if (cells_.size() != n_columns_) {
      problem = "expected " + std::to_string(n_columns_) + " columns, got " + std::to_string(cells_.size());
      return Kind::Bad;
    }
    auto bad = [&](const std::string& column, const char* what, std::string_view got) {
      if (problem.empty()) problem = "column '" + column + "': expected " + what + ", got '" + std::string(got) + "'";
    };
    const std::string_view sub = cells_[c_submit_];
    if (!timestamps_) timestamps_ = parse_datetime_ms(sub).has_value();  // decided by the first row
    if (*timestamps_) {
      if (const auto date = parse_datetime_ms(sub)) row.submit_s = static_cast<double>(*date) / 1000.0;
      else bad(opt_.submit, "a timestamp YYYY-MM-DD hh:mm:ss", sub);
    } else {
      const auto number = parse_real(sub);
      if (number && *number >= 0) row.submit_s = *number * opt_.time_unit_s;
      else bad(opt_.submit, "a number >= 0", sub);
    }
    const auto chips = parse_integer(cells_[c_chips_]);
    const auto dur = parse_real(cells_[c_duration_]);
    // Logs of real clusters (Acme) also list CPU-only jobs and jobs that never ran: not errors.
    if (opt_.drop_unrun && chips && *chips == 0) {
      ++counts.dropped_no_chips;
      return Kind::Skip;
    }
    if (opt_.drop_unrun && dur && *dur == 0) {
      ++counts.dropped_cancelled;
      return Kind::Skip;
    }
    if (!chips || *chips <= 0 || *chips > 0xffffffffLL) bad(opt_.chips, "a positive integer", cells_[c_chips_]);
    else row.job.chips = static_cast<std::uint32_t>(*chips);
    if (!dur || *dur <= 0 || *dur * opt_.time_unit_s > kMaxDurationSeconds)
      bad(opt_.duration, "a duration > 0", cells_[c_duration_]);
    else row.job.duration = std::max(Duration::from_seconds(*dur * opt_.time_unit_s), Duration::millis(1));
    if (c_tenant_ >= 0) {
      const std::string_view t = cells_[c_tenant_];
      const auto it = std::find(tenants_.begin(), tenants_.end(), t);
      if (it == tenants_.end()) bad(opt_.tenant.value_or("tenant"), "a tenant declared in the scenario", t);
      else row.job.tenant = static_cast<std::uint16_t>(it - tenants_.begin());
    } else {
      row.job.tenant = static_cast<std::uint16_t>(opt_.default_tenant);
    }
    if (c_id_ >= 0) row.id.assign(cells_[c_id_]);
    return problem.empty() ? Kind::Row : Kind::Bad;
  }

  void finish(const detail::LineReader& at) const override {
    if (n_columns_ == 0) throw InputError(at.where() + "empty trace: expected a header line naming the columns");
  }
  bool rebase_by_default() const override { return timestamps_.value_or(false); }
  std::string chips_label() const override { return "column '" + opt_.chips + "'"; }
  std::unique_ptr<detail::RowParser> clone() const override { return std::make_unique<CsvParser>(*this); }

  CsvParser(const CsvParser& o)
      : opt_(o.opt_), tenants_(o.tenants_), n_columns_(o.n_columns_), c_submit_(o.c_submit_), c_chips_(o.c_chips_),
        c_duration_(o.c_duration_), c_tenant_(o.c_tenant_), c_id_(o.c_id_), timestamps_(o.timestamps_) {}

 private:
  void read_header(std::string_view line, const detail::LineReader& at) {
    auto fail = [&](const std::string& msg) { throw InputError(at.where() + msg); };
    const auto header = split_csv(line);
    const std::string tenant_col = opt_.tenant.value_or("tenant"), id_col = opt_.id.value_or("id");
    for (std::size_t i = 0; i < header.size(); ++i) {
      const int idx = static_cast<int>(i);
      if (header[i] == opt_.submit) c_submit_ = idx;
      if (header[i] == opt_.chips) c_chips_ = idx;
      if (header[i] == opt_.duration) c_duration_ = idx;
      if (header[i] == tenant_col) c_tenant_ = idx;
      if (header[i] == id_col) c_id_ = idx;
    }
    if (opt_.tenant && c_tenant_ < 0) fail("header has no '" + *opt_.tenant + "' column (columns.tenant)");
    if (opt_.id && c_id_ < 0) fail("header has no '" + *opt_.id + "' column (columns.id)");
    for (auto [col, label] : {std::pair{c_submit_, &opt_.submit}, {c_chips_, &opt_.chips}, {c_duration_, &opt_.duration}})
      if (col < 0) fail("header has no '" + *label + "' column (see `columns:` to map other names)");
    if (c_tenant_ < 0 && opt_.default_tenant < 0)
      fail("no 'tenant' column and the scenario has several tenants: give the trace source a `tenant`");
    n_columns_ = header.size();
  }

  // The line's cells as views: into the line, or for a quoted line into unquoted copies.
  void cells(std::string_view line) {
    if (line.find('"') == std::string_view::npos) {
      split_plain(line, cells_);
      return;
    }
    quoted_ = split_csv(line);
    cells_.assign(quoted_.begin(), quoted_.end());
  }

  TraceOptions opt_;
  std::vector<std::string> tenants_;
  std::size_t n_columns_ = 0;
  int c_submit_ = -1, c_chips_ = -1, c_duration_ = -1, c_tenant_ = -1, c_id_ = -1;
  std::optional<bool> timestamps_;  // decided by the first row, then required of every row
  std::vector<std::string_view> cells_;
  std::vector<std::string> quoted_;
};

}  // namespace

TraceLoad read_trace_csv(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                         const TraceOptions& opt, std::uint64_t* content_hash) {
  return detail::load_trace_file(file, CsvParser(tenants, opt), opt, content_hash);
}

TraceLoad parse_trace_csv(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                          const TraceOptions& opt) {
  return detail::load_trace_text(content, name, CsvParser(tenants, opt), opt);
}

}  // namespace gigasim
