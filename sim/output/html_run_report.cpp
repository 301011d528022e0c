// `gigasim run --report`: the run's tables, its time series and its waiting times.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/number_format.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/output/svg_chart.hpp"
#include "gigasim/scenario/units.hpp"
#include "html_page.hpp"

namespace gigasim {

using html::pct;
using html::row;
using svg::escape;

namespace {
// Beyond this many factories one utilisation chart of overlapping lines is unreadable: one small
// panel per factory instead, and installed chips stacked.
constexpr std::size_t kMostLines = 4;

std::string eur(double v) { return format_metric(CompareMetric::Unit::Eur, v); }
std::string num(double v) { return format_metric(CompareMetric::Unit::Number, v); }
std::string count(double v) { return format_grouped(v, 0); }
std::string eur_per(const std::optional<double>& v) { return v ? eur(*v) : "n/a (none delivered)"; }

std::string summary_table(const RunResult& r) {
  const auto d = [](const Summary& s, double Summary::*f) { return format_summary_duration(s, f); };
  std::string b = row({"metric", "value"}, true);
  b += row({"jobs submitted / completed", count(static_cast<double>(r.jobs.submitted)) + " / " +
                                              count(static_cast<double>(r.jobs.completed))});
  b += row({"jobs unfinished at end (queued, running)",
            fmt::format("{} ({}, {})", count(static_cast<double>(r.jobs.unfinished)),
                        count(static_cast<double>(r.jobs.queued_at_end)), count(static_cast<double>(r.jobs.running_at_end)))});
  b += row({"jobs unschedulable", count(static_cast<double>(r.jobs.unschedulable))});
  b += row({"utilisation", pct(r.utilisation)});
  b += row({"goodput", pct(r.goodput)});
  b += row({"availability", pct(r.availability)});
  b += row({"interruptions", count(static_cast<double>(r.interruptions.total))});
  std::uint64_t failures = 0;
  FactoryResult::Repairs rep;
  for (const auto& f : r.factories) failures += f.failures, rep += f.repairs;
  const auto n = [](std::uint64_t v) { return count(static_cast<double>(v)); };
  if (failures > 0)
    b += row({"node failures; repairs that succeeded (automatic, manual)",
              fmt::format("{}; {} of {} automatic, {} of {} manual", n(failures), n(rep.automatic_succeeded),
                          n(rep.automatic()), n(rep.manual_succeeded), n(rep.manual()))});
  b += row({"wait mean / p95 / p99", d(r.wait_s, &Summary::mean) + " / " + d(r.wait_s, &Summary::p95) + " / " +
                                          d(r.wait_s, &Summary::p99)});
  b += row({"JCT mean / p95", d(r.jct_s, &Summary::mean) + " / " + d(r.jct_s, &Summary::p95)});
  b += row({"bounded slowdown mean", r.bounded_slowdown.count > 0 ? fmt::format("{:.2f}", r.bounded_slowdown.mean) : "n/a"});
  b += row({"throughput", fmt::format("{:.1f} jobs/day", r.jobs_per_day)});
  const DemandFigures& dem = r.demand;
  b += row({"demand offered in the window (of installed)",
            fmt::format("{} chip-h, {} EFLOP-days{}", num(dem.offered_chip_hours), num(dem.offered_eflop_days),
                        r.offered_load ? fmt::format(" ({:.1f}%)", 100 * *r.offered_load) : "")});
  b += row({"demand served / unmet at the end", fmt::format("{} / {} chip-h ({} EFLOP-days unmet)", num(dem.served_chip_hours),
                                                            num(dem.unmet_chip_hours), num(dem.unmet_eflop_days))});
  b += row({"backlog of waiting work", format_backlog_verdict(r.backlog)});
  const PlanEconomics& e = r.economics;
  b += row({"compute delivered / installed", fmt::format("{} / {} EFLOP-days", num(e.delivered_eflop_days),
                                                         num(e.installed_eflop_days))});
  b += row({"energy (mean facility power)",
            fmt::format("{} ({:.3g} MW)", format_metric(CompareMetric::Unit::Energy, e.energy_mwh), e.mean_facility_mw)});
  b += row({"window cost (depreciation + opex + energy)",
            fmt::format("{} ({} + {} + {})", eur(e.cost_eur), eur(e.capex_eur), eur(e.opex_eur), eur(e.energy_eur))});
  b += row({"window cost per delivered EFLOP-day", eur_per(e.eur_per_eflop_day)});
  const ProgrammeEconomics& g = e.programme;
  b += row({fmt::format("programme cost over {:.3g} years (capex + opex + energy)", g.years),
            fmt::format("{} ({} + {} + {}){}", eur(g.cost_eur), eur(g.capex_eur), eur(g.opex_eur), eur(g.energy_eur),
                        g.discount_rate > 0 ? fmt::format(", present values at {:g}%/y", 100 * g.discount_rate) : "")});
  b += row({"programme charge to the window (annual cost x window)",
            fmt::format("{} ({}/year)", eur(g.window_charge_eur), eur(g.annual_cost_eur))});
  b += row({"programme cost per delivered EFLOP-day", eur_per(g.eur_per_eflop_day)});
  return html::table(b);
}

std::string factory_table(const RunResult& r) {
  std::string b = row({"factory", "chip", "chips", "utilisation", "goodput", "availability", "jobs started", "attempts",
                       "delivered EFLOP-days", "energy", "EUR per EFLOP-day (programme)"},
                      true);
  for (const auto& f : r.factories)
    b += row({f.name, f.chip, count(f.chips), pct(f.utilisation), pct(f.goodput), pct(f.availability),
              count(static_cast<double>(f.jobs_started)), count(static_cast<double>(f.attempts_started)),
              num(f.economics.delivered_eflop_days), format_metric(CompareMetric::Unit::Energy, f.economics.energy_mwh),
              eur_per(f.economics.programme.eur_per_eflop_day)});
  return html::table(b);
}

std::string tenant_table(const RunResult& r) {
  const auto d = [](const Summary& s, double Summary::*f) { return format_summary_duration(s, f); };
  std::string b = row({"tenant", "submitted", "completed", "chip-hours", "wait mean", "wait p95", "offered EFLOP-days",
                       "unmet EFLOP-days"},
                      true);
  for (const auto& t : r.tenants)
    b += row({t.name, count(static_cast<double>(t.jobs.submitted)), count(static_cast<double>(t.jobs.completed)),
              num(t.busy_chip_hours), d(t.wait_s, &Summary::mean), d(t.wait_s, &Summary::p95),
              num(t.demand.offered_eflop_days), num(t.demand.unmet_eflop_days)});
  return html::table(b);
}

// With a single source it would repeat the summary: only when there are several.
std::string source_table(const RunResult& r) {
  const auto d = [](const Summary& s, double Summary::*f) { return format_summary_duration(s, f); };
  std::string b = row({"workload source", "submitted", "completed", "unfinished", "chip-hours", "wait mean", "wait p95",
                       "offered EFLOP-days", "unmet EFLOP-days"},
                      true);
  for (const auto& src : r.sources)
    b += row({src.name, count(static_cast<double>(src.jobs.submitted)), count(static_cast<double>(src.jobs.completed)),
              count(static_cast<double>(src.jobs.unfinished)), num(src.busy_chip_hours), d(src.wait_s, &Summary::mean),
              d(src.wait_s, &Summary::p95), num(src.demand.offered_eflop_days), num(src.demand.unmet_eflop_days)});
  return html::table(b);
}

std::string service_table(const RunResult& r) {
  std::string b = row({"inference service", "tenant", "demand chip-hours", "served chip-hours", "unmet chip-hours",
                       "served", "time all demand held", "peak demand", "peak unmet", "jobs preempted"},
                      true);
  for (const auto& s : r.services)
    b += row({s.name, s.tenant, num(s.demand_chip_hours), num(s.served_chip_hours), num(s.unmet_chip_hours),
              pct(s.served_fraction), pct(s.met_time_fraction), count(static_cast<double>(s.peak_demand_chips)),
              count(static_cast<double>(s.peak_unmet_chips)), count(static_cast<double>(s.preempted_jobs))});
  return html::table(b);
}

std::string time_series_charts(const RunResult& r, const std::vector<OwnedTimeseriesRow>& series) {
  std::map<std::string, svg::Series> util, installed;
  svg::Series queue{"queued jobs", {}, {}}, running{"running jobs", {}, {}}, power{"facility", {}, {}};
  std::vector<std::string> order;
  for (const auto& o : series) {
    const double day = o.row.end_s / kSecondsPerDay;
    if (o.factory.empty()) {
      queue.points.emplace_back(day, o.row.queued_jobs);
      running.points.emplace_back(day, o.row.running_jobs);
      power.points.emplace_back(day, o.row.facility_power_mw);
      continue;
    }
    if (!util.count(o.factory)) order.push_back(o.factory);
    auto& s = util[o.factory];
    s.name = o.factory;
    // A factory not online (not built yet, or retired) has no utilisation: no point, not 0%.
    if (o.row.installed_chips > 0) s.points.emplace_back(day, 100 * o.row.busy_chips / o.row.installed_chips);
    installed[o.factory].name = o.factory;
    installed[o.factory].points.emplace_back(day, o.row.installed_chips);
  }
  svg::Axis time;
  time.label = "day";
  // With a start date the x axis reads in calendar dates.
  if (r.start_date) {
    const std::string start = *r.start_date;
    time.tick = [start](double day) {
      return date_at(start, SimTime::zero() + Duration::from_seconds(day * kSecondsPerDay)).value_or("");
    };
    time.label = "date";
  }
  const bool many = order.size() > kMostLines;
  svg::LineChart chips;
  chips.title = many ? "Installed chips, stacked by factory (interval means)" : "Installed chips per factory (interval means)";
  chips.x = time, chips.y.label = "chips", chips.stacked = many;
  for (const auto& name : order) chips.series.push_back(installed[name]);
  std::string b = svg::line_chart(chips);

  svg::LineChart use;
  use.title = "Utilisation per factory while installed (interval means)";
  use.x = time, use.y.label = "busy / installed chips, %", use.y.max = 100;
  for (const auto& name : order) use.series.push_back(util[name]);
  b += many ? svg::small_multiples(use) : svg::line_chart(use);
  b += svg::line_chart("Queue length (interval means)", time.label, "jobs", {queue, running}, time.tick);
  b += svg::line_chart("Facility power (interval means)", time.label, "MW", {power}, time.tick);
  return b;
}

// Waits on a log axis, of the jobs that waited at all: often most jobs start at once, and a
// curve of all jobs would sit at the top edge. The share that waited is said in words.
std::string wait_distribution_chart(const RunResult& r) {
  struct Tick {
    double s;
    const char* label;
  };
  static const Tick kTicks[] = {{1, "1 s"},        {10, "10 s"},       {60, "1 min"},  {600, "10 min"},
                                {3600, "1 h"},     {6 * 3600, "6 h"},  {86400, "1 d"}, {7 * 86400, "1 w"},
                                {30 * 86400, "30 d"}, {365 * 86400, "1 y"}};
  double smallest = 0, largest = 0;
  for (const auto& t : r.tenants)
    for (const auto& p : t.wait_cdf)
      if (p.x > 0) smallest = smallest > 0 ? std::min(smallest, p.x) : p.x, largest = std::max(largest, p.x);
  const std::string title = "Waits of the jobs that waited, per tenant (measured jobs)";
  if (largest <= 0) return fmt::format("<p class=\"note\"><b>{}</b>: no measured job waited.</p>\n", escape(title));
  double lo = std::min(smallest, 1.0);
  for (const Tick& t : kTicks)
    if (t.s <= smallest) lo = t.s;
  svg::LineChart c;
  c.title = title;
  c.x.label = "wait (log scale)", c.x.log = true, c.x.min = lo, c.x.max = std::max(largest, lo * 10);
  for (const Tick& t : kTicks) c.x.ticks.push_back(t.s);
  c.x.tick = [](double s) {
    for (const Tick& t : kTicks)
      if (t.s == s) return std::string(t.label);
    return format_duration(s);
  };
  c.y.label = "waited at most this long, %", c.y.max = 100, c.markers = false;
  std::string waited;
  for (const auto& t : r.tenants) {
    if (t.wait_cdf.empty()) continue;
    const double none = t.wait_cdf.front().x == 0 ? t.wait_cdf.front().share : 0.0;
    const double jobs = std::round(static_cast<double>(t.wait_s.count) * (1 - none));
    waited += fmt::format("{}{} {} ({} job{})", waited.empty() ? "" : ", ", t.name, pct(1 - none), count(jobs),
                          jobs == 1 ? "" : "s");
    if (none >= 1) continue;  // no job of this tenant waited: no curve
    // Drawn as the step function it is: flat up to each wait, then up by the jobs that waited it.
    svg::Series s{t.name, {{lo, 0.0}}, {}};
    double below = 0;
    for (const auto& p : t.wait_cdf) {
      if (p.x <= 0) continue;
      const double at = 100 * (p.share - none) / (1 - none);
      s.points.emplace_back(p.x, below);
      s.points.emplace_back(p.x, at);
      below = at;
    }
    c.series.push_back(std::move(s));
  }
  return svg::line_chart(c) + "<p class=\"note\">Share of each tenant's measured jobs that waited at all: " +
         escape(waited) + ".</p>\n";
}
}  // namespace

void TimeseriesCollector::row(const TimeseriesRow& r) {
  OwnedTimeseriesRow o{std::string(r.factory), r};
  o.row.factory = {};
  rows.push_back(std::move(o));
}

std::string html_run_report(const RunResult& r, const std::vector<OwnedTimeseriesRow>& series) {
  std::string b = fmt::format("<p>Seed {}, scenario hash {:016x}; simulated {} (warm-up {}){}.</p>\n", r.seed,
                              r.scenario_hash, escape(format_duration(r.end_s)), escape(format_duration(r.warmup_s)),
                              r.start_date ? ", from " + escape(*r.start_date) : "");
  b += "<h2>Summary</h2>\n" + summary_table(r);
  b += "<h2>Factories</h2>\n" + factory_table(r);
  b += "<h2>Tenants</h2>\n" + tenant_table(r);
  if (r.sources.size() > 1) b += "<h2>Workload sources</h2>\n" + source_table(r);
  if (!r.services.empty()) b += "<h2>Inference services</h2>\n" + service_table(r);
  b += "<h2>Over time</h2>\n" + time_series_charts(r, series);
  b += "<h2>Waiting times</h2>\n" + wait_distribution_chart(r);
  return html::page("gigasim run: " + r.scenario, b);
}

}  // namespace gigasim
