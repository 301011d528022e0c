#include "gigasim/scenario/trace_csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim {

namespace {

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(const std::string& line) {
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

JobTableSpec read_trace_csv(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                            int default_tenant, std::uint64_t* content_hash) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot open trace file '" + name + "': " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  if (content_hash) *content_hash = fnv1a64(content, *content_hash);

  std::istringstream lines(content);
  std::string line;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& msg) -> void {
    throw InputError(name + ":" + std::to_string(line_no) + ": " + msg);
  };

  int c_submit = -1, c_chips = -1, c_duration = -1, c_tenant = -1, c_id = -1;
  std::size_t n_columns = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto header = split_csv(line);
    n_columns = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) {
      const int idx = static_cast<int>(i);
      if (header[i] == "submit") c_submit = idx;
      else if (header[i] == "chips") c_chips = idx;
      else if (header[i] == "duration") c_duration = idx;
      else if (header[i] == "tenant") c_tenant = idx;
      else if (header[i] == "id") c_id = idx;
    }
    break;
  }
  if (n_columns == 0) fail("empty trace: expected a header line with columns submit, chips, duration");
  for (auto [col, label] : {std::pair{c_submit, "submit"}, {c_chips, "chips"}, {c_duration, "duration"}})
    if (col < 0)
      fail(std::string("header has no '") + label + "' column (needs submit, chips, duration; "
           "optional tenant, id)");
  if (c_tenant < 0 && default_tenant < 0)
    fail("no 'tenant' column and the scenario has several tenants: give the trace source a `tenant`");

  JobTableSpec table;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto cells = split_csv(line);
    if (cells.size() != n_columns)
      fail("expected " + std::to_string(n_columns) + " columns, got " + std::to_string(cells.size()));
    auto bad = [&](const char* column, const char* what, const std::string& got) {
      fail(std::string("column '") + column + "': expected " + what + ", got '" + got + "'");
    };
    JobEntry e;
    const auto submit = parse_real(cells[c_submit]);
    if (!submit || *submit < 0 || *submit > kMaxDurationSeconds) bad("submit", "seconds >= 0", cells[c_submit]);
    e.submit = SimTime::zero() + Duration::from_seconds(*submit);
    const auto chips = parse_integer(cells[c_chips]);
    if (!chips || *chips <= 0 || *chips > 0xffffffffLL) bad("chips", "a positive integer", cells[c_chips]);
    e.chips = static_cast<std::uint32_t>(*chips);
    const auto dur = parse_real(cells[c_duration]);
    if (!dur || *dur <= 0 || *dur > kMaxDurationSeconds) bad("duration", "seconds > 0", cells[c_duration]);
    e.duration = std::max(Duration::from_seconds(*dur), Duration::millis(1));
    if (c_tenant >= 0) {
      const std::string& t = cells[c_tenant];
      const auto it = std::find_if(tenants.begin(), tenants.end(), [&](auto& x) { return x.name == t; });
      if (it == tenants.end()) bad("tenant", "a tenant declared in the scenario", t);
      e.tenant = static_cast<std::uint16_t>(it - tenants.begin());
    } else {
      e.tenant = static_cast<std::uint16_t>(default_tenant);
    }
    if (c_id >= 0) e.id = cells[c_id];
    table.jobs.push_back(std::move(e));
  }
  std::stable_sort(table.jobs.begin(), table.jobs.end(),
                   [](const JobEntry& a, const JobEntry& b) { return a.submit < b.submit; });
  return table;
}

}  // namespace gigasim
