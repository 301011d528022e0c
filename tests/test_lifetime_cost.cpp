// Lifetime economics (docs/energy-and-cost.md): cohorts retired oldest first, depreciation
// methods and discounting against closed forms; the programme's cost of a small run by hand;
// and the property the model exists for: delaying capacity is never a saving by construction.
#include <cmath>

#include <catch2/catch.hpp>

#include "gigasim/model/capital_plan.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

namespace {
SimTime years(double y) { return SimTime::zero() + Duration::from_seconds(y * 365 * 86400); }

FactorySpec factory_with_phases() {
  FactorySpec f;
  f.name = "f";
  f.chips = 800;
  f.online = years(1);
  f.phases = {{years(2), 800}, {years(4), -1000}};
  f.cost.capex_per_chip_eur = 10'000;
  f.cost.depreciation = Duration::days(5 * 365);
  f.power.chip_watts = 0;  // no facility share: capex per chip is the chip price
  return f;
}
}  // namespace

TEST_CASE("a retirement removes the oldest chips first, splitting a cohort") {
  const CapitalPlan plan(factory_with_phases());
  const auto& c = plan.cohorts();
  REQUIRE(c.size() == 3);
  CHECK(c[0].chips == 800);  // bought at 1 y, all retired at 4 y
  CHECK(c[0].online == years(1));
  CHECK(c[0].retired == years(4));
  CHECK(c[1].chips == 200);  // 200 of the 2 y phase retired with them
  CHECK(c[1].retired == years(4));
  CHECK(c[2].chips == 600);  // the rest stays
  CHECK(c[2].online == years(2));
  CHECK(c[2].retired == SimTime::never());
}

TEST_CASE("straight-line depreciation with write-off at retirement, by hand") {
  const CapitalPlan plan(factory_with_phases());
  const Discount none(0);
  // [0, 3 y]: the first cohort 2/5 written off, the second 1/5: 0.4 x 8 M + 0.2 x 8 M
  CHECK(plan.depreciation_eur(years(0), years(3)) == Approx(4.8e6).epsilon(1e-12));
  // [3 y, 5 y]: retired at 4 y, the first 800 write off their last 60%, 200 of the second their
  // last 80%; the 600 kept go from 1/5 to 3/5: 4.8 M + 1.6 M + 2.4 M
  CHECK(plan.depreciation_eur(years(3), years(5)) == Approx(8.8e6).epsilon(1e-12));
  // Over the whole life everything bought is written off exactly once.
  CHECK(plan.depreciation_eur(years(0), years(20)) == Approx(16e6).epsilon(1e-12));
  CHECK(plan.capex_eur(years(0), years(20), none) == Approx(16e6).epsilon(1e-12));
  CHECK(plan.capex_eur(years(0), years(2), none) == Approx(8e6).epsilon(1e-12));  // [a, b): the 2 y phase is outside
  // Installed chip-years over [0, 5 y]: 800 x 3 (1-4 y) + 200 x 2 (2-4 y) + 600 x 3 (2-5 y)
  CHECK(plan.chip_years(years(0), years(5), none) == Approx(2400 + 400 + 1800).epsilon(1e-12));
}

TEST_CASE("double-declining balance and discounting match their closed forms") {
  using M = DepreciationMethod;
  CHECK(depreciated_fraction(M::DecliningBalance, 0.25) == Approx(1 - std::exp(-0.5)).epsilon(1e-12));
  CHECK(depreciated_fraction(M::DecliningBalance, 0.5) == Approx(1 - std::exp(-1.0)).epsilon(1e-12));
  CHECK(depreciated_fraction(M::DecliningBalance, 0.75) == Approx(1 - 0.5 * std::exp(-1.0)).epsilon(1e-12));
  CHECK(depreciated_fraction(M::DecliningBalance, 1.0) == 1);
  CHECK(depreciated_fraction(M::DecliningBalance, -1) == 0);
  CHECK(depreciated_fraction(M::StraightLine, 0.3) == Approx(0.3));
  // It writes off more early than straight line, never more than everything.
  for (double x = 0.05; x < 1; x += 0.05) {
    CHECK(depreciated_fraction(M::DecliningBalance, x) >= depreciated_fraction(M::StraightLine, x));
    CHECK(depreciated_fraction(M::DecliningBalance, x) <= 1);
  }

  const Discount d(0.10);
  CHECK(d.factor(years(2)) == Approx(1 / 1.21).epsilon(1e-12));
  // One euro a year paid continuously for a year: (1 - 1/1.1) / ln 1.1
  CHECK(d.years(years(0), years(1)) == Approx((1 - 1 / 1.1) / std::log(1.1)).epsilon(1e-12));
  CHECK(d.years(years(1), years(3)) == Approx((1 / 1.1 - 1 / 1.331) / std::log(1.1)).epsilon(1e-12));
  CHECK(Discount(0).years(years(1), years(3)) == Approx(2).epsilon(1e-12));
  CHECK(d.years(years(3), years(1)) == 0);
}

TEST_CASE("the programme's cost of a small run matches a hand calculation") {
  auto r = run_yaml(R"(
horizon: 100h
economics: {programme_years: 1}
factories:
  - name: f
    chip: H100
    chips: 64
    power: {chip_kw: 1.4, pue: 1.2, idle_fraction: 0.3}
    cost: {energy_eur_per_mwh: 100, capex_per_chip_eur: 30000, capex_per_mw_eur: 10e6, depreciation_years: 4,
           opex_per_chip_eur_per_year: 1000, opex_per_mw_eur_per_year: 50000}
workload:
  - {jobs: [{chips: 32, duration: 10h}]}
)");
  const PlanEconomics& e = r.result.economics;
  const ProgrammeEconomics& g = e.programme;
  const double window_mwh = (320 * 1.4 + 6080 * 1.4 * 0.3) * 1.2 / 1000;
  const double opex_per_chip_year = 1000 + 50000 * 1.68e-3;  // 1,084 EUR
  // The window: 100 h of straight-line depreciation and of opex, the measured energy.
  CHECK(e.capex_eur == Approx(64 * 46800 * 100 / (4 * 8760.0)).epsilon(1e-9));
  CHECK(e.opex_eur == Approx(64 * opex_per_chip_year * 100 / 8760.0).epsilon(1e-9));
  CHECK(e.cost_eur == Approx(e.capex_eur + e.opex_eur + 100 * window_mwh).epsilon(1e-12));
  // The programme (1 year): all capex, a year of opex, the window's energy plus 8,660 h more
  // at the window's mean draw.
  CHECK(g.years == Approx(1));
  CHECK(g.capex_eur == Approx(64 * 46800).epsilon(1e-12));
  CHECK(g.opex_eur == Approx(64 * opex_per_chip_year).epsilon(1e-9));
  CHECK(g.energy_estimated_mwh == Approx(window_mwh * 86.6).epsilon(1e-9));
  CHECK(g.energy_mwh == Approx(window_mwh * 87.6).epsilon(1e-9));
  CHECK(g.energy_eur == Approx(100 * window_mwh * 87.6).epsilon(1e-9));
  const double cost = 64 * 46800 + 64 * opex_per_chip_year + 100 * window_mwh * 87.6;
  CHECK(g.cost_eur == Approx(cost).epsilon(1e-9));
  CHECK(g.annual_cost_eur == Approx(cost).epsilon(1e-9));
  CHECK(g.window_charge_eur == Approx(cost * 100 / 8760).epsilon(1e-9));
  CHECK(g.eur_per_eflop_day.value() == Approx(g.window_charge_eur / e.delivered_eflop_days).epsilon(1e-12));
  CHECK(g.eur_per_useful_gpu_hour.value() == Approx(g.window_charge_eur / 320).epsilon(1e-9));
  CHECK(g.installed_eflop_days == Approx(64 * 365 * 989e12 / 1e18).epsilon(1e-9));
  // One factory: the plan's figures are the factory's.
  CHECK(r.result.factories[0].economics.programme.cost_eur == Approx(g.cost_eur).epsilon(1e-12));
  // The report prints them in one notation, scaled, never as 3.096e+06.
  const std::string text = format_table(r.result);
  CHECK_THAT(text, Catch::Contains("programme                 EUR 3.10 M over 1 years (capex EUR 3.00 M") &&
                       !Catch::Contains("e+0"));
}

TEST_CASE("a discount rate turns later spending into smaller present values") {
  const std::string yaml = R"(
horizon: 1y
economics: {programme_years: 3, discount_rate: 0.05}
factories:
  - {name: f, chip: H100, chips: 800, online: 1y,
     cost: {capex_per_chip_eur: 25000, opex_per_chip_eur_per_year: 2000}}
workload:
  - {jobs: [{chips: 8, duration: 1h, at: 400d}]}
)";
  auto r = run_yaml(yaml);
  const ProgrammeEconomics& g = r.result.economics.programme;
  CHECK(g.capex_eur == Approx(800 * 25000 / 1.05).epsilon(1e-9));                       // spent at 1 y
  CHECK(g.opex_eur == Approx(800 * 2000 * (1 / 1.05 - 1 / std::pow(1.05, 3)) / std::log(1.05)).epsilon(1e-9));
  // The equivalent annual cost spreads the same present value over the 3 years.
  CHECK(g.annual_cost_eur == Approx(g.cost_eur / ((1 - std::pow(1.05, -3)) / std::log(1.05))).epsilon(1e-9));
}

TEST_CASE("delaying a factory is never a saving by construction on the programme basis") {
  // The same steady workload on a plan that builds a second factory at once and one that
  // builds it a year later. On the window's depreciation the delayed plan looks cheaper per
  // delivered EFLOP-day; on the programme's it pays the same capex and delivers no more.
  auto plan = [](const std::string& online) {
    return run_yaml(R"(
horizon: 2y
seed: 3
economics: {programme_years: 5}
factories:
  - {name: a, chip: H100, chips: 512, power: {chip_kw: 1.4}, cost: {capex_per_chip_eur: 30000, energy_eur_per_mwh: 80}}
  - {name: b, chip: H100, chips: 512, online: )" + online + R"(, power: {chip_kw: 1.4},
     cost: {capex_per_chip_eur: 30000, energy_eur_per_mwh: 80}}
workload:
  - {arrivals: {dist: poisson, rate: 40/d}, chips: {dist: pow2, min: 8, max: 256},
     duration: {dist: exponential, mean: 6h}}
)");
  };
  auto on_time = plan("0d"), late = plan("1y");
  const PlanEconomics &a = on_time.result.economics, &b = late.result.economics;
  REQUIRE(a.delivered_eflop_days > 0);
  CHECK(b.capex_eur < a.capex_eur);                                   // less depreciation in the window
  CHECK(b.programme.capex_eur == Approx(a.programme.capex_eur));     // the same money spent
  CHECK(b.delivered_eflop_days <= a.delivered_eflop_days * (1 + 1e-9));
  // Only energy differs: the late plan's idle second factory draws nothing in its first year.
  const double saved = a.programme.energy_eur - b.programme.energy_eur;
  CHECK(saved >= 0);
  CHECK(a.programme.cost_eur - b.programme.cost_eur == Approx(saved));
  // The window is charged 2 of the programme's 5 years, of the same money but for that energy.
  CHECK(a.programme.window_charge_eur - b.programme.window_charge_eur == Approx(saved * 2 / 5));
  // Here demand exceeds the late plan's first year: its users wait months. The window basis
  // calls it cheaper per EFLOP-day (the flaw this model fixes); the programme basis does not.
  CHECK(late.result.wait_s.mean > 30 * on_time.result.wait_s.mean);
  CHECK(*b.eur_per_eflop_day < *a.eur_per_eflop_day);
  CHECK(*b.programme.eur_per_eflop_day > 1.2 * *a.programme.eur_per_eflop_day);
}
