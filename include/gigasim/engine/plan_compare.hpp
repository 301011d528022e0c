#pragma once
// `gigasim compare`: several capacity plans on the identical job stream.
// Replica r of every plan runs with seed = base seed + r, and workload streams are keyed by the
// workload's position and purpose only, so every plan sees the same jobs (common random numbers)
// whenever the plans share their workload. Differences to the first plan (the baseline) are
// estimated per replica pair, which CRN makes much tighter than two independent estimates.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/metrics/confidence.hpp"
#include "gigasim/metrics/group_estimates.hpp"
#include "gigasim/metrics/run_result.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

struct CompareOptions {
  unsigned replicas = 1;
  unsigned threads = 0;  ///< 0 = all hardware threads; results do not depend on it
  std::optional<std::uint64_t> seed;  ///< default: the first plan's seed
  std::optional<SimTime> horizon;
  std::function<void(std::size_t, std::size_t)> progress;
  RunLimits limits;  ///< for every run (SimulationOptions::limits)
  /// Target: every headline metric's 95% half-width within this fraction of its mean, for
  /// every plan. Replicas are added (doubling, from max(replicas, 3)) until it holds or
  /// max_replicas is reached. Deterministic: the replicas are decided by counts, never by timing.
  std::optional<double> precision;
  unsigned max_replicas = 64;
};

/// One reported figure of a plan: how it is read from a run and how it is shown.
struct CompareMetric {
  /// How values are shown: Number carries its unit in the label (EFLOP-days, chip-h); Eur and
  /// Energy (MWh) print theirs, scaled ("EUR 20.7 bn", "13.4 TWh").
  enum class Unit { Fraction, Seconds, Count, Number, Eur, Energy };
  /// Which way is better, for the headline metrics that get a verdict (None: informational).
  using Better = gigasim::Better;
  const char* key;    ///< JSON key (public interface)
  const char* label;  ///< table label
  Unit unit;
  /// nullopt where the run has no value (a statistic over an empty sample).
  std::optional<double> (*of)(const RunResult&);
  Better better = Better::None;
  /// Shown (table, JSON, verdicts) only when some plan has a value: the inference services'
  /// figures, which scenarios without services do not have.
  bool only_if_defined = false;
  bool headline() const { return better != Better::None; }
};

/// A plan against the baseline on one metric (paired_verdict for its direction; NotApplicable
/// for informational metrics).
Verdict verdict_of(const CompareMetric& metric, const Estimate& paired_difference);

/// The figures `compare` reports, in table order.
const std::vector<CompareMetric>& compare_metrics();

/// One tenant under one plan: what it waited and got against what it is entitled to.
struct TenantCompareResult {
  std::string name;
  double entitled_share = 0;   ///< its share / the sum of shares
  Estimate wait_mean_s;        ///< of its measured jobs that started
  Estimate served_share;       ///< its busy chip-hours / all tenants' busy chip-hours, in the window
  Estimate unmet_eflop_days;   ///< its demand not kept by the end
  Estimate busy_chip_hours;    ///< chip-hours its jobs held in the window
};

struct PlanCompareResult {
  std::string name;
  std::uint64_t installed_chips = 0;  ///< chips at each factory's peak, summed over factories
  std::size_t factory_count = 0;
  std::string factories;              ///< e.g. "af-lux 25000 H100, gf-north 100000 B200"
  std::vector<Estimate> values;       ///< per compare_metrics()
  std::vector<Estimate> diff;         ///< plan - baseline, paired per replica (zeros for the baseline)
  std::vector<Verdict> verdicts;      ///< per compare_metrics(); NotApplicable for the baseline
  std::vector<TenantCompareResult> tenants;  ///< in scenario order
  std::vector<GroupEstimates> sources;       ///< per workload entry, in scenario order
};

struct CompareResult {
  std::uint64_t seed = 0;
  unsigned replicas = 1;
  /// Every plan submitted exactly the baseline's jobs in every replica (same arrival times,
  /// sizes, tenants and work: WorkloadFingerprint), so differences are paired on the same jobs.
  bool common_workload = true;
  std::optional<double> precision;    ///< the target asked for, if any
  bool precision_met = false;         ///< every headline half-width within it (with precision)
  std::vector<PlanCompareResult> plans;
};

/// Whether compare_metrics()[m] is reported for this comparison (see only_if_defined).
bool compare_metric_shown(const CompareResult& r, std::size_t m);

CompareResult run_plan_compare(const std::vector<Scenario>& plans, const CompareOptions& options);

}  // namespace gigasim
