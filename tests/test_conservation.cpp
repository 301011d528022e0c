// Conservation laws and invariants, checked from the per-job records (an account independent of
// the engine's own integrals) over randomised scenarios:
//   - every submitted job is accounted for exactly once;
//   - no job starts before it is submitted or before its factory is online;
//   - at no instant do a factory's jobs hold more nodes than it has;
//   - data residency is never violated;
//   - busy chip-time recomputed from the records equals the reported figure, and never exceeds
//     installed chip-time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fmt/format.h>

#include "helpers.hpp"

using namespace gigasim;

namespace {

std::string random_scenario(int variant, const std::string& policy) {
  // Three factories with different node sizes and online dates; a restricted tenant; a mix of
  // sizes that includes jobs too large for every factory; jobs given as time and as work (which
// runs at each factory's own speed).
  return fmt::format(R"(
horizon: 20d
warmup: 2d
seed: {0}
policy: {3}
factories:
  - {{name: a, chip: H100, chips: 256, node_size: 8}}
  - {{name: b, chip: B200, chips: 512, node_size: 4, online: 3d, topology: {{span_slowdown: 0.1}}}}
  - {{name: c, chip: GB200, chips: 144, node_size: 72, online: 1d}}
tenants:
  - {{name: open, quota: 0.6}}
  - {{name: resident, sites: [a, c], priority: 3}}
workload:
  - tenant: open
    arrivals: {{dist: poisson, rate: {1}/d}}
    chips: {{dist: pow2, min: 1, max: 1024}}
    duration: {{dist: lognormal, median: 3h, sigma: 1.0}}
  - tenant: resident
    arrivals: {{dist: poisson, rate: {2}/d}}
    chips: {{dist: choice, values: [8, 72, 144, 300], weights: [5, 2, 1, 1]}}
    duration: {{dist: exponential, mean: 5h}}
  - tenant: open
    arrivals: {{dist: poisson, rate: 20/d}}
    chips: {{dist: pow2, min: 8, max: 256}}
    flops: {{dist: lognormal, median: 2e20, sigma: 1}}
)",
                     variant, 60 + 20 * variant, 10 + 5 * variant, policy);
}

}  // namespace

TEST_CASE("conservation and invariants hold on randomised scenarios under every policy") {
  std::vector<std::string> policies;
  for (const char* q : {"fifo", "sjf", "priority", "fair-share"})
    for (const char* b : {"none", "greedy", "easy", "conservative"})
      for (const char* p : {"first-fit", "best-fit", "worst-fit", "fastest"})
        policies.push_back(fmt::format("{{queue: {}, backfill: {}, placement: {}, estimate: ESTIMATE}}", q, b, p));
  for (int run = 0; run < static_cast<int>(policies.size()) * 2; ++run) {
    const int variant = run % 6;
    // Estimates from a factor of 0.5 to 3, or every job underestimated 4x (each overruns).
    std::string policy = policies[static_cast<std::size_t>(run) / 2];
    policy.replace(policy.find("ESTIMATE"), 8, run % 2 ? "0.25" : "{dist: uniform, min: 0.5, max: 3}");
    CAPTURE(variant, policy);
    const Scenario sc = test::scenario_from(random_scenario(variant, policy));
    test::RecordingSink sink;
    SimulationOptions opt;
    opt.job_sink = &sink;
    const RunResult r = simulate(sc, opt);
    const SimTime warm = SimTime::zero() + sc.warmup, end = *sc.horizon;

    // Every job accounted for exactly once.
    REQUIRE(sink.records.size() == r.jobs.submitted);
    CHECK(r.jobs.submitted == r.jobs.completed + r.jobs.queued_at_end + r.jobs.running_at_end +
                                  r.jobs.unschedulable);
    std::vector<std::uint64_t> ids;
    for (const auto& j : sink.records) ids.push_back(j.id);
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    CHECK(r.jobs.unschedulable > 0);  // the 1024- and 300-chip jobs exist in every variant
    // Every started job began on exactly one factory; restarts are attempts on top of that,
    // at most one per interruption or preemption.
    std::uint64_t began = 0, attempts = 0;
    for (const auto& f : r.factories) began += f.jobs_started, attempts += f.attempts_started;
    CHECK(began == r.jobs.started);
    CHECK(attempts >= began);
    CHECK(attempts - began <= r.interruptions.total + r.preemptions);

    std::vector<std::int64_t> busy_ms(sc.factories.size(), 0);
    std::vector<std::pair<SimTime, std::int64_t>> open_tenant;  // chips held by tenant `open`
    std::vector<std::vector<std::pair<SimTime, std::int64_t>>> deltas(sc.factories.size());
    for (const auto& j : sink.records) {
      REQUIRE(j.submit < end);
      if (!j.start) continue;
      const auto f = static_cast<std::size_t>(
          std::find_if(sc.factories.begin(), sc.factories.end(), [&](auto& x) { return x.name == j.factory; }) -
          sc.factories.begin());
      REQUIRE(f < sc.factories.size());
      const FactorySpec& fs = sc.factories[f];
      REQUIRE(*j.start >= j.submit);
      REQUIRE(*j.start >= fs.online);
      if (j.tenant == "resident") REQUIRE(j.factory != "b");
      const std::int64_t nodes = (j.chips + fs.node_size - 1) / fs.node_size;
      const SimTime stop = j.end.value_or(end);
      REQUIRE(stop >= *j.start);
      const SimTime a = std::max(*j.start, warm), b = std::min(stop, end);
      if (b > a) busy_ms[f] += nodes * fs.node_size * (b - a).ms();
      deltas[f].push_back({*j.start, nodes});
      deltas[f].push_back({stop, -nodes});
      if (j.tenant == "open") {
        open_tenant.push_back({*j.start, nodes * fs.node_size});
        open_tenant.push_back({stop, -nodes * fs.node_size});
      }
    }
    double total_busy_h = 0;
    for (std::size_t f = 0; f < sc.factories.size(); ++f) {
      CAPTURE(f);
      // Releases before acquisitions at one instant, as the engine does.
      std::sort(deltas[f].begin(), deltas[f].end());
      std::int64_t held = 0;
      for (auto [t, d] : deltas[f]) {
        held += d;
        REQUIRE(held <= sc.factories[f].nodes());
        REQUIRE(held >= 0);
      }
      const double busy_h = static_cast<double>(busy_ms[f]) / 3.6e6;
      total_busy_h += busy_h;
      CHECK(r.factories[f].busy_chip_hours == Approx(busy_h).epsilon(1e-12));
      CHECK(r.factories[f].busy_chip_hours <= r.factories[f].installed_chip_hours);
      // Installed chip-time: chips x (end - max(online, warm-up)).
      const SimTime from = std::max(sc.factories[f].online, warm);
      CHECK(r.factories[f].installed_chip_hours ==
            Approx(sc.factories[f].chips * (end - from).seconds_f() / 3600));
    }
    CHECK(r.busy_chip_hours == Approx(total_busy_h));
    // Quota: `open` never holds more than 60% of the chips online at that moment.
    std::sort(open_tenant.begin(), open_tenant.end());
    std::int64_t held = 0;
    for (auto [t, d] : open_tenant) {
      held += d;
      std::int64_t online = 0;
      for (const auto& fs : sc.factories)
        if (fs.online <= t) online += fs.chips;
      REQUIRE(static_cast<double>(held) <= 0.6 * static_cast<double>(online) + 1e-9);
    }
    CHECK(r.utilisation <= 1.0);
    CHECK(r.utilisation_requested <= r.utilisation);
  }
}
