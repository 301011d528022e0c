#include "gigasim/output/sweep_report.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "gigasim/error.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/output/compare_report.hpp"
#include "group_table.hpp"
#include "gigasim/scenario/units.hpp"
#include "gigasim/version.hpp"

namespace gigasim {

namespace {
struct Metric {
  const char* name;
  Estimate SweepRow::*field;
};
constexpr Metric kMetrics[] = {
    {"utilisation", &SweepRow::utilisation},         {"goodput", &SweepRow::goodput},
    {"wait_mean_s", &SweepRow::wait_mean_s},         {"wait_p95_s", &SweepRow::wait_p95_s},
    {"bounded_slowdown_mean", &SweepRow::slowdown_mean}, {"jobs_per_day", &SweepRow::jobs_per_day},
    {"unfinished", &SweepRow::unfinished},           {"unschedulable", &SweepRow::unschedulable},
    {"delivered_eflop_days", &SweepRow::delivered_eflop_days}, {"energy_mwh", &SweepRow::energy_mwh},
    {"programme_cost_eur", &SweepRow::programme_cost_eur},
    {"programme_eur_per_eflop_day", &SweepRow::programme_eur_per_eflop_day},
    {"unmet_eflop_days", &SweepRow::unmet_eflop_days},
    {"backlog_grows", &SweepRow::backlog_grows},
};

// The figures of a tenant or a workload source, in CSV and JSON.
struct GroupMetric {
  const char* name;
  Estimate GroupEstimates::*field;
};
constexpr GroupMetric kGroupMetrics[] = {
    {"wait_mean_s", &GroupEstimates::wait_mean_s},
    {"busy_chip_hours", &GroupEstimates::busy_chip_hours},
    {"unmet_eflop_days", &GroupEstimates::unmet_eflop_days},
};

// The CSV's group columns: every group of any row, in order of first appearance (a parameter
// may change the groups from one point to the next: a row without one leaves its fields empty).
std::vector<std::string> group_names(const SweepResult& r, std::vector<GroupEstimates> SweepRow::*groups) {
  std::vector<std::string> names;
  for (const auto& row : r.rows)
    for (const auto& g : row.*groups)
      if (std::find(names.begin(), names.end(), g.name) == names.end()) names.push_back(g.name);
  return names;
}

// A value over an empty sample: "n/a" in tables, an empty CSV field, JSON null.
std::string or_na(const Estimate& e, const std::string& text) { return e.defined() ? text : "n/a"; }
nlohmann::ordered_json json_or_null(const Estimate& e, double x) { return e.defined() ? nlohmann::ordered_json(x) : nlohmann::ordered_json(); }

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string s = "\"";
  for (char c : v) s += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return s + "\"";
}
}  // namespace

std::string format_sweep_table(const SweepResult& r) {
  std::string s = fmt::format("gigasim {} -- sweep '{}' ({} points, {} replica{}, seed {})\n\n", kVersion, r.scenario,
                              r.points, r.replicas, r.replicas == 1 ? "" : "s", r.seed);
  s += fmt::format("  {:>6}", "point");
  for (const auto& p : r.parameters) s += fmt::format("  {:>20}", p);
  s += fmt::format("{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}{:>12}{:>15}{:>12}{:>14}{:>14}{:>16}\n", "util", "goodput",
                   "wait mean", "wait p95", "bsld", "jobs/day", "unfinished", "unschedulable", "backlog", "EFLOP-days",
                   "unmet EFLOP-d", "EUR/EFLOP-day");
  for (const auto& row : r.rows) {
    s += fmt::format("  {:>6}", row.point);
    for (const auto& v : row.values) s += fmt::format("  {:>20}", v);
    s += fmt::format("{:>11.1f}%{:>11.1f}%{:>12}{:>12}{:>12}{:>12.1f}{:>12.0f}{:>15.0f}\n", 100 * row.utilisation.mean,
                     100 * row.goodput.mean, or_na(row.wait_mean_s, format_duration(row.wait_mean_s.mean)),
                     or_na(row.wait_p95_s, format_duration(row.wait_p95_s.mean)),
                     or_na(row.slowdown_mean, fmt::format("{:.2f}", row.slowdown_mean.mean)), row.jobs_per_day.mean,
                     row.unfinished.mean, row.unschedulable.mean);
    s.pop_back();  // the economics and demand columns follow on the same line
    // EUR per EFLOP-day on the programme basis: the one comparable across plans (energy-and-cost.md).
    // Amounts in compare's notation (grouped or scaled: 9,815 / 1.25 M), never e-notation.
    using U = CompareMetric::Unit;
    s += fmt::format("{:>12}{:>14}{:>14}{:>16}\n", format_backlog_flag(row.backlog_grows),
                     format_metric(U::Number, row.delivered_eflop_days.mean),
                     format_metric(U::Number, row.unmet_eflop_days.mean),
                     or_na(row.programme_eur_per_eflop_day, format_metric(U::Eur, row.programme_eur_per_eflop_day.mean)));
  }
  // Per tenant and per source, one line per point: "3: 0.85, easy".
  std::vector<std::string> labels;
  for (const auto& row : r.rows) {
    std::string label = std::to_string(row.point) + ":";
    for (std::size_t i = 0; i < row.values.size(); ++i) label += (i ? ", " : " ") + row.values[i];
    labels.push_back(std::move(label));
  }
  std::vector<GroupAlternative> tenants, sources;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    tenants.push_back({labels[i], &r.rows[i].tenants});
    sources.push_back({labels[i], &r.rows[i].sources});
  }
  if (!r.rows.empty() && r.rows.front().tenants.size() > 1) s += "\n" + format_group_table("tenant", "point", tenants);
  if (!r.rows.empty() && r.rows.front().sources.size() > 1)
    s += "\n" + format_group_table("workload source", "point", sources);
  s += "\n  backlog = whether the work waiting grows through the run (GROWS k/n: in k of n replicas).\n";
  if (r.replicas > 1) s += "  (means over replicas; the CSV and JSON give 95% confidence half-widths)\n";
  return s;
}

std::string sweep_csv(const SweepResult& r) {
  std::string s = "point";
  for (const auto& p : r.parameters) s += "," + csv_field(p);
  for (const auto& m : kMetrics) s += fmt::format(",{0},{0}_ci95", m.name);
  const std::vector<std::string> tenants = group_names(r, &SweepRow::tenants), sources = group_names(r, &SweepRow::sources);
  for (const auto& [kind, names] : {std::pair{"tenant", &tenants}, std::pair{"source", &sources}})
    for (const auto& name : *names)
      for (const auto& m : kGroupMetrics) {
        const std::string column = fmt::format("{}[{}].{}", kind, name, m.name);
        s += "," + csv_field(column) + "," + csv_field(column + "_ci95");
      }
  s += ",sweep,points_total\n";  // which sweep, and how many points all its shards hold: for merge
  for (const auto& row : r.rows) {
    s += fmt::format("{}", row.point);
    for (const auto& v : row.values) s += "," + csv_field(v);
    for (const auto& m : kMetrics) {
      const Estimate& e = row.*m.field;
      s += e.defined() ? fmt::format(",{},{}", e.mean, e.half_width) : std::string(",,");
    }
    for (const auto& [names, groups] : {std::pair{&tenants, &row.tenants}, std::pair{&sources, &row.sources}})
      for (const auto& name : *names) {
        const auto g = std::find_if(groups->begin(), groups->end(), [&](const GroupEstimates& x) { return x.name == name; });
        for (const auto& m : kGroupMetrics) {
          const Estimate* e = g == groups->end() ? nullptr : &((*g).*m.field);
          s += e && e->defined() ? fmt::format(",{},{}", e->mean, e->half_width) : std::string(",,");
        }
      }
    s += fmt::format(",{},{}\n", r.id, r.points);
  }
  return s;
}

nlohmann::ordered_json to_json(const SweepResult& r) {
  nlohmann::ordered_json j;
  j["gigasim_version"] = kVersion;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["replicas"] = r.replicas;
  j["points"] = r.points;
  j["sweep_id"] = r.id;
  j["parameters"] = r.parameters;
  auto& rows = j["rows"] = nlohmann::ordered_json::array();
  for (const auto& row : r.rows) {
    nlohmann::ordered_json rj;
    rj["point"] = row.point;
    rj["values"] = row.values;
    for (const auto& m : kMetrics) {
      const Estimate& e = row.*m.field;
      rj[m.name] = {{"mean", json_or_null(e, e.mean)}, {"ci95", json_or_null(e, e.half_width)}};
    }
    for (const auto& [key, groups] : {std::pair{"tenants", &row.tenants}, std::pair{"sources", &row.sources}}) {
      auto& list = rj[key] = nlohmann::ordered_json::array();
      for (const auto& g : *groups) {
        nlohmann::ordered_json gj;
        gj["name"] = g.name;
        for (const auto& m : kGroupMetrics) {
          const Estimate& e = g.*m.field;
          gj[m.name] = {{"mean", json_or_null(e, e.mean)}, {"ci95", json_or_null(e, e.half_width)}};
        }
        list.push_back(std::move(gj));
      }
    }
    rows.push_back(std::move(rj));
  }
  return j;
}

std::string merge_sweep_csv(const std::vector<std::filesystem::path>& inputs, std::optional<std::size_t> expected) {
  std::string header, sweep_id, sweep_file;
  std::map<std::size_t, std::string> rows;
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open '" + path.string() + "'");
    std::string line;
    if (!std::getline(in, line)) throw InputError(path.string() + ": empty file");
    if (header.empty()) header = line;
    else if (line != header) throw InputError(path.string() + ":1: header differs from the first file's");
    std::size_t line_no = 1;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      const std::string at = path.string() + ":" + std::to_string(line_no) + ": ";
      const auto point = parse_integer(line.substr(0, line.find(',')));
      if (!point || *point < 0) throw InputError(at + "expected a point number first");
      // The last two fields name the sweep and its size: shards of another sweep (another
      // scenario, other values, seed or replicas) are refused, and so is a missing last shard.
      const auto last = line.rfind(','), before = last == std::string::npos ? last : line.rfind(',', last - 1);
      if (before == std::string::npos) throw InputError(at + "expected the sweep and points_total columns last");
      const std::string sweep = line.substr(before + 1, last - before - 1);
      const auto total = parse_integer(line.substr(last + 1));
      if (!total || *total < 1) throw InputError(at + "points_total: expected a positive integer");
      if (sweep_id.empty()) {
        sweep_id = sweep, sweep_file = path.string();
        if (!expected) expected = static_cast<std::size_t>(*total);
      } else if (sweep != sweep_id) {
        throw InputError(at + "a shard of another sweep (sweep " + sweep + ", while " + sweep_file + " is of sweep " +
                         sweep_id + "): shards must come from one `gigasim sweep` command line");
      }
      if (!rows.emplace(static_cast<std::size_t>(*point), line).second)
        throw InputError(path.string() + ":" + std::to_string(line_no) + ": point " + std::to_string(*point) +
                         " appears twice");
    }
  }
  std::size_t next = 0;
  for (const auto& [point, line] : rows) {
    if (point != next) throw InputError("point " + std::to_string(next) + " is missing (is a shard missing?)");
    ++next;
  }
  if (expected && next != *expected)
    throw InputError("merged " + std::to_string(next) + " points, expected " + std::to_string(*expected) +
                     " (is the last shard missing?)");
  std::string out = header + "\n";
  for (const auto& [point, line] : rows) out += line + "\n";
  return out;
}

}  // namespace gigasim
