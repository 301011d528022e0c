// `gigasim compare`: plans on common random numbers, and the plan-level laws users rely on.
#include <cmath>

#include <catch2/catch.hpp>

#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/compare_report.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

namespace {
std::size_t metric(const char* key) {
  const auto& m = compare_metrics();
  for (std::size_t i = 0; i < m.size(); ++i)
    if (std::string_view(m[i].key) == key) return i;
  FAIL("no metric " << key);
  return 0;
}

const std::string kPlans = R"(
horizon: 40d
warmup: 4d
seed: 9
tenants: [{name: research}, {name: industry, priority: 1}]
workload:
  - {tenant: research, arrivals: {rate: 60/d}, chips: {dist: pow2, min: 8, max: 512},
     flops: {dist: lognormal, median: 3e20, sigma: 1.2}}
  - {tenant: industry, arrivals: {rate: 4/d}, chips: {dist: choice, values: [512, 1024]},
     params: {dist: choice, values: [7e9, 70e9]}, tokens: 2e10}
plans:
  - name: h100
    factories: [{name: a, chip: H100, chips: 2048, failures: {node_mtbf: 5000h, repair: 4h}}]
  - name: h100-again
    factories: [{name: a, chip: H100, chips: 2048, failures: {node_mtbf: 5000h, repair: 4h}}]
  - name: b200
    factories: [{name: a, chip: B200, chips: 2048, failures: {node_mtbf: 5000h, repair: 4h}}]
)";
}  // namespace

TEST_CASE("compare: identical plans give identical results, replicas and threads do not change them") {
  const auto plans = parse_plans(kPlans, "plans.yaml", ".");
  REQUIRE(plans.size() == 3);
  CompareOptions o;
  o.replicas = 3;
  o.threads = 1;
  const CompareResult one = run_plan_compare(plans, o);
  CHECK(one.common_workload);
  for (std::size_t m = 0; m < compare_metrics().size(); ++m) {
    CAPTURE(compare_metrics()[m].key);
    CHECK(one.plans[1].values[m].mean == one.plans[0].values[m].mean);
    CHECK(one.plans[1].diff[m].mean == 0);
    CHECK(one.plans[1].diff[m].half_width == 0);
  }
  o.threads = 3;
  CHECK(to_json(run_plan_compare(plans, o)).dump() == to_json(one).dump());
}

TEST_CASE("compare: the same jobs on faster chips are delivered sooner and wait less") {
  const auto plans = parse_plans(kPlans, "plans.yaml", ".");
  CompareOptions o;
  o.replicas = 2;
  const CompareResult r = run_plan_compare(plans, o);
  const auto &h = r.plans[0], &b = r.plans[2];
  CHECK(b.values[metric("delivered_eflop_days")].mean > h.values[metric("delivered_eflop_days")].mean);
  CHECK(b.values[metric("wait_mean_s")].mean < h.values[metric("wait_mean_s")].mean);
  CHECK(b.values[metric("jobs_completed")].mean >= h.values[metric("jobs_completed")].mean);

  // A fixed list of work jobs (no horizon): the B200 plan finishes all of it earlier.
  const std::string list = R"(
workload: [{jobs: [{chips: 64, flops: 5e21}, {chips: 128, flops: 2e22}, {at: 1h, chips: 64, flops: 1e22}]}]
plans:
  - {name: h, factories: [{name: f, chip: H100, chips: 128}]}
  - {name: b, factories: [{name: f, chip: B200, chips: 128}]}
)";
  const auto lp = parse_plans(list, "list.yaml", ".");
  const RunResult rh = simulate(lp[0]), rb = simulate(lp[1]);
  CHECK(rb.jobs.completed == 3);
  CHECK(rb.end_s < rh.end_s);
  CHECK(rb.economics.delivered_eflop_days == Approx(rh.economics.delivered_eflop_days).epsilon(1e-6));
}

TEST_CASE("compare: on a saturated workload of single-node jobs, more chips never deliver less") {
  std::string yaml = R"(
horizon: 30d
seed: 4
workload: [{arrivals: {rate: 2000/d}, chips: 8, flops: {dist: lognormal, median: 1e19, sigma: 1}}]
plans:
)";
  for (int chips : {64, 128, 256, 512, 1024, 2048})
    yaml += "  - {name: p" + std::to_string(chips) + ", factories: [{name: f, chip: H100, chips: " +
            std::to_string(chips) + "}]}\n";
  const auto plans = parse_plans(yaml, "sat.yaml", ".");
  CompareOptions o;
  o.replicas = 2;
  const CompareResult r = run_plan_compare(plans, o);
  const std::size_t d = metric("delivered_eflop_days"), u = metric("utilisation");
  for (std::size_t p = 1; p < r.plans.size(); ++p) {
    CAPTURE(r.plans[p].name);
    CHECK(r.plans[p].values[d].mean >= r.plans[p - 1].values[d].mean);
    CHECK(r.plans[p].diff[d].mean >= 0);
  }
  CHECK(r.plans.front().values[u].mean > 0.99);  // saturated
}

TEST_CASE("plans: each plan has its own factories, tenants' sites are checked per plan") {
  const std::string bad = R"(
tenants: [{name: health, sites: [lux]}]
workload: [{jobs: [{chips: 8, duration: 1h}]}]
plans:
  - {name: one, factories: [{name: lux, chip: H100, chips: 64}]}
  - {name: two, factories: [{name: fin, chip: H100, chips: 64}]}
)";
  try {
    parse_plans(bad, "bad.yaml", ".");
    FAIL("expected an error");
  } catch (const InputError& e) {
    // A shared key, at its own position (not the file's 1:1), checked with the second plan.
    CHECK_THAT(e.what(), Catch::StartsWith("bad.yaml:2:") && Catch::Contains("unknown factory 'lux'") &&
                             Catch::Contains("(a shared key, checked with plan 'two')"));
  }
  const std::string bad_in_plan = R"(
workload: [{jobs: [{chips: 8, duration: 1h}]}]
plans:
  - {name: one, factories: [{name: lux, chip: H100, chips: 64}]}
  - {name: two, factories: [{name: fin, chip: H100, chips: -64}]}
)";
  CHECK_THROWS_WITH(parse_plans(bad_in_plan, "bad.yaml", "."),
                    Catch::StartsWith("bad.yaml:5:") && Catch::Contains("(in plan 'two')"));
  CHECK_THROWS_WITH(parse_scenario(kPlans, "plans.yaml", "."),
                    Catch::Contains("h100, h100-again, b200") && Catch::Contains("gigasim compare"));
}

TEST_CASE("compare: 'same jobs' is checked on the jobs, not on the workload's shape") {
  // Same sources, same labels, same kinds: only the arrival rate differs (as a caller of
  // run_plan_compare may give). The job streams differ, so the plans do not see the same jobs;
  // the same workload on other chips (jobs given as FLOPs) does.
  const auto scenario = [](const char* chip, const char* rate) {
    return test::scenario_from(std::string("horizon: 10d\nfactories: [{name: a, chip: ") + chip +
                               ", chips: 1024}]\nworkload: [{arrivals: {rate: " + rate + "}, chips: 64, flops: 1e20}]\n");
  };
  CompareOptions o;
  o.threads = 1;
  o.replicas = 2;
  const CompareResult differ = run_plan_compare({scenario("H100", "40/d"), scenario("H100", "41/d")}, o);
  CHECK_FALSE(differ.common_workload);
  CHECK(format_compare_table(differ).find("the jobs differ") != std::string::npos);
  const CompareResult same = run_plan_compare({scenario("H100", "40/d"), scenario("B200", "40/d")}, o);
  CHECK(same.common_workload);
  CHECK(format_compare_table(same).find("same seed, same jobs") != std::string::npos);
}

TEST_CASE("compare: the programme basis is shared by every plan and equals each plan's run") {
  const std::string text = R"(
horizon: 60d
seed: 4
economics: {programme_years: 3, discount_rate: 0.03}
workload: [{arrivals: {rate: 30/d}, chips: {dist: pow2, min: 8, max: 256}, duration: {dist: exponential, mean: 5h}}]
plans:
  - name: now
    factories: [{name: a, chip: H100, chips: 1024, cost: {capex_per_chip_eur: 30000, opex_per_chip_eur_per_year: 2000}}]
  - name: later
    factories: [{name: a, chip: H100, chips: 1024, online: 30d, cost: {capex_per_chip_eur: 30000, opex_per_chip_eur_per_year: 2000}}]
)";
  const auto plans = parse_plans(text, "plans.yaml", ".");
  CompareOptions o;
  o.replicas = 1;
  const CompareResult r = run_plan_compare(plans, o);
  for (std::size_t p = 0; p < plans.size(); ++p) {
    SimulationOptions so;
    so.seed = r.seed;
    const RunResult run = simulate(plans[p], so);
    CHECK(run.economics.programme.years == Approx(3));
    CHECK(r.plans[p].values[metric("programme_cost_eur")].mean == run.economics.programme.cost_eur);
    CHECK(r.plans[p].values[metric("programme_eur_per_eflop_day")].mean == run.economics.programme.eur_per_eflop_day.value());
    CHECK(r.plans[p].values[metric("eur_per_useful_gpu_hour")].mean == run.economics.programme.eur_per_useful_gpu_hour.value());
  }
  // Capex 30 days later is worth 1.03^(-30/365) of it today.
  CHECK(r.plans[1].values[metric("programme_capex_eur")].mean ==
        Approx(r.plans[0].values[metric("programme_capex_eur")].mean * std::pow(1.03, -30 / 365.0)).epsilon(1e-12));

  // A plan cannot change the basis it is compared on.
  std::string own = text;
  own.replace(own.find("  - name: later\n"), 16, "  - name: later\n    economics: {programme_years: 10}\n");
  CHECK_THROWS_WITH(parse_plans(own, "plans.yaml", "."), Catch::Contains("unknown key 'economics'"));
}

TEST_CASE("compare verdicts: significant only when the paired 95% interval excludes 0") {
  CompareMetric lower{"x", "x", CompareMetric::Unit::Number, nullptr, CompareMetric::Better::Lower};
  CompareMetric info{"y", "y", CompareMetric::Unit::Number, nullptr};
  auto est = [](double mean, double hw, std::size_t n) { return Estimate{mean, hw, n}; };
  CHECK(verdict_of(lower, est(-2, 1, 3)) == Verdict::Better);
  CHECK(verdict_of(lower, est(2, 1, 3)) == Verdict::Worse);
  CHECK(verdict_of(lower, est(0.5, 1, 3)) == Verdict::NotSignificant);
  CHECK(verdict_of(lower, est(1, 1, 3)) == Verdict::NotSignificant);  // the interval touches 0
  CHECK(verdict_of(lower, est(0, 0, 3)) == Verdict::Same);
  CHECK(verdict_of(lower, est(-2, 0, 1)) == Verdict::OneReplica);
  CHECK(verdict_of(lower, est(0, 0, 0)) == Verdict::NotApplicable);
  CHECK(verdict_of(info, est(-2, 1, 3)) == Verdict::NotApplicable);
  CHECK(verdict_of(lower, est(-2, 0, 2)) == Verdict::Better);  // a deterministic difference
}

TEST_CASE("compare: faster chips win their verdicts, identical plans are the same") {
  const auto plans = parse_plans(kPlans, "plans.yaml", ".");
  CompareOptions o;
  o.replicas = 6;  // the H100 plan runs at 80% load: its waits vary a lot between replicas
  const CompareResult r = run_plan_compare(plans, o);
  const auto& same = r.plans[1];
  const auto& b200 = r.plans[2];
  for (std::size_t m = 0; m < compare_metrics().size(); ++m) {
    CAPTURE(compare_metrics()[m].key);
    if (compare_metrics()[m].headline() && same.values[m].defined()) CHECK(same.verdicts[m] == Verdict::Same);
    CHECK(r.plans[0].verdicts[m] == Verdict::NotApplicable);
  }
  CHECK(b200.verdicts[metric("wait_mean_s")] == Verdict::Better);
  CHECK(b200.verdicts[metric("delivered_eflop_days")] == Verdict::Better);
  const auto lines = compare_verdict_lines(r);
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[1], Catch::StartsWith("b200: better on ") && Catch::Contains("wait mean"));
  const auto j = to_json(r);
  CHECK(j["plans"][2]["verdicts"]["wait_mean_s"] == "better");
  CHECK_FALSE(j["plans"][0].contains("verdicts"));
}

TEST_CASE("compare --precision adds replicas until met or says the limit came first, deterministically") {
  const auto plans = parse_plans(kPlans, "plans.yaml", ".");
  CompareOptions o;
  o.precision = 0.5;
  o.max_replicas = 64;
  o.threads = 1;
  const CompareResult met = run_plan_compare(plans, o);
  CHECK(met.precision_met);
  CHECK(met.replicas >= 3);
  CHECK(met.replicas <= 64);
  // Every headline figure within 50% of its mean (the loaded H100 plan's unfinished jobs vary most).
  for (const auto& p : met.plans)
    for (std::size_t m = 0; m < compare_metrics().size(); ++m)
      if (compare_metrics()[m].headline() && p.values[m].defined())
        CHECK(p.values[m].half_width <= 0.5 * std::abs(p.values[m].mean));
  o.threads = 3;
  CHECK(to_json(run_plan_compare(plans, o)).dump() == to_json(met).dump());

  o.precision = 1e-6;  // unreachable: the limit is reached first and the report says so
  o.max_replicas = 4;
  const CompareResult capped = run_plan_compare(plans, o);
  CHECK_FALSE(capped.precision_met);
  CHECK(capped.replicas == 4);
  CHECK_THAT(compare_verdict_lines(capped).back(), Catch::Contains("NOT reached"));
  CHECK(to_json(capped)["precision"]["met"] == false);
}

TEST_CASE("compare figures: one notation per cell, scaled units, four significant digits") {
  using U = CompareMetric::Unit;
  CHECK(format_estimate(U::Eur, {2.0704e10, 2.975e7, 3}) == "EUR 20.70 ±0.03 bn");
  CHECK(format_estimate(U::Eur, {192085.07, 6867.89, 3}) == "EUR 192,085 ±6,868");
  CHECK(format_estimate(U::Eur, {3.6123, 0.15, 3}) == "EUR 3.61 ±0.15");
  CHECK(format_estimate(U::Energy, {1.340e7, 293803.79, 3}) == "13.40 ±0.29 TWh");
  CHECK(format_estimate(U::Energy, {1944.56, 29.3, 3}) == "1.94 ±0.03 GWh");
  CHECK(format_estimate(U::Number, {107766.61, 3841.36, 3}) == "107,767 ±3,841");
  CHECK(format_estimate(U::Number, {6.358e7, 3.709e7, 3}) == "63.58 ±37.09 M");
  CHECK(format_estimate(U::Number, {1.6, 0.63, 3}) == "1.60 ±0.63");
  CHECK(format_estimate(U::Number, {-1234.6, 0, 1}) == "-1,235");
  CHECK(format_estimate(U::Count, {2090057, 2491, 3}) == "2,090,057 ±2,491");
  CHECK(format_estimate(U::Fraction, {0.4459, 0.0183, 3}) == "44.59% ±1.83");
  CHECK(format_estimate(U::Number, {0, 0, 0}) == "n/a");
  CHECK(format_metric(U::Eur, 8.5e9) == "EUR 8.50 bn");
}

TEST_CASE("compare per tenant: served shares add up, unmet demand adds up to the plan's") {
  const auto plans = parse_plans(kPlans, "plans.yaml", ".");
  CompareOptions o;
  o.replicas = 2;
  const CompareResult r = run_plan_compare(plans, o);
  for (const auto& p : r.plans) {
    CAPTURE(p.name);
    REQUIRE(p.tenants.size() == 2);
    CHECK(p.tenants[0].name == "research");
    CHECK(p.tenants[0].entitled_share == Approx(0.5));  // both shares default to 1
    CHECK(p.tenants[0].served_share.mean + p.tenants[1].served_share.mean == Approx(1));
    CHECK(p.tenants[0].unmet_eflop_days.mean + p.tenants[1].unmet_eflop_days.mean ==
          Approx(p.values[metric("unmet_eflop_days")].mean));
  }
  // Each tenant's wait is its own jobs': the faster plan cuts both.
  for (std::size_t t = 0; t < 2; ++t) CHECK(r.plans[2].tenants[t].wait_mean_s.mean < r.plans[0].tenants[t].wait_mean_s.mean);
  CHECK_THAT(format_compare_table(r), Catch::Contains("per tenant") && Catch::Contains("industry wait mean"));
  CHECK(to_json(r)["plans"][0]["tenants"][1]["name"] == "industry");
}

TEST_CASE("compare: inference services' served and unmet demand, only where plans have services") {
  // The hand-computed day of tests/test_services.cpp on 80 chips (16 chip-hours unmet) and on
  // 160 (all served).
  const std::string yaml = kServiceDayWorkload + R"(
plans:
  - {name: small, factories: [{name: site, chip: H100, chips: 80}]}
  - {name: large, factories: [{name: site, chip: H100, chips: 160}]}
)";
  const auto plans = parse_plans(yaml, "plans.yaml", ".");
  const CompareResult r = run_plan_compare(plans, CompareOptions{});
  const std::size_t served = metric("inference_served_fraction"), unmet = metric("inference_unmet_chip_hours");
  CHECK(r.plans[0].values[served].mean == Approx(544.0 / 560));
  CHECK(r.plans[1].values[served].mean == Approx(1));
  CHECK(r.plans[0].values[unmet].mean == Approx(16));
  CHECK(r.plans[1].diff[unmet].mean == Approx(-16));
  const auto j = to_json(r);
  CHECK(j["plans"][1]["metrics"].contains("inference_served_fraction"));
  CHECK(j["plans"][1]["verdicts"].contains("inference_served_fraction"));
  CHECK_THAT(format_compare_table(r), Catch::Contains("inference demand served"));
  // Plans without services do not list them.
  const CompareResult plain = run_plan_compare(parse_plans(kPlans, "plans.yaml", "."), CompareOptions{});
  CHECK_FALSE(to_json(plain)["plans"][0]["metrics"].contains("inference_served_fraction"));
  CHECK_FALSE(to_json(plain)["plans"][1]["verdicts"].contains("inference_served_fraction"));
  CHECK_THAT(format_compare_table(plain), !Catch::Contains("inference"));
}
