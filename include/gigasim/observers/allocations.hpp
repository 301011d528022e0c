#pragma once
// Tenant allocations in chip-hours: the chip-time each tenant's jobs held over the whole run
// (not the window), when it first reached its allocation, and what is left. The engine asks it
// whether a tenant's allocation is used up (policy.allocations: enforce).
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gigasim/engine/observer.hpp"

namespace gigasim {

class AllocationLedger final : public Observer {
 public:
  explicit AllocationLedger(const RunView& view);
  /// The events it wants (a constant: the engine calls it without a virtual dispatch).
  static constexpr std::uint32_t kInterests =
      EventBit::JobStarted | EventBit::JobReleased | EventBit::JobResized | EventBit::RunEnded;
  std::uint32_t interests() const override { return kInterests; }
  /// A copy in the same state, observing `view` (a forked run: Simulation::fork).
  std::unique_ptr<AllocationLedger> forked(const RunView& view) const {
    auto copy = std::make_unique<AllocationLedger>(*this);
    copy->view_ = &view;
    return copy;
  }

  void job_started(const ActiveJob& j, bool first) override;
  void job_released(const ActiveJob& j) override;
  void job_resized(const ActiveJob& j, const Resize& r) override;
  /// Fills the allocation fields of RunResult::tenants (listed by an observer before it).
  void run_ended(RunResult& r) override;

  /// Chip-milliseconds the tenant's jobs have held up to now.
  double used_chip_ms(std::uint16_t tenant) const {
    const Usage& u = usage_[tenant];
    return u.used_chip_ms + static_cast<double>(u.held_chips) * static_cast<double>((view_->now() - u.since).ms());
  }
  /// Whether the tenant has an allocation and has used all of it.
  bool exhausted(std::uint16_t tenant) const {
    const auto& a = view_->scenario().tenants[tenant].allocation_chip_hours;
    return a && used_chip_ms(tenant) >= *a * 3.6e6;
  }

 private:
  struct Usage {
    double used_chip_ms = 0;  ///< up to `since`
    SimTime since;
    std::int64_t held_chips = 0;
    std::optional<SimTime> exhausted_at;
  };
  /// Brings the tenant's usage up to now; called before its held chips change.
  void settle(std::uint16_t tenant);
  const RunView* view_;
  std::vector<Usage> usage_;
};

}  // namespace gigasim
