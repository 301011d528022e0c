#include "gigasim/engine/plan_compare.hpp"

#include <cmath>

#include <fmt/format.h>

#include "gigasim/engine/parallel.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/observers/workload_fingerprint.hpp"

namespace gigasim {

namespace {
using U = CompareMetric::Unit;
using B = CompareMetric::Better;

std::uint64_t peak_chips(const Scenario& s) {
  std::uint64_t total = 0;
  for (const auto& f : s.factories) total += f.peak_chips();
  return total;
}
}  // namespace

const std::vector<CompareMetric>& compare_metrics() {
  static const std::vector<CompareMetric> metrics = {
      {"delivered_eflop_days", "delivered EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.delivered_eflop_days; }, B::Higher},
      {"installed_eflop_days", "installed EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.economics.installed_eflop_days; }},
      {"utilisation", "utilisation", U::Fraction, [](const RunResult& r) -> std::optional<double> { return r.utilisation; }},
      {"goodput", "goodput", U::Fraction, [](const RunResult& r) -> std::optional<double> { return r.goodput; }},
      {"wait_p50_s", "wait p50", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::p50); }},
      {"wait_p95_s", "wait p95", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::p95); }, B::Lower},
      {"wait_mean_s", "wait mean", U::Seconds, [](const RunResult& r) { return r.wait_s.get(&Summary::mean); }, B::Lower},
      {"jobs_completed", "jobs completed", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.completed); }, B::Higher},
      {"jobs_unfinished", "jobs unfinished", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.unfinished); }, B::Lower},
      {"jobs_unschedulable", "jobs unschedulable", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jobs.unschedulable); }, B::Lower},
      // Demand against service (docs/metrics.md, "Demand and stability").
      {"offered_load", "offered load (of installed)", U::Fraction, [](const RunResult& r) { return r.offered_load; }},
      {"unmet_chip_hours", "unmet demand chip-h", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.demand.unmet_chip_hours; }},
      {"unmet_eflop_days", "unmet demand EFLOP-days", U::Number,
       [](const RunResult& r) -> std::optional<double> { return r.demand.unmet_eflop_days; }, B::Lower},
      {"unstable", "backlog grows (share of runs)", U::Fraction, [](const RunResult& r) -> std::optional<double> {
         if (!r.backlog.stable) return std::nullopt;
         return *r.backlog.stable ? 0.0 : 1.0;
       }},
      // Inference services, summed over them (only for plans that have any).
      {"inference_served_fraction", "inference demand served", U::Fraction,
       [](const RunResult& r) -> std::optional<double> {
         double demand = 0, served = 0;
         for (const auto& s : r.services) demand += s.demand_chip_hours, served += s.served_chip_hours;
         if (r.services.empty()) return std::nullopt;
         return demand > 0 ? served / demand : 1.0;
       },
       B::Higher, true},
      {"inference_unmet_chip_hours", "inference unmet chip-h", U::Number,
       [](const RunResult& r) -> std::optional<double> {
         if (r.services.empty()) return std::nullopt;
         double unmet = 0;
         for (const auto& s : r.services) unmet += s.unmet_chip_hours;
         return unmet;
       },
       B::None, true},
      {"large_jobs_completed", "large jobs done (>=1024)", U::Count,
       [](const RunResult& r) -> std::optional<double> { return static_cast<double>(r.jct_large_s.count); }},
      {"large_jct_mean_s", "large-job JCT mean", U::Seconds, [](const RunResult& r) { return r.jct_large_s.get(&Summary::mean); }, B::Lower},
      {"large_jct_p95_s", "large-job JCT p95", U::Seconds, [](const RunResult& r) { return r.jct_large_s.get(&Summary::p95); }},
      {"energy_mwh", "energy", U::Energy, [](const RunResult& r) -> std::optional<double> { return r.economics.energy_mwh; }},
      {"cost_eur", "window cost", U::Eur, [](const RunResult& r) -> std::optional<double> { return r.economics.cost_eur; }},
      {"capex_eur", "  of which depreciation", U::Eur, [](const RunResult& r) -> std::optional<double> { return r.economics.capex_eur; }},
      {"eur_per_eflop_day", "cost per EFLOP-day (window)", U::Eur,
       [](const RunResult& r) { return r.economics.eur_per_eflop_day; }},
      // The programme basis (docs/energy-and-cost.md): the same period and money for every plan.
      {"programme_cost_eur", "programme cost", U::Eur,
       [](const RunResult& r) -> std::optional<double> { return r.economics.programme.cost_eur; }, B::Lower},
      {"programme_capex_eur", "  of which capex", U::Eur,
       [](const RunResult& r) -> std::optional<double> { return r.economics.programme.capex_eur; }},
      {"programme_eur_per_eflop_day", "cost per EFLOP-day (programme)", U::Eur,
       [](const RunResult& r) { return r.economics.programme.eur_per_eflop_day; }, B::Lower},
      {"eur_per_useful_gpu_hour", "cost per useful GPU-hour", U::Eur,
       [](const RunResult& r) { return r.economics.programme.eur_per_useful_gpu_hour; }},
  };
  return metrics;
}

Verdict verdict_of(const CompareMetric& metric, const Estimate& d) { return paired_verdict(metric.better, d); }

bool compare_metric_shown(const CompareResult& r, std::size_t m) {
  if (!compare_metrics()[m].only_if_defined) return true;
  for (const auto& p : r.plans)
    if (p.values[m].defined()) return true;
  return false;
}

namespace {
// Every headline metric of every plan within the precision: half-width <= target x |mean|.
bool precise_enough(const CompareResult& r, double target) {
  const auto& metrics = compare_metrics();
  for (const auto& p : r.plans)
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const Estimate& e = p.values[m];
      if (metrics[m].headline() && e.defined() && e.half_width > target * std::abs(e.mean)) return false;
    }
  return true;
}
}  // namespace

CompareResult run_plan_compare(const std::vector<Scenario>& plans, const CompareOptions& options) {
  if (plans.empty()) throw std::invalid_argument("compare needs at least one plan");
  const auto& metrics = compare_metrics();
  const std::size_t np = plans.size(), nm = metrics.size();
  const std::uint64_t base_seed = options.seed.value_or(plans.front().seed);

  // runs[r][p]: the metrics of replica r of plan p; replicas are added in rounds.
  std::vector<std::vector<std::vector<std::optional<double>>>> runs;
  std::vector<std::vector<std::uint64_t>> job_streams;
  // tenant_runs[r][p][t]: wait mean, served share, unmet EFLOP-days of tenant t.
  struct TenantNumbers {
    std::optional<double> wait;
    double served_share = 0, unmet = 0, busy = 0;
  };
  std::vector<std::vector<std::vector<TenantNumbers>>> tenant_runs;
  std::vector<std::vector<std::vector<GroupFigures>>> source_runs;  // [r][p]: the sources' figures
  auto add_replicas = [&](std::size_t to) {
    const std::size_t from = runs.size();
    runs.resize(to, std::vector<std::vector<std::optional<double>>>(np));
    job_streams.resize(to, std::vector<std::uint64_t>(np));
    tenant_runs.resize(to, std::vector<std::vector<TenantNumbers>>(np));
    source_runs.resize(to, std::vector<std::vector<GroupFigures>>(np));
    parallel_for(np * (to - from), options.threads, [&](std::size_t i) {
      const std::size_t r = from + i / np, p = i % np;
      WorkloadFingerprint jobs;
      SimulationOptions o;
      o.limits = options.limits;
      o.seed = base_seed + r;
      o.horizon = options.horizon;
      o.observers = {&jobs};
      const RunResult result = simulate(plans[p], o);
      job_streams[r][p] = jobs.value();
      for (const auto& m : metrics) runs[r][p].push_back(m.of(result));
      double busy = 0;
      for (const auto& t : result.tenants) busy += t.busy_chip_hours;
      for (const auto& t : result.tenants)
        tenant_runs[r][p].push_back({t.wait_s.get(&Summary::mean), busy > 0 ? t.busy_chip_hours / busy : 0.0,
                                     t.demand.unmet_eflop_days, t.busy_chip_hours});
      source_runs[r][p] = source_figures(result);
    }, options.progress);
  };
  auto summarise = [&] {
    const std::size_t nr = runs.size();
    CompareResult out;
    out.seed = base_seed;
    out.replicas = static_cast<unsigned>(nr);
    for (std::size_t p = 0; p < np; ++p) {
      for (std::size_t r = 0; r < nr; ++r) out.common_workload &= job_streams[r][p] == job_streams[r][0];
      PlanCompareResult pr;
      pr.name = plans[p].name;
      pr.installed_chips = peak_chips(plans[p]);
      pr.factory_count = plans[p].factories.size();
      for (const auto& f : plans[p].factories)
        pr.factories += fmt::format("{}{} {} {}", pr.factories.empty() ? "" : ", ", f.name, f.chips, f.chip.name);
      for (std::size_t m = 0; m < nm; ++m) {
        std::vector<std::optional<double>> v, d;
        for (std::size_t r = 0; r < nr; ++r) {
          const auto& x = runs[r][p][m];
          const auto& base = runs[r][0][m];
          v.push_back(x);
          // A difference exists for the replicas where both plans have the statistic.
          d.push_back(x && base ? std::optional<double>(*x - *base) : std::nullopt);
        }
        pr.values.push_back(mean_ci95_defined(v));
        pr.diff.push_back(mean_ci95_defined(d));
        pr.verdicts.push_back(p == 0 ? Verdict::NotApplicable : verdict_of(metrics[m], pr.diff.back()));
      }
      double shares = 0;
      for (const auto& t : plans[p].tenants) shares += t.share;
      for (std::size_t t = 0; t < plans[p].tenants.size(); ++t) {
        TenantCompareResult tr;
        tr.name = plans[p].tenants[t].name;
        tr.entitled_share = shares > 0 ? plans[p].tenants[t].share / shares : 0.0;
        std::vector<std::optional<double>> wait, served, unmet, busy;
        for (std::size_t r = 0; r < nr; ++r) {
          const TenantNumbers& x = tenant_runs[r][p][t];
          wait.push_back(x.wait);
          served.push_back(x.served_share);
          unmet.push_back(x.unmet);
          busy.push_back(x.busy);
        }
        tr.wait_mean_s = mean_ci95_defined(wait);
        tr.served_share = mean_ci95_defined(served);
        tr.unmet_eflop_days = mean_ci95_defined(unmet);
        tr.busy_chip_hours = mean_ci95_defined(busy);
        pr.tenants.push_back(std::move(tr));
      }
      std::vector<std::vector<GroupFigures>> sources;
      for (std::size_t r = 0; r < nr; ++r) sources.push_back(source_runs[r][p]);
      pr.sources = estimate_groups(sources);
      out.plans.push_back(std::move(pr));
    }
    return out;
  };

  const std::size_t first = std::max<std::size_t>(1, options.replicas);
  if (!options.precision) {
    add_replicas(first);
    return summarise();
  }
  const double target = *options.precision;
  CompareResult out = replicate_to_precision(first, options.max_replicas, add_replicas, summarise,
                                             [&](const CompareResult& r) { return precise_enough(r, target); });
  out.precision = options.precision;
  out.precision_met = precise_enough(out, *options.precision);
  return out;
}

}  // namespace gigasim
