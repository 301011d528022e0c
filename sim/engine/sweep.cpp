#include "gigasim/engine/sweep.hpp"

#include <cmath>

#include <fmt/format.h>

#include "gigasim/engine/parallel.hpp"
#include "gigasim/core/random.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim {

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

// Values of a range, printed without spurious decimals: 0.1:0.3:0.1 -> 0.1, 0.2, 0.3.
std::vector<std::string> expand_range(const std::string& text, const std::string& flag) {
  const auto parts = split(text, ':');
  const auto a = parse_real(parts[0]), b = parse_real(parts[1]), step = parse_real(parts[2]);
  if (!a || !b || !step || *step <= 0 || *b < *a)
    throw InputError(flag + ": expected a range start:stop:step with step > 0 and stop >= start");
  const double n = std::floor((*b - *a) / *step + 1e-9);
  if (n > 100000) throw InputError(flag + ": more than 100,000 values");
  std::vector<std::string> out;
  for (int i = 0; i <= static_cast<int>(n); ++i) out.push_back(fmt::format("{:.12g}", *a + i * *step));
  return out;
}
}  // namespace

SweepParameter parse_sweep_parameter(const std::string& text) {
  const std::string flag = "--set " + text;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw InputError(flag + ": expected PATH=VALUES, e.g. factories[0].chips=50000:150000:25000");
  SweepParameter p{text.substr(0, eq), {}};
  const std::string values = text.substr(eq + 1);
  if (split(values, ':').size() == 3 && values.find(',') == std::string::npos && values.find('{') == std::string::npos)
    p.values = expand_range(values, flag);
  else
    p.values = split(values, ',');
  for (const auto& v : p.values)
    if (v.empty()) throw InputError(flag + ": empty value in the list");
  return p;
}

SweepResult run_sweep(const std::filesystem::path& file, const SweepOptions& o) {
  if (o.shards == 0 || o.shard == 0 || o.shard > o.shards)
    throw InputError("--shard: expected K/N with 1 <= K <= N");
  SweepResult out;
  std::size_t points = 1;
  for (const auto& p : o.parameters) {
    out.parameters.push_back(p.path);
    points *= p.values.size();
    if (points > 10'000'000) throw InputError("the sweep has more than 10^7 points");
  }
  out.points = points;
  const unsigned nr = std::max(1u, o.replicas);
  out.replicas = nr;
  std::uint64_t id = fnv1a64(read_input_file(file, "scenario file", o.input_limits.scenario_bytes, "scenario_bytes"));
  for (const auto& p : o.parameters) {
    id = fnv1a64(p.path + "\n", id);
    for (const auto& v : p.values) id = fnv1a64(v + "\n", id);
  }
  id = fnv1a64(fmt::format("replicas={} seed={} horizon={}", nr, o.seed ? std::to_string(*o.seed) : "-",
                           o.horizon ? std::to_string(o.horizon->ms()) : "-"),
               id);
  if (o.plan) id = fnv1a64("plan=" + *o.plan, id);
  // The point's scenario: the file, or its plan `o.plan`.
  auto load = [&](const std::vector<ScenarioOverride>& overrides) -> Scenario {
    if (!o.plan) return load_scenario(file, overrides, o.input_limits);
    std::string names;
    for (Scenario& sc : load_plans(file, overrides, o.input_limits)) {
      if (sc.name == *o.plan) return std::move(sc);
      names += (names.empty() ? "" : ", ") + sc.name;
    }
    throw InputError("--plan: no plan '" + *o.plan + "' in " + file.string() + " (plans: " + names + ")");
  };
  out.id = fmt::format("{:016x}", id);

  // The points of this shard, each loaded (and so validated) before anything runs.
  std::vector<Scenario> scenarios;
  for (std::size_t point = o.shard - 1; point < points; point += o.shards) {
    SweepRow row;
    row.point = point;
    std::vector<ScenarioOverride> overrides;
    std::size_t rest = point;
    std::vector<std::size_t> index(o.parameters.size());
    for (std::size_t k = o.parameters.size(); k-- > 0;) {  // last parameter varies fastest
      index[k] = rest % o.parameters[k].values.size();
      rest /= o.parameters[k].values.size();
    }
    for (std::size_t k = 0; k < o.parameters.size(); ++k) {
      row.values.push_back(o.parameters[k].values[index[k]]);
      overrides.push_back({o.parameters[k].path, row.values.back()});
    }
    try {
      scenarios.push_back(load(overrides));
      if (o.horizon && SimTime::zero() + scenarios.back().warmup >= *o.horizon)
        throw InputError("--horizon: expected more than the scenario's warm-up (" +
                         format_duration(scenarios.back().warmup.seconds_f()) + ")");
    } catch (const InputError& e) {
      std::string at;
      for (const auto& ov : overrides) at += (at.empty() ? "" : ", ") + ov.path + "=" + ov.value;
      throw InputError("sweep point " + std::to_string(point) + " (" + at + "): " + e.what());
    }
    out.rows.push_back(std::move(row));
  }
  out.scenario = scenarios.empty() ? load({}).name : scenarios.front().name;
  out.seed = o.seed.value_or(scenarios.empty() ? 0 : scenarios.front().seed);

  struct Numbers {
    std::optional<double> utilisation, goodput, wait_mean, wait_p95, slowdown, jobs_per_day, unfinished, unschedulable;
    std::optional<double> delivered, energy, programme_cost, programme_per_eflop_day, unmet;
    std::optional<double> backlog_grows;  // 1 or 0; none without a trend verdict
    std::vector<GroupFigures> tenants, sources;
  };
  std::vector<Numbers> runs(scenarios.size() * nr);
  parallel_for(runs.size(), o.threads, [&](std::size_t i) {
    const Scenario& sc = scenarios[i / nr];
    SimulationOptions so;
    so.seed = o.seed.value_or(sc.seed) + i % nr;
    so.horizon = o.horizon;
    so.limits = o.limits;
    const RunResult r = simulate(sc, so);
    runs[i] = {r.utilisation, r.goodput, r.wait_s.get(&Summary::mean), r.wait_s.get(&Summary::p95),
               r.bounded_slowdown.get(&Summary::mean), r.jobs_per_day, static_cast<double>(r.jobs.unfinished),
               static_cast<double>(r.jobs.unschedulable), r.economics.delivered_eflop_days, r.economics.energy_mwh,
               r.economics.programme.cost_eur, r.economics.programme.eur_per_eflop_day, r.demand.unmet_eflop_days,
               r.backlog.stable ? std::optional<double>(*r.backlog.stable ? 0.0 : 1.0) : std::nullopt,
               tenant_figures(r), source_figures(r)};
  }, o.progress);
  for (std::size_t p = 0; p < out.rows.size(); ++p) {
    auto collect = [&](std::optional<double> Numbers::*field) {
      std::vector<std::optional<double>> v;
      for (std::size_t r = 0; r < nr; ++r) v.push_back(runs[p * nr + r].*field);
      return mean_ci95_defined(v);
    };
    SweepRow& row = out.rows[p];
    row.utilisation = collect(&Numbers::utilisation);
    row.goodput = collect(&Numbers::goodput);
    row.wait_mean_s = collect(&Numbers::wait_mean);
    row.wait_p95_s = collect(&Numbers::wait_p95);
    row.slowdown_mean = collect(&Numbers::slowdown);
    row.jobs_per_day = collect(&Numbers::jobs_per_day);
    row.unfinished = collect(&Numbers::unfinished);
    row.delivered_eflop_days = collect(&Numbers::delivered);
    row.energy_mwh = collect(&Numbers::energy);
    row.programme_cost_eur = collect(&Numbers::programme_cost);
    row.programme_eur_per_eflop_day = collect(&Numbers::programme_per_eflop_day);
    row.unmet_eflop_days = collect(&Numbers::unmet);
    row.unschedulable = collect(&Numbers::unschedulable);
    row.backlog_grows = collect(&Numbers::backlog_grows);
    std::vector<std::vector<GroupFigures>> tenants, sources;
    for (std::size_t r = 0; r < nr; ++r) {
      tenants.push_back(std::move(runs[p * nr + r].tenants));
      sources.push_back(std::move(runs[p * nr + r].sources));
    }
    row.tenants = estimate_groups(tenants);
    row.sources = estimate_groups(sources);
  }
  return out;
}

}  // namespace gigasim
