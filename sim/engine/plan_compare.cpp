#include "gigasim/engine/plan_compare.hpp"

#include <fmt/format.h>

#include "gigasim/engine/parallel.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/observers/workload_fingerprint.hpp"

namespace gigasim {

namespace {
using U = CompareMetric::Unit;

std::uint64_t peak_chips(const Scenario& s) {
  std::uint64_t total = 0;
  for (const auto& f : s.factories) total += f.peak_chips();
  return total;
}
}  // namespace

const std::vector<CompareMetric>& compare_metrics() {
  static const std::vector<CompareMetric> metrics = {
      {"delivered_eflop_days", "delivered EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.delivered_eflop_days; }},
      {"installed_eflop_days", "installed EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.installed_eflop_days; }},
      {"utilisation", "utilisation", U::Fraction, [](const RunResult& r) -> std::optional<double> { return r.utilisation; }},
      {"goodput", "goodput", U::Fraction, [](const RunResult& r) -> std::optional<double> { return r.goodput; }},
      {"wait_p50_s", "wait p50", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::p50); }},
      {"wait_p95_s", "wait p95", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::p95); }},
      {"wait_mean_s", "wait mean", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::mean); }},
      {"jobs_completed", "jobs completed", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.completed); }},
      {"jobs_unfinished", "jobs unfinished", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.unfinished); }},
      {"jobs_unschedulable", "jobs unschedulable", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.unschedulable); }},
      // Demand against service (docs/metrics.md, "Demand and stability").
      {"offered_load", "offered load (of installed)", U::Fraction, [](const RunResult& r) { return r.offered_load; }},
      {"unmet_chip_hours", "unmet demand chip-h", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.demand.unmet_chip_hours; }},
      {"unmet_eflop_days", "unmet demand EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.demand.unmet_eflop_days; }},
      {"unstable", "backlog grows (share of runs)", U::Fraction, [](const RunResult& r) -> std::optional<double> {
         if (!r.backlog.stable) return std::nullopt;
         return *r.backlog.stable ? 0.0 : 1.0;
       }},
      {"large_jobs_completed", "large jobs done (>=1024)", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jct_large_s.count); }},
      {"large_jct_mean_s", "large-job JCT mean", U::Seconds, [](const RunResult& r) { return r.jct_large_s.get(&Summary::mean); }},
      {"large_jct_p95_s", "large-job JCT p95", U::Seconds, [](const RunResult& r) { return r.jct_large_s.get(&Summary::p95); }},
      {"energy_mwh", "energy MWh", U::Number, [](const RunResult& r) -> std::optional<double> { return r.economics.energy_mwh; }},
      {"cost_eur", "window cost EUR", U::Number, [](const RunResult& r) -> std::optional<double> { return r.economics.cost_eur; }},
      {"capex_eur", "  of which depreciation EUR", U::Number, [](const RunResult& r) -> std::optional<double> { return r.economics.capex_eur; }},
      {"eur_per_eflop_day", "EUR per EFLOP-day (window)", U::Number,
       [](const RunResult& r) { return r.economics.eur_per_eflop_day; }},
      // The programme basis (docs/energy-and-cost.md): the same period and money for every plan.
      {"programme_cost_eur", "programme cost EUR", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.programme.cost_eur; }},
      {"programme_capex_eur", "  of which capex EUR", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.programme.capex_eur; }},
      {"programme_eur_per_eflop_day", "EUR per EFLOP-day (programme)", U::Number,
       [](const RunResult& r) { return r.economics.programme.eur_per_eflop_day; }},
      {"eur_per_useful_gpu_hour", "EUR per useful GPU-hour", U::Number,
       [](const RunResult& r) { return r.economics.programme.eur_per_useful_gpu_hour; }},
  };
  return metrics;
}

CompareResult run_plan_compare(const std::vector<Scenario>& plans, const CompareOptions& options) {
  if (plans.empty()) throw std::invalid_argument("compare needs at least one plan");
  const auto& metrics = compare_metrics();
  const std::size_t np = plans.size(), nr = std::max(1u, options.replicas), nm = metrics.size();
  const std::uint64_t base_seed = options.seed.value_or(plans.front().seed);

  std::vector<std::vector<std::optional<double>>> runs(np * nr);
  std::vector<std::uint64_t> job_streams(np * nr);
  parallel_for(np * nr, options.threads, [&](std::size_t i) {
    WorkloadFingerprint jobs;
    SimulationOptions o;
    o.limits = options.limits;
    o.seed = base_seed + i % nr;
    o.horizon = options.horizon;
    o.observers = {&jobs};
    const RunResult r = simulate(plans[i / nr], o);
    job_streams[i] = jobs.value();
    for (const auto& m : metrics) runs[i].push_back(m.of(r));
  }, options.progress);

  CompareResult out;
  out.seed = base_seed;
  out.replicas = static_cast<unsigned>(nr);
  for (std::size_t p = 0; p < np; ++p) {
    for (std::size_t r = 0; r < nr; ++r) out.common_workload &= job_streams[p * nr + r] == job_streams[r];
    PlanCompareResult pr;
    pr.name = plans[p].name;
    pr.installed_chips = peak_chips(plans[p]);
    pr.factory_count = plans[p].factories.size();
    for (const auto& f : plans[p].factories)
      pr.factories += fmt::format("{}{} {} {}", pr.factories.empty() ? "" : ", ", f.name, f.chips, f.chip.name);
    for (std::size_t m = 0; m < nm; ++m) {
      std::vector<std::optional<double>> v, d;
      for (std::size_t r = 0; r < nr; ++r) {
        const auto& x = runs[p * nr + r][m];
        const auto& base = runs[r][m];
        v.push_back(x);
        // A difference exists for the replicas where both plans have the statistic.
        d.push_back(x && base ? std::optional<double>(*x - *base) : std::nullopt);
      }
      pr.values.push_back(mean_ci95_defined(v));
      pr.diff.push_back(mean_ci95_defined(d));
    }
    out.plans.push_back(std::move(pr));
  }
  return out;
}

}  // namespace gigasim
