#pragma once
// A scenario as plain data: what the YAML loader builds and the engine runs. The engine never
// sees YAML; tests and benchmarks build these structs directly.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gigasim/core/time.hpp"
#include "gigasim/model/chip.hpp"
#include "gigasim/model/compute.hpp"
#include "gigasim/model/distributions.hpp"
#include "gigasim/model/service.hpp"
#include "gigasim/model/trace_table.hpp"

namespace gigasim {

/// Unplanned node failures of a factory: a Poisson process with rate (installed nodes / MTBF);
/// each failure hits a node chosen uniformly among the installed ones.
///
/// Repairs are a two-stage pipeline (docs/semantics.md, "Repairs"): an automatic repair
/// (reboot, reimage, remote diagnostics) of time `repair` brings the node back with probability
/// `repair_success`; otherwise the repair escalates to a manual one (a technician, a part) of time
/// `manual_repair`, repeated until one succeeds, each with probability `manual_success`. With
/// the defaults (`repair_success` 1) a repair is the single stage `repair`.
struct FailureSpec {
  Duration node_mtbf;            ///< mean time between failures of one node
  DurationDistribution repair;   ///< the automatic (first) repair's time
  double repair_success = 1;     ///< chance that an automatic repair brings the node back
  std::optional<DurationDistribution> manual_repair;  ///< required when repair_success < 1
  double manual_success = 1;     ///< chance that one manual repair brings the node back

  bool escalates() const { return repair_success < 1; }
};

/// Scale-up domains (NVLink racks, TPU pods): nodes grouped into domains of `domain_nodes`
/// nodes. Jobs are kept in as few domains as possible; a job spread over more domains than it
/// needs runs slower, and a whole domain can fail at once (docs/semantics.md).
struct TopologySpec {
  std::uint32_t domain_nodes = 1;
  double span_slowdown = 0;  ///< run time x (1 + span_slowdown x (domains spanned - fewest possible))
  /// Hot-spare nodes inside each domain (e.g. 2 of an NVL72 rack's 18 trays): never given to
  /// jobs; a failed node of a job is replaced by a spare of its own domain, in place.
  std::uint32_t spares_per_domain = 0;
  struct DomainFailures {
    Duration mtbf;                 ///< mean time between failures of one domain (while it is up)
    DurationDistribution repair;   ///< until the whole domain is back
  };
  std::optional<DomainFailures> failures;
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

/// Facility power of a factory (definitions: docs/energy-and-cost.md). Busy chips draw their full
/// IT power, idle (free or spare) chips `idle_fraction` of it, failed chips and chips in
/// maintenance none; the facility draws IT power x PUE.
struct PowerSpec {
  std::optional<double> chip_watts;  ///< all-in IT power per chip; default: TDP x it_overhead
  double it_overhead = 1.5;   ///< host CPUs, memory, network, storage per accelerator watt
  double idle_fraction = 0.3; ///< idle draw / busy draw of a chip
  double pue = 1.2;           ///< power usage effectiveness of the site
  std::optional<double> cap_mw;  ///< facility power cap: limits how many chips may run at once

  /// IT watts per busy chip of this chip type.
  double it_watts(const ChipType& chip) const { return chip_watts ? *chip_watts : chip.tdp_watts * it_overhead; }
};

/// How a cohort's capex is written off over its life (docs/energy-and-cost.md).
enum class DepreciationMethod {
  StraightLine,     ///< the same amount every year
  DecliningBalance, ///< double-declining balance (continuous), straight line from half-life on
};

/// Money: energy at a price, capital bought with each capacity phase and written off over
/// `depreciation`, and fixed operating costs per installed chip and year.
struct CostSpec {
  double energy_eur_per_mwh = 0;
  double capex_per_chip_eur = 0;  ///< accelerator, host, network share per chip
  double capex_per_mw_eur = 0;    ///< facility (building, power, cooling) per MW of facility power
  Duration depreciation = Duration::days(5 * 365);
  DepreciationMethod method = DepreciationMethod::StraightLine;
  double opex_per_chip_eur_per_year = 0;  ///< staff, maintenance, support, software per installed chip
  double opex_per_mw_eur_per_year = 0;    ///< site costs (lease, grid fees) per MW of installed facility power
};

/// The programme a run's costs are reported for (docs/energy-and-cost.md): a period from time 0
/// shared by every plan compared, so no plan's costs fall outside it by construction.
struct EconomicsSpec {
  std::optional<SimTime> programme_end;  ///< absent: 5 years; always extended to the run's end
  double discount_rate = 0;              ///< per year, for present values at time 0
};

/// A change of installed capacity at a time: `chips` more (> 0) or fewer (< 0).
struct CapacityPhase {
  SimTime at;
  std::int64_t chips = 0;
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
  /// Capacity changes after `online`, sorted by time; a retirement is the last phase, removing
  /// every chip. Removed nodes are drained, never killed (see FactoryPool, docs/semantics.md).
  std::vector<CapacityPhase> phases;
  std::optional<ScalingModel> scaling;  ///< overrides the scenario's compute.scaling here
  std::optional<TopologySpec> topology; ///< scale-up domains; absent = nodes are interchangeable
  PowerSpec power;
  CostSpec cost;

  /// Nodes installed when the factory comes online (phases change it later).
  std::uint32_t nodes() const { return chips / node_size; }
  /// The most chips it ever has installed, over its capacity phases (from phase `from` on,
  /// given that phases before it are done).
  std::uint32_t peak_chips(std::size_t from = 0) const {
    std::int64_t n = chips;
    for (std::size_t i = 0; i < from && i < phases.size(); ++i) n += phases[i].chips;
    std::int64_t peak = n;
    for (std::size_t i = from; i < phases.size(); ++i) peak = std::max(peak, n += phases[i].chips);
    return static_cast<std::uint32_t>(std::max<std::int64_t>(peak, 0));
  }
  /// The most nodes that may be busy at once with `installed` nodes under the power cap:
  /// busy chips draw full IT power, all other installed chips idle power, times PUE.
  std::uint32_t power_cap_nodes(std::uint32_t installed) const {
    const double w = power.it_watts(chip);
    if (!power.cap_mw || w <= 0) return 0xffffffffu;
    const double budget_w = *power.cap_mw * 1e6 / power.pue - power.idle_fraction * w * installed * node_size;
    const double per_node = (1.0 - power.idle_fraction) * w * node_size;
    if (budget_w <= 0) return 0;
    return static_cast<std::uint32_t>(std::min(budget_w / per_node + 1e-9, 4e9));
  }
  /// The most chips jobs can ever be given here once phases [0, phase) have happened (0 = from
  /// the start): spares and the power cap taken into account.
  /// Hot-spare nodes with `installed_nodes` installed: `spares`, or with a topology the spares
  /// of every domain.
  std::uint32_t spare_nodes(std::uint32_t installed_nodes) const {
    if (topology && topology->domain_nodes > 0)
      return spares + installed_nodes / topology->domain_nodes * topology->spares_per_domain;
    return spares;
  }
  std::uint32_t usable_chips(std::size_t phase = 0) const {
    auto usable = [&](std::int64_t installed) -> std::uint32_t {
      const auto nodes = static_cast<std::uint32_t>(std::max<std::int64_t>(0, installed / node_size));
      const std::uint32_t spare = spare_nodes(nodes);
      const std::uint32_t schedulable = nodes > spare ? nodes - spare : 0;
      return static_cast<std::uint32_t>(std::min(schedulable, power_cap_nodes(nodes)) * node_size);
    };
    std::int64_t n = chips;
    for (std::size_t i = 0; i < phase && i < phases.size(); ++i) n += phases[i].chips;
    std::uint32_t best = usable(n);
    for (std::size_t i = phase; i < phases.size(); ++i) best = std::max(best, usable(n += phases[i].chips));
    return best;
  }
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
  /// Chip-hours granted for the whole run (an access call's award, e.g. a Large Scale grant);
  /// always accounted, enforced with `policy.allocations: enforce`.
  std::optional<double> allocation_chip_hours;
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
  std::string backfill = "none";     ///< none | greedy | easy | conservative
  std::string placement = "first-fit";  ///< first-fit | best-fit | worst-fit | fastest
  EstimateSpec estimate;
  Duration fair_share_half_life = Duration::days(7);  ///< decay of past usage for fair-share
  bool preemption = false;  ///< a blocked head may preempt lower-priority preemptible jobs
  /// Conservative backfilling's meaning of a reservation: "guarantee" (a job's start is never
  /// made later by jobs submitted after it; the queue order only decides compression) or
  /// "replan" (the plan is always the one made by reserving every waiting job in the current
  /// queue order: a job is protected only from jobs behind it). Empty: guarantee (see
  /// docs/semantics.md).
  std::string conservative_mode;
  /// Tenants' chip-hour allocations: only accounted (false), or enforced (true): a tenant whose
  /// used chip-hours have reached its allocation starts no more jobs (checked at job start, so
  /// jobs already running finish and may overrun it, as batch systems charge after the fact).
  bool enforce_allocations = false;
  /// Wall time an elastic job spends on each resize (saving its state and restarting on the new
  /// number of chips) before it computes again; nullopt: its checkpoint's cost + restart.
  std::optional<Duration> resize_cost;
  /// A running elastic job grows (other than at its start) only once it has run this long since
  /// it started or was last resized: bounds the resizes when short jobs come and go.
  Duration grow_after = Duration::hours(1);
};

/// When a generator's jobs arrive.
struct ArrivalProcess {
  enum class Kind { Poisson, Fixed };
  Kind kind = Kind::Poisson;
  double rate_per_s = 0;        ///< Poisson: mean arrivals per second | Fixed, if > 0: the exact rate
  Duration interval;            ///< Fixed without a rate: time between arrivals (first at `start`; 0 = all at once)
  SimTime start;                ///< no arrivals before this
  std::optional<SimTime> until; ///< no arrivals at or after this
  std::optional<std::uint64_t> count;  ///< at most this many jobs
};

/// How a job's length is given when it is work rather than a duration: FLOPs, turned into time
/// on whatever chips it gets by the compute model (model/compute.hpp).
struct JobWork {
  double flops = 0;  ///< > 0: the job is defined by its work; 0: by its duration
  double mfu = 0.4;
  Precision precision = Precision::BF16;
};

/// Memory a job needs inside one scale-up domain (e.g. a tensor-parallel group's model state):
/// it may run only where min(chips, domain size) x HBM per chip holds it. 0 = no constraint.
struct MemoryNeed {
  double bytes = 0;           ///< fixed need
  double bytes_per_param = 0; ///< or per parameter, for jobs given as params x tokens
};

/// One class of a generator's jobs (e.g. pre-training, fine-tuning, evaluation): its share of
/// the jobs and its own size and length distributions.
struct JobClassSpec {
  std::string name;          ///< empty for a generator without classes
  double share = 1;          ///< relative share of the generator's jobs
  ChipsDistribution chips;
  /// > 0: the class's jobs are elastic, running on between `chips` (fixed, their minimum) and
  /// this many chips (`chips: {min: A, max: B}`; docs/semantics.md, "Elastic jobs").
  std::uint32_t max_chips = 0;
  /// The length: a duration, drawn FLOPs, or drawn parameters and tokens (6 N D FLOPs).
  enum class Length { Duration, Flops, ParamsTokens };
  Length length = Length::Duration;
  DurationDistribution duration;
  RealDistribution flops, params, tokens;
  double mfu = 0.4;
  Precision precision = Precision::BF16;
  MemoryNeed memory;
};

/// A synthetic job stream: one arrival process; each job picks its class by share.
struct GeneratorSpec {
  std::uint16_t tenant = 0;
  ArrivalProcess arrivals;
  std::vector<JobClassSpec> classes;  ///< at least one
};

/// One job of an explicit list or a trace row.
struct JobEntry {
  SimTime submit;
  std::uint32_t chips = 0;   ///< its chips; an elastic job's minimum
  std::uint32_t max_chips = 0;  ///< > 0: elastic, between `chips` and this many (see JobClassSpec)
  Duration duration;  ///< when work.flops == 0
  JobWork work;
  double memory_bytes = 0;  ///< see MemoryNeed
  std::uint16_t tenant = 0;
  std::string id;  ///< user-visible id; empty = gigasim numbers the job
  /// The job's own runtime estimate (SWF requested time, sacct Timelimit); zero = none, and
  /// policy.estimate applies. Scales with the job's run time on other chips and after restarts.
  Duration estimate;
};

/// Jobs listed in the scenario (a `jobs:` list), sorted by submit time; ties keep file order.
struct JobTableSpec {
  std::vector<JobEntry> jobs;
};

/// A replayed trace (CSV, SWF, sacct): its jobs, streamed from the file or held (trace_table.hpp).
struct TraceSpec {
  std::shared_ptr<const TraceTable> table;
};

struct WorkloadSpec {
  std::string label;  ///< e.g. "workload[2]" or the trace path, for messages
  std::variant<GeneratorSpec, JobTableSpec, TraceSpec> source;
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
  ComputeDefaults compute;          ///< MFU, precision, scaling for jobs given as work
  CheckpointSpec checkpoint;        ///< default for every job
  EconomicsSpec economics;          ///< the programme costs are reported over
  std::vector<WorkloadSpec> workload;
  std::vector<ServiceSpec> services;  ///< inference services (workload entries with `service:`)
  std::vector<std::string> warnings;  ///< input problems that did not stop loading (skipped trace rows)
};

/// Why an elastic job cannot be given as a duration (the loader's and validate()'s message).
inline constexpr const char* kElasticNeedsWork =
    "an elastic job (`chips: {min, max}`) needs its work (`flops`, or `params` and `tokens`), not a duration: "
    "a duration does not say how long it runs on other numbers of chips";

/// Whether any workload source can submit elastic jobs (`chips: {min, max}`).
inline bool has_elastic_jobs(const Scenario& sc) {
  for (const WorkloadSpec& w : sc.workload) {
    if (const auto* g = std::get_if<GeneratorSpec>(&w.source)) {
      for (const JobClassSpec& c : g->classes)
        if (c.max_chips > 0) return true;
    } else if (const auto* t = std::get_if<JobTableSpec>(&w.source)) {
      for (const JobEntry& e : t->jobs)
        if (e.max_chips > 0) return true;
    }
  }
  return false;
}

}  // namespace gigasim
