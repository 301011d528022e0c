#pragma once
// Chip-time per factory over the measurement window: installed, busy, idle, down, in
// maintenance and requested chips as exact integrals of the pool's node states, work done and
// kept (useful), delivered FLOPs, and counts of starts, failures and interruptions.
// Invariant (tested): busy + idle + down + maintenance = installed, exactly.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/pool_chips.hpp"
#include "gigasim/metrics/window_integral.hpp"

namespace gigasim {

class FactoryMetricsObserver final : public Observer {
 public:
  /// Sums over the window of one factory, in chip-milliseconds (FLOPs for useful_flops).
  struct Totals {
    double installed = 0, busy = 0, idle = 0, down = 0, maintenance = 0, requested = 0;
    double serving = 0;       ///< the part of busy held by inference services
    double useful = 0;        ///< work kept (checkpointed or completed)
    double done = 0;          ///< work computed, kept or later lost
    double useful_flops = 0;  ///< FLOPs of the useful work
  };

  explicit FactoryMetricsObserver(const RunView& view);
  /// The events it wants (a constant: the engine calls it without a virtual dispatch).
  static constexpr std::uint32_t kInterests = EventBit::JobStarted | EventBit::JobReleased | EventBit::AttemptEnded | EventBit::JobInterrupted | EventBit::JobResized |
           EventBit::PoolChanged | EventBit::NodeFailed | EventBit::DomainFailed | EventBit::RepairEnded | EventBit::RunEnded;
  std::uint32_t interests() const override { return kInterests; }
  /// A copy in the same state, observing `view` (a forked run: Simulation::fork).
  std::unique_ptr<FactoryMetricsObserver> forked(const RunView& view) const {
    auto copy = std::make_unique<FactoryMetricsObserver>(*this);
    copy->view_ = &view;
    return copy;
  }

  void job_started(const ActiveJob& j, bool first) override;
  void job_released(const ActiveJob& j) override;
  void job_resized(const ActiveJob& j, const Resize& r) override;
  void attempt_ended(const ActiveJob& j, const AttemptEnd& e) override;
  void job_interrupted(const ActiveJob& j) override;
  void pool_changed(std::uint32_t f) override;
  void node_failed(std::uint32_t f) override { ++factories_[f].failures; }
  void domain_failed(std::uint32_t f) override { ++factories_[f].domain_failures; }
  void repair_ended(std::uint32_t f, RepairStage stage, bool succeeded) override {
    auto& r = factories_[f].repairs;
    ++(stage == RepairStage::Automatic ? (succeeded ? r.automatic_succeeded : r.automatic_failed)
                                       : (succeeded ? r.manual_succeeded : r.manual_failed));
  }
  /// Fills RunResult::factories (all but economics), the chip-hour totals and ratios, and the
  /// total interruptions.
  void run_ended(RunResult& r) override;

  /// Factory f's sums; complete once run_ended has been called.
  const Totals& totals(std::uint32_t f) const { return totals_[f]; }

 private:
  struct PerFactory {
    explicit PerFactory(SimTime from) : chips(from), requested(from) {}
    PoolChipIntegrals chips;  ///< by node state
    WindowIntegral requested;
    double useful_ms = 0, done_ms = 0, useful_flops = 0;
    std::uint64_t jobs_started = 0, attempts_started = 0, failures = 0, interruptions = 0, domain_failures = 0;
    FactoryResult::Repairs repairs;
  };
  const RunView* view_;
  std::vector<PerFactory> factories_;
  std::vector<Totals> totals_;
};

}  // namespace gigasim
