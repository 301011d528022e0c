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

namespace {

class SacctParser final : public detail::RowParser {
 public:
  SacctParser(const std::vector<TenantSpec>& tenants, const SacctOptions& opt) : opt_(opt) {
    for (const auto& t : tenants) tenants_.push_back(t.name);
  }

  Kind parse(std::string_view line, const detail::LineReader& at, detail::TraceRow& row, std::string& problem,
             TraceLoad& counts) override {
    const auto cells = split(line, '|');
    if (header_.empty()) {
      read_header(cells, at);
      return Kind::Skip;
    }
    auto bad = [&](const char* field, const char* what, std::string_view got) {
      if (problem.empty()) problem = fmt::format("{}: expected {}, got '{}'", field, what, got.substr(0, 60));
    };
    if (cells.size() != header_.size()) {
      problem = "expected " + std::to_string(header_.size()) + " fields, got " + std::to_string(cells.size());
      return Kind::Bad;
    }
    const std::string_view id = cells[c_id_];
    if (id.find('.') != std::string_view::npos) return Kind::Skip;  // a job step: its allocation row has the job
    if (id.find('[') != std::string_view::npos) {                   // a pending array, never expanded: never ran
      ++counts.dropped_cancelled;
      return Kind::Skip;
    }
    if (c_state_ >= 0 && !opt_.states.empty()) {
      std::string_view state = cells[c_state_];
      state = state.substr(0, state.find(' '));  // "CANCELLED by 1234"
      if (!opt_.states.count(std::string(state))) return Kind::Skip;
    }
    const auto elapsed = parse_slurm_duration_s(cells[c_elapsed_]);
    if (!elapsed || *elapsed > kMaxDurationSeconds) {
      bad("Elapsed", "a duration [D-]HH:MM:SS", cells[c_elapsed_]);
    } else if (*elapsed <= 0) {
      ++counts.dropped_cancelled;  // pending or cancelled before it started
      return Kind::Skip;
    }
    const std::string_view alloc = c_alloc_ >= 0 ? cells[c_alloc_] : std::string_view{};
    const std::string_view tres = !alloc.empty() ? alloc : c_req_ >= 0 ? cells[c_req_] : std::string_view{};
    const auto count = tres_count(tres, opt_.chips == SacctOptions::Chips::Gpu ? "gres/gpu" : "cpu");
    if (problem.empty() && (!count || *count <= 0)) {
      ++counts.dropped_no_chips;
      return Kind::Skip;
    }
    const auto submit = parse_datetime_ms(cells[c_submit_]);
    if (!submit) bad("Submit", "a time YYYY-MM-DDThh:mm:ss", cells[c_submit_]);
    if (problem.empty() && *count > 4294967295.0) bad(c_alloc_ >= 0 ? "AllocTRES" : "ReqTRES", "at most 2^32-1 chips", tres);
    if (!problem.empty()) return Kind::Bad;
    row.submit_s = static_cast<double>(*submit) / 1000.0;
    row.job.duration = std::max(Duration::from_seconds(*elapsed), Duration::millis(1));
    row.job.chips = static_cast<std::uint32_t>(std::ceil(*count));
    row.id.assign(id);
    if (opt_.estimates && c_limit_ >= 0)
      if (const auto limit = parse_slurm_duration_s(cells[c_limit_]); limit && *limit > 0 && *limit <= kMaxDurationSeconds)
        row.job.estimate = Duration::from_seconds(*limit);
    int tenant = opt_.common.default_tenant;
    if (c_tenant_ >= 0) {
      const std::string value(cells[c_tenant_]);
      if (const auto it = opt_.tenant_map.find(value); it != opt_.tenant_map.end()) {
        tenant = it->second;
      } else {
        const auto same = std::find(tenants_.begin(), tenants_.end(), value);
        if (same != tenants_.end()) tenant = static_cast<int>(same - tenants_.begin());
      }
    }
    if (tenant < 0) {
      problem = fmt::format("{} '{}': not a tenant of the scenario nor in sacct.tenant_map, and the source has "
                            "no `tenant`", opt_.tenant_field, c_tenant_ >= 0 ? cells[c_tenant_] : "");
      return Kind::Bad;
    }
    row.job.tenant = static_cast<std::uint16_t>(tenant);
    return Kind::Row;
  }

  void finish(const detail::LineReader& at) const override {
    if (header_.empty()) throw InputError(at.name() + ": empty sacct log: expected a header line (sacct --parsable2)");
  }
  bool rebase_by_default() const override { return true; }
  std::string chips_label() const override { return "AllocTRES gres/gpu"; }
  std::unique_ptr<detail::RowParser> clone() const override { return std::make_unique<SacctParser>(*this); }

 private:
  void read_header(const std::vector<std::string_view>& cells, const detail::LineReader& at) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      header_.emplace_back(cells[i]);
      const int idx = static_cast<int>(i);
      if (cells[i] == "JobID") c_id_ = idx;
      if (cells[i] == "Submit") c_submit_ = idx;
      if (cells[i] == "Elapsed") c_elapsed_ = idx;
      if (cells[i] == "Timelimit") c_limit_ = idx;
      if (cells[i] == "AllocTRES") c_alloc_ = idx;
      if (cells[i] == "ReqTRES") c_req_ = idx;
      if (cells[i] == "State") c_state_ = idx;
      if (cells[i] == opt_.tenant_field) c_tenant_ = idx;
    }
    for (auto [col, field] : {std::pair{c_id_, "JobID"}, {c_submit_, "Submit"}, {c_elapsed_, "Elapsed"}})
      if (col < 0)
        throw InputError(at.where() + "the header has no '" + field +
                         "' field (sacct --parsable2 --format=JobID,Submit,Elapsed,AllocTRES,...)");
    if (c_alloc_ < 0 && c_req_ < 0) throw InputError(at.where() + "the header has neither 'AllocTRES' nor 'ReqTRES'");
    if (!opt_.states.empty() && c_state_ < 0) throw InputError(at.where() + "sacct.states needs the 'State' field");
  }

  SacctOptions opt_;
  std::vector<std::string> tenants_;
  std::vector<std::string> header_;
  int c_id_ = -1, c_submit_ = -1, c_elapsed_ = -1, c_limit_ = -1, c_alloc_ = -1, c_req_ = -1, c_state_ = -1,
      c_tenant_ = -1;
};

}  // namespace

TraceLoad read_sacct(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                     const SacctOptions& opt, std::uint64_t* content_hash) {
  return detail::load_trace_file(file, SacctParser(tenants, opt), opt.common, content_hash);
}

TraceLoad parse_sacct(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                      const SacctOptions& opt) {
  return detail::load_trace_text(content, name, SacctParser(tenants, opt), opt.common);
}

}  // namespace gigasim
