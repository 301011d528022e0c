#pragma once
// Compute, energy and money of a run (docs/energy-and-cost.md): per factory and in total,
// installed and delivered EFLOP-days, MWh, mean and peak facility power; the window's cost
// (depreciation, fixed opex, energy) and the programme's (capex in full, opex and energy as
// present values, the equivalent annual cost charged to the window). Derived from the factory
// chip-time integrals, so it reads the FactoryMetricsObserver registered before it.
#include <cstdint>

#include "gigasim/engine/observer.hpp"
#include "gigasim/observers/factory_metrics.hpp"

namespace gigasim {

/// The programme's end for a run that ended at `run_end`: `economics.programme_end` (5 years by
/// default), extended to the run's end so that the window always lies inside the programme.
SimTime programme_end(const EconomicsSpec& spec, SimTime run_end);

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
