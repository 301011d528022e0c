#pragma once
// Fair-share bookkeeping shared by the schedulers that offer the `fair-share` queue order.
//
// Each tenant's usage is the chips it held, integrated over time with exponential decay
// 2^(-age / half-life); its *rank* orders tenants by decayed usage / entitled share (lowest
// first: the tenant furthest below its entitlement goes first; ties by declaration order).
// Usage is brought up to date at the start of every scheduling pass from the chips each tenant
// held since the previous pass, which is exact because holdings only change inside passes.
#include <cstdint>
#include <vector>

#include "gigasim/core/time.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

class ClusterView;

class FairShareLedger {
 public:
  FairShareLedger(const std::vector<TenantSpec>& tenants, Duration half_life);

  /// Decays and accrues usage up to `now`, then re-ranks the tenants. True if any rank changed.
  bool update(SimTime now);
  /// Records what each tenant holds at the end of a pass (held until the next update).
  void record_holdings(const ClusterView& view);

  /// 0 for the tenant that goes first.
  std::uint32_t rank(std::uint16_t tenant) const { return rank_[tenant]; }
  /// Decayed usage in chip-seconds, per tenant, as of the last update.
  const std::vector<double>& usage() const { return usage_; }

 private:
  Duration half_life_;
  std::vector<double> share_;  ///< normalised to sum 1
  std::vector<double> usage_;
  std::vector<std::int64_t> held_;
  std::vector<std::uint32_t> rank_;
  std::vector<std::uint32_t> order_;  ///< scratch of update()
  SimTime last_update_;
};

}  // namespace gigasim
