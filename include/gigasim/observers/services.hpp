#pragma once
// Inference services over the measurement window (docs/metrics.md, "Inference services"): the
// demand each asked for, what it held, the part of its demand it held (served) and the part it
// did not (unmet), as exact time integrals; the share of the window its demand was fully held.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/window_integral.hpp"

namespace gigasim {

class ServiceObserver final : public Observer {
 public:
  explicit ServiceObserver(const RunView& view);
  std::uint32_t interests() const override { return EventBit::ServiceChanged | EventBit::RunEnded; }
  std::unique_ptr<ServiceObserver> forked(const RunView& view) const {
    auto copy = std::make_unique<ServiceObserver>(*this);
    copy->view_ = &view;
    return copy;
  }

  void service_changed(std::uint32_t s) override;
  /// Fills RunResult::services.
  void run_ended(RunResult& r) override;

 private:
  struct PerService {
    explicit PerService(SimTime from) : demand(from), held(from), served(from), unmet(from), met(from) {}
    WindowIntegral demand, held, served, unmet, met;  ///< chips (met: 1 while all demand is held)
    std::int64_t peak_demand = 0, peak_unmet = 0;
    SimTime value_since;  ///< when the current values were set
    void close_value(SimTime now, SimTime window_start);
  };
  const RunView* view_;
  std::vector<PerService> services_;
};

}  // namespace gigasim
