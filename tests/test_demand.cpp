// Demand against service and the stability verdict (docs/metrics.md, "Demand and stability"):
// a hand-computed schedule, conservation of demand, the trend test against its definition, and
// queues below and above saturation, where the backlog's growth rate is known in closed form.
#include <cmath>

#include <catch2/catch.hpp>

#include "gigasim/metrics/trend.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

TEST_CASE("Mann-Kendall S, z and Sen's slope by hand") {
  // 1 3 2 4: pairs (1,3)+ (1,2)+ (1,4)+ (3,2)- (3,4)+ (2,4)+ -> S = 4; var = 4 x 3 x 13 / 18
  const std::vector<double> x = {1, 3, 2, 4};
  const TrendTest t = mann_kendall(x);
  CHECK(t.s == 4);
  CHECK(t.z == Approx(3 / std::sqrt(4 * 3 * 13 / 18.0)).epsilon(1e-12));
  CHECK(t.p_increasing == Approx(0.5 * std::erfc(t.z / std::sqrt(2.0))).epsilon(1e-12));
  // slopes 2, 0.5, 1, -1, 0.5, 2 -> sorted -1 0.5 0.5 1 2 2: median (0.5 + 1) / 2
  CHECK(t.sen_slope == Approx(0.75));
  // Ties lower the variance: 1 1 2 has one tied pair (g = 2): (3 x 2 x 11 - 2 x 1 x 9) / 18
  const std::vector<double> tied = {1, 1, 2};
  const TrendTest u = mann_kendall(tied);
  CHECK(u.s == 2);
  CHECK(u.z == Approx(1 / std::sqrt((66 - 18) / 18.0)).epsilon(1e-12));
  // A strictly increasing series of 30 is significant; a constant one is not.
  std::vector<double> up(30), flat(30, 5.0);
  for (int i = 0; i < 30; ++i) up[i] = i;
  CHECK(mann_kendall(up).p_increasing < 1e-6);
  CHECK(mann_kendall(up).sen_slope == Approx(1));
  CHECK(mann_kendall(flat).p_increasing == Approx(0.5));
}

TEST_CASE("adaptive bins keep exact time averages while merging") {
  AdaptiveBins b(SimTime::zero(), Duration::seconds(60));
  // A ramp held 1 minute per step for 1,000 minutes: bins merge to 8-minute ones.
  for (int m = 0; m < 1000; ++m) b.set(SimTime::zero() + Duration::seconds(60 * m), m);
  const SimTime end = SimTime::zero() + Duration::seconds(60 * 1000);
  CHECK(b.mean_until(end) == Approx(499.5).epsilon(1e-12));
  const auto bins = b.means_until(end, 1000);
  CHECK(b.width() == Duration::seconds(8 * 60));
  REQUIRE(bins.size() == 125);
  CHECK(bins[0] == Approx(3.5));   // minutes 0-7
  CHECK(bins[124] == Approx(995.5));
  CHECK(b.means_until(end, 32).size() <= 32);
}

TEST_CASE("demand, service and backlog of a hand-computed schedule") {
  // 64 chips; A (64 chips, 10 h) at 0, B (64 chips, 10 h) at 1 h, run cut at 15 h. B waits from
  // 1 h to 10 h and has run 5 h at the end (kept: no failures).
  auto r = run_yaml(R"(
horizon: 15h
factories: [{name: f, chip: H100, chips: 64}]
workload:
  - {jobs: [{id: a, chips: 64, duration: 10h, at: 0h}, {id: b, chips: 64, duration: 10h, at: 1h}]}
)");
  const DemandFigures& d = r.result.demand;
  CHECK(d.offered_jobs == 2);
  CHECK(d.offered_chip_hours == Approx(1280));
  CHECK(d.served_chip_hours == Approx(640 + 320));
  CHECK(d.unmet_chip_hours == Approx(320));
  // Duration jobs are counted at the home factory's rate: 64 H100 at 40% MFU.
  const double eflop_day_per_chip_hour = 989e12 * 0.4 * 3600 / 8.64e22;
  CHECK(d.offered_eflop_days == Approx(1280 * eflop_day_per_chip_hour).epsilon(1e-9));
  CHECK(d.unmet_eflop_days == Approx(320 * eflop_day_per_chip_hour).epsilon(1e-9));
  CHECK(r.result.offered_load.value() == Approx(1280 / 960.0));
  REQUIRE(r.result.tenants.size() == 1);
  CHECK(r.result.tenants[0].demand.unmet_chip_hours == Approx(320));
  // B's 640 chip-h wait 9 of the 15 hours.
  CHECK(r.result.backlog.mean_chip_hours == Approx(640 * 9 / 15.0).epsilon(1e-9));
  CHECK(r.result.backlog.end_chip_hours == 0);
  CHECK(r.result.backlog.end_jobs == 0);
}

TEST_CASE("demand is conserved: offered = served + unmet, per tenant, for work and duration jobs") {
  // No warm-up, so the window is the run; checkpoints and failures make jobs keep part of their work.
  auto r = run_yaml(R"(
horizon: 20d
seed: 11
factories:
  - {name: a, chip: H100, chips: 1024, failures: {node_mtbf: 2000h, repair: 6h}}
  - {name: b, chip: B200, chips: 512}
checkpoint: {interval: 2h, cost: 1m, restart: 5m}
tenants: [{name: x, sites: [a]}, {name: y, sites: [b]}]
workload:
  - {tenant: x, arrivals: {rate: 40/d}, chips: {dist: pow2, min: 8, max: 512}, duration: {dist: exponential, mean: 12h}}
  - {tenant: y, arrivals: {rate: 10/d}, chips: {dist: pow2, min: 8, max: 256}, flops: {dist: lognormal, median: 2e21, sigma: 1}}
)");
  REQUIRE(r.result.jobs.unfinished > 0);
  for (const auto& t : r.result.tenants) {
    CAPTURE(t.name);
    CHECK(t.demand.offered_jobs == t.jobs.submitted);
    CHECK(t.demand.offered_chip_hours == Approx(t.demand.served_chip_hours + t.demand.unmet_chip_hours).epsilon(1e-9));
    CHECK(t.demand.offered_eflop_days == Approx(t.demand.served_eflop_days + t.demand.unmet_eflop_days).epsilon(1e-9));
    CHECK(t.demand.unmet_chip_hours > 0);
  }
  // y's work jobs run only on b, their home: served EFLOP-days are b's delivered ones.
  CHECK(r.result.tenants[1].demand.served_eflop_days ==
        Approx(r.result.factories[1].economics.delivered_eflop_days).epsilon(1e-9));
  // Served chip-hours never exceed the useful chip-hours of the run (jobs hold whole nodes).
  CHECK(r.result.demand.served_chip_hours <= r.result.useful_chip_hours * (1 + 1e-9));
}

namespace {
// M/M/c-like: 100 chips as 100 one-chip nodes, one-chip jobs of mean 1 h: load = rate / 100 per hour.
RunResult queue_at(double per_hour, std::uint64_t seed) {
  Scenario sc = scenario_from(R"(
horizon: 60d
warmup: 2d
factories: [{name: f, chip: H100, chips: 100, node_size: 1}]
workload: [{arrivals: {dist: poisson, rate: )" + std::to_string(per_hour) + R"(/h}, chips: 1,
            duration: {dist: exponential, mean: 1h}}]
)");
  return simulate(sc, with_seed(seed));
}
}  // namespace

TEST_CASE("the backlog verdict: stable below saturation, growing at (load - 1) x capacity above") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CAPTURE(seed);
    const RunResult low = queue_at(80, seed);  // load 0.8
    REQUIRE(low.backlog.stable.has_value());
    CHECK(*low.backlog.stable);
    CHECK(low.demand.unmet_chip_hours < 0.01 * low.demand.offered_chip_hours);

    const RunResult high = queue_at(120, seed);  // load 1.2: 20 chip-h/h more than it can serve
    REQUIRE(high.backlog.stable.has_value());
    CHECK_FALSE(*high.backlog.stable);
    CHECK(*high.backlog.p_value < 1e-6);
    CHECK(*high.backlog.trend_chip_hours_per_day == Approx(20 * 24).epsilon(0.1));
    // What is left at the end is about 20 chip-h for every hour of the run.
    CHECK(high.demand.unmet_chip_hours == Approx(20 * 24 * 60).epsilon(0.1));
  }
}

TEST_CASE("per-year figures: a factory built in year 2, by hand, and years add up to the run") {
  auto r = run_yaml(R"(
start: 2026-01-01
horizon: 800d
factories: [{name: f, chip: H100, chips: 64, online: 1y}]
workload:
  - {jobs: [{id: early, chips: 64, duration: 10d, at: 100d}, {id: later, chips: 64, duration: 10d, at: 500d}]}
)");
  const auto& y = r.result.years;
  REQUIRE(y.size() == 3);  // 800 days: two whole years of 365 days and 70 days
  CHECK(y[0].from_date == std::optional<std::string>("2026-01-01"));
  CHECK(y[1].from_date == std::optional<std::string>("2027-01-01"));
  CHECK(y[2].to_s == 800 * 86400.0);
  CHECK(y[0].installed_chip_hours == 0);
  CHECK(y[0].utilisation == 0);
  CHECK(y[0].jobs_submitted == 1);
  CHECK(y[0].jobs_started == 0);
  CHECK_FALSE(y[0].wait_mean_s.has_value());
  // Year 2: 64 chips all year; "early" starts at 365 d (waited 265 d), "later" at 500 d at once.
  CHECK(y[1].installed_chip_hours == Approx(64 * 365 * 24.0));
  CHECK(y[1].busy_chip_hours == Approx(2 * 64 * 240.0));
  CHECK(y[1].jobs_started == 2);
  CHECK(y[1].jobs_completed == 2);
  CHECK(y[1].wait_mean_s.value() == Approx(265 * 86400.0 / 2));
  CHECK(y[2].installed_chip_hours == Approx(64 * 70 * 24.0));
  // Conservation: the years add up to the run (no warm-up here).
  double installed = 0, busy = 0;
  std::uint64_t submitted = 0, completed = 0;
  for (const auto& x : y) installed += x.installed_chip_hours, busy += x.busy_chip_hours, submitted += x.jobs_submitted,
                          completed += x.jobs_completed;
  CHECK(installed == Approx(r.result.installed_chip_hours));
  CHECK(busy == Approx(r.result.busy_chip_hours));
  CHECK(submitted == r.result.jobs.submitted);
  CHECK(completed == r.result.jobs.completed);
  // A run of a year or less has no per-year breakdown: the summary is the year.
  CHECK(run_yaml("horizon: 365d\nfactories: [{name: f, chip: H100, chips: 64}]\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]\n")
            .result.years.empty());
}
