// Per workload source figures (docs/metrics.md, "Per workload source"): a hand-computed
// schedule of two sources, and conservation -- the sources' counts, chip-hours and demand add
// up to the run's -- on a run with failures, checkpoints and a tenant with two sources.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/engine/sweep.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/sweep_report.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

TEST_CASE("per-source figures of a hand-computed schedule") {
  // 64 chips, one tenant. Source "big": A (64 chips, 10 h) at 0. Source "small": B (32 chips,
  // 2 h) at 1 h, C (32 chips, 2 h) at 2 h. Strict FIFO: B waits for A (9 h), C for A too (8 h),
  // both run 10-12 h. Cut at 11 h: B and C have run 1 h each.
  auto r = run_yaml(R"(
horizon: 11h
factories: [{name: f, chip: H100, chips: 64}]
workload:
  - {name: big, jobs: [{id: a, chips: 64, duration: 10h, at: 0h}]}
  - {name: small, jobs: [{id: b, chips: 32, duration: 2h, at: 1h}, {id: c, chips: 32, duration: 2h, at: 2h}]}
)");
  const RunResult& res = r.result;
  REQUIRE(res.sources.size() == 2);
  const SourceResult& big = res.sources[0];
  const SourceResult& small = res.sources[1];
  CHECK(big.name == "big");
  CHECK(small.name == "small");
  CHECK(big.jobs.submitted == 1);
  CHECK(big.jobs.completed == 1);
  CHECK(big.jobs.unfinished == 0);
  CHECK(small.jobs.submitted == 2);
  CHECK(small.jobs.started == 2);
  CHECK(small.jobs.running_at_end == 2);
  CHECK(small.jobs.completed == 0);
  CHECK(big.wait_s.count == 1);
  CHECK(big.wait_s.mean == 0);
  CHECK(small.wait_s.count == 2);
  CHECK(small.wait_s.mean == Approx((9 + 8) / 2.0 * 3600));
  CHECK(small.jct_s.count == 0);  // nothing of it completed: n/a, not 0
  CHECK(big.jct_s.mean == Approx(10 * 3600));
  CHECK(big.busy_chip_hours == Approx(640));
  CHECK(small.busy_chip_hours == Approx(2 * 32 * 1));
  CHECK(big.demand.offered_chip_hours == Approx(640));
  CHECK(big.demand.unmet_chip_hours == 0);
  CHECK(small.demand.offered_chip_hours == Approx(128));
  CHECK(small.demand.served_chip_hours == Approx(64));
  CHECK(small.demand.unmet_chip_hours == Approx(64));
}

TEST_CASE("with one source, its figures are the run's") {
  auto r = run_yaml(R"(
horizon: 5d
seed: 3
factories: [{name: f, chip: H100, chips: 512}]
workload:
  - {arrivals: {rate: 40/d}, chips: {dist: choice, values: [8, 64, 256]}, duration: {dist: exponential, mean: 6h}}
)");
  const RunResult& res = r.result;
  REQUIRE(res.sources.size() == 1);
  const SourceResult& s = res.sources[0];
  CHECK(s.name == "workload[0]");
  CHECK(s.jobs.submitted == res.jobs.submitted);
  CHECK(s.jobs.unfinished == res.jobs.unfinished);
  CHECK(s.wait_s.mean == res.wait_s.mean);
  CHECK(s.wait_s.p95 == res.wait_s.p95);
  CHECK(s.demand.unmet_chip_hours == res.demand.unmet_chip_hours);
  CHECK(s.busy_chip_hours == Approx(res.busy_chip_hours).epsilon(1e-12));
}

TEST_CASE("sources add up to the run: counts exactly, chip-hours and demand to rounding") {
  // Three sources of two tenants (tenant a has two), failures and checkpoints, a warm-up,
  // an overloaded horizon so that jobs are left queued and running.
  auto r = run_yaml(R"(
horizon: 20d
warmup: 2d
seed: 11
factories: [{name: f, chip: H100, chips: 1024, failures: {node_mtbf: 2000h, repair: 4h}}]
tenants: [{name: a, share: 0.6}, {name: b, share: 0.4}]
checkpoint: {interval: 2h, cost: 5m, restart: 10m}
workload:
  - {name: long, tenant: a, arrivals: {rate: 3/d}, chips: {dist: choice, values: [256, 512]}, duration: {dist: exponential, mean: 2d}}
  - {name: short, tenant: b, arrivals: {rate: 200/d}, chips: {dist: choice, values: [8, 16, 64]}, duration: {dist: exponential, mean: 1h}}
  - {name: tiny, tenant: a, arrivals: {rate: 100/d}, chips: 8, duration: {dist: exponential, mean: 20m}}
)");
  const RunResult& res = r.result;
  REQUIRE(res.sources.size() == 3);
  JobCounts sum;
  double busy = 0, offered = 0, served = 0, unmet = 0;
  std::uint64_t waits = 0;
  for (const SourceResult& s : res.sources) {
    sum += s.jobs;
    busy += s.busy_chip_hours;
    offered += s.demand.offered_chip_hours;
    served += s.demand.served_chip_hours;
    unmet += s.demand.unmet_chip_hours;
    waits += s.wait_s.count;
    CHECK(s.jobs.submitted == s.jobs.completed + s.jobs.unfinished + s.jobs.unschedulable);
  }
  CHECK(sum.submitted == res.jobs.submitted);
  CHECK(sum.measured == res.jobs.measured);
  CHECK(sum.started == res.jobs.started);
  CHECK(sum.completed == res.jobs.completed);
  CHECK(sum.queued_at_end == res.jobs.queued_at_end);
  CHECK(sum.running_at_end == res.jobs.running_at_end);
  CHECK(sum.unfinished == res.jobs.unfinished);
  CHECK(res.jobs.unfinished > 0);
  CHECK(waits == res.wait_s.count);
  CHECK(busy == Approx(res.busy_chip_hours).epsilon(1e-9));
  CHECK(offered == Approx(res.demand.offered_chip_hours).epsilon(1e-9));
  CHECK(served == Approx(res.demand.served_chip_hours).epsilon(1e-9));
  CHECK(unmet == Approx(res.demand.unmet_chip_hours).epsilon(1e-9));
  // Tenant a's jobs are exactly the long and tiny sources'.
  CHECK(res.tenants[0].jobs.submitted == res.sources[0].jobs.submitted + res.sources[2].jobs.submitted);
  CHECK(res.tenants[1].busy_chip_hours == Approx(res.sources[1].busy_chip_hours).epsilon(1e-12));
}

namespace {
// Two tenants, three sources (tenant x has two), below saturation.
const char* kThreeSources = R"(
horizon: 12d
warmup: 1d
seed: 5
factories: [{name: a, chip: H100, chips: 1024}]
tenants: [{name: x, share: 2}, {name: y, share: 1}]
workload:
  - {name: x-train, tenant: x, arrivals: {rate: 4/d}, chips: {dist: pow2, min: 64, max: 512}, duration: {dist: exponential, mean: 10h}}
  - {name: x-dev, tenant: x, arrivals: {rate: 80/d}, chips: 8, duration: {dist: exponential, mean: 1h}}
  - {name: y-tune, tenant: y, arrivals: {rate: 20/d}, chips: {dist: pow2, min: 8, max: 64}, duration: {dist: exponential, mean: 3h}}
)";

void check_same(const GroupEstimates& g, const SourceResult& s) {
  CAPTURE(g.name);
  CHECK(g.name == s.name);
  CHECK(g.wait_mean_s.n == 1);
  CHECK(g.wait_mean_s.mean == s.wait_s.mean);
  CHECK(g.busy_chip_hours.mean == s.busy_chip_hours);
  CHECK(g.unmet_eflop_days.mean == s.demand.unmet_eflop_days);
}
}  // namespace

TEST_CASE("bench, sweep and compare report each source's figures as a run does") {
  const Scenario sc = scenario_from(kThreeSources);
  const RunResult run = simulate(sc, with_seed(sc.seed));
  REQUIRE(run.sources.size() == 3);

  BenchOptions b;
  b.policies.push_back(sc.policy);
  const BenchResult bench = run_policy_bench(sc, b);
  REQUIRE(bench.policies[0].sources.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) check_same(bench.policies[0].sources[i], run.sources[i]);
  REQUIRE(bench.policies[0].tenants.size() == 2);
  CHECK(bench.policies[0].tenants[1].busy_chip_hours.mean == run.tenants[1].busy_chip_hours);
  CHECK(to_json(bench)["policies"][0]["sources"][1]["name"] == "x-dev");
  const std::string table = format_bench_table(bench);
  CHECK_THAT(table, Catch::Contains("workload source") && Catch::Contains("x-train") && Catch::Contains("y-tune"));

  const auto file = std::filesystem::temp_directory_path() / "gigasim-test-per-source.yaml";
  std::ofstream(file) << kThreeSources;
  SweepOptions w;
  w.parameters = {parse_sweep_parameter("seed=" + std::to_string(sc.seed))};
  const SweepResult sweep = run_sweep(file, w);
  std::filesystem::remove(file);
  REQUIRE(sweep.rows.size() == 1);
  REQUIRE(sweep.rows[0].sources.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) check_same(sweep.rows[0].sources[i], run.sources[i]);
  const std::string csv = sweep_csv(sweep);
  CHECK_THAT(csv, Catch::Contains(",source[x-dev].wait_mean_s,source[x-dev].wait_mean_s_ci95,") &&
                      Catch::Contains(",tenant[y].busy_chip_hours,"));
  CHECK_THAT(csv, Catch::Contains(",sweep,points_total\n"));  // still last: merge reads them there
  CHECK(to_json(sweep)["rows"][0]["sources"][2]["busy_chip_hours"]["mean"] == run.sources[2].busy_chip_hours);

  const CompareResult compare = run_plan_compare({sc, sc}, CompareOptions{});
  REQUIRE(compare.plans[1].sources.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) check_same(compare.plans[1].sources[i], run.sources[i]);
  CHECK(compare.plans[0].tenants[0].busy_chip_hours.mean == run.tenants[0].busy_chip_hours);
  CHECK_THAT(format_compare_table(compare), Catch::Contains("per workload source") && Catch::Contains("x-train wait mean"));
  CHECK(to_json(compare)["plans"][0]["sources"][0]["name"] == "x-train");
}

TEST_CASE("estimates per group match groups by name and skip replicas without one") {
  std::vector<std::vector<GroupFigures>> runs = {
      {{"a", 10.0, 100, 1}, {"b", std::nullopt, 50, 0}},
      {{"a", 20.0, 300, 3}, {"b", 4.0, 70, 0}},
      {{"b", 6.0, 90, 2}},  // a run without group a
  };
  const auto g = estimate_groups(runs);
  REQUIRE(g.size() == 2);
  CHECK(g[0].name == "a");
  CHECK(g[0].wait_mean_s.n == 2);
  CHECK(g[0].wait_mean_s.mean == Approx(15));
  CHECK(g[0].busy_chip_hours.mean == Approx(200));
  CHECK(g[1].wait_mean_s.n == 2);  // the undefined wait is left out, not counted as 0
  CHECK(g[1].wait_mean_s.mean == Approx(5));
  CHECK(g[1].busy_chip_hours.n == 3);
  CHECK(g[1].unmet_eflop_days.mean == Approx(2 / 3.0));
  // Two groups of one name stay apart (the k-th with the k-th).
  const auto twins = estimate_groups({{{"t", 1.0, 1, 0}, {"t", 3.0, 5, 0}}, {{"t", 2.0, 2, 0}, {"t", 5.0, 7, 0}}});
  REQUIRE(twins.size() == 2);
  CHECK(twins[0].wait_mean_s.mean == Approx(1.5));
  CHECK(twins[1].wait_mean_s.mean == Approx(4));
}

TEST_CASE("a trace replayed twice gets two distinct source labels") {
  const Scenario sc = scenario_from(R"(
factories: [{name: f, chip: H100, chips: 16}]
tenants: [{name: research}, {name: industry}]
workload: [{trace: small-trace.csv}, {trace: small-trace.csv, shift: 1d}]
)");
  REQUIRE(sc.workload.size() == 2);
  CHECK(sc.workload[0].label == "small-trace.csv");
  CHECK(sc.workload[1].label == "small-trace.csv (workload[1])");
}
