// Honest tables: a statistic over an empty sample is absent (JSON null, "n/a" in tables) in
// run, bench, compare and sweep, never 0; and every command counts the jobs it could not
// finish or could never start.
#include <catch2/catch.hpp>

#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/policy/registry.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
// One 8-chip node. A (submitted in the warm-up) holds it 0-10 h; B is submitted at 2 h, inside
// the window, and waits until the 5 h horizon; C (16 chips) fits nowhere. So the measured
// sample of waits is empty (B never started), as are JCT and slowdown; one job is unfinished
// in the queue, one running, one unschedulable.
const char* kBlocked = R"(
name: blocked
horizon: 5h
warmup: 1h
factories: [{name: f, chip: H100, chips: 8, node_size: 8}]
workload:
  - jobs:
      - {id: A, at: 0h, chips: 8, duration: 10h}
      - {id: B, at: 2h, chips: 8, duration: 1h}
      - {id: C, at: 3h, chips: 16, duration: 1h}
)";
}  // namespace

TEST_CASE("empty samples: run reports null and n/a, never 0") {
  const Scenario sc = test::scenario_from(kBlocked);
  const RunResult r = simulate(sc);
  CHECK(r.jobs.unfinished == 2);
  CHECK(r.jobs.unschedulable == 1);
  CHECK(r.wait_s.count == 0);
  const auto j = to_json(r);
  CHECK(j["wait_s"]["count"] == 0);
  for (const char* stat : {"mean", "p50", "p95", "p99", "max"}) {
    CHECK(j["wait_s"][stat].is_null());
    CHECK(j["bounded_slowdown"][stat].is_null());
    CHECK(j["jct_s"][stat].is_null());
  }
  const std::string table = format_table(r);
  CHECK(table.find("  wait                   n/a         n/a         n/a         n/a         n/a\n") != std::string::npos);
  CHECK(table.find("bounded sldn           n/a") != std::string::npos);
}

TEST_CASE("empty samples: bench gives null and n/a, and unfinished and unschedulable columns") {
  const Scenario sc = test::scenario_from(kBlocked);
  BenchOptions o;
  o.policies = {parse_policy_name("fifo", sc.policy), parse_policy_name("easy", sc.policy)};
  o.replicas = 3;
  o.threads = 1;
  const BenchResult b = run_policy_bench(sc, o);
  for (const auto& p : b.policies) {
    CHECK_FALSE(p.wait_mean_s.defined());
    CHECK_FALSE(p.slowdown_mean.defined());
    CHECK(p.unfinished.mean == 2);
    CHECK(p.unschedulable.mean == 1);
  }
  const auto j = to_json(b);
  CHECK(j["policies"][0]["wait_s"]["mean"]["mean"].is_null());
  CHECK(j["policies"][0]["bounded_slowdown"]["mean"]["ci95"].is_null());
  CHECK(j["policies"][0]["jobs_unschedulable"]["mean"] == 1.0);
  CHECK(j["policies"][0]["jobs_unfinished"]["mean"] == 2.0);
  const std::string table = format_bench_table(b);
  CHECK(table.find("unfinished") != std::string::npos);
  CHECK(table.find("unschedulable") != std::string::npos);
  // The fifo row: wait mean, wait p95 and slowdown n/a; 2 unfinished; 1 unschedulable.
  const auto row = table.substr(table.find("\n  fifo"), table.find('\n', table.find("\n  fifo") + 1) - table.find("\n  fifo"));
  CHECK(row.find("n/a") != std::string::npos);
  CHECK(row.find(" 2 ") != std::string::npos);
  CHECK(row.find(" 1 ") != std::string::npos);
}

TEST_CASE("empty samples: compare leaves a difference undefined where a plan has no value") {
  // Plan `big` has two nodes: B starts at 2 h (wait 0) and C at 3 h; plan `small` (the
  // baseline) has one node, so no measured job starts and C can never run.
  Scenario small = test::scenario_from(kBlocked), big = small;
  small.name = "small";
  big.name = "big";
  big.factories[0].chips = 16;
  CompareOptions o;
  o.threads = 1;
  const CompareResult r = run_plan_compare({small, big}, o);
  const auto& metrics = compare_metrics();
  std::size_t wait = 0, unsched = 0;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (std::string(metrics[m].key) == "wait_mean_s") wait = m;
    if (std::string(metrics[m].key) == "jobs_unschedulable") unsched = m;
  }
  CHECK_FALSE(r.plans[0].values[wait].defined());
  REQUIRE(r.plans[1].values[wait].defined());
  CHECK(r.plans[1].values[wait].mean == 0);
  CHECK_FALSE(r.plans[1].diff[wait].defined());  // 0 s minus nothing is not a difference
  CHECK(r.plans[0].values[unsched].mean == 1);  // C (16 chips) fits the big plan only
  CHECK(r.plans[1].values[unsched].mean == 0);
  CHECK(r.plans[1].diff[unsched].mean == -1);
  const auto j = to_json(r);
  CHECK(j["plans"][0]["metrics"]["wait_mean_s"]["mean"].is_null());
  CHECK(j["plans"][1]["vs_baseline"]["wait_mean_s"]["diff"].is_null());
  CHECK(format_compare_table(r).find("n/a") != std::string::npos);
}
