// Same scenario + seed -> byte-identical output; another seed -> another job stream.
#include <catch2/catch.hpp>

#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
const char* kScenario = R"(
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
  const RunResult a = simulate(sc), b = simulate(sc, {6, std::nullopt, nullptr});
  CHECK(b.seed == 6);
  CHECK(a.jobs.submitted != b.jobs.submitted);
  CHECK(a.wait_s.mean != b.wait_s.mean);
}
