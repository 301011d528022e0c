#pragma once
// Per-job records streamed out of a run as jobs finish (and, at the end, for jobs still queued or
// running, and for unschedulable ones), so that a run never has to hold every job in memory.
#include <cstdint>
#include <optional>
#include <string_view>

#include "gigasim/core/time.hpp"

namespace gigasim {

enum class JobOutcome : std::uint8_t { Completed, Running, Queued, Unschedulable };

std::string_view to_string(JobOutcome o);

struct JobRecord {
  std::uint64_t id = 0;         ///< arrival ordinal
  std::string_view label;       ///< user-given id (trace/list); empty when none
  std::string_view tenant;
  SimTime submit;
  std::optional<SimTime> start; ///< first start; absent when it never started
  std::optional<SimTime> end;   ///< absent unless completed
  std::uint32_t chips = 0;
  std::string_view factory;     ///< empty when it never started
  JobOutcome outcome = JobOutcome::Completed;
  std::uint32_t interruptions = 0;  ///< attempts cut short by failures
  std::string_view reason;      ///< why an unschedulable job can never start; empty otherwise
  std::string_view source;      ///< the workload source's label (its `name`, trace path or "workload[i]")
  std::string_view job_class;   ///< the generator class's name; empty for lists, traces and unnamed classes
  double flops = 0;             ///< the job's work in FLOPs; 0 for jobs given as run times
};

/// Means over one interval of a time series (see SimulationOptions::timeseries_interval).
struct TimeseriesRow {
  double end_s = 0;        ///< the interval is [end_s - interval, end_s)
  std::string_view factory;///< empty for the row of totals
  double installed_chips = 0, busy_chips = 0, idle_chips = 0, down_chips = 0, maintenance_chips = 0;
  double queued_jobs = 0, running_jobs = 0;  ///< in the row of totals only
  /// Mean power of the busy accelerators at their TDP, MW. Not included: idle chips, hosts,
  /// network, cooling (PUE). 0 for chips whose TDP is not published (TPUs).
  double accelerator_power_mw = 0;
  /// Mean facility power, MW: busy chips at their IT power, idle ones at the idle fraction,
  /// times PUE (docs/energy-and-cost.md). Its integral is the run's energy.
  double facility_power_mw = 0;
  /// The part of busy_chips held by inference services.
  double inference_chips = 0;
};

class TimeseriesSink {
 public:
  virtual ~TimeseriesSink() = default;
  virtual void row(const TimeseriesRow& r) = 0;
};

class JobRecordSink {
 public:
  virtual ~JobRecordSink() = default;
  virtual void record(const JobRecord& r) = 0;
};

}  // namespace gigasim
