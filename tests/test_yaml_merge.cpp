// YAML merge keys (`<<: *defaults`) and top-level `x-` extension fields: a file that shares its
// factories' figures through an anchor means exactly what the written-out file means.
#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {

const std::string kTail = R"(
tenants: [{name: t}]
workload:
  - {tenant: t, arrivals: {rate: 400/d}, chips: {dist: pow2, min: 8, max: 512}, duration: {dist: exponential, mean: 3h}}
)";

// Two factories sharing chip, node size, failures and power through a merge ...
const std::string kMerged = R"(
horizon: 20d
seed: 9
x-site: &site
  chip: H100
  node_size: 8
  failures: {node_mtbf: 2000h, repair: {dist: exponential, mean: 6h}}
  power: {chip_kw: 1.35, pue: 1.1}
factories:
  - {<<: *site, name: a, chips: 1024}
  - {<<: *site, name: b, chips: 2048, node_size: 4, online: 2d}
)" + kTail;

// ... and the same file written out by hand (b's explicit node_size wins over the merged one).
const std::string kWrittenOut = R"(
horizon: 20d
seed: 9
factories:
  - {name: a, chips: 1024, chip: H100, node_size: 8, power: {chip_kw: 1.35, pue: 1.1},
     failures: {node_mtbf: 2000h, repair: {dist: exponential, mean: 6h}}}
  - {name: b, chips: 2048, node_size: 4, online: 2d, chip: H100, power: {chip_kw: 1.35, pue: 1.1},
     failures: {node_mtbf: 2000h, repair: {dist: exponential, mean: 6h}}}
)" + kTail;

std::string error_of(const std::string& yaml, const std::vector<ScenarioOverride>& sets = {}) {
  try {
    (void)parse_scenario(yaml, "test.yaml", GIGASIM_SOURCE_DIR "/tests/data", sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("A merged factory list runs exactly as the written-out one", "[scenario][merge]") {
  const Scenario merged = test::scenario_from(kMerged);
  REQUIRE(merged.factories.size() == 2);
  const FactorySpec& b = merged.factories[1];
  CHECK(b.chip.name == "H100");
  CHECK(b.node_size == 4);  // explicit key wins
  CHECK(b.chips == 2048);
  REQUIRE(b.failures);
  CHECK(b.failures->node_mtbf == Duration::from_seconds(2000 * 3600.0));
  CHECK(b.power.pue == Approx(1.1));

  const test::Run m = test::run_yaml(kMerged), w = test::run_yaml(kWrittenOut);
  REQUIRE(m.jobs.records.size() > 1000);
  REQUIRE(m.jobs.records.size() == w.jobs.records.size());
  for (std::size_t i = 0; i < m.jobs.records.size(); ++i) {
    const auto &x = m.jobs.records[i], &y = w.jobs.records[i];
    REQUIRE(x.id == y.id);
    CHECK(x.factory == y.factory);
    CHECK(x.start == y.start);
    CHECK(x.end == y.end);
    CHECK(x.interruptions == y.interruptions);
  }
  CHECK(m.result.factories.at(1).failures > 0);
}

TEST_CASE("Merge keys follow YAML 1.1: explicit first, then earlier sources, shallow merge", "[scenario][merge]") {
  const Scenario sc = test::scenario_from(R"(
horizon: 10d
x-small: &small {chip: B200, chips: 64, node_size: 8}
x-big: &big {chip: H100, chips: 1024, power: {pue: 1.3, chip_kw: 1.2}}
x-chained: &chained {<<: *small, name: ignored-name, chips: 128}
factories:
  - {<<: [*small, *big], name: a}             # chip and chips from small (earlier), power from big
  - {<<: [*big, *small], name: b}             # chip and chips from big
  - {<<: *big, name: c, power: {pue: 1.5}}    # power replaced whole: chip_kw not merged in
  - {<<: *chained, name: d}                   # a merge of a merge; d's own name wins
)" + kTail);
  REQUIRE(sc.factories.size() == 4);
  CHECK(sc.factories[0].chip.name == "B200");
  CHECK(sc.factories[0].chips == 64);
  CHECK(sc.factories[0].power.pue == Approx(1.3));
  CHECK(sc.factories[1].chip.name == "H100");
  CHECK(sc.factories[1].chips == 1024);
  CHECK(sc.factories[2].power.pue == Approx(1.5));
  CHECK_FALSE(sc.factories[2].power.chip_watts.has_value());
  CHECK(sc.factories[3].name == "d");
  CHECK(sc.factories[3].chip.name == "B200");
  CHECK(sc.factories[3].chips == 128);
}

TEST_CASE("A --set of the defaults reaches every factory that merges them", "[scenario][merge]") {
  const Scenario sc = parse_scenario(kMerged, "test.yaml", GIGASIM_SOURCE_DIR "/tests/data",
                                     {ScenarioOverride("x-site.power.pue", "1.4")});
  CHECK(sc.factories[0].power.pue == Approx(1.4));
  CHECK(sc.factories[1].power.pue == Approx(1.4));
  // A value set on one factory is an explicit key there and wins over the defaults.
  const Scenario one = parse_scenario(kMerged, "test.yaml", GIGASIM_SOURCE_DIR "/tests/data",
                                      {ScenarioOverride("factories[b].chip", "B200")});
  CHECK(one.factories[0].chip.name == "H100");
  CHECK(one.factories[1].chip.name == "B200");
}

TEST_CASE("Merge errors are located and x- keys are ignored only at the top level", "[scenario][merge][errors]") {
  // A bad value that came from the defaults is reported where it is written: in the anchor.
  CHECK_THAT(error_of("horizon: 10d\nx-d: &d {chip: H100, node_size: 0}\nfactories: [{<<: *d, name: a, chips: 64}]\n" + kTail),
             Catch::Contains("test.yaml:2:") && Catch::Contains("factories[0].node_size"));
  CHECK_THAT(error_of("horizon: 10d\nfactories: [{<<: 5, name: a, chip: H100, chips: 64}]\n" + kTail),
             Catch::Contains("test.yaml:2:18") && Catch::Contains("factories[0].<<") &&
                 Catch::Contains("expected a mapping to merge"));
  CHECK_THAT(error_of("horizon: 10d\nfactories: [{<<: [{chip: H100}, 7], name: a, chips: 64}]\n" + kTail),
             Catch::Contains("factories[0].<<[1]") && Catch::Contains("expected a mapping to merge"));
  CHECK_THAT(error_of("horizon: 10d\nfactories: [{name: a, chip: H100, chips: 64, x-note: hi}]\n" + kTail),
             Catch::Contains("unknown key 'x-note'"));
}

TEST_CASE("Aliases that multiply the document are refused quickly, not walked", "[scenario][merge][hostile]") {
  // Nine levels of ten aliases each: 10^9 paths to the innermost list.
  std::string yaml = "horizon: 1d\nx-0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n";
  for (int i = 1; i <= 9; ++i) {
    yaml += "x-" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) yaml += (k ? ", *a" : "*a") + std::to_string(i - 1);
    yaml += "]\n";
  }
  yaml += "factories: [{name: f, chip: H100, chips: 8}]\n" + kTail;
  CHECK_THAT(error_of(yaml), Catch::Contains("aliases expand the document beyond 2000000 nodes"));
}
