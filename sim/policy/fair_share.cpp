#include "gigasim/policy/fair_share.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

FairShareLedger::FairShareLedger(const std::vector<TenantSpec>& tenants, Duration half_life)
    : half_life_(half_life) {
  double total = 0;
  for (const auto& t : tenants) {
    share_.push_back(t.share);
    total += t.share;
  }
  for (auto& s : share_) s /= total;
  usage_.assign(tenants.size(), 0.0);
  held_.assign(tenants.size(), 0);
  rank_.assign(tenants.size(), 0);  // all equal until the first update ranks them
}

bool FairShareLedger::update(SimTime now) {
  const double dt = (now - last_update_).seconds_f();
  if (dt > 0) {
    // Usage decays as 2^(-t/H); a tenant holding c chips over dt adds
    // c * integral_0^dt 2^(-(dt-s)/H) ds = c * H/ln2 * (1 - 2^(-dt/H)).
    const double h = half_life_.seconds_f();
    const double decay = std::exp2(-dt / h);
    const double gain = h / std::log(2.0) * (1 - decay);
    for (std::size_t t = 0; t < usage_.size(); ++t)
      usage_[t] = usage_[t] * decay + static_cast<double>(held_[t]) * gain;
  }
  last_update_ = now;
  std::vector<std::uint32_t>& order = order_;  // scratch: no allocation per pass
  order.resize(usage_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return usage_[a] / share_[a] < usage_[b] / share_[b];
  });
  bool changed = false;
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    changed |= rank_[order[r]] != r;
    rank_[order[r]] = r;
  }
  return changed;
}

void FairShareLedger::record_holdings(const ClusterView& view) {
  for (std::uint16_t t = 0; t < held_.size(); ++t) held_[t] = view.held_chips(t);
}

}  // namespace gigasim
