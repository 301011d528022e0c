// Same scenario + seed -> byte-identical output; another seed -> another job stream.
#include <catch2/catch.hpp>

#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
const std::string kScenario = test::kTwoSiteScenario;

std::string run_json(const Scenario& sc, std::optional<std::uint64_t> seed = {}) {
  SimulationOptions o;
  o.seed = seed;
  return to_json(simulate(sc, o)).dump(2);
}
}  // namespace

TEST_CASE("the same scenario and seed give byte-identical JSON") {
  const Scenario sc = test::scenario_from(kScenario);
  const std::string first = run_json(sc);
  CHECK(first == run_json(sc));
  CHECK(first == run_json(test::scenario_from(kScenario)));  // a freshly loaded copy too
}

TEST_CASE("a different seed gives a different job stream") {
  const Scenario sc = test::scenario_from(kScenario);
  const RunResult a = simulate(sc), b = simulate(sc, test::with_seed(6));
  CHECK(b.seed == 6);
  CHECK(a.jobs.submitted != b.jobs.submitted);
  CHECK(a.wait_s.mean != b.wait_s.mean);
}

namespace {
struct Rows final : TimeseriesSink {
  void row(const TimeseriesRow& r) override { rows.push_back(r); }
  std::vector<TimeseriesRow> rows;
};
}  // namespace

TEST_CASE("time series observe without changing the run, and add up to the summary") {
  // Fair-share recomputes its order at every pass: an extra pass at a sample instant could change
  // decisions, so samples must not trigger one. Interval means of busy chips, weighted by interval
  // length, must give the summary's busy chip-hours (no warm-up here: same window).
  std::string yaml = kScenario;
  yaml.replace(yaml.find("warmup: 3d"), 10, "warmup: 0");
  yaml += "policy: {queue: fair-share, backfill: easy}\n";
  const Scenario sc = test::scenario_from(yaml);
  const std::string plain = to_json(simulate(sc)).dump();
  Rows rows;
  SimulationOptions o;
  o.timeseries = &rows;
  o.timeseries_interval = Duration::hours(7);  // does not divide the 30-day horizon evenly
  const RunResult sampled = simulate(sc, o);
  CHECK(to_json(sampled).dump() == plain);
  double busy_chip_s = 0, prev_end = 0;
  for (const auto& r : rows.rows) {
    if (!r.factory.empty()) continue;
    busy_chip_s += r.busy_chips * (r.end_s - prev_end);
    CHECK(r.busy_chips + r.idle_chips + r.down_chips + r.maintenance_chips == Approx(r.installed_chips));
    CHECK(r.accelerator_power_mw <= r.installed_chips * 1000 / 1e6 + 1e-9);  // B200 TDP 1 kW is the largest here
    prev_end = r.end_s;
  }
  CHECK(prev_end == Approx(30 * 86400));
  CHECK(busy_chip_s / 3600 == Approx(sampled.busy_chip_hours).epsilon(1e-9));
}
