// validate(const Scenario&): a scenario built in code is refused as the loader refuses the same
// file, with the loader's message minus the file position; simulate() calls it.
#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "gigasim/model/validate.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {

const std::string kValid = R"(
horizon: 10d
factories: [{name: f, chip: H100, chips: 64}, {name: g, chip: B200, chips: 32}]
tenants: [{name: t}, {name: u, sites: [g]}]
workload:
  - {tenant: t, arrivals: {rate: 10/d}, chips: 8, duration: 1h}
  - {tenant: u, jobs: [{id: a, at: 1h, chips: 16, duration: 2h}, {id: b, at: 2h, chips: 8, flops: 1e18}]}
)";

std::string error_of(const Scenario& sc) {
  try {
    validate(sc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

/// The loader's message for a YAML text, without its "test.yaml:L:C: " prefix.
std::string loader_error_of(const std::string& yaml) {
  try {
    test::scenario_from(yaml);
  } catch (const InputError& e) {
    std::string m = e.what();
    for (int colons = 0; colons < 3 && !m.empty();) {
      if (m.front() == ':') ++colons;
      m.erase(0, 1);
    }
    return m.substr(m.find_first_not_of(' '));
  }
  return "(no error)";
}

JobTableSpec& table_of(Scenario& sc, std::size_t w) { return std::get<JobTableSpec>(sc.workload[w].source); }

}  // namespace

TEST_CASE("validate: a loaded scenario is valid") {
  CHECK(error_of(test::scenario_from(kValid)) == "(no error)");
  for (const char* name : {"default", "eu-ai-factories-2026", "eu-ai-factories-programme", "frontier-run", "llama3-reliability"}) {
    CAPTURE(name);
    CHECK(error_of(load_scenario(std::string(GIGASIM_SOURCE_DIR "/scenarios/") + name + ".yaml")) == "(no error)");
  }
  for (const char* name : {"compare-plans", "stargate-comparison", "gigafactory-call"}) {
    for (const Scenario& plan : load_plans(std::string(GIGASIM_SOURCE_DIR "/scenarios/") + name + ".yaml")) {
      CAPTURE(name, plan.name);
      CHECK(error_of(plan) == "(no error)");
    }
  }
}

TEST_CASE("validate: the loader's messages, without the position, for the same mistakes in code") {
  const Scenario ok = test::scenario_from(kValid);
  {
    Scenario sc = ok;
    sc.factories[0].chips = 100;
    CHECK(error_of(sc) == loader_error_of(R"(
horizon: 10d
factories: [{name: f, chip: H100, chips: 100}]
workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]
)"));
    CHECK(error_of(sc) == "factories[0].chips: expected a multiple of node_size (8), got '100'");
  }
  {
    Scenario sc = ok;
    sc.factories[1].name = "f";
    CHECK(error_of(sc) == "factories[1].name: duplicate factory name 'f'");
  }
  {
    Scenario sc = ok;
    sc.factories[0].spares = 8;
    CHECK(error_of(sc) == "factories[0].spares: expected fewer spare nodes than the factory's 8 nodes, got '8'");
  }
  {
    Scenario sc = ok;
    sc.factories[0].power.pue = 0.9;
    CHECK(error_of(sc) == "factories[0].power.pue: expected a PUE in [1, 5], got '0.9'");
  }
  {
    Scenario sc = ok;
    sc.factories[0].node_size = 0;
    CHECK(error_of(sc) == "factories[0].node_size: expected a positive integer, got '0'");
  }
  {
    Scenario sc = ok;
    sc.factories.clear();
    CHECK(error_of(sc) == "factories: expected at least one factory");
  }
  {
    // Repair pipelines: an escalation needs a manual stage, and that stage must be able to end.
    const auto yaml = [](const std::string& failures) {
      return "horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 1000h, repair: 1h, " +
             failures + "}}]\nworkload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n";
    };
    Scenario sc = ok;
    sc.factories[0].failures = FailureSpec{Duration::hours(1000), {DurationDistribution::Kind::Fixed, 3600, 0, {}}, 0.5,
                                           std::nullopt, 1};
    CHECK(error_of(sc) == loader_error_of(yaml("repair_success: 0.5")));
    CHECK(error_of(sc).find("give `manual_repair`") != std::string::npos);
    sc.factories[0].failures->manual_repair = DurationDistribution{DurationDistribution::Kind::Fixed, 86400, 0, {}};
    CHECK(error_of(sc) == "(no error)");
    sc.factories[0].failures->manual_success = 0;
    CHECK(error_of(sc) == loader_error_of(yaml("repair_success: 0.5, manual_repair: 1d, manual_success: 0")));
    sc.factories[0].failures->manual_success = 0.001;
    CHECK(error_of(sc) == loader_error_of(yaml("repair_success: 0.5, manual_repair: 1d, manual_success: 0.001")));
    sc.factories[0].failures->manual_success = 1;
    sc.factories[0].failures->repair_success = -0.1;
    CHECK(error_of(sc) == loader_error_of(yaml("repair_success: -0.1")));
    CHECK(error_of(sc) == "factories[0].failures.repair_success: expected a probability in [0, 1], got '-0.1'");
  }
  {
    // Topology: growth in whole domains only, no removals (yet).
    const auto yaml = [](const std::string& chips) {
      return "horizon: 10d\nfactories: [{name: f, chip: GB200, chips: 288, node_size: 4, phases: [{at: 1d, chips: " +
             chips + "}], topology: {domain_nodes: 18}}]\nworkload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n";
    };
    Scenario sc = test::scenario_from(yaml("72"));
    CHECK(error_of(sc) == "(no error)");
    sc.factories[0].phases[0].chips = 36;
    CHECK(error_of(sc) == loader_error_of(yaml("36")));
    sc.factories[0].phases[0].chips = -72;
    CHECK(error_of(sc) == loader_error_of(yaml("-72")));
  }
}

TEST_CASE("validate: what only code can get wrong -- indexes, empty jobs, order") {
  const Scenario ok = test::scenario_from(kValid);
  {
    Scenario sc = ok;
    table_of(sc, 1).jobs[0].chips = 0;  // would "complete" without holding anything
    CHECK(error_of(sc) == "workload[1].jobs[0].chips: expected a positive integer, got '0'");
  }
  {
    Scenario sc = ok;
    table_of(sc, 1).jobs[1].tenant = 7;  // would index past the tenants
    CHECK(error_of(sc) == "workload[1].jobs[1].tenant: unknown tenant index 7 (the scenario has 2 tenants)");
  }
  {
    Scenario sc = ok;
    std::get<GeneratorSpec>(sc.workload[0].source).tenant = 2;
    CHECK(error_of(sc) == "workload[0].tenant: unknown tenant index 2 (the scenario has 2 tenants)");
  }
  {
    Scenario sc = ok;
    sc.tenants[1].sites = {5};
    CHECK(error_of(sc) == "tenants[1].sites[0]: unknown factory index 5 (the scenario has 2 factories)");
  }
  {
    Scenario sc = ok;
    std::swap(table_of(sc, 1).jobs[0], table_of(sc, 1).jobs[1]);
    CHECK(error_of(sc) == "workload[1].jobs[1].at: expected jobs sorted by submission time");
  }
  {
    Scenario sc = ok;
    table_of(sc, 1).jobs[0].duration = Duration{};
    CHECK(error_of(sc) == "workload[1].jobs[0]: a job needs `duration`, or its work: `flops`, or `params` and `tokens`");
  }
  {
    Scenario sc = ok;
    table_of(sc, 1).jobs[1].work.mfu = 40;
    CHECK(error_of(sc) == "workload[1].jobs[1].mfu: expected an MFU in (0, 1] (e.g. 0.4 for 40%), got '40'");
  }
  {
    Scenario sc = ok;
    sc.tenants.clear();
    CHECK(error_of(sc) == "tenants: expected at least one tenant");
  }
  {
    Scenario sc = ok;
    sc.factories[0].phases.push_back({SimTime::zero() + Duration::days(1), -64});
    sc.factories[0].phases.push_back({SimTime::zero() + Duration::days(2), 64});
    CHECK(error_of(sc) ==
          "factories[0].phases[0].chips: expected a change that leaves chips installed (use `retire` to remove all), got '-64'");
  }
}

TEST_CASE("validate: simulate() refuses an invalid scenario before running it") {
  Scenario sc = test::scenario_from(kValid);
  table_of(sc, 1).jobs[0].tenant = 9;
  CHECK_THROWS_WITH(simulate(sc), Catch::Contains("workload[1].jobs[0].tenant: unknown tenant index 9"));
  CHECK_THROWS_AS(Simulation(sc), InputError);
}
