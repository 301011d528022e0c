#include "gigasim/engine/policy_bench.hpp"

#include <cmath>
#include <iterator>

#include "gigasim/engine/parallel.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/policy/registry.hpp"

namespace gigasim {

namespace {
// The numbers bench reports from one run.
// Statistics over an empty sample (no job started, none completed) are absent, not 0.
struct RunSummary {
  double utilisation;
  std::optional<double> wait_mean, wait_p95, slowdown_mean;
  double jobs_per_day, jain, unfinished, unschedulable;
  std::vector<GroupFigures> tenants, sources;
  std::optional<double> backlog_grows;  // 1 or 0; none without a trend verdict
  double delivered = 0, energy = 0, programme_cost = 0, unmet = 0;
  std::optional<double> programme_per_eflop_day;
};

RunSummary summarise(const RunResult& r, const std::vector<TenantSpec>& tenants) {
  RunSummary s{r.utilisation, r.wait_s.get(&Summary::mean), r.wait_s.get(&Summary::p95),
               r.bounded_slowdown.get(&Summary::mean), r.jobs_per_day, 0,
               static_cast<double>(r.jobs.unfinished), static_cast<double>(r.jobs.unschedulable), {}, {},
               std::nullopt, 0, 0, 0, 0, std::nullopt};
  // Jain's index over usage / entitlement: tenants' chip-hours divided by their normalised share.
  double total_share = 0;
  for (const auto& t : tenants) total_share += t.share;
  std::vector<double> x;
  for (std::size_t t = 0; t < tenants.size(); ++t) {
    x.push_back(r.tenants[t].busy_chip_hours / (tenants[t].share / total_share));
  }
  s.tenants = tenant_figures(r);
  s.sources = source_figures(r);
  if (r.backlog.stable) s.backlog_grows = *r.backlog.stable ? 0.0 : 1.0;
  s.jain = jain_index(x);
  s.delivered = r.economics.delivered_eflop_days;
  s.energy = r.economics.energy_mwh;
  s.programme_cost = r.economics.programme.cost_eur;
  s.programme_per_eflop_day = r.economics.programme.eur_per_eflop_day;
  s.unmet = r.demand.unmet_eflop_days;
  return s;
}

// The figure k of bench_verdict_figures() of one run.
std::optional<double> figure(const RunSummary& s, std::size_t k) {
  switch (k) {
    case 0: return s.utilisation;
    case 1: return s.wait_mean;
    case 2: return s.wait_p95;
    case 3: return s.slowdown_mean;
    case 4: return s.jobs_per_day;
    case 5: return s.unfinished;
    default: return s.unschedulable;
  }
}
}  // namespace

const std::vector<BenchFigure>& bench_verdict_figures() {
  static const std::vector<BenchFigure> figures = {
      {"utilisation", "utilisation", Better::Higher},
      {"wait_mean_s", "wait mean", Better::Lower},
      {"wait_p95_s", "wait p95", Better::Lower},
      {"bounded_slowdown_mean", "bounded slowdown", Better::Lower},
      {"jobs_per_day", "jobs/day", Better::Higher},
      // Counts of jobs left over: verdicts, but no precision target (often 0, or a handful).
      {"jobs_unfinished", "jobs unfinished", Better::Lower, false},
      {"jobs_unschedulable", "jobs unschedulable", Better::Lower, false},
  };
  return figures;
}

namespace {
// Every headline figure of every policy within the precision: half-width <= target x |mean|.
bool precise_enough(const BenchResult& r, double target) {
  for (const auto& p : r.policies) {
    const Estimate* figures[] = {&p.utilisation, &p.wait_mean_s, &p.wait_p95_s, &p.slowdown_mean, &p.jobs_per_day};
    for (std::size_t k = 0; k < std::size(figures); ++k)
      if (bench_verdict_figures()[k].headline && figures[k]->defined() &&
          figures[k]->half_width > target * std::abs(figures[k]->mean))
        return false;
  }
  return true;
}
}  // namespace

BenchResult run_policy_bench(const Scenario& scenario, const BenchOptions& options) {
  const std::size_t np = options.policies.size();
  const std::uint64_t base_seed = options.seed.value_or(scenario.seed);
  std::vector<Scenario> variants(np, scenario);
  for (std::size_t p = 0; p < np; ++p) variants[p].policy = options.policies[p].spec;

  // runs[r][p]: replica r under policy p; replicas are added in rounds (--precision).
  std::vector<std::vector<RunSummary>> runs;
  auto add_replicas = [&](std::size_t to) {
    const std::size_t from = runs.size();
    runs.resize(to, std::vector<RunSummary>(np));
    parallel_for(np * (to - from), options.threads, [&](std::size_t i) {
      const std::size_t r = from + i / np, p = i % np;
      SimulationOptions o;
      o.limits = options.limits;
      o.seed = base_seed + r;
      o.horizon = options.horizon;
      const BenchPolicy& policy = options.policies[p];
      runs[r][p] = summarise(simulate(variants[p], o, policy.make ? policy.make() : nullptr), scenario.tenants);
    }, options.progress);
  };

  auto summarise_all = [&] {
    const std::size_t nr = runs.size();
    BenchResult out;
    out.scenario = scenario.name;
    out.seed = base_seed;
    out.replicas = static_cast<unsigned>(nr);
    for (const auto& t : scenario.tenants) out.tenants.push_back(t.name);
    for (std::size_t p = 0; p < np; ++p) {
      auto collect = [&](auto field) {
        std::vector<std::optional<double>> v;
        for (std::size_t r = 0; r < nr; ++r) v.push_back(field(runs[r][p]));
        return mean_ci95_defined(v);
      };
      PolicyBenchResult pr;
      const BenchPolicy& policy = options.policies[p];
      pr.policy = policy.name.empty() ? policy_name(policy.spec) : policy.name;
      pr.utilisation = collect([](const RunSummary& s) { return s.utilisation; });
      pr.wait_mean_s = collect([](const RunSummary& s) { return s.wait_mean; });
      pr.wait_p95_s = collect([](const RunSummary& s) { return s.wait_p95; });
      pr.slowdown_mean = collect([](const RunSummary& s) { return s.slowdown_mean; });
      pr.jobs_per_day = collect([](const RunSummary& s) { return s.jobs_per_day; });
      pr.jain_fairness = collect([](const RunSummary& s) { return s.jain; });
      pr.unfinished = collect([](const RunSummary& s) { return s.unfinished; });
      pr.unschedulable = collect([](const RunSummary& s) { return s.unschedulable; });
      pr.delivered_eflop_days = collect([](const RunSummary& s) { return s.delivered; });
      pr.energy_mwh = collect([](const RunSummary& s) { return s.energy; });
      pr.programme_cost_eur = collect([](const RunSummary& s) { return s.programme_cost; });
      pr.programme_eur_per_eflop_day = collect([](const RunSummary& s) { return s.programme_per_eflop_day; });
      pr.unmet_eflop_days = collect([](const RunSummary& s) { return s.unmet; });
      pr.backlog_grows = collect([](const RunSummary& s) { return s.backlog_grows; });
      std::vector<std::vector<GroupFigures>> tenants, sources;
      for (std::size_t r = 0; r < nr; ++r) {
        tenants.push_back(runs[r][p].tenants);
        sources.push_back(runs[r][p].sources);
      }
      pr.tenants = estimate_groups(tenants);
      pr.sources = estimate_groups(sources);
      // Paired on the replica: the same seed, hence the same jobs, under both policies.
      for (std::size_t k = 0; k < bench_verdict_figures().size(); ++k) {
        std::vector<std::optional<double>> d;
        for (std::size_t r = 0; r < nr; ++r) {
          const auto x = figure(runs[r][p], k), base = figure(runs[r][0], k);
          d.push_back(x && base ? std::optional<double>(*x - *base) : std::nullopt);
        }
        pr.diff.push_back(mean_ci95_defined(d));
        pr.verdicts.push_back(p == 0 ? Verdict::NotApplicable : paired_verdict(bench_verdict_figures()[k].better, pr.diff.back()));
      }
      out.policies.push_back(std::move(pr));
    }
    return out;
  };

  const std::size_t first = std::max<std::size_t>(1, options.replicas);
  if (!options.precision) {
    add_replicas(first);
    return summarise_all();
  }
  const double target = *options.precision;
  BenchResult out = replicate_to_precision(first, options.max_replicas, add_replicas, summarise_all,
                                           [&](const BenchResult& r) { return precise_enough(r, target); });
  out.precision = options.precision;
  out.precision_met = precise_enough(out, *options.precision);
  return out;
}

}  // namespace gigasim
