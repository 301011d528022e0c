#pragma once
// `gigasim bench`: the same workload under several policies, over several replicas.
// Every policy sees the identical job stream of a replica (common random numbers: the workload's
// streams do not depend on the policy), and replica r uses seed = scenario seed + r.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/metrics/confidence.hpp"
#include "gigasim/metrics/group_estimates.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// One policy of a bench: by registry names (a PolicySpec), or a plug-in given as code -- a
/// scheduler made fresh for every run by `make` (e.g. a Python policy, sim/python/).
struct BenchPolicy {
  BenchPolicy(PolicySpec s) : spec(std::move(s)) {}  // implicit: a list of specs is a list of policies
  BenchPolicy(std::string row_name, PolicySpec base, std::function<std::unique_ptr<Scheduler>()> maker)
      : spec(std::move(base)), name(std::move(row_name)), make(std::move(maker)) {}
  /// The scenario's policy section for the run: what a plug-in does not decide itself (runtime
  /// estimates, chip-hour allocations) comes from here.
  PolicySpec spec;
  std::string name;  ///< the row's name; empty: policy_name(spec)
  /// Called once per run, from the bench's worker threads (one call at a time is not promised);
  /// empty: the scheduler the registry makes for `spec`.
  std::function<std::unique_ptr<Scheduler>()> make;
};

struct BenchOptions {
  std::vector<BenchPolicy> policies;
  unsigned replicas = 1;
  unsigned threads = 0;  ///< 0 = all hardware threads; results do not depend on it
  std::optional<std::uint64_t> seed;
  std::optional<SimTime> horizon;
  /// Called (from worker threads, serialised) after each finished run with (done, total).
  std::function<void(std::size_t, std::size_t)> progress;
  RunLimits limits;  ///< for every run (SimulationOptions::limits)
  /// When set: start from max(replicas, 3) and double the replicas until every headline figure
  /// (bench_verdict_figures() with `headline`) of every policy has a 95% half-width within this
  /// share of its |mean|, or max_replicas is reached. Decided by counts only, never by timing.
  std::optional<double> precision;
  unsigned max_replicas = 64;
};

/// A bench figure that gets a verdict against the first policy (docs/metrics.md).
struct BenchFigure {
  const char* key;    ///< JSON key of the verdict
  const char* label;  ///< in the verdict lines
  Better better;
  bool headline = true;  ///< what --precision must reach (not the counts of unfinished jobs)
};
/// The figures bench gives verdicts on, in order.
const std::vector<BenchFigure>& bench_verdict_figures();

/// One policy's results across replicas. A statistic over an empty sample in a replica (no job
/// started: no wait) leaves that replica out of its estimate; in every replica: undefined (n 0).
struct PolicyBenchResult {
  std::string policy;  ///< canonical name, e.g. "fifo+easy+first-fit"
  Estimate utilisation, wait_mean_s, wait_p95_s, slowdown_mean, jobs_per_day, jain_fairness;
  std::vector<GroupEstimates> tenants;       ///< in scenario tenant order
  std::vector<GroupEstimates> sources;       ///< per workload entry, in scenario order
  /// Share of the replicas whose backlog grows through the run (BacklogTrend::stable false):
  /// the policy leaves demand unserved and its waits are censored. n = replicas with a verdict.
  Estimate backlog_grows;
  Estimate unfinished;                       ///< jobs queued or running at the end
  Estimate unschedulable;                    ///< jobs that can never start (too large, ...)
  /// Compute, energy and money (docs/energy-and-cost.md) and demand not met (docs/metrics.md).
  Estimate delivered_eflop_days, energy_mwh, programme_cost_eur, programme_eur_per_eflop_day, unmet_eflop_days;
  /// Per bench_verdict_figures(): this policy minus the first, paired per replica, and the verdict
  /// (NotApplicable for the first policy).
  std::vector<Estimate> diff;
  std::vector<Verdict> verdicts;
};

struct BenchResult {
  std::string scenario;
  std::uint64_t seed = 0;
  unsigned replicas = 1;
  std::vector<std::string> tenants;
  std::vector<PolicyBenchResult> policies;
  std::optional<double> precision;  ///< the target asked for, if any
  bool precision_met = false;       ///< every headline half-width within it (with precision)
};

BenchResult run_policy_bench(const Scenario& scenario, const BenchOptions& options);

}  // namespace gigasim
