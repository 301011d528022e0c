// Capacity plans: phases and retirement as events, the facility power cap, energy and cost
// against hand calculations, and generated job mixes against their published calibration.
#include <algorithm>
#include <cmath>
#include <map>

#include <catch2/catch.hpp>

#include "gigasim/model/job_source.hpp"
#include "gigasim/model/workload_mixes.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

TEST_CASE("energy and cost of a factory match a hand calculation") {
  auto r = run_yaml(R"(
horizon: 100h
factories:
  - name: f
    chip: H100
    chips: 64
    power: {chip_kw: 1.4, pue: 1.2, idle_fraction: 0.3}
    cost: {energy_eur_per_mwh: 100, capex_per_chip_eur: 30000, capex_per_mw_eur: 10e6, depreciation_years: 4}
workload:
  - {jobs: [{chips: 32, duration: 10h}]}
)");
  const PlanEconomics& e = r.result.factories[0].economics;
  // busy 32 x 10 = 320 chip-h at 1.4 kW; idle 6,400 - 320 = 6,080 chip-h at 0.3 x 1.4 kW; x PUE 1.2
  const double mwh = (320 * 1.4 + 6080 * 1.4 * 0.3) * 1.2 / 1000;
  CHECK(e.energy_mwh == Approx(mwh).epsilon(1e-9));
  CHECK(e.energy_eur == Approx(100 * mwh).epsilon(1e-9));
  // capex per chip: 30,000 + 10e6 EUR/MW x 1.68 kW facility = 46,800 EUR over 4 x 365 days
  const double capex = (30000 + 10e6 * 1.4e-3 * 1.2) * 6400 / (4 * 365 * 24.0);
  CHECK(e.capex_eur == Approx(capex).epsilon(1e-9));
  CHECK(e.cost_eur == Approx(capex + 100 * mwh).epsilon(1e-9));
  const double delivered = 32 * 989e12 * 0.4 * 36000 / 8.64e22;  // scenario default MFU 0.4
  CHECK(e.delivered_eflop_days == Approx(delivered).epsilon(1e-9));
  CHECK(e.installed_eflop_days == Approx(6400 * 3600 * 989e12 / 8.64e22).epsilon(1e-9));
  CHECK(e.eur_per_eflop_day.value() == Approx((capex + 100 * mwh) / delivered).epsilon(1e-9));
  CHECK(r.result.economics.cost_eur == Approx(e.cost_eur));
  CHECK(e.mean_facility_mw == Approx(mwh / 100).epsilon(1e-9));
}

TEST_CASE("default IT power is TDP x 1.5 and PUE 1.2") {
  auto r = run_yaml(R"(
horizon: 10h
factories: [{name: f, chip: B200, chips: 8, power: {idle_fraction: 0}}]
workload: [{jobs: [{chips: 8, duration: 10h}]}]
)");
  CHECK(r.result.economics.energy_mwh == Approx(8 * 1000 * 1.5 * 1.2 * 10 / 1e6).epsilon(1e-9));
}

TEST_CASE("a facility power cap limits how many nodes run at once, larger jobs are unschedulable") {
  // budget = 0.5 MW / 1.25 - 0.2 x 1 kW x 800 chips = 240 kW; each busy node adds 0.8 x 8 kW = 6.4 kW -> 37 nodes
  std::string yaml = R"(
factories: [{name: f, chip: H100, chips: 800, power: {chip_kw: 1.0, pue: 1.25, idle_fraction: 0.2, cap_mw: 0.5}}]
workload:
  - {arrivals: {dist: fixed, interval: 1ms, count: 100}, chips: 8, duration: 1h}
  - {jobs: [{id: big, chips: 304, duration: 1h}]}
)";
  auto r = run_yaml(yaml);
  // the first wave: jobs that start before the first ones end at 1 h
  const auto first_wave = std::count_if(r.jobs.records.begin(), r.jobs.records.end(),
                                        [](const Captured& c) { return c.start && c.start->ms() < 3'600'000; });
  CHECK(first_wave == 37);
  CHECK(r.jobs.by_label("big").outcome == JobOutcome::Unschedulable);
  CHECK(r.result.jobs.completed == 100);
}

TEST_CASE("capacity phases and retirement: growth lets a large job start, retirement drains without killing") {
  auto r = run_yaml(R"(
horizon: 100h
factories:
  - {name: f, chip: H100, chips: 64, phases: [{at: 10h, chips: +64}], retire: 50h}
workload:
  - {jobs: [{id: big, chips: 128, duration: 5h}, {id: late, at: 40h, chips: 128, duration: 20h},
            {id: after, at: 55h, chips: 8, duration: 1h}]}
)");
  const auto& big = r.jobs.by_label("big");
  CHECK(big.start->seconds_f() == 10 * 3600.0);  // waits for the growth phase, not rejected
  const auto& late = r.jobs.by_label("late");
  CHECK(late.outcome == JobOutcome::Completed);
  CHECK(late.end->seconds_f() == 60 * 3600.0);   // runs past the retirement: drained, not killed
  CHECK(r.jobs.by_label("after").outcome == JobOutcome::Unschedulable);
  // installed: 64 x 10 h + 128 x 40 h, then the 128 busy chips until they drain at 60 h
  CHECK(r.result.installed_chip_hours == Approx(64 * 10 + 128 * 40 + 128 * 10));
  CHECK(r.result.busy_chip_hours == Approx(128 * 5 + 128 * 20));
  CHECK(r.result.busy_chip_hours + r.result.idle_chip_hours == Approx(r.result.installed_chip_hours));
}

TEST_CASE("a shrinking phase removes free nodes first and busy ones as their jobs end") {
  auto r = run_yaml(R"(
horizon: 20h
factories: [{name: f, chip: H100, chips: 32, phases: [{at: 2h, chips: -16}]}]
workload:
  - {jobs: [{id: a, chips: 24, duration: 5h}, {id: b, at: 6h, chips: 24, duration: 1h}]}
)");
  // at 2 h: 1 node free leaves now, 1 busy node leaves when `a` ends at 5 h
  CHECK(r.result.installed_chip_hours == Approx(32 * 2 + 24 * 3 + 16 * 15));
  CHECK(r.jobs.by_label("b").outcome == JobOutcome::Unschedulable);
}

TEST_CASE("failures follow capacity: the rate grows with a phase and stops at retirement") {
  auto r = run_yaml(R"(
horizon: 400d
seed: 11
factories:
  - {name: f, chip: H100, chips: 8000, failures: {node_mtbf: 1000h, repair: 1h},
     phases: [{at: 100d, chips: +8000}], retire: 300d}
workload: [{jobs: [{chips: 8, duration: 1h}]}]
)");
  // expected failures: 1000 nodes x 2400 h / 1000 h + 2000 nodes x 4800 h / 1000 h = 12000 (sd ~110);
  // none after the retirement at 300 d
  const double n = static_cast<double>(r.result.factories[0].failures);
  CHECK(std::abs(n - 12000) < 4 * std::sqrt(12000.0));
}

TEST_CASE("job classes: each class has its share of the jobs and its own sizes") {
  Scenario sc = scenario_from(R"(
horizon: 1000d
factories: [{name: f, chip: H100, chips: 64}]
workload:
  - arrivals: {rate: 100/d, count: 60000}
    classes:
      - {name: small, share: 3, chips: 1, duration: 1m}
      - {name: large, share: 1, chips: 64, flops: {dist: loguniform, min: 1e18, max: 1e20}, mfu: 0.3}
)");
  auto src = make_job_source(sc.workload[0], 0, 1);
  std::map<std::uint16_t, int> n;
  double log_flops = 0;
  while (auto d = src->next()) {
    ++n[d->job_class];
    if (d->job_class == 1) {
      CHECK(d->chips == 64);
      CHECK(d->work.mfu == 0.3);
      log_flops += std::log10(d->work.flops);
    } else {
      CHECK(d->chips == 1);
      CHECK(d->work.flops == 0);
    }
  }
  CHECK(n[0] + n[1] == 60000);
  CHECK(std::abs(n[1] - 15000) < 4 * std::sqrt(60000 * 0.25 * 0.75));
  CHECK(log_flops / n[1] == Approx(19).epsilon(0.005));  // log-uniform: mean of log10 is the midpoint
}

TEST_CASE("empirical percentile tables reproduce their percentiles and their exact means") {
  DurationDistribution d;
  d.kind = DurationDistribution::Kind::Empirical;
  d.table = {{0, 0.5, 0.9, 1}, {10, 100, 1000, 5000}};
  ChipsDistribution c;
  c.kind = ChipsDistribution::Kind::Empirical;
  c.table = {{0.5, 0.8, 1}, {1, 8, 64}};
  RandomEngine rng = make_stream(1, "t");
  std::vector<double> xs;
  double sum = 0, chips = 0;
  int ones = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    xs.push_back(d.sample(rng).seconds_f());
    sum += xs.back();
    const auto k = c.sample(rng);
    chips += k;
    ones += k == 1;
  }
  std::sort(xs.begin(), xs.end());
  CHECK(xs[n / 2] == Approx(100).epsilon(0.02));
  CHECK(xs[n * 9 / 10] == Approx(1000).epsilon(0.03));
  CHECK(xs.front() >= 10);
  CHECK(xs.back() <= 5000);
  // mean over a segment with log-linear interpolation: dp (v1 - v0) / ln(v1 / v0)
  const double mean = 0.5 * 90 / std::log(10.0) + 0.4 * 900 / std::log(10.0) + 0.1 * 4000 / std::log(5.0);
  CHECK(d.mean_seconds() == Approx(mean));
  CHECK(sum / n == Approx(mean).epsilon(0.01));
  CHECK(c.mean() == Approx(0.5 * 1 + 0.3 * 8 + 0.2 * 64));
  CHECK(chips / n == Approx(c.mean()).epsilon(0.01));
  CHECK(ones / double(n) == Approx(0.5).epsilon(0.01));
}

TEST_CASE("the llm-dev mix reproduces the published LLM-cluster shares (Acme/Seren, NSDI'24)") {
  Scenario sc = scenario_from(R"(
horizon: 10000d
factories: [{name: f, chip: H100, chips: 64}]
workload: [{arrivals: {rate: 1000/d, count: 1000000}, mix: llm-dev}]
)");
  const auto classes = *find_workload_mix("llm-dev");
  auto src = make_job_source(sc.workload[0], 0, 42);
  std::vector<double> jobs(classes.size()), chip_time(classes.size());
  std::vector<double> durations;
  double single = 0, total_chips = 0;
  while (auto d = src->next()) {
    jobs[d->job_class] += 1;
    chip_time[d->job_class] += d->chips * d->run.seconds_f();
    durations.push_back(d->run.seconds_f());
    single += d->chips == 1;
    total_chips += d->chips;
  }
  const double n = static_cast<double>(durations.size());
  double all_time = 0;
  for (double t : chip_time) all_time += t;
  auto index = [&](const std::string& name) {
    for (std::size_t i = 0; i < classes.size(); ++i)
      if (classes[i].name == name) return i;
    FAIL("no class " << name);
    return std::size_t{0};
  };
  // job shares (Seren): evaluation 64.9%, fine-tuning 14.9%, pretraining 0.9% (of 100.1% listed)
  CHECK(jobs[index("evaluation")] / n == Approx(0.649 / 1.001).margin(0.003));
  CHECK(jobs[index("fine-tuning")] / n == Approx(0.149 / 1.001).margin(0.002));
  CHECK(jobs[index("pretraining")] / n == Approx(0.009 / 1.001).margin(0.0005));
  // pretraining holds most of the GPU time (69.5% in Seren); evaluation only a few %
  CHECK(chip_time[index("pretraining")] / all_time == Approx(0.695).margin(0.06));
  CHECK(chip_time[index("evaluation")] / all_time < 0.05);
  // single-GPU jobs ~54% of jobs; median job ~2 min (122 s); ~70% end within 5 min
  CHECK(single / n == Approx(0.54).margin(0.02));
  std::sort(durations.begin(), durations.end());
  CHECK(durations[durations.size() / 2] == Approx(122).margin(15));
  const double within5 = static_cast<double>(std::upper_bound(durations.begin(), durations.end(), 300.0) - durations.begin()) / n;
  CHECK(within5 == Approx(0.70).margin(0.03));
}

TEST_CASE("allocations: chip-hours are accounted per tenant, enforced, an exhausted tenant starts no more jobs") {
  // The same under strict FIFO and conservative backfilling (j4 waits there without a reservation).
  const std::string backfill = GENERATE(as<std::string>{}, "none", "conservative");
  CAPTURE(backfill);
  const std::string yaml = R"(
factories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 1000000h, repair: 1h}}]
tenants: [{name: a, allocation: 100}, {name: b}]
policy: {backfill: )" + backfill + R"(, allocations: MODE}
workload:
  - {tenant: a, jobs: [{id: j1, chips: 32, duration: 2h}, {id: j2, chips: 32, duration: 1h},
                       {id: j3, chips: 16, duration: 1h}, {id: j4, at: 1.8h, chips: 8, duration: 1h}]}
  - {tenant: b, jobs: [{id: k, at: 1.8h, chips: 8, duration: 1h}]}
)";
  auto with = [&](const std::string& mode) {
    std::string y = yaml;
    y.replace(y.find("MODE"), 4, mode);
    return run_yaml(y);
  };
  // j1 and j2 start at 0; j3 at 1 h when j2 ends. Usage: 64 chip-h at 1 h, then 48 chip-h/h,
  // so the 100 chip-h allocation is used up at 1 h + 36/48 h = 1.75 h.
  const auto enforced = with("enforce");
  const TenantResult& a = enforced.result.tenants[0];
  REQUIRE(a.allocation_chip_hours);
  CHECK(*a.allocation_chip_hours == 100);
  CHECK(a.used_chip_hours == Approx(64 + 32 + 16));
  CHECK(a.allocation_left_chip_hours == 0);
  REQUIRE(a.allocation_exhausted_s);
  CHECK(*a.allocation_exhausted_s == Approx(1.75 * 3600));
  CHECK(enforced.jobs.by_label("j3").start->seconds_f() == 3600);
  // j4 arrives after the allocation ran out: it can never start, so it is reported at once.
  CHECK(enforced.jobs.by_label("j4").outcome == JobOutcome::Unschedulable);
  REQUIRE(enforced.result.unschedulable.size() == 1);
  CHECK(enforced.result.unschedulable[0].kind == "allocation");
  CHECK(enforced.result.unschedulable_by_kind.at("allocation") == 1);
  CHECK(enforced.jobs.by_label("k").outcome == JobOutcome::Completed);
  CHECK(!enforced.result.tenants[1].allocation_chip_hours);

  const auto accounted = with("account");
  CHECK(accounted.jobs.by_label("j4").outcome == JobOutcome::Completed);
  CHECK(accounted.result.tenants[0].used_chip_hours == Approx(64 + 32 + 16 + 8));
  CHECK(*accounted.result.tenants[0].allocation_exhausted_s == Approx(1.75 * 3600));
}

TEST_CASE("the time series' facility power integrates to the run's energy") {
  struct Rows final : TimeseriesSink {
    void row(const TimeseriesRow& r) override {
      if (r.factory.empty()) rows.push_back(r);
    }
    std::vector<TimeseriesRow> rows;
  } rows;
  const Scenario sc = scenario_from(R"(
horizon: 20d
seed: 3
factories:
  - {name: a, chip: H100, chips: 512, power: {chip_kw: 1.35, pue: 1.25, idle_fraction: 0.25}}
  - {name: b, chip: B200, chips: 256, online: 2d, failures: {node_mtbf: 2000h, repair: 8h}}
workload:
  - {arrivals: {rate: 150/d}, chips: {dist: pow2, min: 8, max: 256}, duration: {dist: lognormal, median: 2h, sigma: 1}}
)");
  SimulationOptions o;
  o.timeseries = &rows;
  o.timeseries_interval = Duration::hours(5);  // does not divide 20 days
  const RunResult r = simulate(sc, o);
  double mwh = 0, prev = 0;
  for (const auto& row : rows.rows) {
    mwh += row.facility_power_mw * (row.end_s - prev) / 3600;
    prev = row.end_s;
  }
  CHECK(prev == Approx(20 * 86400));
  CHECK(mwh == Approx(r.economics.energy_mwh).epsilon(1e-9));
}
