// Hand-computed schedules. Each case states the schedule derived by hand in its comment and checks
// the engine's per-job records against it.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gigasim;
using test::hours;
using test::run_yaml;

TEST_CASE("strict FIFO: a queue head that does not fit blocks every later job") {
  // One factory of 2 nodes x 8 chips.
  //   A t=0  16 chips 10h -> runs [0,10)
  //   B t=1h  8 chips  2h -> waits for A: [10,12)
  //   C t=2h 16 chips  1h -> at 10h only 1 node is free: waits until B ends: [12,13)
  //   D t=3h  8 chips  1h -> a node is free at 10h, but C is ahead and blocks: [13,14)
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 16, node_size: 8}]
workload:
  - jobs:
      - {id: A, at: 0h, chips: 16, duration: 10h}
      - {id: B, at: 1h, chips: 8, duration: 2h}
      - {id: C, at: 2h, chips: 16, duration: 1h}
      - {id: D, at: 3h, chips: 8, duration: 1h}
)");
  CHECK(r.jobs.by_label("A").start == hours(0));
  CHECK(r.jobs.by_label("B").start == hours(10));
  CHECK(r.jobs.by_label("C").start == hours(12));
  CHECK(r.jobs.by_label("D").start == hours(13));
  CHECK(r.jobs.by_label("D").end == hours(14));
  // Waits: 0, 9, 10, 10 h -> mean 7.25 h. No horizon: the run ends at the last completion (14h).
  CHECK(r.result.wait_s.mean == Approx(7.25 * 3600));
  CHECK(r.result.end_s == Approx(14 * 3600));
  // Busy node-hours: A 2x10 + B 1x2 + C 2x1 + D 1x1 = 25 node-h = 200 chip-h of 16 x 14 = 224.
  CHECK(r.result.busy_chip_hours == Approx(200));
  CHECK(r.result.utilisation == Approx(200.0 / 224.0));
  CHECK(r.result.jobs.completed == 4);
}

TEST_CASE("first-fit places each job on the first factory, in declaration order, that has room") {
  // small: 1 node of 8; big: 4 nodes of 8.
  //   A t=0  8 chips 5h -> small (first that fits)
  //   B t=0 16 chips 5h -> small is full -> big
  //   C t=0  8 chips 5h -> big (2 nodes left there)
  //   D t=0 32 chips 1h -> fits only big, which is busy until 5h -> [5,6) on big
  auto r = run_yaml(R"(
factories:
  - {name: small, chip: H100, chips: 8}
  - {name: big, chip: H100, chips: 32}
workload:
  - jobs:
      - {id: A, chips: 8, duration: 5h}
      - {id: B, chips: 16, duration: 5h}
      - {id: C, chips: 8, duration: 5h}
      - {id: D, chips: 32, duration: 1h}
)");
  CHECK(r.jobs.by_label("A").factory == "small");
  CHECK(r.jobs.by_label("B").factory == "big");
  CHECK(r.jobs.by_label("C").factory == "big");
  CHECK(r.jobs.by_label("D").factory == "big");
  CHECK(r.jobs.by_label("D").start == hours(5));
  CHECK(r.result.factories[0].jobs_started == 1);
  CHECK(r.result.factories[1].jobs_started == 3);
}

TEST_CASE("a factory's capacity is usable only from its online date") {
  // Factory online 2027-01-02 06:00 = 30h after start; a job submitted at 0 starts at 30h.
  // Utilisation counts installed chip-time only from 30h: job 10h on all 8 chips of [30h, 40h]: 100%.
  auto r = run_yaml(R"(
start: 2027-01-01
factories: [{name: f, chip: B200, chips: 8, online: 2027-01-02 06:00}]
workload: [{jobs: [{id: A, at: 0h, chips: 8, duration: 10h}]}]
)");
  CHECK(r.jobs.by_label("A").start == hours(30));
  CHECK(r.result.installed_chip_hours == Approx(80));
  CHECK(r.result.utilisation == Approx(1.0));
}

TEST_CASE("jobs larger than every factory they may use are reported at submission, not queued") {
  // big has 16 chips. X (32 chips) can never run; H (16 chips, tenant health restricted to small)
  // can never run either. Y runs normally and is not blocked by them.
  auto r = run_yaml(R"(
factories:
  - {name: small, chip: H100, chips: 8}
  - {name: big, chip: H100, chips: 16}
tenants:
  - {name: research}
  - {name: health, sites: [small]}
workload:
  - tenant: research
    jobs: [{id: X, chips: 32, duration: 1h}, {id: Y, at: 1h, chips: 16, duration: 1h}]
  - tenant: health
    jobs: [{id: H, chips: 16, duration: 1h}, {id: K, chips: 8, duration: 1h}]
)");
  CHECK(r.result.jobs.unschedulable == 2);
  REQUIRE(r.result.unschedulable.size() == 2);
  CHECK(r.result.unschedulable[0].id == "X");
  CHECK(r.result.unschedulable[1].id == "H");
  CHECK(r.jobs.by_label("X").outcome == JobOutcome::Unschedulable);
  CHECK(r.jobs.by_label("Y").start == hours(1));
  CHECK(r.jobs.by_label("K").factory == "small");
  CHECK(r.result.jobs.completed == 2);
  CHECK(r.result.tenants[1].jobs.unschedulable == 1);
}

TEST_CASE("data residency: a tenant's jobs run only on its sites, even when others are idle") {
  // Tenant health may use only `b`. Both its jobs need the whole of b: they run one after the
  // other although `a` stays idle: [0,2) and [2,4).
  auto r = run_yaml(R"(
factories:
  - {name: a, chip: H100, chips: 8}
  - {name: b, chip: H100, chips: 8}
tenants: [{name: health, sites: [b]}]
workload: [{jobs: [{id: P, chips: 8, duration: 2h}, {id: Q, chips: 8, duration: 2h}]}]
)");
  CHECK(r.jobs.by_label("P").factory == "b");
  CHECK(r.jobs.by_label("Q").factory == "b");
  CHECK(r.jobs.by_label("Q").start == hours(2));
  CHECK(r.result.factories[0].busy_chip_hours == 0);
}

TEST_CASE("simultaneous submissions from several sources queue in declaration order") {
  // Both sources submit a whole-factory job at t=0; the first declared source's job runs first.
  // The list order inside a source is kept as well (ties keep file order).
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 8}]
workload:
  - jobs: [{id: first, chips: 8, duration: 1h}, {id: second, chips: 8, duration: 1h}]
  - jobs: [{id: third, chips: 8, duration: 1h}]
)");
  CHECK(r.jobs.by_label("first").start == hours(0));
  CHECK(r.jobs.by_label("second").start == hours(1));
  CHECK(r.jobs.by_label("third").start == hours(2));
}

TEST_CASE("a completion and an arrival at the same instant: the freed nodes serve the queue at once") {
  // A [0,2h) holds the only node. B arrives at 2h exactly when A ends: completions are handled
  // before arrivals and one scheduling pass follows, so B starts at 2h with zero wait.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 8}]
workload: [{jobs: [{id: A, chips: 8, duration: 2h}, {id: B, at: 2h, chips: 8, duration: 1h}]}]
)");
  CHECK(r.jobs.by_label("B").start == hours(2));
  CHECK(r.result.wait_s.max == 0);
}

TEST_CASE("the horizon: completions at the horizon count, arrivals at it do not") {
  // horizon 10h, 2 nodes. A [0,10h) completes exactly at the horizon: completed. B needs 12h:
  // running at the end. C (at 5h) queues, both nodes being busy until 10h, and no job starts at
  // the horizon: queued at the end. D arrives at 10h exactly: outside the run, never submitted.
  auto r = run_yaml(R"(
horizon: 10h
factories: [{name: f, chip: H100, chips: 16}]
workload:
  - jobs:
      - {id: A, chips: 8, duration: 10h}
      - {id: B, chips: 8, duration: 12h}
      - {id: C, at: 5h, chips: 8, duration: 1h}
      - {id: D, at: 10h, chips: 8, duration: 1h}
)");
  CHECK(r.result.jobs.submitted == 3);
  CHECK(r.result.jobs.completed == 1);
  CHECK(r.result.jobs.running_at_end == 1);
  CHECK(r.result.jobs.queued_at_end == 1);
  CHECK(r.result.jobs.unfinished == 2);
  CHECK(r.jobs.by_label("A").outcome == JobOutcome::Completed);
  CHECK(r.jobs.by_label("B").outcome == JobOutcome::Running);
  CHECK(r.jobs.by_label("C").outcome == JobOutcome::Queued);
  CHECK(r.result.end_s == Approx(36000));
  CHECK(r.result.utilisation == Approx(1.0));  // both nodes busy for all 10 hours
}

TEST_CASE("nodes are exclusive: a 9-chip job holds two 8-chip nodes") {
  // 9 chips -> 2 nodes = 16 chips held for 4h of a 4h run on 16 chips:
  // utilisation 1.0, requested-chip utilisation 9/16.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 16}]
workload: [{jobs: [{id: A, chips: 9, duration: 4h}, {id: B, chips: 8, duration: 1h}]}]
)");
  CHECK(r.jobs.by_label("B").start == hours(4));
  // B then holds 1 node for 1h of [4h,5h): busy = 16*4 + 8*1 = 72 of 16*5 = 80.
  CHECK(r.result.utilisation == Approx(72.0 / 80.0));
  CHECK(r.result.utilisation_requested == Approx((9 * 4 + 8 * 1) / 80.0));
}

TEST_CASE("the warm-up window excludes early jobs from statistics and early time from utilisation") {
  // warmup 5h, horizon 15h, one 8-chip node.
  //   A t=0  runs [0,8h)   submitted before warm-up: not measured
  //   B t=6h waits until 8h, runs [8,10h): measured, wait 2h
  //   C t=7h waits until 10h, runs [10,12h): measured, wait 3h
  // Window [5h,15h]: busy 3h (A) + 2h + 2h = 7h of 10h.
  auto r = run_yaml(R"(
horizon: 15h
warmup: 5h
factories: [{name: f, chip: H100, chips: 8}]
workload:
  - jobs:
      - {id: A, chips: 8, duration: 8h}
      - {id: B, at: 6h, chips: 8, duration: 2h}
      - {id: C, at: 7h, chips: 8, duration: 2h}
)");
  CHECK(r.result.jobs.submitted == 3);
  CHECK(r.result.jobs.measured == 2);
  CHECK(r.result.wait_s.count == 2);
  CHECK(r.result.wait_s.mean == Approx(2.5 * 3600));
  CHECK(r.result.jct_s.mean == Approx((4 + 5) / 2.0 * 3600));
  CHECK(r.result.utilisation == Approx(0.7));
  // Throughput counts completions inside the window (A at 8h, B, C): 3 in 10h = 7.2 per day.
  CHECK(r.result.jobs_per_day == Approx(7.2));
}

TEST_CASE("bounded slowdown uses max(run, 10 s) as the floor") {
  // blocker [0,9s): slowdown max(1, 9/max(9,10)) = 1. tiny waits 9s, runs 1s: JCT 10s,
  // slowdown max(1, 10/max(1,10)) = 1 -- without the floor it would be 10.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 8}]
workload:
  - jobs:
      - {id: blocker, chips: 8, duration: 9s}
      - {id: tiny, chips: 8, duration: 1s}
)");
  CHECK(r.result.bounded_slowdown.mean == Approx(1.0));
  // Two 100s jobs back to back: slowdowns 1 and 200/100 = 2, mean 1.5.
  auto s = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 8}]
workload:
  - jobs:
      - {id: first, chips: 8, duration: 100s}
      - {id: second, chips: 8, duration: 100s}
)");
  CHECK(s.result.bounded_slowdown.mean == Approx(1.5));
  CHECK(s.result.bounded_slowdown.max == Approx(2.0));
}

TEST_CASE("fixed-interval arrivals start at `start` and stop at `count`") {
  // Every 2h from 1h, 3 jobs of 1h each on an idle factory: submits 1h, 3h, 5h.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 8}]
workload:
  - arrivals: {dist: fixed, interval: 2h, start: 1h, count: 3}
    chips: 8
    duration: 1h
)");
  REQUIRE(r.jobs.records.size() == 3);
  CHECK(r.jobs.records[0].submit == hours(1));
  CHECK(r.jobs.records[1].submit == hours(3));
  CHECK(r.jobs.records[2].submit == hours(5));
  CHECK(r.result.end_s == Approx(6 * 3600));
}

TEST_CASE("a fixed arrival rate is exact, however its interval rounds to milliseconds") {
  // The latest submission of `count` jobs arriving at a fixed `rate` on an idle factory.
  auto last_submit = [](const std::string& rate, int count) {
    auto r = run_yaml("factories: [{name: f, chip: H100, chips: 8}]\n"
                      "workload:\n  - {arrivals: {dist: fixed, rate: " + rate + ", count: " + std::to_string(count) +
                      "}, chips: 8, duration: 1ms}\n");
    REQUIRE(r.jobs.records.size() == static_cast<std::size_t>(count));
    SimTime last = SimTime::zero();
    for (const auto& j : r.jobs.records) last = std::max(last, j.submit);
    return last;
  };
  // 1500/s: the k-th job at round(k / 1500 s) ms -- 3000 jobs in 2 s, the last at 1999 ms
  // (1999.33 rounded). Rounding the interval first made it 1 ms: 1000/s, the last at 2999 ms.
  CHECK(last_submit("1500/s", 3000) == SimTime::zero() + Duration::millis(1999));
  // 7/d: the 8th job exactly one day after the first (k / 7 d, not 7 x a rounded interval).
  CHECK(last_submit("7/d", 8) == SimTime::zero() + Duration::days(1));
}
