#pragma once
// A scenario as plain data: what the YAML loader builds and the engine runs. The engine never
// sees YAML; tests and benchmarks build these structs directly.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gigasim/core/time.hpp"
#include "gigasim/model/chip.hpp"
#include "gigasim/model/distributions.hpp"

namespace gigasim {

/// Unplanned node failures of a factory: a Poisson process with rate (installed nodes / MTBF);
/// each failure hits a node chosen uniformly among the installed ones.
struct FailureSpec {
  Duration node_mtbf;            ///< mean time between failures of one node
  DurationDistribution repair;   ///< time until a failed node is healthy again
};

/// Planned maintenance: windows of `duration` every `every`, the first at `first`, each taking
/// ceil(fraction x nodes) nodes out. Nodes are drained, not killed: free nodes leave at once,
/// busy ones as their jobs end; all return when the window closes.
struct MaintenanceSpec {
  Duration every;
  Duration duration;
  double fraction = 0;
  std::optional<SimTime> first;  ///< default: the factory's online time + every
};

/// A site: one pool of identical nodes of one chip type.
struct FactorySpec {
  std::string name;
  ChipType chip;
  std::uint32_t chips = 0;      ///< installed chips once online; a multiple of node_size
  std::uint32_t node_size = 8;  ///< chips per node; nodes are allocated whole to one job
  SimTime online;               ///< when the capacity comes online (0 = from the start)
  std::optional<FailureSpec> failures;
  std::uint32_t spares = 0;     ///< hot-spare nodes: never scheduled, they replace failed nodes in place
  std::optional<MaintenanceSpec> maintenance;

  std::uint32_t nodes() const { return chips / node_size; }
  /// Chips jobs can be given: spares excluded.
  std::uint32_t usable_chips() const { return (nodes() - spares) * node_size; }
};

/// How jobs save their progress. A job's useful work W is split into segments of `interval`, each
/// followed by a checkpoint taking `cost` (none after the last). A failure loses the work since
/// the last completed checkpoint; every restart first spends `restart`.
struct CheckpointSpec {
  enum class Mode { None, Fixed, Auto };
  Mode mode = Mode::None;   ///< Auto: Young's interval sqrt(2 x cost x job MTBF) on its factory
  Duration interval;
  Duration cost;
  Duration restart;
};

/// A user community. `sites` empty = may use every factory.
struct TenantSpec {
  std::string name;
  double share = 1.0;                  ///< entitled share (relative); used by fair-share policies
  int priority = 0;                    ///< higher = more important; used by priority policies
  std::vector<std::uint32_t> sites;    ///< indexes into Scenario::factories
  std::optional<double> quota;         ///< most it may hold at once: a fraction of installed online chips
  bool preemptible = false;            ///< its running jobs may be preempted by higher-priority ones
};

/// How the scheduler's runtime estimate relates to a job's real run time. Users' requested
/// times are famously inaccurate; backfilling and SJF act on the estimate, the engine on the truth.
struct EstimateSpec {
  enum class Kind { Exact, Factor, Uniform };
  Kind kind = Kind::Exact;
  double a = 1.0;  ///< Factor: estimate = a x run | Uniform: factor drawn uniformly from [a, b]
  double b = 1.0;
};

/// The allocation policy, by registry names (see policy/registry.hpp).
struct PolicySpec {
  std::string queue = "fifo";        ///< fifo | sjf | priority | fair-share
  std::string backfill = "none";     ///< none | greedy | easy
  std::string placement = "first-fit";  ///< first-fit | best-fit | worst-fit
  EstimateSpec estimate;
  Duration fair_share_half_life = Duration::days(7);  ///< decay of past usage for fair-share
  bool preemption = false;  ///< a blocked head may preempt lower-priority preemptible jobs
};

/// When a generator's jobs arrive.
struct ArrivalProcess {
  enum class Kind { Poisson, Fixed };
  Kind kind = Kind::Poisson;
  double rate_per_s = 0;        ///< Poisson: mean arrivals per second
  Duration interval;            ///< Fixed: time between arrivals (first arrival at `start`)
  SimTime start;                ///< no arrivals before this
  std::optional<SimTime> until; ///< no arrivals at or after this
  std::optional<std::uint64_t> count;  ///< at most this many jobs
};

/// A synthetic job stream.
struct GeneratorSpec {
  std::uint16_t tenant = 0;
  ArrivalProcess arrivals;
  ChipsDistribution chips;
  DurationDistribution duration;
};

/// One job of an explicit list or a trace row.
struct JobEntry {
  SimTime submit;
  std::uint32_t chips = 0;
  Duration duration;
  std::uint16_t tenant = 0;
  std::string id;  ///< user-visible id; empty = gigasim numbers the job
};

/// Jobs known in advance (a `jobs:` list or a CSV trace), sorted by submit time; ties keep file order.
struct JobTableSpec {
  std::vector<JobEntry> jobs;
};

struct WorkloadSpec {
  std::string label;  ///< e.g. "workload[2]" or the trace path, for messages
  std::variant<GeneratorSpec, JobTableSpec> source;
  std::optional<CheckpointSpec> checkpoint;  ///< overrides Scenario::checkpoint for these jobs
};

struct Scenario {
  std::string name = "unnamed";
  std::string file;                 ///< where it was loaded from (may be empty)
  std::uint64_t content_hash = 0;   ///< FNV-1a of the scenario file, printed in reports
  std::optional<std::string> start_date;  ///< calendar date of time 0, "YYYY-MM-DD"
  std::optional<SimTime> horizon;   ///< end of the run; absent = run until every job has finished
  Duration warmup;                  ///< statistics exclude jobs submitted before this
  std::uint64_t seed = 1;
  std::vector<FactorySpec> factories;
  std::vector<TenantSpec> tenants;  ///< at least one
  PolicySpec policy;
  CheckpointSpec checkpoint;        ///< default for every job
  std::vector<WorkloadSpec> workload;
  std::vector<std::string> warnings;  ///< input problems that did not stop loading (skipped trace rows)
};

}  // namespace gigasim
