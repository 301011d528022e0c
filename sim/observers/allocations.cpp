#include "gigasim/observers/allocations.hpp"

#include <algorithm>
#include <cmath>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
}

AllocationLedger::AllocationLedger(const RunView& view) : view_(&view) {
  usage_.assign(view.scenario().tenants.size(), Usage{});
}

void AllocationLedger::settle(std::uint16_t t) {
  Usage& u = usage_[t];
  const double before = u.used_chip_ms, held = static_cast<double>(u.held_chips);
  u.used_chip_ms = used_chip_ms(t);
  // The moment usage reached the allocation, interpolated inside [since, now] (usage grows linearly).
  if (const auto& a = view_->scenario().tenants[t].allocation_chip_hours;
      a && !u.exhausted_at && u.used_chip_ms >= *a * kMsPerHour)
    u.exhausted_at = u.since + Duration::millis(static_cast<std::int64_t>(
                                   held > 0 ? std::ceil(std::max(0.0, *a * kMsPerHour - before) / held) : 0));
  u.since = view_->now();
}

void AllocationLedger::job_started(const ActiveJob& j, bool) {
  settle(j.tenant);
  usage_[j.tenant].held_chips += static_cast<std::int64_t>(j.nodes) * view_->node_size(j.factory);
}

void AllocationLedger::job_released(const ActiveJob& j) {
  settle(j.tenant);
  usage_[j.tenant].held_chips -= static_cast<std::int64_t>(j.nodes) * view_->node_size(j.factory);
}

void AllocationLedger::job_resized(const ActiveJob& j, const Resize& r) {
  settle(j.tenant);
  usage_[j.tenant].held_chips += (static_cast<std::int64_t>(j.nodes) - r.old_nodes) * view_->node_size(j.factory);
}

void AllocationLedger::run_ended(RunResult& r) {
  for (std::uint16_t t = 0; t < usage_.size() && t < r.tenants.size(); ++t) {
    settle(t);
    TenantResult& tr = r.tenants[t];
    const Usage& u = usage_[t];
    tr.used_chip_hours = u.used_chip_ms / kMsPerHour;
    if (const auto& a = view_->scenario().tenants[t].allocation_chip_hours) {
      tr.allocation_chip_hours = *a;
      tr.allocation_left_chip_hours = std::max(0.0, *a - tr.used_chip_hours);
      if (u.exhausted_at) tr.allocation_exhausted_s = u.exhausted_at->seconds_f();
    }
  }
}

}  // namespace gigasim
