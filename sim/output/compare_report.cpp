#include "gigasim/output/compare_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/output/number_format.hpp"
#include "gigasim/output/verdicts.hpp"
#include "gigasim/scenario/units.hpp"
#include "gigasim/version.hpp"

namespace gigasim {

namespace {
// A scale for an amount, chosen from the mean so that a mean and its half-width share one
// notation: the divisor, its suffix and the decimals that give four significant digits.
struct Scale {
  double divisor = 1;
  const char* suffix = "";
  int decimals = 0;
};
Scale scale_for(CompareMetric::Unit unit, double mean) {
  const double a = std::abs(mean);
  Scale s;
  if (unit == CompareMetric::Unit::Energy) {  // MWh
    if (a >= 1e6) s = {1e6, " TWh", 0};
    else if (a >= 1e3) s = {1e3, " GWh", 0};
    else s = {1, " MWh", 0};
  } else if (a >= 1e12) {
    s = {1e12, " tn", 0};
  } else if (a >= 1e9) {
    s = {1e9, " bn", 0};
  } else if (a >= 1e6) {
    s = {1e6, " M", 0};
  }
  const double x = a / s.divisor;
  s.decimals = x >= 1000 || x == 0 ? 0 : std::clamp(3 - static_cast<int>(std::floor(std::log10(x))), 0, 2);
  return s;
}

std::string scaled(const Scale& s, double v) { return format_grouped(v / s.divisor, s.decimals); }
}  // namespace

std::string format_metric(CompareMetric::Unit unit, double v) { return format_estimate(unit, Estimate{v, 0, 1}); }

std::string format_estimate(CompareMetric::Unit unit, const Estimate& e) {
  if (!e.defined()) return "n/a";
  const bool ci = e.n > 1;
  switch (unit) {
    case CompareMetric::Unit::Fraction:
      return fmt::format("{:.2f}%", 100 * e.mean) + (ci ? fmt::format(" ±{:.2f}", 100 * e.half_width) : "");
    case CompareMetric::Unit::Seconds:
      return (e.mean < 0 ? "-" : "") + format_duration(std::abs(e.mean)) + (ci ? " ±" + format_duration(e.half_width) : "");
    case CompareMetric::Unit::Count:
      return format_grouped(e.mean, 0) + (ci ? " ±" + format_grouped(e.half_width, 0) : "");
    case CompareMetric::Unit::Number:
    case CompareMetric::Unit::Energy:
    case CompareMetric::Unit::Eur: {
      const Scale s = scale_for(unit, e.mean);
      std::string text = (unit == CompareMetric::Unit::Eur ? "EUR " : "") + scaled(s, e.mean);
      if (ci) text += " ±" + scaled(s, e.half_width);
      return text + s.suffix;
    }
  }
  return fmt::format("{}", e.mean);
}

// Relative to the baseline for amounts ("+12.3%"); fractions differ in points, times by a
// duration (a relative change of a near-zero wait means nothing).
std::string format_compare_diff(const CompareMetric& m, const Estimate& d, const Estimate& base) {
  if (!d.defined()) return "n/a";
  if (m.unit == CompareMetric::Unit::Fraction) {
    std::string s = fmt::format("{:+.2f} pt", 100 * d.mean);
    if (d.n > 1) s += fmt::format(" ±{:.2f}", 100 * d.half_width);
    return s;
  }
  if (m.unit == CompareMetric::Unit::Seconds) {
    std::string s = (d.mean < 0 ? "-" : "+") + format_metric(m.unit, std::abs(d.mean));
    if (d.n > 1) s += " ±" + format_metric(m.unit, d.half_width);
    return s;
  }
  if (base.mean == 0) return d.mean == 0 ? "=" : (d.mean > 0 ? "+" : "-") + format_metric(m.unit, std::abs(d.mean));
  std::string s = fmt::format("{:+.1f}%", 100 * d.mean / base.mean);
  if (d.n > 1) s += fmt::format(" ±{:.1f}", 100 * d.half_width / std::abs(base.mean));
  return s;
}

namespace {
// Whether every plan lists at least two groups, the same names in the same order.
template <class Groups>
bool plans_share(const CompareResult& r, Groups PlanCompareResult::*groups) {
  const auto& first = r.plans.front().*groups;
  if (first.size() < 2) return false;
  for (const auto& p : r.plans) {
    const auto& these = p.*groups;
    if (these.size() != first.size()) return false;
    for (std::size_t i = 0; i < first.size(); ++i)
      if (these[i].name != first[i].name) return false;
  }
  return true;
}
}  // namespace

bool plans_share_tenants(const CompareResult& r) { return plans_share(r, &PlanCompareResult::tenants); }
bool plans_share_sources(const CompareResult& r) { return plans_share(r, &PlanCompareResult::sources); }

std::vector<std::string> compare_verdict_lines(const CompareResult& r) {
  const auto& metrics = compare_metrics();
  std::vector<std::string> lines;
  if (r.plans.size() < 2) return lines;
  std::vector<const char*> labels;
  for (const auto& m : metrics) labels.push_back(m.label);
  for (std::size_t i = 1; i < r.plans.size(); ++i)
    lines.push_back(format_verdicts(r.plans[i].name, labels, r.plans[i].verdicts,
                                    "--replicas 3 or more, or --precision"));
  if (r.precision) lines.push_back(format_precision_line(*r.precision, r.precision_met, r.replicas));
  return lines;
}

nlohmann::ordered_json to_json(const CompareResult& r) {
  const auto& metrics = compare_metrics();
  nlohmann::ordered_json j;
  j["gigasim_version"] = kVersion;
  j["seed"] = r.seed;
  j["replicas"] = r.replicas;
  j["common_workload"] = r.common_workload;
  j["baseline"] = r.plans.front().name;
  if (r.precision) j["precision"] = {{"target", *r.precision}, {"met", r.precision_met}};
  auto& plans = j["plans"] = nlohmann::ordered_json::array();
  for (const auto& p : r.plans) {
    nlohmann::ordered_json pj;
    pj["name"] = p.name;
    pj["installed_chips"] = p.installed_chips;
    pj["factories"] = p.factories;
    // Built apart and then moved in: ordered_json keeps members in a vector, so a reference to
    // one member does not survive inserting the next.
    nlohmann::ordered_json values = nlohmann::ordered_json::object(), diffs = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      if (!compare_metric_shown(r, m)) continue;
      const auto num = [](const Estimate& e, double x) { return e.defined() ? nlohmann::ordered_json(x) : nlohmann::ordered_json(); };
      values[metrics[m].key] = {{"mean", num(p.values[m], p.values[m].mean)}, {"ci95", num(p.values[m], p.values[m].half_width)}};
      diffs[metrics[m].key] = {{"diff", num(p.diff[m], p.diff[m].mean)}, {"ci95", num(p.diff[m], p.diff[m].half_width)}};
    }
    auto& tenants = pj["tenants"] = nlohmann::ordered_json::array();
    for (const auto& t : p.tenants) {
      auto est = [](const Estimate& e) {
        return nlohmann::ordered_json{{"mean", e.defined() ? nlohmann::ordered_json(e.mean) : nlohmann::ordered_json()},
                                      {"ci95", e.defined() ? nlohmann::ordered_json(e.half_width) : nlohmann::ordered_json()}};
      };
      tenants.push_back({{"name", t.name}, {"entitled_share", t.entitled_share}, {"wait_mean_s", est(t.wait_mean_s)},
                         {"served_share", est(t.served_share)}, {"unmet_eflop_days", est(t.unmet_eflop_days)},
                         {"busy_chip_hours", est(t.busy_chip_hours)}});
    }
    auto& sources = pj["sources"] = nlohmann::ordered_json::array();
    for (const auto& g : p.sources) {
      auto est = [](const Estimate& e) {
        return nlohmann::ordered_json{{"mean", e.defined() ? nlohmann::ordered_json(e.mean) : nlohmann::ordered_json()},
                                      {"ci95", e.defined() ? nlohmann::ordered_json(e.half_width) : nlohmann::ordered_json()}};
      };
      sources.push_back({{"name", g.name}, {"wait_mean_s", est(g.wait_mean_s)}, {"busy_chip_hours", est(g.busy_chip_hours)},
                         {"unmet_eflop_days", est(g.unmet_eflop_days)}});
    }
    pj["metrics"] = std::move(values);
    pj["vs_baseline"] = std::move(diffs);
    if (&p != &r.plans.front()) {
      nlohmann::ordered_json verdicts = nlohmann::ordered_json::object();
      for (std::size_t m = 0; m < metrics.size(); ++m)
        if (metrics[m].headline() && compare_metric_shown(r, m)) verdicts[metrics[m].key] = verdict_name(p.verdicts[m]);
      pj["verdicts"] = std::move(verdicts);
    }
    plans.push_back(std::move(pj));
  }
  return j;
}

namespace {
// Per tenant and plan: mean wait, share of the chip-hours served against the share entitled,
// demand unmet. Only when every plan has the same tenants (plans from one file always do).
std::string format_tenant_table(const CompareResult& r, int w) {
  if (!plans_share_tenants(r)) return "";
  const auto& first = r.plans.front().tenants;
  std::size_t lw = 26;  // long names widen the first column, so that the columns stay aligned
  for (const auto& t : first) lw = std::max(lw, t.name.size() + 12);
  std::string s = fmt::format("\n  {:<{}}", "per tenant", lw);
  for (const auto& p : r.plans) s += fmt::format("{:>{}}", p.name, w);
  s += "\n";
  using U = CompareMetric::Unit;
  for (std::size_t t = 0; t < first.size(); ++t) {
    s += fmt::format("  {:<{}}", first[t].name + " wait mean", lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Seconds, p.tenants[t].wait_mean_s), w);
    s += fmt::format("\n  {:<{}}", fmt::format("  served (entitled {:.1f}%)", 100 * first[t].entitled_share), lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Fraction, p.tenants[t].served_share), w);
    s += fmt::format("\n  {:<{}}", "  unmet EFLOP-days", lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Number, p.tenants[t].unmet_eflop_days), w);
    s += "\n";
  }
  return s;
}

// Per workload source and plan: mean wait, chip-hours held, demand unmet (same sources in every plan).
std::string format_source_table(const CompareResult& r, int w) {
  if (!plans_share_sources(r)) return "";
  const auto& first = r.plans.front().sources;
  std::size_t lw = 26;
  for (const auto& g : first) lw = std::max(lw, g.name.size() + 12);
  std::string s = fmt::format("\n  {:<{}}", "per workload source", lw);
  for (const auto& p : r.plans) s += fmt::format("{:>{}}", p.name, w);
  s += "\n";
  using U = CompareMetric::Unit;
  for (std::size_t i = 0; i < first.size(); ++i) {
    s += fmt::format("  {:<{}}", first[i].name + " wait mean", lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Seconds, p.sources[i].wait_mean_s), w);
    s += fmt::format("\n  {:<{}}", "  chip-hours", lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Number, p.sources[i].busy_chip_hours), w);
    s += fmt::format("\n  {:<{}}", "  unmet EFLOP-days", lw);
    for (const auto& p : r.plans) s += fmt::format("{:>{}}", format_estimate(U::Number, p.sources[i].unmet_eflop_days), w);
    s += "\n";
  }
  return s;
}
}  // namespace

std::string format_compare_table(const CompareResult& r) {
  const auto& metrics = compare_metrics();
  std::string s = fmt::format("gigasim {} -- compare {} plan{} (seed {}, {} replica{}{})\n", kVersion, r.plans.size(),
                              r.plans.size() == 1 ? "" : "s", r.seed, r.replicas, r.replicas == 1 ? "" : "s",
                              r.replicas > 1 ? ", mean ±95% CI half-width" : "");
  if (!r.common_workload)
    s += "  note: the plans' job streams differ (arrivals, sizes or work), so the differences compare different jobs\n";
  for (const auto& p : r.plans) {
    // Long factory lists are summarised: count and chips per chip type.
    std::string what = p.factories;
    if (what.size() > 100) what = fmt::format("{} factories, {} chips", p.factory_count, p.installed_chips);
    s += fmt::format("  {}: {}\n", p.name, what);
  }
  const auto verdicts = compare_verdict_lines(r);
  if (!verdicts.empty()) {
    s += fmt::format("\n  Verdicts vs {} (95%, paired over {} replica{}):\n", r.plans.front().name, r.replicas,
                     r.replicas == 1 ? "" : "s");
    for (const auto& line : verdicts) s += "    " + line + "\n";
  }
  s += "\n";
  std::size_t longest = 0;
  for (const auto& p : r.plans) longest = std::max(longest, p.name.size() + 3);  // "vs " + name
  const int w = static_cast<int>(std::max<std::size_t>(r.replicas > 1 ? 24 : 14, longest + 2));
  s += fmt::format("  {:<26}", "");
  for (std::size_t i = 0; i < r.plans.size(); ++i) {
    s += fmt::format("{:>{}}", r.plans[i].name, w);
    if (i > 0) s += fmt::format("{:>{}}", "vs " + r.plans[0].name, w);
  }
  s += "\n";
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (!compare_metric_shown(r, m)) continue;
    s += fmt::format("  {:<26}", metrics[m].label);
    for (std::size_t i = 0; i < r.plans.size(); ++i) {
      s += fmt::format("{:>{}}", format_estimate(metrics[m].unit, r.plans[i].values[m]), w);
      if (i > 0) s += fmt::format("{:>{}}", format_compare_diff(metrics[m], r.plans[i].diff[m], r.plans[0].values[m]), w);
    }
    s += "\n";
  }
  s += format_tenant_table(r, w);
  s += format_source_table(r, w);
  s += r.common_workload
           ? "\n  Differences are paired per replica (same seed, same jobs); utilisation and goodput differ in points.\n"
           : "\n  Differences are paired per replica (same seed; the jobs differ); utilisation and goodput differ in points.\n";
  return s;
}

}  // namespace gigasim
