#pragma once
// Test helpers: build scenarios from YAML text and capture the per-job records of a run.
#include <map>
#include <string>
#include <vector>

#include "gigasim/engine/simulation.hpp"
#include "gigasim/scenario/loader.hpp"

namespace gigasim::test {

inline Scenario scenario_from(const std::string& yaml) {
  return parse_scenario(yaml, "test.yaml", GIGASIM_SOURCE_DIR "/tests/data");
}

struct Captured {
  std::uint64_t id;
  std::string label, tenant, factory;
  SimTime submit;
  std::optional<SimTime> start, end;
  std::uint32_t chips;
  JobOutcome outcome;
  std::uint32_t interruptions;
};

class RecordingSink final : public JobRecordSink {
 public:
  void record(const JobRecord& r) override {
    records.push_back({r.id, std::string(r.label), std::string(r.tenant), std::string(r.factory), r.submit,
                       r.start, r.end, r.chips, r.outcome, r.interruptions});
  }
  /// The record of the job with this user-given id; fails the test if absent.
  const Captured& by_label(const std::string& label) const {
    for (const auto& c : records)
      if (c.label == label) return c;
    throw std::runtime_error("no job labelled " + label);
  }
  std::vector<Captured> records;
};

/// Two factories (one online later), a site-restricted tenant, two generators: a small busy
/// scenario several tests run under different policies and options.
/// The hand-computed day of tests/test_services.cpp without its factory: a 48-chip job from 0 to
/// 10 h and an assistant wanting 10, 40 and 20 chips over 0-8, 8-16 and 16-24 h. On 80 chips
/// (nodes of 8): 560 chip-hours wanted, 544 served, 16 unmet.
inline const std::string kServiceDayWorkload = R"(horizon: 1d
workload:
  - {name: batch, jobs: [{chips: 48, duration: 10h}]}
  - name: assistant
    service:
      peak: 40
      hourly: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 1, 1, 1, 1, 1, 1, 1, 1,
               0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
)";

inline const std::string kTwoSiteScenario = R"(
horizon: 30d
warmup: 3d
seed: 5
factories:
  - {name: a, chip: H100, chips: 1024}
  - {name: b, chip: B200, chips: 2048, online: 5d}
tenants: [{name: x}, {name: y, sites: [b]}]
workload:
  - {tenant: x, arrivals: {dist: poisson, rate: 300/d}, chips: {dist: pow2, min: 8, max: 1024},
     duration: {dist: lognormal, median: 2h, sigma: 1.1}}
  - {tenant: y, arrivals: {dist: poisson, rate: 100/d}, chips: {dist: pow2, min: 8, max: 512},
     duration: {dist: exponential, mean: 3h}}
)";

inline SimTime hours(double h) { return SimTime::zero() + Duration::from_seconds(h * 3600); }

inline SimulationOptions with_seed(std::uint64_t seed) {
  SimulationOptions o;
  o.seed = seed;
  return o;
}

/// A run's summary and every job's record.
struct Run {
  RunResult result;
  RecordingSink jobs;
};

/// Runs a scenario given as YAML text; `general` forces the general queue scheduler.
inline Run run_yaml(const std::string& yaml, bool general = false) {
  Run r;
  SimulationOptions o;
  o.job_sink = &r.jobs;
  o.general_scheduler = general;
  r.result = simulate(scenario_from(yaml), o);
  return r;
}

/// A trace job as tests read it: the job and its id in one flat record.
struct TraceJobRow {
  std::string id;
  SimTime submit;
  std::uint32_t chips = 0;
  Duration duration, estimate;
  double memory_bytes = 0;
  std::uint16_t tenant = 0;
};

inline std::vector<TraceJobRow> jobs_of(const TraceTable& table) {
  std::vector<TraceJobRow> out;
  for (const auto& t : read_all(table))
    out.push_back({t.id, t.job.submit, t.job.chips, t.job.duration, t.job.estimate, t.job.memory_bytes, t.job.tenant});
  return out;
}

/// The jobs of workload source `w`, a trace.
inline std::vector<TraceJobRow> trace_jobs(const Scenario& sc, std::size_t w) {
  return jobs_of(*std::get<TraceSpec>(sc.workload.at(w).source).table);
}

}  // namespace gigasim::test
