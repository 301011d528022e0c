// `gigasim bench --report`: the policies side by side, verdicts first, bars with 95% CIs.
#include <algorithm>

#include <fmt/format.h>

#include "gigasim/output/bench_report.hpp"
#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/svg_chart.hpp"
#include "gigasim/scenario/units.hpp"
#include "group_table.hpp"
#include "html_page.hpp"

namespace gigasim {

using html::ci;
using html::row;
using svg::escape;

namespace {
using U = CompareMetric::Unit;
std::string dur(const Estimate& e) { return ci(e, format_duration(e.mean), format_duration(e.half_width)); }
std::string fixed(const Estimate& e, int digits) {
  return ci(e, fmt::format("{:.{}f}", e.mean, digits), fmt::format("{:.{}f}", e.half_width, digits));
}

// Bars of durations say their value as a duration ("17.8s"): small next to a long axis, it is still read.
std::vector<svg::Bar> bars(const BenchResult& r, Estimate PolicyBenchResult::*field, double scale, bool duration = false) {
  std::vector<svg::Bar> out;
  for (const auto& p : r.policies) {
    const Estimate& e = p.*field;
    if (e.defined()) out.push_back({p.policy, e.mean * scale, e.half_width * scale, duration ? format_duration(e.mean) : ""});
  }
  return out;
}

double largest(const BenchResult& r, Estimate PolicyBenchResult::*field) {
  double m = 0;
  for (const auto& p : r.policies)
    if ((p.*field).defined()) m = std::max(m, (p.*field).mean + (p.*field).half_width);
  return m;
}
}  // namespace

std::string html_bench_report(const BenchResult& r) {
  std::string b = fmt::format("<p>{} replica{} (seed {} + r); every policy sees the identical job stream. Error "
                              "bars: 95% confidence intervals.</p>\n",
                              r.replicas, r.replicas == 1 ? "" : "s", r.seed);
  // bench_verdict_lines ends with the precision reached, when one was asked for.
  b += html::verdicts(fmt::format("Verdicts vs {} (95%, paired)", r.policies.front().policy), bench_verdict_lines(r));
  std::string t = row({"policy", "utilisation", "wait mean", "wait p95", "bounded slowdown", "jobs/day", "unfinished",
                       "unschedulable", "backlog", "Jain", "delivered EFLOP-days", "unmet EFLOP-days", "EUR per EFLOP-day (programme)"},
                      true);
  for (const auto& p : r.policies)
    t += row({p.policy, format_estimate(U::Fraction, p.utilisation), dur(p.wait_mean_s), dur(p.wait_p95_s),
              fixed(p.slowdown_mean, 2), fixed(p.jobs_per_day, 1), format_estimate(U::Count, p.unfinished),
              format_estimate(U::Count, p.unschedulable), format_backlog_flag(p.backlog_grows), fixed(p.jain_fairness, 3),
              format_estimate(U::Number, p.delivered_eflop_days), format_estimate(U::Number, p.unmet_eflop_days),
              format_estimate(U::Eur, p.programme_eur_per_eflop_day)});
  b += html::table(t);
  b += "<p class=\"note\">unfinished = jobs queued or running at the end (their waits are not in the means); "
       "unschedulable = jobs that fit no factory they may use; backlog = whether the waiting work grows through "
       "the run (GROWS k/n: in k of n replicas); n/a = no job in the sample; Jain = Jain's fairness "
       "index of tenants' chip-hours over their entitled shares.</p>\n";
  std::vector<GroupAlternative> tenants, sources;
  for (const auto& p : r.policies) {
    tenants.push_back({p.policy, &p.tenants});
    sources.push_back({p.policy, &p.sources});
  }
  if (r.policies.front().tenants.size() > 1)
    b += "<h2>Per tenant</h2>\n" + html::table(group_table_html("tenant", "policy", tenants));
  if (r.policies.front().sources.size() > 1)
    b += "<h2>Per workload source</h2>\n" + html::table(group_table_html("workload source", "policy", sources));
  const html::Scale wait = html::time_scale(std::max(largest(r, &PolicyBenchResult::wait_mean_s),
                                                     largest(r, &PolicyBenchResult::wait_p95_s)));
  b += svg::bar_chart("Mean wait", wait.unit, bars(r, &PolicyBenchResult::wait_mean_s, 1 / wait.divisor, true));
  b += svg::bar_chart("Wait p95", wait.unit, bars(r, &PolicyBenchResult::wait_p95_s, 1 / wait.divisor, true));
  b += svg::bar_chart("Utilisation", "%", bars(r, &PolicyBenchResult::utilisation, 100));
  b += svg::bar_chart("Mean bounded slowdown", "", bars(r, &PolicyBenchResult::slowdown_mean, 1));
  b += svg::bar_chart("Jobs unfinished at the end", "jobs", bars(r, &PolicyBenchResult::unfinished, 1));
  b += svg::bar_chart("Jain's fairness index", "", bars(r, &PolicyBenchResult::jain_fairness, 1));
  return html::page("gigasim bench: " + r.scenario, b);
}

}  // namespace gigasim
