#pragma once
// `gigasim sweep`: a scenario run over the cross product of parameter values, each point over
// replicas, optionally one shard of the points (for a batch system's job array).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/core/time.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "gigasim/metrics/confidence.hpp"
#include "gigasim/metrics/group_estimates.hpp"

namespace gigasim {

/// One `--set PATH=VALUES`: VALUES is "a,b,c" or a numeric range "start:stop:step" (stop included).
struct SweepParameter {
  std::string path;
  std::vector<std::string> values;
};

/// Parses "PATH=VALUES"; throws InputError naming the flag on malformed text.
SweepParameter parse_sweep_parameter(const std::string& text);

struct SweepOptions {
  std::vector<SweepParameter> parameters;
  unsigned replicas = 1;
  unsigned threads = 0;          ///< 0 = all hardware threads; results do not depend on it
  std::optional<std::uint64_t> seed;
  std::optional<SimTime> horizon;
  unsigned shard = 1, shards = 1;  ///< run only points p with p % shards == shard - 1
  /// Called (from worker threads, serialised) after each finished run with (done, total).
  std::function<void(std::size_t, std::size_t)> progress;
  RunLimits limits;  ///< for every run (SimulationOptions::limits)
  InputLimits input_limits;  ///< for loading each point's scenario
  /// In a file with `plans:`, the plan swept (its paths may also be changed: plans[NAME]....).
  std::optional<std::string> plan;
};

struct SweepRow {
  std::size_t point = 0;              ///< index in the full cross product (first parameter slowest)
  std::vector<std::string> values;    ///< one per parameter
  /// Statistics over an empty sample are undefined in that replica (Estimate::n counts the rest).
  Estimate utilisation, goodput, wait_mean_s, wait_p95_s, slowdown_mean, jobs_per_day, unfinished, unschedulable;
  /// Compute, energy and money (docs/energy-and-cost.md), demand not met (docs/metrics.md).
  Estimate delivered_eflop_days, energy_mwh, programme_cost_eur, programme_eur_per_eflop_day, unmet_eflop_days;
  /// Share of the replicas whose backlog grows through the run (BacklogTrend::stable false).
  Estimate backlog_grows;
  std::vector<GroupEstimates> tenants;  ///< in scenario order
  std::vector<GroupEstimates> sources;  ///< per workload entry, in scenario order
};

struct SweepResult {
  std::string scenario;
  std::uint64_t seed = 0;
  unsigned replicas = 1;
  std::vector<std::string> parameters;  ///< paths, in --set order
  std::size_t points = 0;               ///< in the whole sweep (all shards)
  /// Identifies the sweep across its shards: a hash of the scenario file's bytes, the
  /// parameters and their values, replicas, seed and horizon (not of the shard). `merge`
  /// refuses shards whose ids differ.
  std::string id;
  std::vector<SweepRow> rows;           ///< this shard's points, ascending
};

/// Loads every point of this shard first (so a bad value fails before anything runs), then runs
/// points x replicas on the threads. Replica r of every point uses seed + r.
SweepResult run_sweep(const std::filesystem::path& scenario_file, const SweepOptions& options);

}  // namespace gigasim
