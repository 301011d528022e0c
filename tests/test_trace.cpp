// CSV traces: column mapping by header, unsorted rows, and errors with the line number.
#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "helpers.hpp"

using namespace gigasim;
using test::hours;

namespace {
const std::string kHeader = R"(
factories: [{name: f, chip: H100, chips: 16}]
tenants: [{name: research}, {name: industry}]
)";
}

TEST_CASE("a small trace replays to its hand-computed schedule") {
  // Sorted by submit (ties in file order): j1 0s, j2 1800s, j3 7200s, j4 7200s. Two 8-chip nodes.
  //   j1 16 chips [0, 3600)
  //   j2  8 chips waits for j1: [3600, 10800)
  //   j3  8 chips at 7200 takes the other node: [7200, 10800)
  //   j4 16 chips at 7200 needs both nodes: [10800, 10860)
  const Scenario sc = test::scenario_from(kHeader + "workload: [{trace: small-trace.csv}]\n");
  test::RecordingSink sink;
  SimulationOptions o;
  o.job_sink = &sink;
  const RunResult r = simulate(sc, o);
  CHECK(sink.by_label("j1").start == SimTime::zero());
  CHECK(sink.by_label("j2").start == hours(1));
  CHECK(sink.by_label("j3").start == hours(2));
  CHECK(sink.by_label("j4").start == hours(3));
  CHECK(sink.by_label("j4").end == SimTime::from_ms(10'860'000));
  CHECK(sink.by_label("j2").tenant == "industry");
  CHECK(r.tenants[1].jobs.completed == 2);
  CHECK(r.jobs.completed == 4);
}

TEST_CASE("a replay on ample capacity has zero waiting and keeps every duration") {
  const Scenario sc = test::scenario_from(R"(
factories: [{name: f, chip: H100, chips: 1024}]
tenants: [{name: research}, {name: industry}]
workload: [{trace: small-trace.csv}]
)");
  test::RecordingSink sink;
  SimulationOptions o;
  o.job_sink = &sink;
  const RunResult r = simulate(sc, o);
  CHECK(r.wait_s.max == 0);
  for (const auto& j : sink.records) CHECK(*j.start == j.submit);
  CHECK((*sink.by_label("j2").end - *sink.by_label("j2").start).ms() == 7'200'000);
}

TEST_CASE("trace errors name the file, the line and the column") {
  auto error_of = [](const std::string& yaml) -> std::string {
    try {
      test::scenario_from(yaml);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const std::string one_tenant = "factories: [{name: f, chip: H100, chips: 16}]\n";
  std::string m = error_of(one_tenant + "workload: [{trace: bad-chips.csv}]\n");
  CHECK_THAT(m, Catch::Contains("workload[0].trace"));
  CHECK_THAT(m, Catch::Contains("bad-chips.csv:3: column 'chips': expected a positive integer, got 'eight'"));
  m = error_of(one_tenant + "workload: [{trace: no-duration.csv}]\n");
  CHECK_THAT(m, Catch::Contains("no-duration.csv:1: header has no 'duration' column"));
  m = error_of(kHeader + "workload: [{trace: bad-tenant.csv}]\n");
  CHECK_THAT(m, Catch::Contains("bad-tenant.csv:3: column 'tenant': expected a tenant declared in the scenario, got 'nobody'"));
  m = error_of(kHeader + "workload: [{trace: bad-chips.csv}]\n");
  CHECK_THAT(m, Catch::Contains("no 'tenant' column and the scenario has several tenants"));
}
