#include "gigasim/observers/economics.hpp"

#include <algorithm>

#include "gigasim/model/capital_plan.hpp"

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
constexpr double kFlopPerEflopDay = 1e18 * 86400;
constexpr double kMilliJoulePerMwh = 3.6e12;
constexpr double kHoursPerYear = 365 * 24.0;

std::optional<double> ratio(double eur, double per) { return per > 0 ? std::optional<double>(eur / per) : std::nullopt; }

// The window [from, to] and the programme [0, end] of one run, and its discounting.
struct Periods {
  SimTime from, to, end;
  Discount discount;
  Discount none{0};
  double window_ms() const { return static_cast<double>(std::max<std::int64_t>(0, (to - from).ms())); }
};

// Window figures of one factory: measured compute and energy, the plan's depreciation and opex.
PlanEconomics window_economics(const FactorySpec& spec, const CapitalPlan& plan,
                               const FactoryMetricsObserver::Totals& t, std::uint32_t installed_nodes_at_end,
                               const Periods& p) {
  PlanEconomics e;
  const double watts = spec.power.it_watts(spec.chip);
  e.installed_eflop_days = t.installed / 1000.0 * spec.chip.bf16_flops / kFlopPerEflopDay;
  e.delivered_eflop_days = t.useful_flops / kFlopPerEflopDay;
  e.energy_mwh = (t.busy + t.idle * spec.power.idle_fraction) * watts * spec.power.pue / kMilliJoulePerMwh;
  e.energy_eur = e.energy_mwh * spec.cost.energy_eur_per_mwh;
  e.capex_eur = plan.depreciation_eur(p.from, p.to);
  e.opex_eur = plan.opex_eur(p.from, p.to, p.none);
  e.peak_facility_mw = static_cast<double>(installed_nodes_at_end) * spec.node_size * watts * spec.power.pue / 1e6;
  return e;
}

// Programme figures of one factory. Energy outside the window is estimated at the window's mean
// draw per installed chip (`mwh_per_chip_year`), the only draw the run measured.
ProgrammeEconomics programme_economics(const FactorySpec& spec, const CapitalPlan& plan, const PlanEconomics& window,
                                       double mwh_per_chip_year, const Periods& p) {
  ProgrammeEconomics g;
  const SimTime zero = SimTime::zero();
  g.capex_eur = plan.capex_eur(zero, p.end, p.discount);
  g.opex_eur = plan.opex_eur(zero, p.end, p.discount);
  const double all_years = plan.chip_years(zero, p.end, p.none), window_years = plan.chip_years(p.from, p.to, p.none);
  const double all_pv = plan.chip_years(zero, p.end, p.discount), window_pv = plan.chip_years(p.from, p.to, p.discount);
  g.energy_estimated_mwh = mwh_per_chip_year * std::max(0.0, all_years - window_years);
  g.energy_mwh = window.energy_mwh + g.energy_estimated_mwh;
  // The measured energy is discounted like the installed chip-time it was drawn over.
  const double window_factor = window_years > 0 ? window_pv / window_years : p.discount.factor(p.from);
  g.energy_eur = spec.cost.energy_eur_per_mwh *
                 (window.energy_mwh * window_factor + mwh_per_chip_year * std::max(0.0, all_pv - window_pv));
  g.cost_eur = g.capex_eur + g.opex_eur + g.energy_eur;
  g.installed_eflop_days = all_years * 365 * spec.chip.bf16_flops / 1e18;
  return g;
}

// The figures that follow from the sums.
void complete(PlanEconomics& e, double useful_chip_hours, double discount_rate, const Periods& p) {
  const double window_ms = p.window_ms();
  e.cost_eur = e.capex_eur + e.opex_eur + e.energy_eur;
  e.eur_per_eflop_day = ratio(e.cost_eur, e.delivered_eflop_days);
  e.mean_facility_mw = window_ms > 0 ? e.energy_mwh / (window_ms / kMsPerHour) : 0.0;
  ProgrammeEconomics& g = e.programme;
  g.end_s = p.end.seconds_f();
  g.years = static_cast<double>(p.end.ms()) / kMsPerYear;
  g.discount_rate = discount_rate;
  g.annual_cost_eur = g.cost_eur / std::max(p.discount.years(SimTime::zero(), p.end), 1e-300);
  g.window_charge_eur = g.annual_cost_eur * window_ms / kMsPerYear;
  g.eur_per_eflop_day = ratio(g.window_charge_eur, e.delivered_eflop_days);
  g.eur_per_useful_gpu_hour = ratio(g.window_charge_eur, useful_chip_hours);
}
}  // namespace

SimTime programme_end(const EconomicsSpec& spec, SimTime run_end) {
  const SimTime planned = spec.programme_end.value_or(SimTime::zero() + Duration::days(5 * 365));
  return std::max(planned, run_end);
}

void EconomicsObserver::run_ended(RunResult& r) {
  const Scenario& sc = view_->scenario();
  const SimTime to = std::max(view_->now(), view_->warmup_start());
  const Periods p{view_->warmup_start(), to, programme_end(sc.economics, to), Discount(sc.economics.discount_rate)};
  const auto& specs = sc.factories;
  std::vector<CapitalPlan> plans;
  plans.reserve(specs.size());
  for (const auto& spec : specs) plans.emplace_back(spec);

  // The plan's mean draw as a fraction of full power, for factories the window never saw online.
  double drawn_mwh = 0, full_mwh = 0;
  for (std::uint32_t f = 0; f < r.factories.size(); ++f) {
    const FactoryMetricsObserver::Totals& t = factories_.totals(f);
    FactoryResult& fr = r.factories[f];
    fr.economics = window_economics(specs[f], plans[f], t, view_->factories()[f].installed_nodes(), p);
    drawn_mwh += fr.economics.energy_mwh;
    full_mwh += t.installed * specs[f].power.it_watts(specs[f].chip) * specs[f].power.pue / kMilliJoulePerMwh;
  }
  const double plan_draw = full_mwh > 0 ? drawn_mwh / full_mwh : 1.0;

  PlanEconomics& e = r.economics;
  ProgrammeEconomics& g = e.programme;
  double useful_chip_hours = 0;
  for (std::uint32_t f = 0; f < r.factories.size(); ++f) {
    const FactoryMetricsObserver::Totals& t = factories_.totals(f);
    FactoryResult& fr = r.factories[f];
    const double full_mwh_per_chip_year = specs[f].power.it_watts(specs[f].chip) * specs[f].power.pue * kHoursPerYear / 1e6;
    const double mwh_per_chip_year = t.installed > 0 ? fr.economics.energy_mwh / (t.installed / kMsPerYear)
                                                     : plan_draw * full_mwh_per_chip_year;
    fr.economics.programme = programme_economics(specs[f], plans[f], fr.economics, mwh_per_chip_year, p);
    complete(fr.economics, t.useful / kMsPerHour, sc.economics.discount_rate, p);

    e.installed_eflop_days += fr.economics.installed_eflop_days;
    e.delivered_eflop_days += fr.economics.delivered_eflop_days;
    e.energy_mwh += fr.economics.energy_mwh;
    e.energy_eur += fr.economics.energy_eur;
    e.capex_eur += fr.economics.capex_eur;
    e.opex_eur += fr.economics.opex_eur;
    e.peak_facility_mw += fr.economics.peak_facility_mw;
    const ProgrammeEconomics& fg = fr.economics.programme;
    g.capex_eur += fg.capex_eur;
    g.opex_eur += fg.opex_eur;
    g.energy_mwh += fg.energy_mwh;
    g.energy_estimated_mwh += fg.energy_estimated_mwh;
    g.energy_eur += fg.energy_eur;
    g.cost_eur += fg.cost_eur;
    g.installed_eflop_days += fg.installed_eflop_days;
    useful_chip_hours += t.useful / kMsPerHour;
  }
  complete(e, useful_chip_hours, sc.economics.discount_rate, p);
}

}  // namespace gigasim
