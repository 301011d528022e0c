#pragma once
// Everything a run reports. Definitions (exact; see docs/metrics.md):
//  - window = [warmup, end], end = horizon (or the last event when the scenario has none).
//  - utilisation = chip-time held by jobs and inference services / installed online chip-time,
//    over the window.
//    Nodes are exclusive, so a 1-chip job on an 8-chip node holds 8 chips;
//    `utilisation_requested` counts only the chips jobs asked for.
//  - measured jobs = jobs submitted inside the window. wait, JCT and slowdown statistics cover
//    measured jobs: wait over those that started by `end`, JCT and slowdown over those that
//    completed by `end` (so they are censored: see jobs.unfinished).
//  - job counts in `jobs` cover the whole run: submitted = completed + queued_at_end +
//    running_at_end + unschedulable, exactly.
//  - busy + idle + down + maintenance = installed chip-time, exactly;
//    busy = useful + lost + overhead + inference (the chip-time held by inference services).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/metrics/sample_stats.hpp"

namespace gigasim {

struct JobCounts {
  std::uint64_t submitted = 0;
  std::uint64_t measured = 0;     ///< submitted inside the window
  std::uint64_t started = 0;
  std::uint64_t completed = 0;
  std::uint64_t unfinished = 0;   ///< queued_at_end + running_at_end
  std::uint64_t queued_at_end = 0;
  std::uint64_t running_at_end = 0;
  std::uint64_t unschedulable = 0;

  /// The counts of two disjoint groups of jobs together.
  JobCounts& operator+=(const JobCounts& o) {
    submitted += o.submitted;
    measured += o.measured;
    started += o.started;
    completed += o.completed;
    unfinished += o.unfinished;
    queued_at_end += o.queued_at_end;
    running_at_end += o.running_at_end;
    unschedulable += o.unschedulable;
    return *this;
  }
};

/// A plan's costs over its programme (docs/energy-and-cost.md): every euro spent from time 0 to
/// the programme's end -- capex in full at each phase's online date, fixed opex, energy (measured
/// in the window, estimated outside it) -- as present values, and the share charged to the
/// window: the equivalent annual cost times the window's length. Delaying capacity inside the
/// programme therefore never lowers the charge by construction.
struct ProgrammeEconomics {
  double end_s = 0;                ///< the programme is [0, end]
  double years = 0;                ///< its length, in years of 365 days
  double discount_rate = 0;        ///< per year; present values are at time 0
  double capex_eur = 0;            ///< capex of the phases online inside it, present value
  double opex_eur = 0;             ///< fixed opex over installed chip-time inside it, present value
  double energy_mwh = 0;           ///< measured in the window plus estimated outside it
  double energy_estimated_mwh = 0; ///< the part outside the window (at the window's mean draw)
  double energy_eur = 0;           ///< present value
  double cost_eur = 0;             ///< capex + opex + energy, present value
  double annual_cost_eur = 0;      ///< equivalent annual cost: the level yearly amount of the same present value
  double window_charge_eur = 0;    ///< annual cost x window years
  double installed_eflop_days = 0; ///< peak BF16 of the capacity installed inside it
  std::optional<double> eur_per_eflop_day;       ///< window charge / delivered EFLOP-days
  std::optional<double> eur_per_useful_gpu_hour;  ///< window charge / useful chip-hours
};

/// Compute delivered, energy and money over the window (docs/energy-and-cost.md).
///  - installed EFLOP-days: installed chip-time x peak dense BF16 (the capacity bought).
///  - delivered EFLOP-days: model FLOPs of useful work (work jobs: their FLOPs; duration jobs:
///    chips x peak x the scenario's MFU x scaling efficiency x useful time).
///  - energy: (busy chip-time x IT watts + idle chip-time x IT watts x idle fraction) x PUE.
///  - capex: the depreciation of each capacity phase falling in the window (a retired phase's
///    remaining book value written off when it retires); opex: fixed opex of the installed chips.
struct PlanEconomics {
  double installed_eflop_days = 0;
  double delivered_eflop_days = 0;
  double energy_mwh = 0;
  double energy_eur = 0;
  double capex_eur = 0;                ///< depreciation charged to the window
  double opex_eur = 0;                 ///< fixed opex over the window
  double cost_eur = 0;                 ///< capex + opex + energy
  std::optional<double> eur_per_eflop_day;  ///< cost / delivered EFLOP-days; none if nothing was delivered
  double mean_facility_mw = 0;         ///< energy / window length
  double peak_facility_mw = 0;         ///< every installed chip busy, times PUE (at the end of the run)
  ProgrammeEconomics programme;        ///< the same plan over its whole programme
};

struct FactoryResult {
  std::string name, chip;
  std::uint32_t chips = 0, node_size = 0;
  double online_s = 0;
  double installed_chip_hours = 0;  ///< over the window
  double busy_chip_hours = 0;       ///< held by jobs and inference services, over the window
  double inference_chip_hours = 0;  ///< the part of busy held by inference services
  double idle_chip_hours = 0;       ///< free or hot spare, over the window
  double down_chip_hours = 0;       ///< failed and under repair, over the window
  double maintenance_chip_hours = 0;///< in planned maintenance, over the window
  double useful_chip_hours = 0;     ///< work kept toward completion, over the window
  double utilisation = 0;           ///< busy / installed (0 if nothing installed): jobs and services
  double availability = 0;          ///< (installed - down - maintenance) / installed
  double goodput = 0;               ///< useful / installed
  std::uint64_t jobs_started = 0;   ///< jobs whose first attempt started here, over the whole run
  std::uint64_t attempts_started = 0;  ///< attempts started here (first starts and restarts), over the whole run
  std::uint64_t failures = 0;       ///< nodes that went down, over the whole run
  std::uint64_t domain_failures = 0;///< whole scale-up domains that went down, over the whole run
  /// Node repairs that ended, over the whole run, by stage and outcome (FailureSpec): a failed
  /// automatic repair escalates to a manual one, a failed manual one is repeated.
  struct Repairs {
    std::uint64_t automatic_succeeded = 0, automatic_failed = 0, manual_succeeded = 0, manual_failed = 0;
    std::uint64_t automatic() const { return automatic_succeeded + automatic_failed; }
    std::uint64_t manual() const { return manual_succeeded + manual_failed; }
    Repairs& operator+=(const Repairs& o) {
      automatic_succeeded += o.automatic_succeeded, automatic_failed += o.automatic_failed;
      manual_succeeded += o.manual_succeeded, manual_failed += o.manual_failed;
      return *this;
    }
  } repairs;
  std::uint64_t interruptions = 0;  ///< job attempts cut short, over the whole run
  PlanEconomics economics;          ///< compute, energy and money over the window
};

/// Work demanded and served, in the units of each job's demand (docs/metrics.md, "Demand"): its
/// useful work, failure-free and without checkpoints or restarts, in chip-hours on its home
/// factory and in EFLOP-days.
struct DemandFigures {
  std::uint64_t offered_jobs = 0;      ///< jobs submitted inside the window (unschedulable ones too)
  double offered_chip_hours = 0, offered_eflop_days = 0;  ///< their demand
  double served_chip_hours = 0, served_eflop_days = 0;    ///< work kept inside the window, any job's
  double unmet_chip_hours = 0, unmet_eflop_days = 0;      ///< at the end: demand of every job submitted, not kept
};

/// Whether the backlog (the demand left of the jobs waiting) grows through the window: the
/// Mann-Kendall test on its time averages in equal bins, with Sen's slope (docs/metrics.md).
struct BacklogTrend {
  std::uint32_t bins = 0;
  double bin_s = 0;                    ///< width of a bin
  double mean_chip_hours = 0;          ///< over the window
  double end_chip_hours = 0;           ///< at the end
  std::uint64_t end_jobs = 0;          ///< jobs waiting at the end
  std::optional<double> trend_chip_hours_per_day;  ///< Sen's slope; none with too few bins
  std::optional<double> z, p_value;    ///< Mann-Kendall, one-sided for an increase
  /// false: it grows significantly (p < 0.01) and by at least 5% of the window's offered demand
  /// over the window; none when the window has fewer than 8 bins of data.
  std::optional<bool> stable;
};

struct TenantResult {
  std::string name;
  double share = 0;            ///< entitled share as written in the scenario (not normalised)
  double busy_chip_hours = 0;  ///< chip-time held by the tenant's jobs over the window
  double used_chip_hours = 0;  ///< chip-time held over the whole run (charged to its allocation)
  std::optional<double> allocation_chip_hours;       ///< when it has an allocation
  double allocation_left_chip_hours = 0;             ///< allocation - used, at least 0
  std::optional<double> allocation_exhausted_s;      ///< when used first reached the allocation
  JobCounts jobs;
  Summary wait_s, jct_s, bounded_slowdown;
  /// The empirical distribution of waits at up to 200 points, when asked for (reports).
  std::vector<SampleSet::CdfPoint> wait_cdf;
  DemandFigures demand;
};

/// One workload source (an entry of `workload:`) over the run (docs/metrics.md, "Per workload
/// source"): the same definitions as TenantResult's, over the jobs of that source.
struct SourceResult {
  std::string name;            ///< its `name:`, else the trace file, else "workload[i]"
  double busy_chip_hours = 0;  ///< chip-time held by its jobs over the window
  JobCounts jobs;
  Summary wait_s, jct_s, bounded_slowdown;
  DemandFigures demand;
};

struct UnschedulableJob {
  std::string id;
  std::string tenant;
  std::uint32_t chips = 0;
  double submit_s = 0;
  /// Why it can never start: "too_large" (no factory it may use has enough chips, even with
  /// the capacity to come), "memory" (no scale-up domain holds it), "quota" (larger than its
  /// tenant's quota at peak capacity), "allocation" (its tenant's enforced allocation is spent).
  std::string kind;
  std::string reason;  ///< the same in words, with the figures
};
/// RunResult::unschedulable lists at most this many jobs (the first); counts are always whole.
inline constexpr std::size_t kUnschedulableListed = 1000;

/// One year of a run (docs/metrics.md, "Per year"): years of 365 days from time 0, over the
/// whole run (warm-up included: a year is a period, not a sample of jobs).
struct YearResult {
  double from_s = 0, to_s = 0;      ///< the last year ends with the run
  std::optional<std::string> from_date;  ///< the calendar date of from_s, with a start date
  double installed_chip_hours = 0, busy_chip_hours = 0;
  double utilisation = 0;           ///< busy / installed (0 when nothing was installed)
  std::uint64_t jobs_submitted = 0, jobs_started = 0, jobs_completed = 0;
  std::optional<double> wait_mean_s;  ///< of the jobs whose first start fell in the year
};

/// An inference service over the window (docs/metrics.md, "Inference services"). Demand is what
/// its curve asked for; it holds whole nodes, so held >= served; unmet demand is demand not held.
struct ServiceResult {
  std::string name, tenant;
  double demand_chip_hours = 0;
  double served_chip_hours = 0;   ///< min(held, demand) over time
  double unmet_chip_hours = 0;    ///< max(0, demand - held) over time
  double held_chip_hours = 0;     ///< chip-time of the nodes it held
  double served_fraction = 1;     ///< served / demand (1 without demand)
  double met_time_fraction = 1;   ///< share of the window with all its demand held
  std::int64_t peak_demand_chips = 0, peak_unmet_chips = 0;  ///< inside the window
  std::uint64_t preempted_jobs = 0;  ///< training jobs stopped to make room for it, whole run
  std::uint64_t node_failures = 0;   ///< failures of nodes it held, whole run
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint64_t scenario_hash = 0;
  std::optional<std::string> start_date;  ///< the calendar date of time 0, if the scenario has one
  double end_s = 0;      ///< horizon, or the time of the last event
  double warmup_s = 0;
  double window_s = 0;   ///< end - warmup

  JobCounts jobs;
  double installed_chip_hours = 0;
  double busy_chip_hours = 0;      ///< held by jobs and inference services
  double inference_chip_hours = 0; ///< the part of busy held by inference services
  double idle_chip_hours = 0;
  double down_chip_hours = 0;
  double maintenance_chip_hours = 0;
  double requested_chip_hours = 0;
  double useful_chip_hours = 0;    ///< work kept toward completion (checkpointed or finished)
  double lost_chip_hours = 0;      ///< work computed, then lost to failures
  double overhead_chip_hours = 0;  ///< busy but no work: restarts and checkpoints
  double utilisation = 0;
  double utilisation_requested = 0;
  double availability = 0;
  double goodput = 0;

  struct {
    std::uint64_t total = 0;      ///< over the whole run
    std::uint64_t in_window = 0;
    double per_day = 0;           ///< in the window
  } interruptions;
  Summary ettr, ettr_large;       ///< effective training time ratio of completed measured jobs
  std::uint64_t preemptions = 0;  ///< running jobs stopped for higher-priority ones, whole run
  /// Elastic jobs (only when the workload has any), over the whole run.
  struct Elastic {
    std::uint64_t started = 0;   ///< elastic jobs that started
    std::uint64_t grown = 0;     ///< resizes to more nodes (not counting growth at a start)
    std::uint64_t shrunk = 0;    ///< resizes to fewer nodes (their lent nodes were taken)
  };
  std::optional<Elastic> elastic;

  Summary wait_s, jct_s, bounded_slowdown;
  Summary jct_large_s;            ///< JCT of completed measured jobs of >= 1,024 chips
  PlanEconomics economics;        ///< summed over factories
  DemandFigures demand;           ///< summed over tenants
  /// Offered chip-hours / installed chip-hours of the window (none when nothing was installed).
  std::optional<double> offered_load;
  BacklogTrend backlog;
  double jobs_per_day = 0;        ///< completions inside the window / window length in days
  double arrivals_per_day = 0;    ///< measured submissions / window length in days
  double mean_queue_length = 0;   ///< time-average number of waiting jobs over the window
  double mean_running_jobs = 0;   ///< time-average number of running jobs over the window

  std::vector<FactoryResult> factories;
  std::vector<TenantResult> tenants;
  std::vector<SourceResult> sources;  ///< one per workload entry, in scenario order
  std::vector<ServiceResult> services;  ///< one per inference service, in scenario order
  std::vector<YearResult> years;  ///< only for runs longer than one year
  std::vector<UnschedulableJob> unschedulable;  ///< the first kUnschedulableListed
  std::map<std::string, std::uint64_t> unschedulable_by_kind;  ///< every one, by UnschedulableJob::kind

  std::uint64_t events = 0;  ///< events processed (for performance reporting)
};

}  // namespace gigasim
