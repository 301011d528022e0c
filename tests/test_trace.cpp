// CSV traces: column mapping by header, unsorted rows, and errors with the line number.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

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

TEST_CASE("trace column mapping, timestamps, scaling, sampling, repetition and skipped rows") {
  // Rows c and e are unreadable and skipped (reported as warnings with their line numbers).
  // Timestamps are rebased: b at 0, a at 600 s, d at 1200 s; time_scale 0.5 halves those;
  // shift adds 100 s; chip_scale 2 doubles sizes; repeat 2 copies 1 h apart.
  const Scenario sc = test::scenario_from(R"(
factories: [{name: f, chip: H100, chips: 1024, node_size: 1}]
workload:
  - trace: mapped-trace.csv
    columns: {submit: when, chips: gpus, duration: secs, id: jobid}
    time_scale: 0.5
    shift: 100s
    chip_scale: 2
    repeat: {times: 2, shift: 1h}
    on_bad_row: skip
)");
  REQUIRE(sc.warnings.size() == 1);
  CHECK_THAT(sc.warnings[0], Catch::Contains("skipped 2 unreadable row(s)"));
  CHECK_THAT(sc.warnings[0], Catch::Contains("mapped-trace.csv:4: column 'when': expected a timestamp"));
  CHECK_THAT(sc.warnings[0], Catch::Contains("mapped-trace.csv:6: column 'gpus': expected a positive integer, got 'x'"));
  const auto jobs = test::trace_jobs(sc, 0);
  REQUIRE(jobs.size() == 6);
  CHECK(jobs[0].id == "b");
  CHECK(jobs[0].submit == SimTime::from_ms(100'000));
  CHECK(jobs[0].chips == 2);
  CHECK(jobs[1].id == "a");
  CHECK(jobs[1].submit == SimTime::from_ms(400'000));  // 600 s x 0.5 + 100 s
  CHECK(jobs[1].chips == 4);
  CHECK(jobs[1].duration == Duration::seconds(600));    // durations are not scaled
  CHECK(jobs[2].id == "d");
  CHECK(jobs[2].submit == SimTime::from_ms(700'000));
  CHECK(jobs[3].id == "b#1");
  CHECK(jobs[3].submit == SimTime::from_ms(3'700'000));
  // Without on_bad_row: skip the first bad row fails the load.
  CHECK_THROWS_WITH(test::scenario_from(R"(
factories: [{name: f, chip: H100, chips: 1024, node_size: 1}]
workload: [{trace: mapped-trace.csv, columns: {submit: when, chips: gpus, duration: secs}}]
)"),
                    Catch::Contains("mapped-trace.csv:4: column 'when'"));
  // Keep every 2nd job by submit order: b, d.
  const Scenario half = test::scenario_from(R"(
factories: [{name: f, chip: H100, chips: 1024, node_size: 1}]
workload: [{trace: mapped-trace.csv, columns: {submit: when, chips: gpus, duration: secs, id: jobid},
            sample_every: 2, on_bad_row: skip}]
)");
  const auto kept = test::trace_jobs(half, 0);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].id == "b");
  CHECK(kept[1].id == "d");
}

TEST_CASE("the bundled Philly trace replayed on ample capacity: zero waiting, every duration kept") {
  // An independent reading of the file: (timestamp, duration) per row. ISO timestamps sort as
  // text, and a stable sort keeps file order for ties -- the order in which gigasim numbers jobs.
  std::ifstream in(GIGASIM_SOURCE_DIR "/scenarios/traces/philly-2017/philly.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::pair<std::string, double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;  // the file ends with a blank line
    const auto a = line.find(','), b = line.find(',', a + 1);
    rows.emplace_back(line.substr(0, a), std::stod(line.substr(a + 1, b - a - 1)));
  }
  REQUIRE(rows.size() == 82247);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  Scenario sc = load_scenario(GIGASIM_SOURCE_DIR "/scenarios/philly-replay.yaml");
  sc.factories[0].chips = 100000;  // far above the unlimited-capacity peak of 1,243 GPUs
  sc.horizon.reset();
  sc.warmup = Duration{};
  test::RecordingSink sink;
  SimulationOptions o;
  o.job_sink = &sink;
  const RunResult r = simulate(sc, o);
  CHECK(r.jobs.completed == rows.size());
  CHECK(r.wait_s.max == 0);
  REQUIRE(sink.records.size() == rows.size());
  std::size_t mismatches = 0;
  for (const auto& j : sink.records) {
    REQUIRE(j.id < rows.size());
    if ((*j.end - *j.start) != Duration::from_seconds(rows[j.id].second)) ++mismatches;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("time_unit: a bare unit is one of it, a duration is that long") {
  // small-trace.csv: j1 at 0, j2 at 1800, j3 at 7200 (numbers in `time_unit`s), j2 runs 7200.
  auto submit_of = [](const std::string& unit, const char* id) {
    const Scenario sc = test::scenario_from(
        "factories: [{name: f, chip: H100, chips: 64}]\n"
        "tenants: [{name: research}, {name: industry}]\n"
        "workload: [{trace: small-trace.csv, time_unit: " + unit + "}]\n");
    for (const auto& j : test::trace_jobs(sc, 0))
      if (j.id == id) return std::pair{j.submit, j.duration};
    throw std::runtime_error("no job");
  };
  CHECK(submit_of("ms", "j2").first == SimTime::from_ms(1800));
  CHECK(submit_of("m", "j2").first == SimTime::zero() + Duration::seconds(1800 * 60));
  CHECK(submit_of("5h", "j2").first == SimTime::zero() + Duration::hours(9000));  // 1800 x 5 h, not x 15 h
  CHECK(submit_of("5h", "j2").second == Duration::hours(36000));
  CHECK(submit_of("250ms", "j2").first == SimTime::from_ms(450'000));
  CHECK_THROWS_WITH(submit_of("0ms", "j2"), Catch::Contains("time_unit: expected a time unit"));
  CHECK_THROWS_WITH(submit_of("fortnight", "j2"), Catch::Contains("time_unit: expected a time unit"));
}

TEST_CASE("a trace with a UTF-8 byte-order mark reads like one without, and a directory is refused") {
  const Scenario sc = test::scenario_from(
      "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: bom-trace.csv}]\n");
  const auto jobs = test::trace_jobs(sc, 0);
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[1].submit == SimTime::from_ms(60'000));
  CHECK_THROWS_WITH(test::scenario_from("factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: .}]\n"),
                    Catch::Contains("is a directory; expected a file"));
}
