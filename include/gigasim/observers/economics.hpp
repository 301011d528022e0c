#pragma once
// Compute, energy and money of a run (docs/energy-and-cost.md): per factory and in total,
// installed and delivered EFLOP-days, MWh, EUR of energy and of capex depreciated over the
// window, EUR per delivered EFLOP-day, mean and peak facility power. Derived from the factory
// chip-time integrals, so it reads the FactoryMetricsObserver registered before it.
#include <cstdint>

#include "gigasim/engine/observer.hpp"
#include "gigasim/observers/factory_metrics.hpp"

namespace gigasim {

/// Compute, energy and money of one factory from its window sums (chip-milliseconds, FLOPs).
PlanEconomics economics_of(const FactorySpec& spec, double installed_chip_ms, double busy_chip_ms,
                           double idle_chip_ms, double useful_flops, std::uint32_t installed_nodes_at_end,
                           double window_ms);

class EconomicsObserver final : public Observer {
 public:
  EconomicsObserver(const RunView& view, const FactoryMetricsObserver& factories)
      : view_(&view), factories_(factories) {}
  std::uint32_t interests() const override { return static_cast<std::uint32_t>(EventBit::RunEnded); }
  /// Fills FactoryResult::economics of every factory (already listed) and RunResult::economics.
  void run_ended(RunResult& r) override;

 private:
  const RunView* view_;
  const FactoryMetricsObserver& factories_;
};

}  // namespace gigasim
