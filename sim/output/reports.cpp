#include "gigasim/output/reports.hpp"

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "gigasim/scenario/units.hpp"
#include "gigasim/version.hpp"

namespace gigasim {

namespace {

nlohmann::ordered_json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

nlohmann::ordered_json summary_json(const Summary& s, bool with_count = true) {
  nlohmann::ordered_json j;
  if (with_count) j["count"] = s.count;
  // Over an empty sample the statistics do not exist: null, never 0 (a bounded slowdown is at
  // least 1 by definition, and a wait of 0 would be a claim).
  auto stat = [&](double Summary::*f) { return optional_json(s.get(f)); };
  j["mean"] = stat(&Summary::mean);
  j["p50"] = stat(&Summary::p50);
  j["p95"] = stat(&Summary::p95);
  j["p99"] = stat(&Summary::p99);
  j["max"] = stat(&Summary::max);
  return j;
}

nlohmann::ordered_json demand_json(const DemandFigures& d) {
  nlohmann::ordered_json j;
  j["offered_jobs"] = d.offered_jobs;
  j["offered_chip_hours"] = d.offered_chip_hours;
  j["offered_eflop_days"] = d.offered_eflop_days;
  j["served_chip_hours"] = d.served_chip_hours;
  j["served_eflop_days"] = d.served_eflop_days;
  j["unmet_chip_hours"] = d.unmet_chip_hours;
  j["unmet_eflop_days"] = d.unmet_eflop_days;
  return j;
}

nlohmann::ordered_json backlog_json(const BacklogTrend& b) {
  nlohmann::ordered_json j;
  j["bins"] = b.bins;
  j["bin_s"] = b.bin_s;
  j["mean_chip_hours"] = b.mean_chip_hours;
  j["end_chip_hours"] = b.end_chip_hours;
  j["end_jobs"] = b.end_jobs;
  j["trend_chip_hours_per_day"] = optional_json(b.trend_chip_hours_per_day);
  j["mann_kendall_z"] = optional_json(b.z);
  j["p_value"] = optional_json(b.p_value);
  j["stable"] = b.stable ? nlohmann::ordered_json(*b.stable) : nlohmann::ordered_json();
  return j;
}

nlohmann::ordered_json counts_json(const JobCounts& c) {
  nlohmann::ordered_json j;
  j["submitted"] = c.submitted;
  j["measured"] = c.measured;
  j["started"] = c.started;
  j["completed"] = c.completed;
  j["unfinished"] = c.unfinished;
  j["queued_at_end"] = c.queued_at_end;
  j["running_at_end"] = c.running_at_end;
  j["unschedulable"] = c.unschedulable;
  return j;
}

// Seconds with millisecond precision, without trailing zeros: exact and locale-independent.
std::string seconds_text(SimTime t) {
  const std::int64_t ms = t.ms();
  if (ms % 1000 == 0) return fmt::format("{}", ms / 1000);
  std::string s = fmt::format("{}.{:03}", ms / 1000, ms % 1000);
  while (s.back() == '0') s.pop_back();
  return s;
}

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\n") == std::string_view::npos) return std::string(v);
  std::string s = "\"";
  for (char c : v) s += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return s + "\"";
}

}  // namespace

nlohmann::ordered_json economics_json(const PlanEconomics& e) {
  nlohmann::ordered_json j;
  j["installed_eflop_days"] = e.installed_eflop_days;
  j["delivered_eflop_days"] = e.delivered_eflop_days;
  j["energy_mwh"] = e.energy_mwh;
  j["mean_facility_mw"] = e.mean_facility_mw;
  j["peak_facility_mw"] = e.peak_facility_mw;
  j["energy_eur"] = e.energy_eur;
  j["capex_eur"] = e.capex_eur;
  j["opex_eur"] = e.opex_eur;
  j["cost_eur"] = e.cost_eur;
  j["eur_per_eflop_day"] = optional_json(e.eur_per_eflop_day);
  const ProgrammeEconomics& g = e.programme;
  nlohmann::ordered_json p;
  p["end_s"] = g.end_s;
  p["years"] = g.years;
  p["discount_rate"] = g.discount_rate;
  p["capex_eur"] = g.capex_eur;
  p["opex_eur"] = g.opex_eur;
  p["energy_mwh"] = g.energy_mwh;
  p["energy_estimated_mwh"] = g.energy_estimated_mwh;
  p["energy_eur"] = g.energy_eur;
  p["cost_eur"] = g.cost_eur;
  p["annual_cost_eur"] = g.annual_cost_eur;
  p["window_charge_eur"] = g.window_charge_eur;
  p["installed_eflop_days"] = g.installed_eflop_days;
  p["eur_per_eflop_day"] = optional_json(g.eur_per_eflop_day);
  p["eur_per_useful_gpu_hour"] = optional_json(g.eur_per_useful_gpu_hour);
  j["programme"] = std::move(p);
  return j;
}

nlohmann::ordered_json to_json(const RunResult& r) {
  nlohmann::ordered_json j;
  j["gigasim_version"] = kVersion;
  j["scenario"] = r.scenario;
  j["scenario_hash"] = fmt::format("{:016x}", r.scenario_hash);
  j["seed"] = r.seed;
  j["start"] = r.start_date ? nlohmann::ordered_json(*r.start_date) : nlohmann::ordered_json();
  j["end_s"] = r.end_s;
  j["warmup_s"] = r.warmup_s;
  j["window_s"] = r.window_s;
  j["jobs"] = counts_json(r.jobs);
  j["utilisation"] = r.utilisation;
  j["utilisation_requested"] = r.utilisation_requested;
  j["availability"] = r.availability;
  j["goodput"] = r.goodput;
  j["chip_hours"] = {{"installed", r.installed_chip_hours}, {"busy", r.busy_chip_hours},
                     {"idle", r.idle_chip_hours},           {"down", r.down_chip_hours},
                     {"maintenance", r.maintenance_chip_hours},
                     {"requested", r.requested_chip_hours}, {"useful", r.useful_chip_hours},
                     {"lost", r.lost_chip_hours},           {"overhead", r.overhead_chip_hours}};
  // Scenarios with inference services only (the output of others keeps its shape).
  const bool services = !r.services.empty();
  if (services) j["chip_hours"]["inference"] = r.inference_chip_hours;
  j["interruptions"] = {{"total", r.interruptions.total},
                        {"in_window", r.interruptions.in_window},
                        {"per_day", r.interruptions.per_day}};
  j["preemptions"] = r.preemptions;
  if (r.elastic)
    j["elastic"] = {{"started", r.elastic->started}, {"grown", r.elastic->grown}, {"shrunk", r.elastic->shrunk}};
  j["wait_s"] = summary_json(r.wait_s);
  j["jct_s"] = summary_json(r.jct_s);
  j["bounded_slowdown"] = summary_json(r.bounded_slowdown);
  j["ettr"] = summary_json(r.ettr);
  j["ettr_large"] = summary_json(r.ettr_large);
  j["jct_large_s"] = summary_json(r.jct_large_s);
  j["economics"] = economics_json(r.economics);
  j["demand"] = demand_json(r.demand);
  j["demand"]["offered_load"] = optional_json(r.offered_load);
  j["demand"]["backlog"] = backlog_json(r.backlog);
  j["throughput"] = {{"jobs_per_day", r.jobs_per_day}};
  j["arrivals_per_day"] = r.arrivals_per_day;
  j["queue_length"] = {{"mean", r.mean_queue_length}};
  j["running_jobs"] = {{"mean", r.mean_running_jobs}};
  auto& factories = j["factories"] = nlohmann::ordered_json::array();
  for (const auto& f : r.factories) {
    factories.push_back({{"name", f.name},
                         {"chip", f.chip},
                         {"chips", f.chips},
                         {"node_size", f.node_size},
                         {"online_s", f.online_s},
                         {"utilisation", f.utilisation},
                         {"availability", f.availability},
                         {"goodput", f.goodput},
                         {"installed_chip_hours", f.installed_chip_hours},
                         {"busy_chip_hours", f.busy_chip_hours},
                         {"idle_chip_hours", f.idle_chip_hours},
                         {"down_chip_hours", f.down_chip_hours},
                         {"maintenance_chip_hours", f.maintenance_chip_hours},
                         {"useful_chip_hours", f.useful_chip_hours},
                         {"jobs_started", f.jobs_started},
                         {"attempts_started", f.attempts_started},
                         {"failures", f.failures},
                         {"domain_failures", f.domain_failures},
                         {"repairs", {{"automatic", {{"succeeded", f.repairs.automatic_succeeded},
                                                     {"failed", f.repairs.automatic_failed}}},
                                      {"manual", {{"succeeded", f.repairs.manual_succeeded},
                                                  {"failed", f.repairs.manual_failed}}}}},
                         {"interruptions", f.interruptions},
                         {"economics", economics_json(f.economics)}});
    if (services) factories.back()["inference_chip_hours"] = f.inference_chip_hours;
  }
  auto& tenants = j["tenants"] = nlohmann::ordered_json::array();
  for (const auto& t : r.tenants) {
    nlohmann::ordered_json tj;
    tj["name"] = t.name;
    tj["share"] = t.share;
    tj["busy_chip_hours"] = t.busy_chip_hours;
    tj["used_chip_hours"] = t.used_chip_hours;
    if (t.allocation_chip_hours) {
      tj["allocation"] = {{"chip_hours", *t.allocation_chip_hours},
                          {"left_chip_hours", t.allocation_left_chip_hours},
                          {"exhausted", t.allocation_exhausted_s.has_value()},
                          {"exhausted_s", t.allocation_exhausted_s ? nlohmann::ordered_json(*t.allocation_exhausted_s)
                                                                   : nlohmann::ordered_json()}};
    }
    tj["jobs"] = counts_json(t.jobs);
    tj["wait_s"] = summary_json(t.wait_s);
    tj["jct_s"] = summary_json(t.jct_s);
    tj["bounded_slowdown"] = summary_json(t.bounded_slowdown);
    tj["demand"] = demand_json(t.demand);
    tenants.push_back(std::move(tj));
  }
  auto& sources = j["sources"] = nlohmann::ordered_json::array();
  for (const auto& src : r.sources)
    sources.push_back({{"name", src.name},
                       {"busy_chip_hours", src.busy_chip_hours},
                       {"jobs", counts_json(src.jobs)},
                       {"wait_s", summary_json(src.wait_s)},
                       {"jct_s", summary_json(src.jct_s)},
                       {"bounded_slowdown", summary_json(src.bounded_slowdown)},
                       {"demand", demand_json(src.demand)}});
  if (services) {
    auto& list = j["services"] = nlohmann::ordered_json::array();
    for (const auto& sv : r.services)
      list.push_back({{"name", sv.name},
                      {"tenant", sv.tenant},
                      {"demand_chip_hours", sv.demand_chip_hours},
                      {"served_chip_hours", sv.served_chip_hours},
                      {"unmet_chip_hours", sv.unmet_chip_hours},
                      {"held_chip_hours", sv.held_chip_hours},
                      {"served_fraction", sv.served_fraction},
                      {"met_time_fraction", sv.met_time_fraction},
                      {"peak_demand_chips", sv.peak_demand_chips},
                      {"peak_unmet_chips", sv.peak_unmet_chips},
                      {"preempted_jobs", sv.preempted_jobs},
                      {"node_failures", sv.node_failures}});
  }
  if (!r.years.empty()) {
    auto& years = j["years"] = nlohmann::ordered_json::array();
    for (const auto& y : r.years)
      years.push_back({{"from_s", y.from_s}, {"to_s", y.to_s},
                       {"from", y.from_date ? nlohmann::ordered_json(*y.from_date) : nlohmann::ordered_json()},
                       {"installed_chip_hours", y.installed_chip_hours}, {"busy_chip_hours", y.busy_chip_hours},
                       {"utilisation", y.utilisation}, {"jobs_submitted", y.jobs_submitted},
                       {"jobs_started", y.jobs_started}, {"jobs_completed", y.jobs_completed},
                       {"wait_mean_s", optional_json(y.wait_mean_s)}});
  }
  auto& unsched = j["unschedulable"] = nlohmann::ordered_json::array();
  for (const auto& u : r.unschedulable)
    unsched.push_back({{"id", u.id}, {"tenant", u.tenant}, {"chips", u.chips}, {"submit_s", u.submit_s},
                       {"kind", u.kind}, {"reason", u.reason}});
  auto& by_kind = j["unschedulable_by_kind"] = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : r.unschedulable_by_kind) by_kind[kind] = n;
  return j;
}

std::string format_summary_duration(const Summary& s, double Summary::*field) {
  const auto v = s.get(field);
  return v ? format_duration(*v) : "n/a";
}

// "stable" or "UNSTABLE", with the evidence (docs/metrics.md, "Demand and stability").
std::string format_backlog_verdict(const BacklogTrend& b) {
  if (!b.stable)
    return fmt::format("mean {} chip-h, {} at the end; too few bins ({}) for a trend test",
                       format_metric(CompareMetric::Unit::Number, b.mean_chip_hours),
                       format_metric(CompareMetric::Unit::Number, b.end_chip_hours), b.bins);
  const double trend = *b.trend_chip_hours_per_day;
  // A p-value below 10^-4 is "p < 0.0001": its digits mean nothing, and e-notation reads badly.
  const double p = *b.p_value;
  const std::string p_text = p < 1e-4 ? "p < 0.0001" : p < 0.01 ? fmt::format("p = {:.4f}", p) : fmt::format("p = {:.2g}", p);
  return fmt::format("{}: mean {} chip-h, {} at the end, trend {}{} chip-h/day (Mann-Kendall {})",
                     *b.stable ? "stable" : "UNSTABLE, grows through the run",
                     format_metric(CompareMetric::Unit::Number, b.mean_chip_hours),
                     format_metric(CompareMetric::Unit::Number, b.end_chip_hours), trend >= 0 ? "+" : "",
                     format_metric(CompareMetric::Unit::Number, trend), p_text);
}

std::string format_table(const RunResult& r) {
  std::string s;
  auto line = [&](std::string_view k, const std::string& v) { s += fmt::format("  {:<26}{}\n", k, v); };
  s += fmt::format("gigasim {} -- scenario '{}' (seed {}, hash {:016x})\n", kVersion, r.scenario, r.seed,
                   r.scenario_hash);
  line("simulated", fmt::format("{} (warm-up {}, measured {})", format_duration(r.end_s),
                                format_duration(r.warmup_s), format_duration(r.window_s)));
  line("jobs submitted", fmt::format("{}  ({} in the measured window)", r.jobs.submitted, r.jobs.measured));
  line("jobs completed", fmt::format("{}", r.jobs.completed));
  line("jobs unfinished at end", fmt::format("{}  ({} queued, {} running)", r.jobs.unfinished,
                                             r.jobs.queued_at_end, r.jobs.running_at_end));
  line("jobs unschedulable", fmt::format("{}", r.jobs.unschedulable));
  line("utilisation", fmt::format("{:.2f}%  (requested chips: {:.2f}%)", 100 * r.utilisation,
                                  100 * r.utilisation_requested));
  line("goodput", fmt::format("{:.2f}%  (availability {:.2f}%)", 100 * r.goodput, 100 * r.availability));
  if (r.interruptions.total > 0)
    line("interruptions", fmt::format("{} ({:.2f}/day in the window; {:.0f} chip-hours of work lost)",
                                      r.interruptions.total, r.interruptions.per_day, r.lost_chip_hours));
  if (r.elastic)
    line("elastic jobs", fmt::format("{} started; {} resizes ({} grown, {} shrunk)", r.elastic->started,
                                     r.elastic->grown + r.elastic->shrunk, r.elastic->grown, r.elastic->shrunk));
  // Repairs by stage, once any repair escalated (a single-stage repair always succeeds).
  FactoryResult::Repairs rep;
  for (const auto& f : r.factories) rep += f.repairs;
  if (rep.automatic_failed + rep.manual() > 0) {
    const auto share = [](std::uint64_t ok, std::uint64_t bad) {
      return ok + bad > 0 ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(ok) / static_cast<double>(ok + bad)) : "n/a";
    };
    line("repairs", fmt::format("{} automatic ({} succeeded), {} manual ({} succeeded)",
                                rep.automatic(), share(rep.automatic_succeeded, rep.automatic_failed), rep.manual(),
                                share(rep.manual_succeeded, rep.manual_failed)));
  }
  line("throughput", fmt::format("{:.1f} jobs/day", r.jobs_per_day));
  const PlanEconomics& e = r.economics;
  // Amounts in compare's notation: four significant digits, grouped or scaled (EUR 8.36 bn, 606.2 GWh).
  using U = CompareMetric::Unit;
  const auto num = [](double v) { return format_metric(U::Number, v); };
  const auto eur = [](double v) { return format_metric(U::Eur, v); };
  line("compute", fmt::format("{} EFLOP-days delivered of {} installed (peak BF16)", num(e.delivered_eflop_days),
                              num(e.installed_eflop_days)));
  if (e.energy_mwh > 0)
    line("energy", fmt::format("{} (mean {:.3g} MW)", format_metric(U::Energy, e.energy_mwh), e.mean_facility_mw));
  auto per_eflop_day = [&](const std::optional<double>& v) { return v ? eur(*v) : std::string("n/a (none delivered)"); };
  if (e.cost_eur > 0)
    line("window cost", fmt::format("{} (depreciation {} + opex {} + energy {}); {} per delivered EFLOP-day",
                                    eur(e.cost_eur), eur(e.capex_eur), eur(e.opex_eur), eur(e.energy_eur),
                                    per_eflop_day(e.eur_per_eflop_day)));
  const ProgrammeEconomics& g = e.programme;
  if (g.cost_eur > 0)
    line("programme", fmt::format("{} over {:.3g} years (capex {} + opex {} + energy {}{}); "
                                  "{}/year, window charge {}: {} per delivered EFLOP-day",
                                  eur(g.cost_eur), g.years, eur(g.capex_eur), eur(g.opex_eur), eur(g.energy_eur),
                                  g.discount_rate > 0 ? fmt::format(", present values at {:g}%/y", 100 * g.discount_rate) : "",
                                  eur(g.annual_cost_eur), eur(g.window_charge_eur), per_eflop_day(g.eur_per_eflop_day)));
  line("mean queue length", fmt::format("{:.1f} jobs", r.mean_queue_length));
  const DemandFigures& dem = r.demand;
  line("demand", fmt::format("{} chip-h offered in the window ({} EFLOP-days{}), {} served; "
                             "{} chip-h ({} EFLOP-days) unmet at the end",
                             num(dem.offered_chip_hours), num(dem.offered_eflop_days),
                             r.offered_load ? fmt::format(", {:.1f}% of installed", 100 * *r.offered_load) : "",
                             num(dem.served_chip_hours), num(dem.unmet_chip_hours), num(dem.unmet_eflop_days)));
  line("backlog", format_backlog_verdict(r.backlog));
  s += "\n";
  s += fmt::format("  {:<14}{:>12}{:>12}{:>12}{:>12}{:>12}\n", "", "mean", "p50", "p95", "p99", "max");
  auto row = [&](std::string_view name, const Summary& x, bool time) {
    auto v = [&](double d) -> std::string {
      if (x.count == 0) return "n/a";  // an empty sample
      return time ? format_duration(d) : fmt::format("{:.2f}", d);
    };
    s += fmt::format("  {:<14}{:>12}{:>12}{:>12}{:>12}{:>12}\n", name, v(x.mean), v(x.p50), v(x.p95),
                     v(x.p99), v(x.max));
  };
  row("wait", r.wait_s, true);
  row("JCT", r.jct_s, true);
  row("bounded sldn", r.bounded_slowdown, false);
  if (r.interruptions.total > 0) row("ETTR", r.ettr, false);
  s += "\n";
  s += fmt::format("  {:<20}{:>8}{:>10}{:>12}{:>14}{:>10}{:>10}\n", "factory", "chip", "chips", "online", "jobs started",
                   "attempts", "util");
  for (const auto& f : r.factories)
    s += fmt::format("  {:<20}{:>8}{:>10}{:>12}{:>14}{:>10}{:>9.2f}%\n", f.name, f.chip, f.chips,
                     format_duration(f.online_s), f.jobs_started, f.attempts_started, 100 * f.utilisation);
  if (!r.years.empty()) {
    s += fmt::format("\n  {:<8}{:>12}{:>18}{:>10}{:>12}{:>12}{:>12}\n", "year", "from", "installed chip-h", "util",
                     "submitted", "completed", "wait mean");
    for (std::size_t i = 0; i < r.years.size(); ++i) {
      const YearResult& y = r.years[i];
      s += fmt::format("  {:<8}{:>12}{:>18}{:>9.2f}%{:>12}{:>12}{:>12}\n", i + 1,
                       y.from_date ? *y.from_date : format_duration(y.from_s), num(y.installed_chip_hours),
                       100 * y.utilisation, y.jobs_submitted, y.jobs_completed,
                       y.wait_mean_s ? format_duration(*y.wait_mean_s) : "n/a");
    }
  }
  if (r.tenants.size() > 1) {
    s += "\n";
    s += fmt::format("  {:<20}{:>10}{:>11}{:>12}{:>12}\n", "tenant", "submitted", "completed", "wait mean",
                     "wait p95");
    for (const auto& t : r.tenants)
      s += fmt::format("  {:<20}{:>10}{:>11}{:>12}{:>12}\n", t.name, t.jobs.submitted, t.jobs.completed,
                       format_summary_duration(t.wait_s, &Summary::mean), format_summary_duration(t.wait_s, &Summary::p95));
    s += fmt::format("\n  {:<20}{:>16}{:>16}{:>16}{:>16}\n", "demand", "offered chip-h", "served chip-h",
                     "unmet chip-h", "unmet EFLOP-d");
    for (const auto& t : r.tenants)
      s += fmt::format("  {:<20}{:>16}{:>16}{:>16}{:>16}\n", t.name, num(t.demand.offered_chip_hours),
                       num(t.demand.served_chip_hours), num(t.demand.unmet_chip_hours), num(t.demand.unmet_eflop_days));
  }
  if (!r.services.empty()) {
    s += fmt::format("\n  {:<28}{:>16}{:>16}{:>16}{:>10}{:>10}{:>12}{:>11}\n", "inference service", "demand chip-h",
                     "served chip-h", "unmet chip-h", "served", "met time", "peak unmet", "preempted");
    for (const auto& sv : r.services)
      s += fmt::format("  {:<28}{:>16}{:>16}{:>16}{:>9.2f}%{:>9.2f}%{:>12}{:>11}\n", sv.name, num(sv.demand_chip_hours),
                       num(sv.served_chip_hours), num(sv.unmet_chip_hours), 100 * sv.served_fraction,
                       100 * sv.met_time_fraction, sv.peak_unmet_chips, sv.preempted_jobs);
  }
  if (r.sources.size() > 1) {
    s += fmt::format("\n  {:<28}{:>10}{:>11}{:>11}{:>12}{:>12}{:>16}{:>16}\n", "workload source", "submitted",
                     "completed", "unfinished", "wait mean", "wait p95", "busy chip-h", "unmet chip-h");
    for (const auto& src : r.sources)
      s += fmt::format("  {:<28}{:>10}{:>11}{:>11}{:>12}{:>12}{:>16}{:>16}\n", src.name, src.jobs.submitted,
                       src.jobs.completed, src.jobs.unfinished, format_summary_duration(src.wait_s, &Summary::mean),
                       format_summary_duration(src.wait_s, &Summary::p95), num(src.busy_chip_hours),
                       num(src.demand.unmet_chip_hours));
  }
  bool allocations = false;
  for (const auto& t : r.tenants) allocations |= t.allocation_chip_hours.has_value();
  if (allocations) {
    s += fmt::format("\n  {:<20}{:>16}{:>16}{:>16}{:>14}\n", "allocation", "granted chip-h", "used chip-h", "left chip-h",
                     "exhausted at");
    for (const auto& t : r.tenants)
      if (t.allocation_chip_hours)
        s += fmt::format("  {:<20}{:>16.0f}{:>16.0f}{:>16.0f}{:>14}\n", t.name, *t.allocation_chip_hours,
                         t.used_chip_hours, t.allocation_left_chip_hours,
                         t.allocation_exhausted_s ? format_duration(*t.allocation_exhausted_s) : "-");
  }
  if (!r.unschedulable.empty()) {
    std::string kinds;
    for (const auto& [kind, n] : r.unschedulable_by_kind) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", n, kind);
    s += fmt::format("\n  {} job(s) can never run ({}):\n", r.jobs.unschedulable, kinds);
    const std::size_t shown = std::min<std::size_t>(r.unschedulable.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& u = r.unschedulable[i];
      s += fmt::format("    job {} (tenant {}): {}\n", u.id, u.tenant, u.reason);
    }
    if (shown < r.jobs.unschedulable)
      s += fmt::format("    ... and {} more (see --json, --jobs-csv)\n", r.jobs.unschedulable - shown);
  }
  return s;
}

JobsCsvWriter::JobsCsvWriter(AtomicFile& out) : out_(out) {
  out_.write("id,tenant,submit,start,end,chips,factory,status,interruptions,reason,source,class,flops\n");
}

void JobsCsvWriter::record(const JobRecord& r) {
  const std::string id = r.label.empty() ? fmt::format("{}", r.id) : csv_field(r.label);
  fmt::print(out_.handle(), "{},{},{},{},{},{},{},{},{},{},{},{},{}\n", id, csv_field(r.tenant), seconds_text(r.submit),
             r.start ? seconds_text(*r.start) : "", r.end ? seconds_text(*r.end) : "", r.chips,
             csv_field(r.factory), to_string(r.outcome), r.interruptions, csv_field(r.reason), csv_field(r.source),
             csv_field(r.job_class), r.flops > 0 ? fmt::format("{}", r.flops) : std::string());
}

TimeseriesCsvWriter::TimeseriesCsvWriter(AtomicFile& out) : out_(out) {
  out_.write("time_s,factory,installed_chips,busy_chips,idle_chips,down_chips,maintenance_chips,queued_jobs,running_jobs,"
             "accelerator_power_mw,facility_power_mw,inference_chips\n");
}

void TimeseriesCsvWriter::row(const TimeseriesRow& r) {
  const bool totals = r.factory.empty();
  fmt::print(out_.handle(), "{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{},{},{:.6g},{:.6g},{:.6g}\n", r.end_s,
             totals ? std::string("(all)") : csv_field(r.factory), r.installed_chips, r.busy_chips, r.idle_chips,
             r.down_chips, r.maintenance_chips, totals ? fmt::format("{:.6g}", r.queued_jobs) : "",
             totals ? fmt::format("{:.6g}", r.running_jobs) : "", r.accelerator_power_mw, r.facility_power_mw,
             r.inference_chips);
}

}  // namespace gigasim
