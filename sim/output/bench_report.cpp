#include "gigasim/output/bench_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "group_table.hpp"
#include "gigasim/output/verdicts.hpp"
#include "gigasim/scenario/units.hpp"
#include "gigasim/version.hpp"

namespace gigasim {

namespace {
nlohmann::ordered_json estimate_json(const Estimate& e) {
  if (!e.defined()) return {{"mean", nullptr}, {"ci95", nullptr}};
  return {{"mean", e.mean}, {"ci95", e.half_width}};
}

// "12.3" or "12.3 ±0.4" when there are replicas.
std::string cell(const Estimate& e, const std::string& value, const std::string& hw) {
  if (!e.defined()) return "n/a";
  return e.n > 1 ? value + " ±" + hw : value;
}
std::string pct(const Estimate& e) {
  return cell(e, fmt::format("{:.1f}%", 100 * e.mean), fmt::format("{:.1f}", 100 * e.half_width));
}
// Amounts as compare shows them: one scale for the mean and its half-width.
std::string amount(const Estimate& e) { return format_estimate(CompareMetric::Unit::Number, e); }
std::string eur(const Estimate& e) { return format_estimate(CompareMetric::Unit::Eur, e); }
std::string dur(const Estimate& e) { return cell(e, format_duration(e.mean), format_duration(e.half_width)); }
std::string num(const Estimate& e, int digits) {
  return cell(e, fmt::format("{:.{}f}", e.mean, digits), fmt::format("{:.{}f}", e.half_width, digits));
}

nlohmann::ordered_json groups_json(const std::vector<GroupEstimates>& groups) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& g : groups)
    out.push_back({{"name", g.name},
                   {"wait_s", {{"mean", estimate_json(g.wait_mean_s)}}},
                   {"busy_chip_hours", estimate_json(g.busy_chip_hours)},
                   {"unmet_eflop_days", estimate_json(g.unmet_eflop_days)}});
  return out;
}
}  // namespace

std::string format_backlog_flag(const Estimate& grows) {
  if (!grows.defined()) return "n/a";
  if (grows.mean <= 0) return "stable";
  const auto growing = static_cast<std::size_t>(std::lround(grows.mean * static_cast<double>(grows.n)));
  return growing == grows.n ? "GROWS" : fmt::format("GROWS {}/{}", growing, grows.n);
}

nlohmann::ordered_json to_json(const BenchResult& r) {
  nlohmann::ordered_json j;
  j["gigasim_version"] = kVersion;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["replicas"] = r.replicas;
  if (r.precision) j["precision"] = {{"target", *r.precision}, {"met", r.precision_met}};
  auto& policies = j["policies"] = nlohmann::ordered_json::array();
  for (const auto& p : r.policies) {
    nlohmann::ordered_json pj;
    pj["policy"] = p.policy;
    pj["utilisation"] = estimate_json(p.utilisation);
    pj["wait_s"] = {{"mean", estimate_json(p.wait_mean_s)}, {"p95", estimate_json(p.wait_p95_s)}};
    pj["bounded_slowdown"] = {{"mean", estimate_json(p.slowdown_mean)}};
    pj["throughput"] = {{"jobs_per_day", estimate_json(p.jobs_per_day)}};
    pj["jain_fairness"] = estimate_json(p.jain_fairness);
    pj["jobs_unfinished"] = estimate_json(p.unfinished);
    pj["jobs_unschedulable"] = estimate_json(p.unschedulable);
    pj["delivered_eflop_days"] = estimate_json(p.delivered_eflop_days);
    pj["energy_mwh"] = estimate_json(p.energy_mwh);
    pj["programme_cost_eur"] = estimate_json(p.programme_cost_eur);
    pj["programme_eur_per_eflop_day"] = estimate_json(p.programme_eur_per_eflop_day);
    pj["unmet_eflop_days"] = estimate_json(p.unmet_eflop_days);
    pj["backlog_grows"] = estimate_json(p.backlog_grows);
    pj["tenants"] = groups_json(p.tenants);
    pj["sources"] = groups_json(p.sources);
    if (&p != &r.policies.front()) {
      nlohmann::ordered_json verdicts = nlohmann::ordered_json::object();
      for (std::size_t k = 0; k < bench_verdict_figures().size(); ++k)
        verdicts[bench_verdict_figures()[k].key] = verdict_name(p.verdicts[k]);
      pj["verdicts"] = std::move(verdicts);
    }
    policies.push_back(std::move(pj));
  }
  return j;
}

std::vector<std::string> bench_verdict_lines(const BenchResult& r) {
  std::vector<const char*> labels;
  for (const auto& f : bench_verdict_figures()) labels.push_back(f.label);
  std::vector<std::string> lines;
  for (std::size_t i = 1; i < r.policies.size(); ++i)
    lines.push_back(format_verdicts(r.policies[i].policy, labels, r.policies[i].verdicts, "--replicas 3 or more, or --precision"));
  // The flag beside the figures: a growing backlog means demand left unserved and censored waits.
  for (const auto& p : r.policies)
    if (p.backlog_grows.defined() && p.backlog_grows.mean > 0)
      lines.push_back(fmt::format("{}: the backlog grows through the run in {} -- it leaves demand unserved, and its "
                                  "waits count only the jobs that started",
                                  p.policy, p.backlog_grows.mean >= 1 ? std::string("every replica")
                                  : fmt::format("{:.0f}% of the replicas", 100 * p.backlog_grows.mean)));
  if (r.precision) lines.push_back(format_precision_line(*r.precision, r.precision_met, r.replicas));
  return lines;
}

std::string format_bench_table(const BenchResult& r) {
  std::string s = fmt::format("gigasim {} -- bench '{}' (seed {}, {} replica{}{})\n\n", kVersion, r.scenario, r.seed,
                              r.replicas, r.replicas == 1 ? "" : "s",
                              r.replicas > 1 ? ", mean ±95% CI half-width" : "");
  if (const auto verdicts = bench_verdict_lines(r); !verdicts.empty()) {
    s += fmt::format("  Verdicts vs {} (95%, paired over {} replica{}):\n", r.policies.front().policy, r.replicas,
                     r.replicas == 1 ? "" : "s");
    for (const auto& line : verdicts) s += "    " + line + "\n";
    s += "\n";
  }
  const int w = r.replicas > 1 ? 20 : 12;
  const int wc = std::max(w, 15);  // the job-count columns' headers are longer
  int name_w = 28;  // the longest policy name sets the first column, so rows stay aligned
  for (const auto& p : r.policies) name_w = std::max(name_w, static_cast<int>(p.policy.size()) + 2);
  s += fmt::format("  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}", "policy", name_w, "util", w, "wait mean", w,
                   "wait p95", w, "bsld mean", w, "jobs/day", w, "unfinished", wc, "unschedulable", wc, "Jain", w);
  s += fmt::format("{:>{}}{:>{}}{:>{}}{:>{}}\n", "backlog", 12, "EFLOP-days", w, "unmet EFLOP-d", wc, "per EFLOP-day", wc + 4);
  for (const auto& p : r.policies) {
    s += fmt::format("  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}", p.policy, name_w, pct(p.utilisation), w,
                     dur(p.wait_mean_s), w, dur(p.wait_p95_s), w, num(p.slowdown_mean, 2), w,
                     num(p.jobs_per_day, 1), w, num(p.unfinished, 0), wc, num(p.unschedulable, 0), wc,
                     num(p.jain_fairness, 3), w);
    s += fmt::format("{:>{}}{:>{}}{:>{}}{:>{}}\n", format_backlog_flag(p.backlog_grows), 12,
                     amount(p.delivered_eflop_days), w, amount(p.unmet_eflop_days), wc,
                     eur(p.programme_eur_per_eflop_day), wc + 4);
  }
  std::vector<GroupAlternative> tenants, sources;
  for (const auto& p : r.policies) {
    tenants.push_back({p.policy, &p.tenants});
    sources.push_back({p.policy, &p.sources});
  }
  // One tenant or one source: its figures are the policy's row.
  if (!r.policies.empty() && r.policies.front().tenants.size() > 1) s += "\n" + format_group_table("tenant", "policy", tenants);
  if (!r.policies.empty() && r.policies.front().sources.size() > 1)
    s += "\n" + format_group_table("workload source", "policy", sources);
  s += "\n  unfinished = jobs queued or running at the end (their waits and slowdowns are not in the means);\n"
       "  unschedulable = jobs that fit no factory they may use; n/a = no job in the sample.\n"
       "  backlog = whether the work waiting grows through the run (GROWS k/n: in k of n replicas;\n"
       "  docs/metrics.md, \"Demand and stability\"); chip-hours per group are held in the window.\n"
       "  Jain = Jain's fairness index of tenants' chip-hours / entitled share (1 = proportional).\n"
       "  EFLOP-days delivered in the window; unmet = demand not kept by the end; cost per EFLOP-day on the\n"
       "  programme basis (docs/energy-and-cost.md; 0 without costs in the scenario).\n";
  return s;
}

}  // namespace gigasim
