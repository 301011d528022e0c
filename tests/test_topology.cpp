// Scale-up domains: jobs kept in as few domains as possible, the slowdown of spanning more,
// and failures of single nodes or whole domains.
#include <cmath>

#include <catch2/catch.hpp>

#include "gigasim/model/domain_map.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

TEST_CASE("domain map: best fit in one domain, else largest first, fewest domains") {
  DomainMap m(4, 4);
  auto a = m.allocate(0, 3);  // [1,4,4,4]
  REQUIRE(a.size() == 1);
  CHECK(a[0].domain == 0);
  auto b = m.allocate(1, 2);  // smallest domain that holds 2: one of the full ones -> [1,2,4,4]
  CHECK(b[0].domain == 1);
  auto c = m.allocate(2, 1);  // best fit: domain 0's last node -> [0,2,4,4]
  CHECK(c[0].domain == 0);
  auto d = m.allocate(3, 6);  // no single domain: the largest (4), then best fit for 2 -> 2 domains
  REQUIRE(d.size() == 2);
  CHECK(d[0].nodes == 4);
  CHECK(d[1].domain == 1);
  CHECK(d[1].nodes == 2);
  CHECK(m.min_domains(6) == 2);
  m.release(3, d);
  CHECK(m.free_in(1) == 2);
  CHECK(m.jobs_in(1).size() == 1);
}

TEST_CASE("topology: a job spread over more domains than it needs runs slower") {
  // 4 domains of 4 nodes. Four 3-node jobs take one domain each, leaving one node free in each:
  // a 4-node job then spans 4 domains where 1 would do: 2 h x (1 + 0.5 x 3) = 5 h.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 16, node_size: 1, topology: {domain_nodes: 4, span_slowdown: 0.5}}]
workload:
  - {jobs: [{id: p, chips: 3, duration: 10h}, {id: q, chips: 3, duration: 10h}, {id: r, chips: 3, duration: 10h},
            {id: s, chips: 3, duration: 10h}, {id: spread, chips: 4, duration: 2h},
            {id: packed, at: 20h, chips: 4, duration: 2h}]}
)");
  const auto& spread = r.jobs.by_label("spread");
  CHECK(spread.start->seconds_f() == 0);
  CHECK(spread.end->seconds_f() == 5 * 3600);
  const auto& packed = r.jobs.by_label("packed");
  CHECK((*packed.end - *packed.start).seconds_f() == 2 * 3600);
  // The slowed-down time is overhead: useful chip-hours are the nominal 4 x 2 h for each.
  CHECK(r.result.useful_chip_hours == Approx(4 * 3 * 10 + 4 * 2 + 4 * 2));
  CHECK(r.result.overhead_chip_hours == Approx(4 * 3));
}

TEST_CASE("topology: domain availability matches MTBF / (MTBF + MTTR)") {
  auto r = run_yaml(R"(
horizon: 200000h
seed: 8
factories:
  - {name: f, chip: GB200, chips: 720, node_size: 4,
     topology: {domain_nodes: 18, failures: {mtbf: 100h, repair: 10h}}}
workload: [{jobs: [{chips: 4, duration: 1h}]}]
)");
  // 10 NVL72 domains, each an alternating renewal process: up Exp(100 h), down 10 h.
  CHECK(r.result.availability == Approx(100.0 / 110.0).margin(0.005));
  const double cycles = 10 * 200000.0 / 110.0;
  CHECK(std::abs(static_cast<double>(r.result.factories[0].domain_failures) - cycles) < 4 * std::sqrt(cycles));
  CHECK(r.result.busy_chip_hours + r.result.idle_chip_hours + r.result.down_chip_hours ==
        Approx(r.result.installed_chip_hours).epsilon(1e-12));
}

TEST_CASE("topology: a domain failure interrupts every job with nodes in it, work is delivered exactly once") {
  auto r = run_yaml(R"(
seed: 21
checkpoint: {interval: 2h, cost: 1m, restart: 5m}
factories:
  - {name: f, chip: GB200, chips: 288, node_size: 4,
     failures: {node_mtbf: 5000h, repair: 4h},
     topology: {span_slowdown: 0.2, failures: {mtbf: 300h, repair: {dist: exponential, mean: 6h}}}}
workload:
  - {jobs: [{id: big, chips: 288, flops: 5e23}, {id: a, chips: 72, flops: 1e23}, {id: b, at: 1h, chips: 40, flops: 2e22},
            {id: c, at: 2h, chips: 100, flops: 5e22}, {id: d, at: 3h, chips: 16, flops: 1e22}]}
)");
  CHECK(r.result.jobs.completed == 5);
  CHECK(r.result.factories[0].domain_failures > 0);
  CHECK(r.result.interruptions.total > 0);
  CHECK(r.result.economics.delivered_eflop_days * 8.64e22 == Approx(5e23 + 1e23 + 2e22 + 5e22 + 1e22).epsilon(1e-6));
  CHECK(r.result.busy_chip_hours + r.result.idle_chip_hours + r.result.down_chip_hours ==
        Approx(r.result.installed_chip_hours).epsilon(1e-12));
  CHECK(r.result.useful_chip_hours + r.result.lost_chip_hours + r.result.overhead_chip_hours ==
        Approx(r.result.busy_chip_hours).epsilon(1e-9));
}

TEST_CASE("topology: same seed, byte-identical results with node and domain failures") {
  const std::string yaml = R"(
horizon: 60d
seed: 4
checkpoint: {interval: auto, cost: 30s, restart: 5m}
factories:
  - {name: f, chip: GB200, chips: 1440, node_size: 4, failures: {chip_mtbf: 20000h, repair: 6h},
     topology: {span_slowdown: 0.1, failures: {mtbf: 2000h, repair: 12h}}}
policy: {backfill: easy}
workload:
  - {arrivals: {rate: 60/d}, chips: {dist: pow2, min: 4, max: 512}, flops: {dist: lognormal, median: 1e21, sigma: 1}}
)";
  const auto a = run_yaml(yaml), b = run_yaml(yaml);
  CHECK(a.result.factories[0].domain_failures > 0);
  CHECK(a.result.factories[0].failures > 0);
  CHECK(to_json(a.result).dump() == to_json(b.result).dump());
}

TEST_CASE("topology: a growth phase adds whole free domains, hand-computed schedule") {
  // 4 NVL72-style domains of 18 nodes (288 GB200) grow by 4 more at 10 h. a holds the first 4
  // until 20 h; b (4 domains) waits for the growth and starts at 10 h on the new ones; c (6
  // domains' worth) waits (strict FIFO) until a ends at 20 h, then spans exactly the 6 it needs
  // and runs 1 h unslowed; d waits behind c.
  auto r = run_yaml(R"(
horizon: 30d
factories:
  - {name: f, chip: GB200, chips: 288, node_size: 4, phases: [{at: 10h, chips: +288}],
     topology: {domain_nodes: 18, span_slowdown: 0.1}}
workload:
  - jobs:
      - {id: a, at: 0h, chips: 288, duration: 20h}
      - {id: b, at: 1h, chips: 288, duration: 5h}
      - {id: c, at: 2h, chips: 432, duration: 1h}
      - {id: d, at: 3h, chips: 76, duration: 2h}
)");
  CHECK(r.jobs.by_label("a").end->seconds_f() == 20 * 3600);
  CHECK(r.jobs.by_label("b").start->seconds_f() == 10 * 3600);
  CHECK(r.jobs.by_label("b").end->seconds_f() == 15 * 3600);
  CHECK(r.jobs.by_label("c").start->seconds_f() == 20 * 3600);
  CHECK(r.jobs.by_label("c").end->seconds_f() == 21 * 3600);
  // d (19 nodes) starts with c at 20 h on the 2 domains c left: 2 domains where 2 is the least
  // for 19 nodes (18 per domain), so no slowdown either.
  CHECK(r.jobs.by_label("d").start->seconds_f() == 20 * 3600);
  CHECK(r.jobs.by_label("d").end->seconds_f() == 22 * 3600);
  // Installed chip-time: 288 chips for 10 h, then 576 until the horizon (30 days).
  CHECK(r.result.installed_chip_hours == Approx(288 * 10 + 576 * (30 * 24 - 10)));
}

TEST_CASE("topology: domain failures follow the grown number of domains") {
  // 10 domains for 50,000 h, then 20 for 50,000 h, each failing at 1 / 100 h while up and down
  // 1 h: expected failures (10 + 20) x 50,000 / 101 (alternating renewal: one cycle per 101 h).
  auto r = run_yaml(R"(
horizon: 100000h
seed: 17
factories:
  - {name: f, chip: GB200, chips: 720, node_size: 4, phases: [{at: 50000h, chips: +720}],
     topology: {domain_nodes: 18, failures: {mtbf: 100h, repair: 1h}}}
workload: [{jobs: [{chips: 4, duration: 1h}]}]
)");
  const double expected = 30 * 50000.0 / 101.0;
  const double got = static_cast<double>(r.result.factories[0].domain_failures);
  CHECK(std::abs(got - expected) < 4 * std::sqrt(expected));
  // (Had the new domains never failed: 20 x 50,000 / 101 = 9,901, about 50 sigma below.)
  CHECK(r.result.busy_chip_hours + r.result.idle_chip_hours + r.result.down_chip_hours ==
        Approx(r.result.installed_chip_hours).epsilon(1e-12));
}

namespace {
// The loader's message for a scenario of one topology factory (`factory`, a YAML list entry), or
// "(no error)".
std::string topology_error_of(const std::string& factory) {
  try {
    (void)scenario_from("horizon: 10d\nworkload: [{jobs: [{chips: 4, duration: 1h}]}]\nfactories:\n" + factory);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("topology: removals and retirement are still refused, located") {
  // (Maintenance windows are allowed: test above.)
  CHECK_THAT(topology_error_of("  - {name: f, chip: GB200, chips: 288, node_size: 4, phases: [{at: 1d, chips: -72}],\n"
                             "     topology: {domain_nodes: 18}}\n"),
             Catch::Contains("test.yaml:4:") && Catch::Contains("factories[0].phases[0].chips") &&
                 Catch::Contains("a removal of capacity cannot be combined with `topology`"));
  CHECK_THAT(topology_error_of("  - {name: f, chip: GB200, chips: 288, node_size: 4, phases: [{at: 1d, chips: +36}],\n"
                             "     topology: {domain_nodes: 18}}\n"),
             Catch::Contains("factories[0].phases[0].chips") &&
                 Catch::Contains("expected whole domains: a multiple of 72 chips (18 nodes of 4)"));
  CHECK_THAT(topology_error_of("  - {name: f, chip: GB200, chips: 288, node_size: 4, retire: 5d, topology: {domain_nodes: 18}}\n"),
             Catch::Contains("`retire` cannot be combined with `topology`"));
}

TEST_CASE("topology: a maintenance window drains nodes of the domains, hand-computed schedule") {
  // 2 domains of 18 nodes of 4 GB200. a takes 16 nodes of the first domain. At 1 h a window
  // takes half the nodes (18) of the 20 free: from the domain with the fewest free first (2
  // there, 16 of the other), leaving 2 free. b (3 nodes) waits for the window to close at 9 h,
  // then runs 1 h in one domain, not slowed down.
  const std::string yaml = R"(
horizon: 1d
factories:
  - {name: f, chip: GB200, chips: 144, node_size: 4,
     maintenance: {every: 30d, duration: 8h, fraction: 0.5, first: 1h},
     topology: {domain_nodes: 18, span_slowdown: 0.5}}
workload:
  - jobs:
      - {id: a, chips: 64, duration: 10h}
      - {id: b, at: 2h, chips: 12, duration: 1h}
      - {id: c, at: 3h, chips: 8, duration: 1h}
)";
  const auto r = run_yaml(yaml);
  CHECK(r.jobs.by_label("b").start->seconds_f() == 9 * 3600);
  CHECK(r.jobs.by_label("b").end->seconds_f() == 10 * 3600);
  // c (2 nodes) would fit the 2 free nodes at 3 h, but strict FIFO keeps it behind b.
  CHECK(r.jobs.by_label("c").start->seconds_f() == 9 * 3600);
  CHECK(r.result.factories[0].maintenance_chip_hours == Approx(18 * 4 * 8));
  CHECK(r.result.busy_chip_hours == Approx(64 * 10 + 12 + 8));
  // With EASY, c fills the 2 free nodes at once (in the domain they are in: no slowdown).
  std::string easy = "policy: {backfill: easy}\n" + yaml;
  const auto e = run_yaml(easy);
  CHECK(e.jobs.by_label("c").start->seconds_f() == 3 * 3600);
  CHECK(e.jobs.by_label("c").end->seconds_f() == 4 * 3600);
  CHECK(e.jobs.by_label("b").start->seconds_f() == 9 * 3600);
}

TEST_CASE("topology: maintenance with node and domain failures and spares keeps the map and pool in step") {
  // The engine checks at every pool change that the domain map and the pool agree on the free
  // nodes (a logic_error otherwise); windows every 2 days with frequent domain failures make
  // windows close while domains are down.
  const std::string yaml = R"(
horizon: 60d
factories:
  - name: f
    chip: GB200
    chips: 576
    node_size: 4
    failures: {node_mtbf: 3000h, repair: {dist: exponential, mean: 8h}}
    maintenance: {every: 2d, duration: 12h, fraction: 0.3}
    topology: {domain_nodes: 18, span_slowdown: 0.1, spares_per_domain: 1,
               failures: {mtbf: 150h, repair: {dist: exponential, mean: 20h}}}
policy: {backfill: easy}
workload:
  - {arrivals: {rate: 80/d}, chips: {dist: pow2, min: 4, max: 256}, duration: {dist: lognormal, median: 3h, sigma: 1}}
)";
  for (const std::uint64_t seed : {1, 2, 3}) {
    INFO("seed " << seed);
    const Scenario sc = scenario_from(yaml);
    const RunResult r = simulate(sc, with_seed(seed));
    const FactoryResult& f = r.factories[0];
    CHECK(f.domain_failures > 0);
    CHECK(f.maintenance_chip_hours > 0);
    CHECK(f.busy_chip_hours + f.idle_chip_hours + f.down_chip_hours + f.maintenance_chip_hours ==
          Approx(f.installed_chip_hours));
    // Each window takes at most ceil(0.3 x 144) = 44 nodes for 12 h: 30 windows.
    CHECK(f.maintenance_chip_hours <= 30 * 44 * 4 * 12 + 1e-6);
    CHECK(r.jobs.completed > 0);
    CHECK(to_json(simulate(sc, with_seed(seed))).dump() == to_json(r).dump());
  }
}

namespace {
// Counts what happens to jobs on a factory: interruptions, and how often a job gave back its
// nodes (a requeue after a failure, or its completion).
struct InterruptionCounter final : Observer {
  std::uint32_t interests() const override {
    return EventBit::JobInterrupted | EventBit::JobReleased | EventBit::JobCompleted;
  }
  void job_interrupted(const ActiveJob&) override { ++interrupted; }
  void job_released(const ActiveJob&) override { ++released; }
  void job_completed(const ActiveJob&) override { ++completed; }
  std::uint64_t interrupted = 0, released = 0, completed = 0;
};

RunResult run_counting(const std::string& yaml, InterruptionCounter& counter) {
  SimulationOptions o;
  o.observers.push_back(&counter);
  return simulate(scenario_from(yaml), o);
}
}  // namespace

TEST_CASE("topology: a spare of the job's own domain replaces a failed node in place") {
  // 2 domains of 10 nodes with 2 spares each: 16 usable nodes, all held by one job for 60 days.
  // Node failures every ~2,000 h per node (~14 in the run), repaired in a minute: the failed
  // node's domain always has a spare, so every interruption restarts in place -- the job gives
  // its nodes back only once, when it completes. Without spares every interruption requeues.
  const std::string with_spares = R"(
horizon: 200d
seed: 12
checkpoint: {interval: 2h, cost: 1m, restart: 5m}
factories:
  - {name: f, chip: GB200, chips: 80, node_size: 4, failures: {node_mtbf: 2000h, repair: 1m},
     topology: {domain_nodes: 10, spares_per_domain: 2}}
workload: [{jobs: [{id: big, chips: 64, duration: 60d}]}]
)";
  InterruptionCounter spared;
  const RunResult a = run_counting(with_spares, spared);
  CHECK(a.factories[0].failures > 5);
  CHECK(spared.interrupted > 3);
  CHECK(spared.completed == 1);
  CHECK(spared.released == 1);
  CHECK(a.busy_chip_hours + a.idle_chip_hours + a.down_chip_hours == Approx(a.installed_chip_hours).epsilon(1e-12));

  InterruptionCounter bare;
  const RunResult b = run_counting(R"(
horizon: 200d
seed: 12
checkpoint: {interval: 2h, cost: 1m, restart: 5m}
factories:
  - {name: f, chip: GB200, chips: 64, node_size: 4, failures: {node_mtbf: 2000h, repair: 1m},
     topology: {domain_nodes: 8}}
workload: [{jobs: [{id: big, chips: 64, duration: 60d}]}]
)", bare);
  CHECK(bare.interrupted > 3);
  CHECK(bare.released == bare.interrupted + 1);
  CHECK(b.jobs.completed == 1);
}

TEST_CASE("topology: spares are not counted in the fewest domains a job needs") {
  // Domains of 10 nodes with 2 spares hold 8 nodes of a job: 9 nodes need 2 domains, so
  // spanning 2 is no slowdown (2 h stays 2 h); 17 nodes need 3.
  auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 30, node_size: 1, topology: {domain_nodes: 10, spares_per_domain: 2, span_slowdown: 0.5}}]
workload:
  - {jobs: [{id: nine, chips: 9, duration: 2h}, {id: seventeen, at: 3h, chips: 17, duration: 2h},
            {id: too-big, at: 6h, chips: 25, duration: 1h}]}
)");
  CHECK((*r.jobs.by_label("nine").end - *r.jobs.by_label("nine").start).seconds_f() == 2 * 3600);
  CHECK((*r.jobs.by_label("seventeen").end - *r.jobs.by_label("seventeen").start).seconds_f() == 2 * 3600);
  // 3 domains x 8 usable nodes = 24 chips: 25 can never run.
  CHECK(r.jobs.by_label("too-big").outcome == JobOutcome::Unschedulable);
}

TEST_CASE("topology: a growth phase brings its domains' spares, hand-computed schedule") {
  // 2 domains of 10 nodes with 2 spares each (16 usable) grow by 2 more domains at 5 h (32
  // usable). a (32 nodes) can start only then. b (1 node, at 6 h) finds no free node while a
  // runs -- the 4 new spares are not free -- and starts when a ends at 15 h.
  auto r = run_yaml(R"(
horizon: 2d
factories:
  - {name: f, chip: H100, chips: 20, node_size: 1, phases: [{at: 5h, chips: +20}],
     topology: {domain_nodes: 10, spares_per_domain: 2}}
workload:
  - {jobs: [{id: a, chips: 32, duration: 10h}, {id: b, at: 6h, chips: 1, duration: 1h},
            {id: too-big, at: 7h, chips: 33, duration: 1h}]}
)");
  CHECK(r.jobs.by_label("a").start->seconds_f() == 5 * 3600);
  CHECK(r.jobs.by_label("b").start->seconds_f() == 15 * 3600);
  CHECK(r.jobs.by_label("too-big").outcome == JobOutcome::Unschedulable);
}

TEST_CASE("topology: growth brings its domains' spares, domain failures take them down") {
  auto r = run_yaml(R"(
horizon: 20000h
seed: 6
factories:
  - {name: f, chip: GB200, chips: 720, node_size: 4, phases: [{at: 10000h, chips: +720}],
     failures: {node_mtbf: 3000h, repair: 6h},
     topology: {domain_nodes: 18, spares_per_domain: 2, failures: {mtbf: 500h, repair: 10h}}}
policy: {backfill: easy}
workload:
  - {arrivals: {rate: 40/d}, chips: {dist: pow2, min: 4, max: 512}, duration: {dist: exponential, mean: 8h}}
)");
  const RunResult& res = r.result;
  const auto& f = res.factories.at(0);
  CHECK(f.domain_failures > 100);
  CHECK(f.failures > 100);
  CHECK(res.busy_chip_hours + res.idle_chip_hours + res.down_chip_hours == Approx(res.installed_chip_hours).epsilon(1e-12));
  // 10 domains of 16 usable nodes, then 20: every job (at most 512 chips) fits.
  CHECK(res.jobs.unschedulable == 0);
  CHECK(res.jobs.completed > 20000);
}

TEST_CASE("topology: spares are given per domain, and must leave nodes to allocate") {
  CHECK_THAT(topology_error_of("  - {name: f, chip: GB200, chips: 288, node_size: 4, spares: 2, topology: {domain_nodes: 18}}\n"),
             Catch::Contains("factories[0].spares") && Catch::Contains("give `topology.spares_per_domain`"));
  CHECK_THAT(topology_error_of("  - {name: f, chip: GB200, chips: 288, node_size: 4, topology: {domain_nodes: 18, spares_per_domain: 18}}\n"),
             Catch::Contains("factories[0].topology.spares_per_domain") &&
                 Catch::Contains("expected fewer spare nodes than a domain's 18 nodes, got '18'"));
}
