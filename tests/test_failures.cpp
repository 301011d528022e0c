// Failures, checkpointing and goodput, against closed forms and conservation laws.
#include <catch2/catch.hpp>

#include <cmath>
#include <fmt/format.h>

#include "gigasim/model/checkpointing.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
Duration h(double hours) { return Duration::from_seconds(hours * 3600); }

RunResult run_yaml(const std::string& yaml, test::RecordingSink* sink = nullptr) {
  SimulationOptions o;
  o.job_sink = sink;
  return simulate(test::scenario_from(yaml), o);
}

// Daly (2006): with exponential failures of mean M, a segment of L = work + checkpoint that must
// run failure-free, and a restart cost R after each failure, E[segment] = M e^{R/M} (e^{L/M} - 1).
// Our last segment has no checkpoint after it.
double daly_expected_hours(double work, double tau, double cost, double restart, double mtbf) {
  const double n = std::ceil(work / tau - 1e-9);
  const double last = work - (n - 1) * tau;
  const double seg = mtbf * std::exp(restart / mtbf);
  return (n - 1) * seg * std::expm1((tau + cost) / mtbf) + seg * std::expm1(last / mtbf);
}
}  // namespace

TEST_CASE("checkpointed attempt timeline: wall time, work done, work saved") {
  // W = 10h, tau = 3h, C = 0.5h: work 3 | ckpt | work 3 | ckpt | work 3 | ckpt | work 1.
  const AttemptPlan p{Duration{}, h(10), h(3), h(0.5)};
  CHECK(attempt_wall_time(p) == h(11.5));
  CHECK(work_done_by(p, h(4)) == h(3.5));   // one period (3.5h) plus 0.5h of work
  CHECK(work_saved_by(p, h(3.4)) == h(0));  // the first checkpoint completes at 3.5h
  CHECK(work_saved_by(p, h(3.5)) == h(3));
  CHECK(work_saved_by(p, h(11.4)) == h(9));
  CHECK(work_saved_by(p, h(11.5)) == h(10));  // finished: all of it
  // A restart of R = 1h comes first and does no work.
  const AttemptPlan r{h(1), h(10), h(3), h(0.5)};
  CHECK(attempt_wall_time(r) == h(12.5));
  CHECK(work_done_by(r, h(0.5)) == h(0));
  CHECK(work_done_by(r, h(1.5)) == h(0.5));
  // No checkpoints: nothing is saved before the end.
  const AttemptPlan none{Duration{}, h(10), Duration::max(), Duration{}};
  CHECK(attempt_wall_time(none) == h(10));
  CHECK(work_saved_by(none, h(9.9)) == h(0));
  // Young: sqrt(2 x 360 s x 36000 s) = 5091.17 s.
  CHECK(young_interval(Duration::seconds(360), h(10)).seconds_f() == Approx(5091.169).epsilon(1e-4));
}

TEST_CASE("availability of a failing, repaired factory is MTBF / (MTBF + MTTR)") {
  // 1000 nodes, node MTBF 100h, repairs exactly 5h: each node alternates up (exp, mean 100h) and
  // down (5h), so it is up a fraction 100/105 = 0.95238 of the time. No jobs.
  const RunResult r = run_yaml(R"(
horizon: 2000h
warmup: 100h
factories:
  - {name: f, chip: H100, chips: 8000, failures: {node_mtbf: 100h, repair: 5h}}
workload: [{jobs: [{at: 2000h, chips: 8, duration: 1h}]}]
)");
  CHECK(r.availability == Approx(100.0 / 105.0).epsilon(0.002));
  // Conservation: busy + idle + down = installed. The integrals are exact integers (chip-ms);
  // only their conversion to hours rounds, hence the 1e-13 relative tolerance.
  CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours == Approx(r.installed_chip_hours).epsilon(1e-13));
  CHECK(r.factories[0].failures > 0);
}

TEST_CASE("a long job's expected run time under failures matches Daly's model, the best interval is Young's") {
  // 16-node job, node MTBF 80h -> job MTBF M = 5h. Work 100h, checkpoint 0.1h, restart 0.05h.
  // Young: sqrt(2 x 0.1 x 5) = 1h. 16 hot spares repaired in a minute: restarts are immediate.
  // 200 identical jobs run back to back; mean time per job = end / 200.
  const double work = 100, cost = 0.1, restart = 0.05, mtbf = 5;
  std::vector<std::pair<double, double>> sim_vs_model;
  for (double tau : {0.25, 0.5, 1.0, 2.0, 4.0}) {
    const std::string yaml = fmt::format(R"(
seed: 3
factories:
  - {{name: f, chip: H100, chips: 256, spares: 16, failures: {{node_mtbf: 80h, repair: 1m}}}}
checkpoint: {{interval: {}h, cost: 6m, restart: 3m}}
workload:
  - {{arrivals: {{dist: fixed, interval: 1ms, count: 200}}, chips: 128, duration: 100h}}
)",
                                         tau);
    const RunResult r = run_yaml(yaml);
    REQUIRE(r.jobs.completed == 200);
    const double per_job_h = r.end_s / 3600 / 200;
    const double model_h = daly_expected_hours(work, tau, cost, restart, mtbf);
    INFO(fmt::format("tau {}h: simulated {:.2f}h per job, Daly {:.2f}h", tau, per_job_h, model_h));
    CHECK(per_job_h == Approx(model_h).epsilon(0.03));
    sim_vs_model.emplace_back(per_job_h, model_h);
  }
  // The simulated optimum is the interval nearest Young's sqrt(2 C M) = 1h (index 2).
  const auto best = std::min_element(sim_vs_model.begin(), sim_vs_model.end()) - sim_vs_model.begin();
  CHECK(best == 2);
}

TEST_CASE("llama3-reliability: a 16,384-GPU job sees Llama 3's 419 interruptions in 54 days, within Poisson spread") {
  // Node MTBF chosen as 2048 nodes x 54 d / 419 = 6335 h (scenarios/llama3-reliability.yaml).
  const Scenario sc = load_scenario(GIGASIM_SOURCE_DIR "/scenarios/llama3-reliability.yaml");
  const RunResult r = simulate(sc);
  // Poisson(419): 3 standard deviations = 61.
  CHECK(r.interruptions.total >= 419 - 61);
  CHECK(r.interruptions.total <= 419 + 61);
  CHECK(r.jobs.running_at_end == 1);  // it keeps training to the horizon
  // Goodput below utilisation: checkpoints, restarts and lost work cost chip-time.
  CHECK(r.goodput < r.utilisation);
  CHECK(r.goodput > 0.8 * r.utilisation);
}

TEST_CASE("with failures and requeueing every job's work is delivered exactly once") {
  // No spares: interrupted jobs give their nodes back and wait again, keeping their checkpoint.
  // All jobs finish (no horizon), so useful chip-time = sum of work x chips held, exactly, and
  // busy = useful + lost + overhead.
  test::RecordingSink sink;
  const std::string yaml = R"(
seed: 9
factories:
  - {name: f, chip: H100, chips: 512, failures: {node_mtbf: 300h, repair: {dist: exponential, mean: 4h}}}
checkpoint: {interval: 1h, cost: 3m, restart: 5m}
workload:
  - {arrivals: {dist: poisson, rate: 30/d, count: 400}, chips: {dist: pow2, min: 8, max: 256},
     duration: {dist: lognormal, median: 6h, sigma: 1}}
)";
  const Scenario sc = test::scenario_from(yaml);
  SimulationOptions o;
  o.job_sink = &sink;
  const RunResult r = simulate(sc, o);
  REQUIRE(r.jobs.completed == 400);
  CHECK(r.interruptions.total > 20);
  // Recompute each job's work from an identical run of the generator without failures.
  Scenario clean = sc;
  clean.factories[0].failures.reset();
  clean.checkpoint = CheckpointSpec{};
  test::RecordingSink clean_sink;
  o.job_sink = &clean_sink;
  const RunResult c = simulate(clean, o);
  // Without failures or checkpoints, useful = busy = sum of work x chips held.
  CHECK(c.useful_chip_hours == Approx(c.busy_chip_hours).epsilon(1e-12));
  CHECK(r.useful_chip_hours == Approx(c.useful_chip_hours).epsilon(1e-9));
  CHECK(r.busy_chip_hours == Approx(r.useful_chip_hours + r.lost_chip_hours + r.overhead_chip_hours));
  CHECK(r.lost_chip_hours > 0);
  CHECK(r.overhead_chip_hours > 0);
  CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours == Approx(r.installed_chip_hours).epsilon(1e-13));
  std::uint64_t per_job = 0;
  for (const auto& j : sink.records) per_job += j.interruptions;
  CHECK(per_job == r.interruptions.total);
  // Common random numbers: failures do not change the job stream.
  REQUIRE(sink.records.size() == clean_sink.records.size());
  std::vector<std::pair<std::uint64_t, SimTime>> a, b;
  for (const auto& j : sink.records) a.emplace_back(j.id, j.submit);
  for (const auto& j : clean_sink.records) b.emplace_back(j.id, j.submit);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
}

// Preemption on factories that lose capacity and go into maintenance (both drain nodes as jobs
// give them back), with failures, under every queue order and backfill: no decision is ever
// refused (it used to be, in most seeds), and the chip-time identities hold.
TEST_CASE("preemption with capacity removal and maintenance: every decision valid, under every policy") {
  for (const char* queue : {"fifo", "sjf", "priority", "fair-share"})
    for (const char* backfill : {"none", "greedy", "easy", "conservative"})
      for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        CAPTURE(queue, backfill, seed);
        const RunResult r = run_yaml(fmt::format(R"(
horizon: 20d
seed: {}
factories:
  - {{name: f, chip: H100, chips: 512, phases: [{{at: 5d, chips: -256}}], retire: 15d,
     maintenance: {{every: 3d, duration: 6h, fraction: 0.3}},
     failures: {{node_mtbf: 2000h, repair: {{dist: lognormal, mean: 6h, cv: 1}}}}}}
  - {{name: g, chip: H100, chips: 256}}
tenants: [{{name: low, preemptible: true}}, {{name: high, priority: 5}}]
policy: {{queue: {}, backfill: {}, preemption: true}}
workload:
  - {{tenant: low, arrivals: {{rate: 80/d}}, chips: {{dist: pow2, min: 8, max: 256}}, duration: {{dist: lognormal, median: 6h, sigma: 1}}}}
  - {{tenant: high, arrivals: {{rate: 30/d}}, chips: {{dist: pow2, min: 8, max: 256}}, duration: {{dist: lognormal, median: 3h, sigma: 1}}}}
)",
                                                 seed, queue, backfill));
        // Under priority order the high tenant's blocked heads always find victims; under the
        // others a low-priority head may be first, and nothing is preempted for it.
        if (std::string(queue) == "priority") CHECK(r.preemptions > 0);
        CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours + r.maintenance_chip_hours ==
              Approx(r.installed_chip_hours).epsilon(1e-12));
        CHECK(r.jobs.submitted == r.jobs.completed + r.jobs.unfinished + r.jobs.unschedulable);
      }
}

TEST_CASE("runs with failures are deterministic and invariant under every policy") {
  for (const char* policy : {"{}", "{backfill: easy}", "{queue: sjf, backfill: greedy}",
                             "{queue: fair-share, backfill: easy, placement: best-fit}", "{backfill: conservative}",
                             "{queue: fair-share, backfill: conservative, fair_share_half_life: 2d}",
                             "{queue: priority, backfill: easy, preemption: true}",
                             "{queue: priority, backfill: conservative, preemption: true}"}) {
    CAPTURE(policy);
    const std::string yaml = fmt::format(R"(
horizon: 30d
warmup: 3d
seed: 4
policy: {}
factories:
  - {{name: a, chip: H100, chips: 512, spares: 4, failures: {{node_mtbf: 500h, repair: {{dist: lognormal, mean: 6h, cv: 1}}}}}}
  - {{name: b, chip: B200, chips: 1024, failures: {{chip_mtbf: 4000h, repair: 8h}}}}
tenants: [{{name: x, preemptible: true}}, {{name: y, sites: [b], priority: 2}}]
checkpoint: {{interval: auto, cost: 2m, restart: 5m}}
workload:
  - {{tenant: x, arrivals: {{dist: poisson, rate: 100/d}}, chips: {{dist: pow2, min: 8, max: 512}},
     duration: {{dist: lognormal, median: 4h, sigma: 1}}}}
  - {{tenant: y, arrivals: {{dist: poisson, rate: 40/d}}, chips: {{dist: pow2, min: 8, max: 512}},
     duration: {{dist: exponential, mean: 8h}}}}
)",
                                         policy);
    const RunResult a = run_yaml(yaml), b = run_yaml(yaml);
    CHECK(to_json(a).dump() == to_json(b).dump());
    CHECK(a.interruptions.total > 0);
    CHECK(a.busy_chip_hours + a.idle_chip_hours + a.down_chip_hours == Approx(a.installed_chip_hours).epsilon(1e-13));
    for (const auto& f : a.factories) {
      CHECK(f.busy_chip_hours + f.idle_chip_hours + f.down_chip_hours == Approx(f.installed_chip_hours).epsilon(1e-13));
      CHECK(f.useful_chip_hours <= f.busy_chip_hours * (1 + 1e-12));
      CHECK(f.availability < 1.0);
    }
    CHECK(a.busy_chip_hours == Approx(a.useful_chip_hours + a.lost_chip_hours + a.overhead_chip_hours));
    CHECK(a.goodput <= a.utilisation);
    CHECK(a.jobs.submitted == a.jobs.completed + a.jobs.queued_at_end + a.jobs.running_at_end + a.jobs.unschedulable);
    // Preemption happens exactly when it is switched on (y outranks the preemptible x).
    CHECK((a.preemptions > 0) == (std::string(policy).find("preemption") != std::string::npos));
  }
}

TEST_CASE("planned maintenance takes its fraction of nodes for its duration") {
  // Idle factory of 100 nodes; windows of 1 day every 10 days from day 10, 20% of the nodes.
  // In [0, 100d) there are 9 windows (days 10..90): unavailable 9 x 1d x 20% of 100d = 1.8%.
  const RunResult r = run_yaml(R"(
horizon: 100d
factories:
  - {name: f, chip: H100, chips: 800, maintenance: {every: 10d, duration: 1d, fraction: 0.2}}
workload: [{jobs: [{at: 100d, chips: 8, duration: 1h}]}]
)");
  CHECK(r.availability == Approx(1 - 0.018).epsilon(1e-12));
  CHECK(r.maintenance_chip_hours == Approx(9 * 24 * 0.2 * 800));
  CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours + r.maintenance_chip_hours ==
        Approx(r.installed_chip_hours).epsilon(1e-13));
}

TEST_CASE("maintenance drains nodes: running jobs finish, freed nodes wait for the window to close") {
  // 2 nodes. A holds both [0,10h). A window opens at 2h for 12h wanting 1 node: nothing is free,
  // so it waits; when A ends at 10h one node goes to maintenance. B (2 nodes, at 5h) can only
  // start when the window closes at 14h.
  test::RecordingSink sink;
  const RunResult r = run_yaml(R"(
factories:
  - {name: f, chip: H100, chips: 16, maintenance: {every: 100h, duration: 12h, fraction: 0.5, first: 2h}}
workload: [{jobs: [{id: A, chips: 16, duration: 10h}, {id: B, at: 5h, chips: 16, duration: 1h}]}]
)", &sink);
  CHECK(sink.by_label("A").end == test::hours(10));
  CHECK(sink.by_label("B").start == test::hours(14));
  // One node (8 chips) in maintenance from 10h to 14h.
  CHECK(r.maintenance_chip_hours == Approx(8 * 4));
}
