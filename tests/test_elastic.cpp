// Elastic jobs (`chips: {min, max}`): schedules computed by hand, the same rule under every
// policy, work delivered exactly once across resizes, conservation, and input errors.
#include <string>

#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "gigasim/model/validate.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

namespace {

// A chip of 1,000 BF16 TFLOP/s at MFU 0.5: 5e14 FLOP/s per chip, scaling linear. 1.152e21 FLOPs
// are 10 h on 64 chips, 20 h on 32, 40 h on 16 (in "units" of 64-chip hours: 10).
const std::string kUnitFactory = R"(
chips: [{name: Unit, bf16_tflops: 1000}]
compute: {mfu: 0.5}
)";

std::string with_policy(const std::string& yaml, const std::string& policy) {
  return kUnitFactory + "policy: {" + policy + "}\n" + yaml;
}

double end_s(const Run& r, const std::string& id) { return r.jobs.by_label(id).end->seconds_f(); }

}  // namespace

TEST_CASE("elastic: shrinks to admit a waiting job and grows back, under every policy") {
  // 8 nodes of 8. e starts at its minimum (2 nodes) and grows at once to 8 (free at a start).
  // At 1 h r needs 4 nodes: e lends its 6 above the minimum, r takes 4, e takes back 2 and
  // shrinks to 4 nodes (32 chips) after 1 of its 10 units. It pays 6 min, then 9 units at half
  // speed would end at 1.1 + 18 = 19.1 h. At 3 h r ends: e has done 1.9 h x 0.5 = 0.95 units;
  // growing back (6 min + 8.05 h) beats 16.1 h at 32 chips, so it ends at 3 + 8.15 = 11.15 h.
  const std::string yaml = R"(
factories: [{name: f, chip: Unit, chips: 64, node_size: 8}]
workload:
  - {jobs: [{id: e, chips: {min: 16, max: 64}, flops: 1.152e21},
            {id: r, at: 1h, chips: 32, duration: 2h}]}
)";
  for (const std::string policy :
       {"queue: fifo", "backfill: greedy", "backfill: easy", "backfill: conservative", "queue: sjf, backfill: easy",
        "queue: fair-share, backfill: easy", "queue: priority, preemption: true",
        "queue: fair-share, backfill: conservative"}) {
    INFO(policy);
    const auto r = run_yaml(with_policy(yaml, "resize_cost: 6m, " + policy));
    CHECK(r.jobs.by_label("r").start->seconds_f() == 3600);  // admitted at once by shrinking e
    CHECK(end_s(r, "r") == 3 * 3600);
    CHECK(end_s(r, "e") == Approx(11.15 * 3600));
    REQUIRE(r.result.elastic);
    CHECK(r.result.elastic->started == 1);
    CHECK(r.result.elastic->grown == 1);
    CHECK(r.result.elastic->shrunk == 1);
    // Work: e's 640 chip-hours and r's 64, once; the two resizes cost 0.1 h on 32 and on 64 chips.
    CHECK(r.result.useful_chip_hours == Approx(704));
    CHECK(r.result.overhead_chip_hours == Approx(0.1 * 32 + 0.1 * 64));
    CHECK(r.result.busy_chip_hours == Approx(r.result.installed_chip_hours));
    CHECK(r.jobs.by_label("e").chips == 16);  // the record gives what it asked for: its minimum
  }
}

TEST_CASE("elastic: a running job grows only when the resize pays off") {
  // q holds 6 of 8 nodes for 1 h; e starts on the other 2 (16 chips: 0.25 units/h). At 1 h it
  // has done 0.25 units; 9.75 are left: 39 h at 16 chips, or cost + 9.75 h at 64.
  const std::string yaml = R"(
factories: [{name: f, chip: Unit, chips: 64, node_size: 8}]
workload:
  - {jobs: [{id: q, chips: 48, duration: 1h}, {id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
)";
  const auto cheap = run_yaml(with_policy(yaml, "resize_cost: 6m"));
  CHECK(end_s(cheap, "e") == Approx((1 + 0.1 + 9.75) * 3600));
  CHECK(cheap.result.elastic->grown == 1);
  const auto dear = run_yaml(with_policy(yaml, "resize_cost: 30h"));  // 39.75 h > 39 h: it stays
  CHECK(end_s(dear, "e") == Approx(40 * 3600));
  CHECK(dear.result.elastic->grown == 0);
  // Growth is considered at scheduling passes only: at 1 h e has run 1 h < grow_after, and no
  // later instant comes before it ends, at 16 chips.
  const auto patient = run_yaml(with_policy(yaml, "resize_cost: 6m, grow_after: 2h"));
  CHECK(end_s(patient, "e") == Approx(40 * 3600));
}

TEST_CASE("elastic: a maintenance window takes lent nodes first") {
  // Half the nodes go into maintenance at 2 h for 1 h: e (at 64 chips) lends 6 nodes, the
  // window takes 4, e shrinks to 4 nodes after 2 units, does 0.9 h x 0.5 = 0.45 units, then
  // grows back at 3 h for the last 7.55: 3 + 0.1 + 7.55 = 10.65 h.
  const auto r = run_yaml(with_policy(R"(
factories: [{name: f, chip: Unit, chips: 64, node_size: 8,
             maintenance: {every: 1000h, duration: 1h, fraction: 0.5, first: 2h}}]
workload:
  - {jobs: [{id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
)", "resize_cost: 6m"));
  CHECK(end_s(r, "e") == Approx(10.65 * 3600));
  CHECK(r.result.elastic->shrunk == 1);
  CHECK(r.result.elastic->grown == 1);
}

TEST_CASE("elastic: growth stays within the tenant's quota") {
  // A quota of half the installed chips: e runs on 32 chips, 20 h.
  const auto r = run_yaml(kUnitFactory + R"(
factories: [{name: f, chip: Unit, chips: 64, node_size: 8}]
tenants: [{name: t, quota: 0.5}]
workload:
  - {jobs: [{id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
)");
  CHECK(end_s(r, "e") == Approx(20 * 3600));
}

TEST_CASE("elastic: the scaling model sets the speed at each size") {
  // Amdahl with serial fraction 0.01: efficiency(n) = 1 / (1 + 0.01 (n - 1)); at 64 chips the
  // job runs at 64 / 1.63 chips' worth: 10 h x 1.63 = 16.3 h.
  const auto r = run_yaml(R"(
chips: [{name: Unit, bf16_tflops: 1000}]
compute: {mfu: 0.5, scaling: {model: amdahl, serial_fraction: 0.01}}
factories: [{name: f, chip: Unit, chips: 64, node_size: 8}]
workload:
  - {jobs: [{id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
)");
  CHECK(end_s(r, "e") == Approx(10 * 1.63 * 3600).epsilon(1e-9));
}

TEST_CASE("elastic: on a factory with scale-up domains a job keeps the size it started with") {
  const auto r = run_yaml(kUnitFactory + R"(
factories: [{name: f, chip: Unit, chips: 64, node_size: 8, topology: {domain_nodes: 4}}]
workload:
  - {jobs: [{id: q, chips: 48, duration: 1h}, {id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
)");
  CHECK(end_s(r, "e") == Approx(40 * 3600));
  CHECK(r.result.elastic->grown == 0);
}

namespace {
// Elastic and rigid jobs, failures, spares, checkpoints, maintenance, quotas and preemptible
// tenants; every job arrives within 12 days and the run goes on until all have completed.
const std::string kMixed = R"(
seed: 3
factories:
  - {name: a, chip: H100, chips: 1024, failures: {node_mtbf: 2000h, repair: 6h},
     maintenance: {every: 5d, duration: 8h, fraction: 0.25}}
  - {name: b, chip: B200, chips: 512, spares: 8, failures: {node_mtbf: 1000h, repair: 4h}}
tenants: [{name: x, quota: 0.6}, {name: y, preemptible: true}, {name: z, priority: 5}]
checkpoint: {interval: auto, cost: 2m, restart: 5m}
workload:
  - {tenant: x, arrivals: {dist: poisson, rate: 40/d, count: 480}, classes: [
      {name: el, share: 1, chips: {min: 64, max: 512}, params: 7e9, tokens: {dist: loguniform, min: 1e10, max: 2e11}},
      {name: rig, share: 2, chips: {dist: pow2, min: 8, max: 256}, duration: {dist: lognormal, median: 3h, sigma: 1}}]}
  - {tenant: y, arrivals: {dist: poisson, rate: 30/d, count: 360}, chips: {min: 8, max: 256},
     flops: {dist: loguniform, min: 1e19, max: 1e21}}
  - {tenant: z, arrivals: {dist: poisson, rate: 30/d, count: 360}, chips: {dist: pow2, min: 8, max: 512},
     duration: {dist: exponential, mean: 4h}}
)";
}  // namespace

TEST_CASE("elastic: work is delivered exactly once and chip-time is conserved, under every policy") {
  for (const std::string policy :
       {"queue: fifo", "backfill: easy", "backfill: conservative", "queue: fair-share, backfill: easy",
        "queue: priority, preemption: true, backfill: easy", "queue: priority, preemption: true, backfill: conservative"}) {
    INFO(policy);
    const auto r = run_yaml("policy: {" + policy + "}\n" + kMixed);
    const RunResult& s = r.result;
    REQUIRE(s.elastic);
    CHECK(s.jobs.completed == 1200);
    CHECK(s.elastic->started > 0);
    CHECK(s.elastic->grown + s.elastic->shrunk > 0);
    // Every job's work is kept once: what was served is what was offered, in FLOPs.
    CHECK(s.demand.served_eflop_days == Approx(s.demand.offered_eflop_days).epsilon(1e-9));
    CHECK(s.busy_chip_hours <= s.installed_chip_hours - s.down_chip_hours - s.maintenance_chip_hours + 1e-6);
    // The pools' busy chip-time (from their states) covers what the jobs used and asked for.
    CHECK(s.overhead_chip_hours >= 0);
    CHECK(s.useful_chip_hours + s.lost_chip_hours <= s.busy_chip_hours + 1e-6);
    CHECK(s.requested_chip_hours <= s.busy_chip_hours + 1e-6);  // whole nodes: asked for <= held
  }
}

TEST_CASE("elastic: the same seed gives byte-identical results") {
  auto json = [] {
    const auto sc = scenario_from("policy: {backfill: easy}\n" + kMixed);
    return to_json(simulate(sc, with_seed(11))).dump();
  };
  CHECK(json() == json());
}

TEST_CASE("elastic: input errors name the field and what was expected") {
  auto error_of = [](const std::string& yaml) -> std::string {
    try {
      scenario_from(kUnitFactory + "factories: [{name: f, chip: Unit, chips: 64}]\n" + yaml);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(error_of("workload: [{jobs: [{chips: {min: 64, max: 16}, flops: 1e20}]}]"),
             Catch::Contains("test.yaml:5:43") && Catch::Contains("a chip count >= min (64)"));
  CHECK_THAT(error_of("workload: [{jobs: [{chips: {min: 16, max: 64}, duration: 2h}]}]"),
             Catch::Contains("needs its work"));
  CHECK_THAT(error_of("workload: [{arrivals: {dist: poisson, rate: 1/d}, chips: {min: 8, max: 64}, duration: 1h}]"),
             Catch::Contains("needs its work"));
  CHECK_THAT(error_of("workload: [{jobs: [{chips: {min: 16, most: 64}, flops: 1e20}]}]"), Catch::Contains("most"));
  CHECK_THAT(error_of("policy: {resize_cost: -5m}\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]"),
             Catch::Contains("resize_cost"));
  // validate() (scenarios built in code) says the same.
  Scenario sc = scenario_from(kUnitFactory + R"(
factories: [{name: f, chip: Unit, chips: 64}]
workload: [{jobs: [{chips: {min: 16, max: 64}, flops: 1e20}]}]
)");
  std::get<JobTableSpec>(sc.workload[0].source).jobs[0].max_chips = 8;
  CHECK_THROWS_WITH(validate(sc), Catch::Contains("workload[0].jobs[0].chips.max") && Catch::Contains(">= min (16)"));
}
