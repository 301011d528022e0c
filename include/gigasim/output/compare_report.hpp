#pragma once
// `gigasim compare` results as a side-by-side table and as JSON (field names: docs/metrics.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gigasim/engine/plan_compare.hpp"

namespace gigasim {

nlohmann::ordered_json to_json(const CompareResult& r);
std::string format_compare_table(const CompareResult& r);
/// A plan's difference to the baseline as text: relative for amounts ("+12.3% ±1.0"), in points
/// for fractions, as a duration for times.
std::string format_compare_diff(const CompareMetric& m, const Estimate& diff, const Estimate& baseline);
/// The verdicts, one line per plan after the baseline ("better on ...; worse on ..."), and a
/// line on the precision reached when one was asked for: the top of every compare report.
std::vector<std::string> compare_verdict_lines(const CompareResult& r);
/// Every plan has the same tenants (names, in order) and there are at least two: the per-tenant
/// view is shown (plans of one file always share them).
bool plans_share_tenants(const CompareResult& r);
/// The same for workload sources (the per-source view).
bool plans_share_sources(const CompareResult& r);
/// A value of a compare metric as text ("12.30%", "4.20h", "1,234", "EUR 20.70 bn", "13.40 TWh").
std::string format_metric(CompareMetric::Unit unit, double value);
/// A mean and its 95% half-width in one notation and scale, the unit last ("EUR 20.70 ±0.03 bn"):
/// four significant digits of the mean, thousands grouped; "n/a" when undefined.
std::string format_estimate(CompareMetric::Unit unit, const Estimate& e);

}  // namespace gigasim
