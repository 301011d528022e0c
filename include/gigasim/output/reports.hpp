#pragma once
// Turning a RunResult into what users read: a JSON document (field names are public interface,
// see docs/metrics.md), a human-readable table, and the per-job CSV stream.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/metrics/run_result.hpp"
#include "gigasim/output/atomic_file.hpp"

namespace gigasim {

/// Compute, energy and money as JSON (a run's, a factory's or a plan's).
nlohmann::ordered_json economics_json(const PlanEconomics& e);

/// The run summary as JSON. Keys keep a fixed order; times in seconds, chip-time in chip-hours.
nlohmann::ordered_json to_json(const RunResult& r);

/// A time statistic of a sample as text: "n/a" over an empty sample.
std::string format_summary_duration(const Summary& s, double Summary::*field);

/// The backlog's trend verdict in words: "stable: mean ... chip-h, ..." or "UNSTABLE, grows ...".
std::string format_backlog_verdict(const BacklogTrend& b);

/// The summary table printed by `gigasim run`.
std::string format_table(const RunResult& r);

/// Streams job records as CSV rows: id,tenant,submit,start,end,chips,factory,status,interruptions
/// (times in seconds since the scenario start; empty when not applicable).
class JobsCsvWriter final : public JobRecordSink {
 public:
  explicit JobsCsvWriter(AtomicFile& out);
  void record(const JobRecord& r) override;

 private:
  AtomicFile& out_;
};

/// Streams time-series rows as CSV:
/// time_s,factory,installed_chips,busy_chips,idle_chips,down_chips,maintenance_chips,queued_jobs,running_jobs,
/// accelerator_power_mw,facility_power_mw,inference_chips
/// -- means over the interval ending at time_s; one row per factory, then one of totals with
/// factory "(all)" that also carries the queue and running-job means.
class TimeseriesCsvWriter final : public TimeseriesSink {
 public:
  explicit TimeseriesCsvWriter(AtomicFile& out);
  void row(const TimeseriesRow& r) override;

 private:
  AtomicFile& out_;
};

}  // namespace gigasim
