// The kernel's contracts: step-wise runs give the result of one whole run; an injected scheduler
// decides alone, and every decision it makes is checked; observers see every event, and what
// they see balances (each job started is released once, each submitted job is queued or rejected).
#include <deque>
#include <map>

#include <catch2/catch.hpp>

#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/policy/registry.hpp"
#include "helpers.hpp"

using namespace gigasim;
using test::hours;

namespace {

std::string json_of(const RunResult& r) { return to_json(r).dump(); }

/// Largest job first, strictly (the head blocks): a policy written outside the engine, in a few
/// lines, against the Scheduler interface only.
class LargestFirst final : public Scheduler {
 public:
  void enqueue(std::uint32_t slot, const ClusterView&) override { waiting_.push_back(slot); }
  void schedule(ClusterView& view) override {
    while (!waiting_.empty()) {
      auto it = std::max_element(waiting_.begin(), waiting_.end(), [&](auto a, auto b) {
        return std::pair{view.job(a).chips, -static_cast<std::int64_t>(view.job(a).id)} <
               std::pair{view.job(b).chips, -static_cast<std::int64_t>(view.job(b).id)};
      });
      const ActiveJob& j = view.job(*it);
      const FactoryPool& pool = view.factories()[0];
      if (!pool.online() || pool.free_nodes() < pool.nodes_for(j.chips)) return;
      const std::uint32_t slot = *it;
      waiting_.erase(it);
      view.start(slot, 0);
    }
  }
  std::size_t queue_length() const override { return waiting_.size(); }

 private:
  std::deque<std::uint32_t> waiting_;
};

/// Starts every job it is given on factory `f` at once, whether or not it fits.
class Reckless final : public Scheduler {
 public:
  explicit Reckless(std::uint32_t f) : f_(f) {}
  void enqueue(std::uint32_t slot, const ClusterView&) override { waiting_.push_back(slot); }
  void schedule(ClusterView& view) override {
    for (auto s : waiting_) view.start(s, f_);
    waiting_.clear();
  }
  std::size_t queue_length() const override { return waiting_.size(); }

 private:
  std::uint32_t f_;
  std::vector<std::uint32_t> waiting_;
};

/// Counts events and checks, as they come, that no job is released that was not started.
struct Counting final : Observer {
  std::uint64_t submitted = 0, rejected = 0, queued_new = 0, queued_again = 0, started = 0, first_starts = 0,
                released = 0, completed = 0, interrupted = 0, node_failures = 0, active_at_end = 0, attempts_ended = 0,
                repaired = 0, capacity_changes = 0;
  std::int64_t holding = 0;  // jobs holding nodes now
  bool ended = false;
  bool whole_run = true;     // false when attached to a fork: it sees jobs that started before it end
  void job_submitted(const ActiveJob&) override { ++submitted; }
  void job_rejected(const ActiveJob&, const UnschedulableJob&) override { ++rejected; }
  void job_queued(const ActiveJob&, bool again) override { ++(again ? queued_again : queued_new); }
  void job_started(const ActiveJob&, bool first) override {
    ++started;
    first_starts += first;
    ++holding;
  }
  void attempt_ended(const ActiveJob&, const AttemptEnd&) override { ++attempts_ended; }
  void job_released(const ActiveJob&) override {
    ++released;
    --holding;
    if (whole_run) REQUIRE(holding >= 0);
  }
  void job_completed(const ActiveJob&) override { ++completed; }
  void job_interrupted(const ActiveJob&) override { ++interrupted; }
  void node_failed(std::uint32_t) override { ++node_failures; }
  void nodes_repaired(std::uint32_t, std::uint32_t nodes) override { repaired += nodes; }
  void capacity_changed(std::uint32_t) override { ++capacity_changes; }
  void job_active_at_end(const ActiveJob&) override { ++active_at_end; }
  void run_ended(RunResult&) override { ended = true; }
};

const std::string kThreeJobs = R"(
factories: [{name: f, chip: H100, chips: 16}]
workload:
  - {jobs: [{id: A, at: 0s, chips: 8, duration: 1h}, {id: B, at: 0s, chips: 16, duration: 1h},
            {id: C, at: 0s, chips: 8, duration: 1h}]}
)";

}  // namespace

TEST_CASE("kernel: a run driven step by step, or to a time and on, equals one whole run") {
  const Scenario sc = test::scenario_from(test::kTwoSiteScenario);
  const std::string whole = json_of(simulate(sc));

  Simulation by_steps(sc);
  std::uint64_t steps = 0;
  while (by_steps.step()) ++steps;
  CHECK(steps > 1000);
  CHECK(by_steps.done());
  CHECK(json_of(by_steps.result()) == whole);

  Simulation by_days(sc);
  for (int d = 1; d <= 40 && !by_days.done(); ++d) {
    by_days.run_until(SimTime::zero() + Duration::days(d));
    if (!by_days.done()) {
      CHECK(by_days.now() <= SimTime::zero() + Duration::days(d));
      REQUIRE(by_days.next_event_time());
      CHECK(*by_days.next_event_time() > SimTime::zero() + Duration::days(d));
    }
  }
  CHECK(json_of(by_days.result()) == whole);
}

TEST_CASE("kernel: stop() ends a run at the last instant handled, with consistent counts") {
  const Scenario sc = test::scenario_from(test::kTwoSiteScenario);
  Simulation sim(sc);
  const SimTime day10 = SimTime::zero() + Duration::days(10);
  sim.run_until(day10);
  const SimTime stopped_at = sim.now();
  CHECK(stopped_at <= day10);
  CHECK(stopped_at > SimTime::zero() + Duration::days(9));
  // Between steps the cluster can be read: busy nodes never exceed what is installed.
  std::uint64_t busy = 0;
  for (const auto& p : sim.cluster().factories()) {
    CHECK(p.busy_nodes() <= p.installed_nodes());
    busy += p.busy_nodes();
  }
  CHECK(busy > 0);
  CHECK(sim.active_jobs() > 0);
  sim.stop();
  CHECK(sim.done());
  CHECK_FALSE(sim.step());
  const RunResult r = sim.result();
  CHECK(r.end_s == Approx(stopped_at.seconds_f()));
  CHECK(r.jobs.submitted == r.jobs.completed + r.jobs.unfinished + r.jobs.unschedulable);
  CHECK(r.jobs.unfinished == sim.active_jobs());
  CHECK(r.busy_chip_hours <= r.installed_chip_hours);
  CHECK_THROWS_AS(sim.result(), std::logic_error);  // once per Simulation
}

TEST_CASE("kernel: next_event_time is the next instant from before the first step to the horizon") {
  // Jobs at 30 min and 2 h, each 1 h long, horizon 3 h: instants 0:00 (the factory comes
  // online), 0:30, 1:30, 2:00; the 3:00 end of the second job is at the horizon (it counts).
  const Scenario sc = test::scenario_from(R"(
factories: [{name: f, chip: H100, chips: 8}]
horizon: 3h
workload:
  - {jobs: [{id: A, at: 30m, chips: 8, duration: 1h}, {id: B, at: 2h, chips: 8, duration: 1h}]}
)");
  Simulation sim(sc);
  std::vector<double> instants;
  while (const auto next = sim.next_event_time()) {
    instants.push_back(next->seconds_f());
    REQUIRE(sim.step() == (next->seconds_f() < 3 * 3600.0));
    CHECK(sim.now() == *next);
  }
  CHECK(instants == std::vector<double>{0, 1800, 5400, 7200, 10800});
  CHECK(sim.done());
  CHECK(sim.result().jobs.completed == 2);
}

// Hand-computed: 2 nodes of 8 chips; A (8), B (16), C (8), all 1 h, submitted together.
//   strict FIFO:     A 0-1 h, B 1-2 h, C 2-3 h (B blocks C).
//   largest first:   B 0-1 h, then A and C together 1-2 h.
TEST_CASE("kernel: an injected scheduler decides alone (largest first, hand-computed)") {
  const Scenario sc = test::scenario_from(kThreeJobs);
  test::RecordingSink fifo_jobs, largest_jobs;
  SimulationOptions o;
  o.job_sink = &fifo_jobs;
  simulate(sc, o);
  CHECK(fifo_jobs.by_label("A").start == hours(0));
  CHECK(fifo_jobs.by_label("B").start == hours(1));
  CHECK(fifo_jobs.by_label("C").start == hours(2));

  o.job_sink = &largest_jobs;
  const RunResult r = simulate(sc, o, std::make_unique<LargestFirst>());
  CHECK(largest_jobs.by_label("B").start == hours(0));
  CHECK(largest_jobs.by_label("A").start == hours(1));
  CHECK(largest_jobs.by_label("C").start == hours(1));
  CHECK(r.end_s == Approx(2 * 3600.0));
  CHECK(r.jobs.completed == 3);
}

TEST_CASE("kernel: the registry's scheduler, injected, gives the scenario's own schedule") {
  const Scenario sc = test::scenario_from(test::kTwoSiteScenario);
  for (const char* policy : {"fifo+none", "sjf+easy", "fair-share+conservative", "priority+greedy"}) {
    CAPTURE(policy);
    Scenario s = sc;
    s.policy = parse_policy_name(policy, s.policy);
    CHECK(json_of(simulate(s, {}, make_scheduler(s.policy, s.tenants))) == json_of(simulate(s)));
  }
}

TEST_CASE("kernel: an impossible decision is refused with the job, the factory and why") {
  auto error_of = [](const std::string& yaml, std::uint32_t f) {
    try {
      simulate(test::scenario_from(yaml), {}, std::make_unique<Reckless>(f));
    } catch (const PolicyError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  // B does not fit once A holds a node.
  const std::string too_big = error_of(kThreeJobs, 0);
  CHECK_THAT(too_big, Catch::Contains("start job B (tenant 'default', 16 chips) on factory 'f'"));
  CHECK_THAT(too_big, Catch::Contains("needs 2 free nodes, the factory has 1"));
  CHECK_THAT(error_of(kThreeJobs, 3), Catch::Contains("no such factory (the scenario has 1)"));
  const std::string residency = error_of(R"(
factories: [{name: f, chip: H100, chips: 16}, {name: g, chip: H100, chips: 16}]
tenants: [{name: health, sites: [g]}]
workload: [{tenant: health, jobs: [{id: X, at: 0s, chips: 8, duration: 1h}]}]
)", 0);
  CHECK_THAT(residency, Catch::Contains("job X (tenant 'health', 8 chips) on factory 'f'"));
  CHECK_THAT(residency, Catch::Contains("may not use this factory"));
  // A memory need narrows where a job may run: 8 x 80 GB of H100 cannot hold 1 TB; a B200 node can.
  const std::string memory = error_of(R"(
factories: [{name: h, chip: H100, chips: 16}, {name: b, chip: B200, chips: 16}]
workload: [{jobs: [{id: M, at: 0s, chips: 8, duration: 1h, memory: 1TB}]}]
)", 0);
  CHECK_THAT(memory, Catch::Contains("job M"));
  CHECK_THAT(memory, Catch::Contains("scale-up domains cannot hold the job's memory"));
  CHECK_THAT(error_of(R"(
factories: [{name: f, chip: H100, chips: 16, online: 1d}]
workload: [{jobs: [{id: E, at: 0s, chips: 8, duration: 1h}]}]
)", 0), Catch::Contains("the factory is not online"));
}

TEST_CASE("kernel: observers see every event, and the events balance") {
  const Scenario s = test::scenario_from(R"(
horizon: 20d
seed: 11
factories: [{name: a, chip: H100, chips: 1024, failures: {node_mtbf: 400h, repair: {dist: lognormal, mean: 4h, cv: 1}}}]
checkpoint: {interval: 1h, cost: 1m, restart: 5m}
workload:
  - {arrivals: {dist: poisson, rate: 200/d}, chips: {dist: pow2, min: 8, max: 512},
     duration: {dist: lognormal, median: 3h, sigma: 1}}
  - {jobs: [{id: huge, at: 1d, chips: 4096, duration: 1h}]}
)");
  Counting c;
  SimulationOptions o;
  o.observers = {&c};
  const RunResult r = simulate(s, o);
  CHECK(c.ended);
  CHECK(c.submitted == r.jobs.submitted);
  CHECK(c.submitted == c.queued_new + c.rejected);
  CHECK(c.first_starts == r.jobs.started);
  CHECK(c.completed == r.jobs.completed);
  CHECK(c.interrupted == r.interruptions.total);
  CHECK(c.interrupted > 0);
  CHECK(c.node_failures == r.factories[0].failures);
  CHECK(c.repaired > 0);
  CHECK(c.repaired <= c.node_failures);  // each failed node is repaired once, some after the end
  CHECK(c.capacity_changes == 1);        // the factory coming online
  CHECK(c.queued_again == c.interrupted);  // no spares: every interrupted job queues again
  CHECK(c.started == c.released + static_cast<std::uint64_t>(c.holding));  // each start released once, or still held
  // Every attempt that started ended once: completed, interrupted, or cut at the end.
  CHECK(c.attempts_ended == c.completed + c.interrupted + r.jobs.running_at_end);
  CHECK(c.released == c.completed + c.queued_again);
  CHECK(c.holding == static_cast<std::int64_t>(r.jobs.running_at_end));
  CHECK(c.active_at_end == r.jobs.unfinished);
}

TEST_CASE("kernel: a policy registered by name runs from a scenario file and in bench") {
  // Registered once per test process, as an embedding would at the start of main.
  static const bool registered = [] {
    register_backfill("largest-first", "the largest waiting job first (test policy)",
                      [](const PolicySpec&, const std::vector<TenantSpec>&) { return std::make_unique<LargestFirst>(); });
    return true;
  }();
  CHECK(registered);
  CHECK_THROWS_WITH(register_backfill("easy", "", [](const PolicySpec&, const std::vector<TenantSpec>&) {
                      return std::unique_ptr<Scheduler>();
                    }),
                    Catch::Contains("the policy name 'easy' is taken"));
  CHECK_THROWS_WITH(register_backfill("a+b", "", [](const PolicySpec&, const std::vector<TenantSpec>&) {
                      return std::unique_ptr<Scheduler>();
                    }),
                    Catch::Contains("not a policy name"));

  // The same hand schedule as above, chosen by the scenario's `policy:` section.
  std::string yaml = kThreeJobs;
  yaml.insert(yaml.find("workload:"), "policy: {backfill: largest-first}\n");
  const Scenario sc = test::scenario_from(yaml);
  CHECK(sc.policy.backfill == "largest-first");
  test::RecordingSink jobs;
  SimulationOptions o;
  o.job_sink = &jobs;
  simulate(sc, o);
  CHECK(jobs.by_label("B").start == hours(0));
  CHECK(jobs.by_label("A").start == hours(1));
  CHECK(jobs.by_label("C").start == hours(1));

  // bench names it like any other policy, and it is listed.
  BenchOptions b;
  b.policies = {parse_policy_name("fifo+none", sc.policy), parse_policy_name("largest-first", sc.policy)};
  b.threads = 1;
  const BenchResult r = run_policy_bench(sc, b);
  REQUIRE(r.policies.size() == 2);
  CHECK(r.policies[1].policy == "fifo+largest-first+first-fit");
  // FIFO waits: A 0, B 1 h, C 2 h (mean 1 h); largest first: B 0, A 1 h, C 1 h (mean 40 min).
  CHECK(r.policies[0].wait_mean_s.mean == Approx(3600.0));
  CHECK(r.policies[1].wait_mean_s.mean == Approx(2400.0));
  bool listed = false;
  for (const auto& g : policy_parts())
    for (const auto& p : g.parts) listed |= p.name == "largest-first";
  CHECK(listed);
}

namespace {
const std::string kFailingCluster = R"(
horizon: 20d
warmup: 2d
seed: 11
factories:
  - {name: a, chip: H100, chips: 1024, failures: {node_mtbf: 400h, repair: {dist: lognormal, mean: 4h, cv: 1}}}
  - {name: b, chip: B200, chips: 512, online: 3d}
tenants: [{name: x, preemptible: true}, {name: y, priority: 2}]
checkpoint: {interval: 1h, cost: 1m, restart: 5m}
workload:
  - {tenant: x, arrivals: {dist: poisson, rate: 200/d}, chips: {dist: pow2, min: 8, max: 512},
     duration: {dist: lognormal, median: 3h, sigma: 1}}
  - {tenant: y, arrivals: {dist: poisson, rate: 60/d}, chips: {dist: pow2, min: 8, max: 256},
     flops: {dist: lognormal, median: 1e20, sigma: 1}, mfu: 0.4}
)";
}  // namespace

TEST_CASE("kernel: a fork is a checkpoint: it and the original each give the whole run's result") {
  for (const char* policy : {"fifo+none", "sjf+easy+best-fit", "fair-share+conservative+replan", "priority+easy"}) {
    CAPTURE(policy);
    Scenario sc = test::scenario_from(kFailingCluster);
    sc.policy = parse_policy_name(policy, sc.policy);
    sc.policy.preemption = std::string(policy) == "priority+easy";
    const std::string whole = json_of(simulate(sc));

    Simulation original(sc);
    original.run_until(SimTime::zero() + Duration::days(7));
    Simulation fork = original.fork();
    CHECK(fork.now() == original.now());
    CHECK(fork.active_jobs() == original.active_jobs());
    // Independent: the fork runs to its end first, then the original.
    CHECK(json_of(fork.result()) == whole);
    CHECK(json_of(original.result()) == whole);
  }
}

TEST_CASE("kernel: a fork reports what happens after it to its own sinks") {
  const Scenario sc = test::scenario_from(kFailingCluster);
  test::RecordingSink whole_jobs, before, after;
  SimulationOptions o;
  o.job_sink = &whole_jobs;
  simulate(sc, o);

  o.job_sink = &before;
  Simulation original(sc, o);
  original.run_until(SimTime::zero() + Duration::days(5));
  SimulationOptions fork_options;
  fork_options.job_sink = &after;
  Counting counted;
  counted.whole_run = false;
  fork_options.observers = {&counted};
  Simulation fork = original.fork(fork_options);
  const RunResult r = fork.result();
  // The records before the fork (the original's so far) and the fork's make the whole run's.
  const std::size_t before_fork = before.records.size();
  CHECK(before_fork > 0);
  CHECK(before_fork + after.records.size() == whole_jobs.records.size());
  std::map<std::uint64_t, const test::Captured*> by_id;
  for (const auto& c : whole_jobs.records) by_id[c.id] = &c;
  for (const auto* list : {&before.records, &after.records})
    for (const auto& c : *list) {
      CAPTURE(c.id);
      REQUIRE(by_id.count(c.id) == 1);
      const auto& w = *by_id[c.id];
      CHECK((c.start == w.start && c.end == w.end && c.factory == w.factory && c.interruptions == w.interruptions));
    }
  CHECK(counted.completed + counted.active_at_end + counted.rejected == after.records.size());
  CHECK(counted.completed < r.jobs.completed);  // the fork's observers saw only the jobs after it
  CHECK(counted.ended);
}

TEST_CASE("kernel: a fork refuses a scheduler that cannot be copied, and a finished run") {
  const Scenario sc = test::scenario_from(kThreeJobs);
  Simulation sim(sc, {}, std::make_unique<LargestFirst>());
  sim.step();
  CHECK_THROWS_WITH(sim.fork(), Catch::Contains("cannot be copied"));
  Simulation plain(sc);
  plain.step();
  CHECK_NOTHROW(plain.fork());
  plain.result();
  CHECK_THROWS_AS(plain.fork(), std::logic_error);
}
