// `gigasim sweep --report`: every point's figures; curves along a numeric parameter (one per
// value of a second parameter), bars otherwise; 95% CIs as error bars.
#include <algorithm>

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/svg_chart.hpp"
#include "gigasim/scenario/units.hpp"
#include "html_page.hpp"

namespace gigasim {

using html::row;
using svg::escape;

namespace {
using U = CompareMetric::Unit;

bool numeric(const SweepResult& r, std::size_t parameter) {
  for (const auto& row_ : r.rows)
    if (!parse_real(row_.values[parameter])) return false;
  return !r.rows.empty();
}

// How the points are drawn: along parameter `x` (numeric), one curve per value of `group`.
struct Layout {
  bool lines = false;
  std::size_t x = 0;
  std::optional<std::size_t> group;
};
Layout layout_of(const SweepResult& r) {
  const std::size_t n = r.parameters.size();
  if (n == 1 && numeric(r, 0)) return {true, 0, std::nullopt};
  if (n == 2) {
    if (numeric(r, 0)) return {true, 0, 1};
    if (numeric(r, 1)) return {true, 1, 0};
  }
  return {};
}

double largest(const SweepResult& r, Estimate SweepRow::*field) {
  double m = 0;
  for (const auto& row_ : r.rows)
    if ((row_.*field).defined()) m = std::max(m, (row_.*field).mean + (row_.*field).half_width);
  return m;
}

std::string chart(const SweepResult& r, const Layout& l, const std::string& title, const std::string& y_label,
                  Estimate SweepRow::*field, double scale, bool duration = false) {
  if (!l.lines) {
    std::vector<svg::Bar> bars;
    for (const auto& row_ : r.rows) {
      std::string label;
      for (const auto& v : row_.values) label += (label.empty() ? "" : " ") + v;
      const Estimate& e = row_.*field;
      if (e.defined()) bars.push_back({label, e.mean * scale, e.half_width * scale, duration ? format_duration(e.mean) : ""});
    }
    return svg::bar_chart(title + " by point", y_label, bars);
  }
  svg::LineChart c;
  c.title = title + " against " + r.parameters[l.x];
  c.x.label = r.parameters[l.x], c.y.label = y_label;
  for (const auto& row_ : r.rows) {
    const Estimate& e = row_.*field;
    if (!e.defined()) continue;
    const std::string name = l.group ? r.parameters[*l.group] + " = " + row_.values[*l.group] : title;
    auto it = std::find_if(c.series.begin(), c.series.end(), [&](const svg::Series& s) { return s.name == name; });
    if (it == c.series.end()) it = c.series.insert(c.series.end(), svg::Series{name, {}, {}});
    it->points.emplace_back(*parse_real(row_.values[l.x]), e.mean * scale);
    it->half_widths.push_back(e.half_width * scale);
  }
  for (auto& s : c.series) {  // along x, whatever order the values were given in
    std::vector<std::size_t> order(s.points.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.points[a].first < s.points[b].first; });
    svg::Series sorted{s.name, {}, {}};
    for (std::size_t i : order) sorted.points.push_back(s.points[i]), sorted.half_widths.push_back(s.half_widths[i]);
    s = std::move(sorted);
  }
  c.legend = l.group.has_value();
  return svg::line_chart(c);
}
}  // namespace

std::string html_sweep_report(const SweepResult& r) {
  std::string b = fmt::format("<p>{} points, {} replica{} each (seed {} + r). Error bars: 95% confidence "
                              "intervals.</p>\n",
                              r.points, r.replicas, r.replicas == 1 ? "" : "s", r.seed);
  std::vector<std::string> head{"point"};
  for (const auto& p : r.parameters) head.push_back(p);
  for (const char* m : {"utilisation", "goodput", "wait mean", "wait p95", "bounded slowdown", "jobs/day", "unfinished",
                        "unschedulable", "delivered EFLOP-days", "unmet EFLOP-days", "EUR per EFLOP-day (programme)"})
    head.emplace_back(m);
  std::string t = row(head, true);
  const auto dur = [](const Estimate& e) { return html::ci(e, format_duration(e.mean), format_duration(e.half_width)); };
  for (const auto& p : r.rows) {
    std::vector<std::string> cells{std::to_string(p.point)};
    cells.insert(cells.end(), p.values.begin(), p.values.end());
    for (const std::string& c :
         {format_estimate(U::Fraction, p.utilisation), format_estimate(U::Fraction, p.goodput), dur(p.wait_mean_s),
          dur(p.wait_p95_s), html::ci(p.slowdown_mean, fmt::format("{:.2f}", p.slowdown_mean.mean), fmt::format("{:.2f}", p.slowdown_mean.half_width)),
          html::ci(p.jobs_per_day, fmt::format("{:.1f}", p.jobs_per_day.mean), fmt::format("{:.1f}", p.jobs_per_day.half_width)),
          format_estimate(U::Count, p.unfinished), format_estimate(U::Count, p.unschedulable),
          format_estimate(U::Number, p.delivered_eflop_days), format_estimate(U::Number, p.unmet_eflop_days),
          format_estimate(U::Eur, p.programme_eur_per_eflop_day)})
      cells.push_back(c);
    t += row(cells);
  }
  b += html::table(t);
  const Layout l = layout_of(r);
  const html::Scale wait = html::time_scale(largest(r, &SweepRow::wait_mean_s));
  b += chart(r, l, "Utilisation", "%", &SweepRow::utilisation, 100);
  b += chart(r, l, "Mean wait", wait.unit, &SweepRow::wait_mean_s, 1 / wait.divisor, true);
  b += chart(r, l, "Goodput", "%", &SweepRow::goodput, 100);
  b += chart(r, l, "Delivered compute", "EFLOP-days", &SweepRow::delivered_eflop_days, 1);
  if (largest(r, &SweepRow::programme_eur_per_eflop_day) > 0) {
    const html::Scale money = html::money_scale(largest(r, &SweepRow::programme_eur_per_eflop_day));
    b += chart(r, l, "Programme cost per delivered EFLOP-day", money.unit, &SweepRow::programme_eur_per_eflop_day,
               1 / money.divisor);
  }
  b += chart(r, l, "Jobs unfinished at the end", "jobs", &SweepRow::unfinished, 1);
  return html::page("gigasim sweep: " + r.scenario, b);
}

}  // namespace gigasim
