#include "gigasim/observers/economics.hpp"

#include <algorithm>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
constexpr double kFlopPerEflopDay = 1e18 * 86400;
constexpr double kMilliJoulePerMwh = 3.6e12;

// The figures that follow from the sums: cost, cost per EFLOP-day, mean facility power.
void complete_economics(PlanEconomics& e, double window_ms) {
  e.cost_eur = e.capex_eur + e.energy_eur;
  e.eur_per_eflop_day = e.delivered_eflop_days > 0 ? std::optional<double>(e.cost_eur / e.delivered_eflop_days) : std::nullopt;
  e.mean_facility_mw = window_ms > 0 ? e.energy_mwh / (window_ms / kMsPerHour) : 0.0;
}
}  // namespace

PlanEconomics economics_of(const FactorySpec& spec, double installed_chip_ms, double busy_chip_ms,
                           double idle_chip_ms, double useful_flops, std::uint32_t installed_nodes_at_end,
                           double window_ms) {
  PlanEconomics e;
  const double watts = spec.power.it_watts(spec.chip);
  e.installed_eflop_days = installed_chip_ms / 1000.0 * spec.chip.bf16_flops / kFlopPerEflopDay;
  e.delivered_eflop_days = useful_flops / kFlopPerEflopDay;
  e.energy_mwh = (busy_chip_ms + idle_chip_ms * spec.power.idle_fraction) * watts * spec.power.pue / kMilliJoulePerMwh;
  e.energy_eur = e.energy_mwh * spec.cost.energy_eur_per_mwh;
  const double chip_facility_mw = watts * spec.power.pue / 1e6;
  const double capex_per_chip = spec.cost.capex_per_chip_eur + spec.cost.capex_per_mw_eur * chip_facility_mw;
  e.capex_eur = capex_per_chip * installed_chip_ms / static_cast<double>(spec.cost.depreciation.ms());
  e.peak_facility_mw = static_cast<double>(installed_nodes_at_end) * spec.node_size * chip_facility_mw;
  complete_economics(e, window_ms);
  return e;
}

void EconomicsObserver::run_ended(RunResult& r) {
  const double window_ms =
      static_cast<double>(std::max<std::int64_t>(0, (view_->now() - view_->warmup_start()).ms()));
  const auto& specs = view_->scenario().factories;
  PlanEconomics& e = r.economics;
  for (std::uint32_t f = 0; f < r.factories.size(); ++f) {
    const FactoryMetricsObserver::Totals& t = factories_.totals(f);
    FactoryResult& fr = r.factories[f];
    fr.economics = economics_of(specs[f], t.installed, t.busy, t.idle, t.useful_flops,
                                view_->factories()[f].installed_nodes(), window_ms);
    e.installed_eflop_days += fr.economics.installed_eflop_days;
    e.delivered_eflop_days += fr.economics.delivered_eflop_days;
    e.energy_mwh += fr.economics.energy_mwh;
    e.energy_eur += fr.economics.energy_eur;
    e.capex_eur += fr.economics.capex_eur;
    e.peak_facility_mw += fr.economics.peak_facility_mw;
  }
  complete_economics(e, window_ms);
}

}  // namespace gigasim
