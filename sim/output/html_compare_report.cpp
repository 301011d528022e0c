// `gigasim compare --report`: verdicts first, the plans side by side, per tenant, bars with 95% CIs.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/svg_chart.hpp"
#include "html_page.hpp"

namespace gigasim {

using svg::escape;

std::string html_compare_report(const CompareResult& r) {
  const auto& metrics = compare_metrics();
  std::string b = fmt::format("<p>{} plan{}, {} replica{} (seed {} + r){}. Differences to <b>{}</b> are paired per "
                              "replica. Error bars: 95% confidence intervals.</p>\n",
                              r.plans.size(), r.plans.size() == 1 ? "" : "s", r.replicas, r.replicas == 1 ? "" : "s",
                              r.seed, r.common_workload ? "; every plan sees the identical job stream" : "",
                              escape(r.plans.front().name));
  b += html::verdicts(fmt::format("Verdicts vs {} (95%, paired)", r.plans.front().name), compare_verdict_lines(r));
  std::string plans = html::row({"plan", "factories"}, true);
  for (const auto& p : r.plans) plans += html::row({p.name, p.factories});
  b += html::table(plans, true);
  b += "<div class=\"wide\"><table>\n<tr><th>metric</th>";
  for (std::size_t i = 0; i < r.plans.size(); ++i) {
    b += "<th>" + escape(r.plans[i].name) + "</th>";
    if (i > 0) b += "<th>vs " + escape(r.plans[0].name) + "</th>";
  }
  b += "</tr>\n";
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (!compare_metric_shown(r, m)) continue;
    b += "<tr><td>" + escape(metrics[m].label) + "</td>";
    for (std::size_t i = 0; i < r.plans.size(); ++i) {
      const auto& p = r.plans[i];
      b += "<td>" + escape(format_estimate(metrics[m].unit, p.values[m])) + "</td>";
      if (i > 0) b += "<td>" + escape(format_compare_diff(metrics[m], p.diff[m], r.plans[0].values[m])) + "</td>";
    }
    b += "</tr>\n";
  }
  b += "</table></div>\n";
  // Per tenant: wait, chip-hours served against entitled, unmet demand (same tenants in every plan).
  if (plans_share_tenants(r)) {
    using U = CompareMetric::Unit;
    b += "<h2>Per tenant</h2>\n<div class=\"wide\"><table>\n<tr><th>tenant</th><th>figure</th>";
    for (const auto& p : r.plans) b += "<th>" + escape(p.name) + "</th>";
    b += "</tr>\n";
    for (std::size_t t = 0; t < r.plans.front().tenants.size(); ++t) {
      const auto& first = r.plans.front().tenants[t];
      auto line = [&](const std::string& what, auto cell) {
        b += "<tr><td>" + escape(first.name) + "</td><td>" + escape(what) + "</td>";
        for (const auto& p : r.plans) b += "<td>" + escape(cell(p.tenants[t])) + "</td>";
        b += "</tr>\n";
      };
      line("wait mean", [](const TenantCompareResult& x) { return format_estimate(U::Seconds, x.wait_mean_s); });
      line(fmt::format("chip-hours served (entitled {:.1f}%)", 100 * first.entitled_share),
           [](const TenantCompareResult& x) { return format_estimate(U::Fraction, x.served_share); });
      line("unmet EFLOP-days", [](const TenantCompareResult& x) { return format_estimate(U::Number, x.unmet_eflop_days); });
    }
    b += "</table></div>\n";
  }
  if (plans_share_sources(r)) {
    using U = CompareMetric::Unit;
    b += "<h2>Per workload source</h2>\n<div class=\"wide\"><table>\n<tr><th>workload source</th><th>figure</th>";
    for (const auto& p : r.plans) b += "<th>" + escape(p.name) + "</th>";
    b += "</tr>\n";
    for (std::size_t i = 0; i < r.plans.front().sources.size(); ++i) {
      auto line = [&](const std::string& what, Estimate GroupEstimates::*field, U unit) {
        b += "<tr><td>" + escape(r.plans.front().sources[i].name) + "</td><td>" + escape(what) + "</td>";
        for (const auto& p : r.plans) b += "<td>" + escape(format_estimate(unit, p.sources[i].*field)) + "</td>";
        b += "</tr>\n";
      };
      line("wait mean", &GroupEstimates::wait_mean_s, U::Seconds);
      line("chip-hours", &GroupEstimates::busy_chip_hours, U::Number);
      line("unmet EFLOP-days", &GroupEstimates::unmet_eflop_days, U::Number);
    }
    b += "</table></div>\n";
  }
  auto largest = [&](const char* key) {
    double most = 0;
    for (std::size_t m = 0; m < metrics.size(); ++m)
      if (std::string_view(metrics[m].key) == key)
        for (const auto& p : r.plans)
          if (p.values[m].defined()) most = std::max(most, p.values[m].mean + p.values[m].half_width);
    return most;
  };
  // Each bar says its value as the tables do ("17.8s", "EUR 21.86 bn"): small next to a long axis, it is still read.
  auto bars = [&](const char* key, double scale) {
    std::vector<svg::Bar> out;
    for (std::size_t m = 0; m < metrics.size(); ++m)
      if (std::string_view(metrics[m].key) == key)
        for (const auto& p : r.plans)
          if (p.values[m].defined())
            out.push_back({p.name, p.values[m].mean * scale, p.values[m].half_width * scale,
                           format_metric(metrics[m].unit, p.values[m].mean)});
    return out;
  };
  b += svg::bar_chart("Delivered compute", "EFLOP-days", bars("delivered_eflop_days", 1));
  b += svg::bar_chart("Utilisation", "%", bars("utilisation", 100));
  const html::Scale wait = html::time_scale(std::max(largest("wait_mean_s"), largest("wait_p95_s")));
  b += svg::bar_chart("Wait mean", wait.unit, bars("wait_mean_s", 1 / wait.divisor));
  b += svg::bar_chart("Wait p95", wait.unit, bars("wait_p95_s", 1 / wait.divisor));
  const html::Scale cost = html::money_scale(largest("programme_cost_eur"));
  b += svg::bar_chart("Programme cost (present value)", cost.unit, bars("programme_cost_eur", 1 / cost.divisor));
  const html::Scale per = html::money_scale(largest("programme_eur_per_eflop_day"));
  b += svg::bar_chart("Programme cost per delivered EFLOP-day", per.unit, bars("programme_eur_per_eflop_day", 1 / per.divisor));
  return html::page("gigasim compare", b);
}

}  // namespace gigasim
