#pragma once
// Self-contained HTML reports: tables and charts drawn as inline SVG, no scripts, no network
// (one file to mail or archive). Charts are built by output/svg_chart.hpp.
#include <string>
#include <vector>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/engine/sweep.hpp"
#include "gigasim/metrics/run_result.hpp"

namespace gigasim {

/// A time-series row kept in memory (factory names owned), for reports.
struct OwnedTimeseriesRow {
  std::string factory;  ///< empty for totals
  TimeseriesRow row;
};

/// Collects time-series rows in memory.
class TimeseriesCollector final : public TimeseriesSink {
 public:
  void row(const TimeseriesRow& r) override;
  std::vector<OwnedTimeseriesRow> rows;
};

/// `gigasim run --report`: summary, factories and tenants tables; utilisation per factory and
/// queue length over time; waiting-time quantiles per tenant.
std::string html_run_report(const RunResult& r, const std::vector<OwnedTimeseriesRow>& series);

/// `gigasim bench --report`: per-policy bars with 95% confidence intervals.
std::string html_bench_report(const BenchResult& r);

/// `gigasim compare --report`: the plans side by side, bars with 95% CIs.
std::string html_compare_report(const CompareResult& r);

/// `gigasim sweep --report`: per-point bars (or curves along the first parameter) with 95% CIs.
std::string html_sweep_report(const SweepResult& r);

}  // namespace gigasim
