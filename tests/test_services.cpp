// Inference services (`service:` workload entries): the demand curve, days computed by hand
// (with and without preemption, with an elastic job shrinking at the peak, spilling over two
// sites), conservation with failures, determinism, and input errors.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "gigasim/model/service.hpp"
#include "gigasim/model/validate.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

namespace {

// 10 nodes of 8 chips; a 48-chip (6-node) training job from 0 to 10 h; an assistant wanting
// 10 chips (2 nodes) from 0 to 8 h, 40 (5 nodes) from 8 to 16 h and 20 (3 nodes) to 24 h.
const std::string kDay = R"(
factories:
  - {name: site, chip: H100, chips: 80, node_size: 8}
tenants:
  - {name: research, preemptible: PREEMPTIBLE}
  - {name: industry, priority: 10}
workload:
  - name: batch
    tenant: research
    jobs: [{id: train, at: 0h, chips: 48, duration: 10h}]
  - name: assistant
    tenant: industry
    service:
      peak: 40
      until: 24h
      hourly: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 1, 1, 1, 1, 1, 1, 1, 1,
               0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
)";

std::string day(bool preemptible, const std::string& policy) {
  std::string y = kDay;
  y.replace(y.find("PREEMPTIBLE"), 11, preemptible ? "true" : "false");
  return "policy: {" + policy + "}\n" + y;
}

ServiceSpec cosine_service() {
  ServiceSpec s;
  s.peak_chips = 1000;
  s.trough = 0.2;
  s.peak_at = Duration::hours(14);
  return s;
}

}  // namespace

TEST_CASE("services: the demand curve -- cosine, hourly profile, weekdays, growth, start and until") {
  ServiceSpec s = cosine_service();
  CHECK(s.demand_chips(hours(14)) == Approx(1000));            // the peak
  CHECK(s.demand_chips(hours(2)) == Approx(200));              // 12 h away: the trough
  CHECK(s.demand_chips(hours(8)) == Approx(600));              // 6 h away: half-way
  CHECK(s.demand_chips(hours(20)) == Approx(600));
  CHECK(s.demand_chips(hours(14 + 24)) == Approx(1000));       // every day
  // Time 0 is a Monday without a start date; a week offset moves it (2027-01-01 is a Friday:
  // 4 days after the Monday before it).
  s.weekly = {1, 1, 1, 1, 1, 0.5, 0.25};
  CHECK(s.demand_chips(hours(14 + 5 * 24)) == Approx(500));    // Saturday
  CHECK(s.demand_chips(hours(14 + 6 * 24)) == Approx(250));    // Sunday
  s.week_offset_ms = 4 * 86'400'000LL;
  CHECK(s.demand_chips(hours(14)) == Approx(1000));            // Friday
  CHECK(s.demand_chips(hours(14 + 24)) == Approx(500));        // Saturday
  // Growth compounds yearly from the start; no demand outside [start, until).
  s.weekly = {1, 1, 1, 1, 1, 1, 1};
  s.growth_per_year = 0.5;
  s.start = hours(24);
  s.until = hours(24 + 365 * 24 * 2);
  CHECK(s.demand_chips(hours(14)) == 0);
  CHECK(s.demand_chips(hours(14 + 24)) == Approx(1000 * std::pow(1.5, 14.0 / 24 / 365)));
  CHECK(s.demand_chips(hours(14 + 24 + 365 * 24)) == Approx(1000 * std::pow(1.5, 1 + 14.0 / 24 / 365)));
  CHECK(s.demand_chips(*s.until) == 0);
  // An hourly profile replaces the cosine, hour by hour.
  ServiceSpec h;
  h.peak_chips = 100;
  h.hourly.assign(24, 0.5);
  h.hourly[9] = 1;
  CHECK(h.demand_chips(hours(9)) == Approx(100));
  CHECK(h.demand_chips(hours(9.99)) == Approx(100));
  CHECK(h.demand_chips(hours(10)) == Approx(50));
  // What the engine serves: the demand of the step containing t, rounded up to whole chips.
  // At 13:59 the 13:00 step: 200 + 800 (1 + cos 15 deg) / 2 = 986.4 -> 987.
  const ServiceSpec c = cosine_service();
  CHECK(c.chips_wanted(hours(13 + 59.0 / 60)) == 987);
  CHECK(c.chips_wanted(hours(14.5)) == 1000);
  ServiceSpec late = c;
  late.start = hours(0.5);  // steps begin at the start: 13:30 to 14:30 is one step,
  late.until = hours(20);   // at 200 + 800 (1 + cos 7.5 deg) / 2 = 996.6 -> 997
  CHECK(late.chips_wanted(hours(14.25)) == 997);
  CHECK(late.chips_wanted(hours(0.25)) == 0);
  CHECK(late.chips_wanted(hours(20)) == 0);
}

TEST_CASE("services: a week of demand on ample capacity is the integral of the curve") {
  // The cosine averages (1 + trough) / 2 over a day, exactly also when sampled at equal steps
  // over whole days; weekends at half. 1,000 x 0.6 x 24 h x (5 + 2 x 0.5) = 86,400 chip-hours,
  // plus less than one chip per step from rounding each step's demand up (1,008 steps of 10 min:
  // at most 168 chip-hours). All of it is served, on whole nodes.
  const auto r = run_yaml(R"(
horizon: 7d
factories: [{name: a, chip: H100, chips: 2000, node_size: 8}]
workload:
  - name: chat
    service: {peak: 1000, trough: 0.2, weekly: [1, 1, 1, 1, 1, 0.5, 0.5], step: 10m}
)");
  const ServiceResult& s = r.result.services[0];
  CHECK(s.demand_chip_hours >= 86'400);
  CHECK(s.demand_chip_hours < 86'400 + 168);
  CHECK(s.served_chip_hours == s.demand_chip_hours);
  CHECK(s.held_chip_hours >= s.demand_chip_hours);
  CHECK(s.held_chip_hours < s.demand_chip_hours + 8 * 168);  // less than a node more per step
  CHECK(s.peak_demand_chips == 1000);
  CHECK(r.result.utilisation == Approx(s.held_chip_hours / (2000 * 168)));
}

TEST_CASE("services: a day by hand -- served ahead of training, unmet while it cannot preempt") {
  // 0-8 h: the service holds 2 nodes (16 chips for a demand of 10), the job 6. At 8 h it wants
  // 5 nodes and finds 2 free: 32 chips, 8 unmet until the job ends at 10 h; then 40 chips; at
  // 16 h 3 nodes (24 chips for 20). The same whether the policy cannot preempt or the training
  // tenant is not preemptible.
  for (const auto& [preemptible, policy] : {std::pair{false, std::string("queue: priority, preemption: true")},
                                            std::pair{true, std::string("queue: fifo")},
                                            std::pair{true, std::string("backfill: easy")}}) {
    INFO(policy << (preemptible ? ", preemptible training" : ""));
    const auto r = run_yaml(day(preemptible, policy));
    REQUIRE(r.result.services.size() == 1);
    const ServiceResult& s = r.result.services[0];
    CHECK(s.name == "assistant");
    CHECK(s.tenant == "industry");
    CHECK(s.demand_chip_hours == Approx(10 * 8 + 40 * 8 + 20 * 8));
    CHECK(s.held_chip_hours == Approx(16 * 8 + 32 * 2 + 40 * 6 + 24 * 8));
    CHECK(s.served_chip_hours == Approx(10 * 8 + 32 * 2 + 40 * 6 + 20 * 8));
    CHECK(s.unmet_chip_hours == Approx(8 * 2));
    CHECK(s.served_fraction == Approx(544.0 / 560));
    CHECK(s.met_time_fraction == Approx(22.0 / 24));
    CHECK(s.peak_demand_chips == 40);
    CHECK(s.peak_unmet_chips == 8);
    CHECK(s.preempted_jobs == 0);
    CHECK(r.jobs.by_label("train").end->seconds_f() == 10 * 3600);
    // Busy chip-time is the job's and the service's; the service's is reported apart.
    CHECK(r.result.inference_chip_hours == Approx(624));
    CHECK(r.result.busy_chip_hours == Approx(480 + 624));
    CHECK(r.result.utilisation == Approx((480.0 + 624) / (80 * 24)));
    CHECK(r.result.overhead_chip_hours == Approx(0));
    CHECK(r.result.factories[0].inference_chip_hours == Approx(624));
  }
}

TEST_CASE("services: the time series shows the chips the service holds, hour by hour") {
  struct Rows final : TimeseriesSink {
    std::vector<TimeseriesRow> rows;
    void row(const TimeseriesRow& r) override { rows.push_back(r); }
  } ts;
  SimulationOptions o;
  o.timeseries = &ts;
  o.timeseries_interval = Duration::hours(1);
  (void)simulate(scenario_from(day(false, "queue: fifo")), o);
  std::vector<double> held;
  for (const TimeseriesRow& r : ts.rows)
    if (!r.factory.empty()) held.push_back(r.inference_chips);
  REQUIRE(held.size() == 24);
  for (std::size_t h = 0; h < 24; ++h) {
    INFO("hour " << h);
    const double want = h < 8 ? 16 : h < 10 ? 32 : h < 16 ? 40 : 24;
    CHECK(held[h] == Approx(want));
  }
}

TEST_CASE("services: a day by hand -- preempting lower-priority training at the peak") {
  // At 8 h the service preempts the job (no checkpoints: its 8 h are lost) and holds 5 nodes;
  // the job needs 6 of the 5 left and restarts when the service drops to 3 nodes at 16 h, ending
  // at 26 h. The run ends then, after the service's `until`.
  for (const std::string policy : {"queue: priority, preemption: true", "queue: priority, backfill: easy, preemption: true"}) {
    INFO(policy);
    const auto r = run_yaml(day(true, policy));
    const ServiceResult& s = r.result.services[0];
    CHECK(s.unmet_chip_hours == 0);
    CHECK(s.served_chip_hours == Approx(560));
    CHECK(s.held_chip_hours == Approx(16 * 8 + 40 * 8 + 24 * 8));
    CHECK(s.met_time_fraction == 1);
    CHECK(s.preempted_jobs == 1);
    CHECK(r.result.preemptions == 1);
    CHECK(r.jobs.by_label("train").end->seconds_f() == 26 * 3600);
    CHECK(r.result.end_s == 26 * 3600);
    CHECK(r.result.lost_chip_hours == Approx(48 * 8));
  }
  // A service of lower priority than the training tenant does not preempt it.
  std::string low = day(true, "queue: priority, preemption: true");
  low.replace(low.find("priority: 10"), 12, "priority: -1");
  const auto r = run_yaml(low);
  CHECK(r.result.services[0].preempted_jobs == 0);
  CHECK(r.result.services[0].unmet_chip_hours == Approx(16));
  // `priority:` on the service overrides its tenant's.
  std::string own = low;
  own.replace(own.find("      until: 24h"), 16, "      until: 24h\n      priority: 5");
  CHECK(run_yaml(own).result.services[0].preempted_jobs == 1);
}

TEST_CASE("services: an elastic job shrinks at the peak and grows back after it") {
  // 8 nodes of Unit chips (5e14 FLOP/s each): e (16-64 chips, 10 h on 64) grows to 8 nodes at
  // its start. From 2 h to 4 h the service wants 32 chips: e lends 6 nodes, the service takes
  // 4 of them, e takes back 2 and shrinks to 32 chips after 2 of its 10 units. At 4 h the
  // service gives its nodes back; e has done (2 h - 6 min) x 0.5 = 0.95 units and grows back
  // (6 min + 7.05 h < 16.1 h at 32 chips): it ends at 4 + 7.15 = 11.15 h.
  const std::string yaml = R"(
chips: [{name: Unit, bf16_tflops: 1000}]
compute: {mfu: 0.5}
policy: {resize_cost: 6m}
factories: [{name: f, chip: Unit, chips: 64, node_size: 8}]
workload:
  - {jobs: [{id: e, chips: {min: 16, max: 64}, flops: 1.152e21}]}
  - name: chat
    service:
      peak: 32
      until: 1d
      hourly: [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
)";
  const auto r = run_yaml(yaml);
  CHECK(r.jobs.by_label("e").end->seconds_f() == Approx(11.15 * 3600));
  REQUIRE(r.result.elastic);
  CHECK(r.result.elastic->shrunk == 1);
  CHECK(r.result.elastic->grown == 1);
  const ServiceResult& s = r.result.services[0];
  CHECK(s.demand_chip_hours == Approx(64));
  CHECK(s.served_chip_hours == Approx(64));
  CHECK(s.unmet_chip_hours == 0);
  CHECK(s.preempted_jobs == 0);  // shrinking is not preempting
  CHECK(r.result.useful_chip_hours == Approx(640));
  CHECK(r.result.end_s == 24 * 3600);  // the service runs to its `until`
}

TEST_CASE("services: spill over to the next site and give the spill back first") {
  // a has 4 nodes, b 4. The service prefers a (its `sites` order): 48 chips = 6 nodes, 4 on a
  // and 2 on b from 0 to 12 h; then 16 chips: it gives back b's first and keeps 2 on a.
  const std::string yaml = R"(
horizon: 1d
factories:
  - {name: a, chip: H100, chips: 32, node_size: 8}
  - {name: b, chip: H100, chips: 32, node_size: 8}
workload:
  - name: chat
    service:
      peak: 48
      sites: [a, b]
      hourly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.3333, 0.3333, 0.3333, 0.3333, 0.3333, 0.3333,
               0.3333, 0.3333, 0.3333, 0.3333, 0.3333, 0.3333]
)";
  const auto r = run_yaml(yaml);
  REQUIRE(r.result.factories.size() == 2);
  CHECK(r.result.factories[0].inference_chip_hours == Approx(32 * 12 + 16 * 12));
  CHECK(r.result.factories[1].inference_chip_hours == Approx(16 * 12));
  CHECK(r.result.services[0].unmet_chip_hours == 0);
  CHECK(r.result.services[0].demand_chip_hours == Approx(48 * 12 + 16 * 12));  // 15.9984 rounds up to 16
  CHECK(r.result.jobs.submitted == 0);  // a scenario may have services only
  // Preferring b instead puts the daily base there.
  std::string other = yaml;
  other.replace(other.find("sites: [a, b]"), 13, "sites: [b, a]");
  const auto o = run_yaml(other);
  CHECK(o.result.factories[1].inference_chip_hours == Approx(32 * 12 + 16 * 12));
  CHECK(o.result.factories[0].inference_chip_hours == Approx(16 * 12));
}

TEST_CASE("services: a draining site gets its nodes, and the service moves to another") {
  // a and b have 4 nodes each; the service wants 32 chips (4 nodes) all day, on a first. At
  // 12 h a maintenance window wants 2 of a's nodes: the service gives them and takes 2 on b.
  // At 20 h the window closes; the service keeps what it holds (no move back).
  const std::string yaml = R"(
horizon: 1d
factories:
  - {name: a, chip: H100, chips: 32, node_size: 8,
     maintenance: {every: 10d, duration: 8h, fraction: 0.5, first: 12h}}
  - {name: b, chip: H100, chips: 32, node_size: 8}
workload:
  - name: chat
    service: {peak: 32, trough: 1, sites: [a, b]}
)";
  const auto r = run_yaml(yaml);
  CHECK(r.result.factories[0].inference_chip_hours == Approx(32 * 12 + 16 * 12));
  CHECK(r.result.factories[0].maintenance_chip_hours == Approx(16 * 8));
  CHECK(r.result.factories[1].inference_chip_hours == Approx(16 * 12));
  CHECK(r.result.services[0].unmet_chip_hours == 0);
  // A retirement of a at 12 h moves the whole service to b.
  std::string retire = yaml;
  const std::string window = "maintenance: {every: 10d, duration: 8h, fraction: 0.5, first: 12h}";
  retire.replace(retire.find(window), window.size(), "retire: 12h");
  const auto t = run_yaml(retire);
  CHECK(t.result.factories[0].inference_chip_hours == Approx(32 * 12));
  CHECK(t.result.factories[1].inference_chip_hours == Approx(32 * 12));
  CHECK(t.result.factories[0].installed_chip_hours == Approx(32 * 12));
  CHECK(t.result.services[0].unmet_chip_hours == 0);
}

TEST_CASE("services: conservation with failures, spares, maintenance, preemption and elastic jobs") {
  const std::string yaml = R"(
horizon: 20d
warmup: 1d
start: 2027-01-04
chips: [{name: Unit, bf16_tflops: 1000}]
factories:
  - name: a
    chip: Unit
    chips: 512
    node_size: 8
    spares: 2
    failures: {node_mtbf: 200h, repair: {dist: exponential, mean: 6h}}
    maintenance: {every: 5d, duration: 8h, fraction: 0.1}
  - name: b
    chip: Unit
    chips: 256
    node_size: 8
    failures: {node_mtbf: 300h, repair: {dist: exponential, mean: 12h}}
tenants:
  - {name: research, preemptible: true}
  - {name: industry, priority: 5}
policy: {queue: priority, backfill: easy, preemption: true}
checkpoint: {interval: 1h, cost: 1m, restart: 5m}
workload:
  - tenant: research
    arrivals: {dist: poisson, rate: 40/d, until: 18d}
    classes:
      - {name: short, share: 3, chips: {dist: choice, values: [8, 32, 64]}, duration: {dist: lognormal, mean: 6h, cv: 1}}
      - {name: elastic, share: 1, chips: {min: 64, max: 256}, flops: 2e21}
  - name: chat
    tenant: industry
    service: {peak: 200, trough: 0.3, weekly: [1, 1, 1, 1, 1, 0.6, 0.6], growth: 2, step: 30m}
  - name: code
    tenant: research
    service: {peak: 64, sites: [b], start: 2d, until: 15d}
)";
  for (const std::uint64_t seed : {1, 2, 3}) {
    INFO("seed " << seed);
    const Scenario sc = scenario_from(yaml);
    const RunResult r = simulate(sc, with_seed(seed));
    REQUIRE(r.services.size() == 2);
    double held = 0;
    std::uint64_t failures = 0;
    for (const ServiceResult& s : r.services) {
      CHECK(s.served_chip_hours <= s.demand_chip_hours + 1e-6);
      CHECK(s.served_chip_hours <= s.held_chip_hours + 1e-6);
      CHECK(s.served_chip_hours + s.unmet_chip_hours == Approx(s.demand_chip_hours));
      CHECK(s.met_time_fraction >= 0);
      CHECK(s.met_time_fraction <= 1);
      held += s.held_chip_hours;
      failures += s.node_failures;
    }
    CHECK(held == Approx(r.inference_chip_hours));
    CHECK(failures > 0);  // the services' nodes fail as others do
    CHECK(r.services[0].preempted_jobs > 0);
    CHECK(r.elastic->shrunk > 0);
    // Chip-time: every installed chip in one state; busy = work + overhead + inference.
    CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours + r.maintenance_chip_hours ==
          Approx(r.installed_chip_hours));
    CHECK(r.useful_chip_hours + r.lost_chip_hours + r.overhead_chip_hours + r.inference_chip_hours ==
          Approx(r.busy_chip_hours));
    CHECK(r.overhead_chip_hours >= -1e-6);
    CHECK(r.inference_chip_hours <= r.busy_chip_hours);
    double fsum = 0;
    for (const auto& f : r.factories) fsum += f.inference_chip_hours;
    CHECK(fsum == Approx(r.inference_chip_hours));
    // Same scenario and seed: the same output, byte for byte.
    CHECK(to_json(simulate(sc, with_seed(seed))) == to_json(r));
  }
}

TEST_CASE("services: input errors name the field and what was expected") {
  const std::string head = R"(
horizon: 1d
factories: [{name: a, chip: H100, chips: 64}]
workload:
)";
  auto error_of = [&](const std::string& entry) -> std::string {
    try {
      (void)scenario_from(head + entry);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(error_of("  - service: {trough: 0.5}\n"), Catch::Contains("missing required key 'peak'"));
  CHECK_THAT(error_of("  - service: {peak: 10, hourly: [1, 1]}\n"), Catch::Contains("24 shares of the peak"));
  CHECK_THAT(error_of("  - service: {peak: 10, trough: 1.5}\n"), Catch::Contains("a share of the peak in [0, 1]"));
  CHECK_THAT(error_of("  - service: {peak: 10, sites: [z]}\n"), Catch::Contains("unknown factory 'z'"));
  CHECK_THAT(error_of("  - service: {peak: 10, weekly: [1]}\n"), Catch::Contains("7 factors, Monday to Sunday"));
  CHECK_THAT(error_of("  - service: {peak: 10, step: 1s}\n"), Catch::Contains("at least 1m"));
  CHECK_THAT(error_of("  - service: {peak: 10, peak_at: 25h}\n"), Catch::Contains("a time of day"));
  CHECK_THAT(error_of("  - service: {peak: 10, hourly: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], trough: 0.2}\n"),
             Catch::Contains("leave out trough and peak_at"));
  CHECK_THAT(error_of("  - {service: {peak: 10}, arrivals: {rate: 1/h}}\n"), Catch::Contains("unknown key 'arrivals'"));
  CHECK_THAT(error_of("  - {name: x, service: {peak: 10}}\n  - {name: x, service: {peak: 5}}\n"),
             Catch::Contains("names another workload source or service"));
  // Positions: file, line and column of the offending value.
  CHECK_THAT(error_of("  - service: {peak: -3}\n"), Catch::Contains(":5:"));
  // Without a horizon a service needs an end.
  try {
    (void)scenario_from("factories: [{name: a, chip: H100, chips: 64}]\nworkload:\n  - service: {peak: 10}\n");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("never ends"));
  }
  // Scale-up domains are not served (yet): refused, not ignored.
  try {
    (void)scenario_from(R"(
horizon: 1d
factories: [{name: n, chip: GB200, chips: 1296, node_size: 4, topology: {domain_nodes: 18}}]
workload:
  - service: {peak: 10}
)");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("has a `topology`"));
  }
  // A scenario built in code is checked as a loaded one is.
  Scenario sc = scenario_from(head + "  - service: {peak: 10}\n");
  sc.services[0].hourly = {1, 2};
  CHECK_THROWS_AS(validate(sc), InputError);
}
