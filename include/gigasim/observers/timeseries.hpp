#pragma once
// Interval means of chips by state per factory, facility and accelerator power, queued and
// running jobs, written to a TimeseriesSink every SimulationOptions::timeseries_interval from
// time 0 (one row per factory and one of totals), the last interval possibly shorter.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/job_record.hpp"
#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/pool_chips.hpp"
#include "gigasim/metrics/window_integral.hpp"

namespace gigasim {

class TimeseriesObserver final : public Observer {
 public:
  TimeseriesObserver(const RunView& view, TimeseriesSink& sink);
  std::uint32_t interests() const override {
    return EventBit::PoolChanged | EventBit::JobQueued | EventBit::JobStarted | EventBit::JobCompleted |
           EventBit::SampleDue | EventBit::RunEnded;
  }
  /// A copy in the same state, observing `view` and writing to `sink` (Simulation::fork).
  std::unique_ptr<TimeseriesObserver> forked(const RunView& view, TimeseriesSink& sink) const {
    auto copy = std::make_unique<TimeseriesObserver>(*this);
    copy->view_ = &view;
    copy->sink_ = &sink;
    return copy;
  }

  void pool_changed(std::uint32_t f) override;
  void job_queued(const ActiveJob&, bool again) override;
  void job_started(const ActiveJob&, bool) override;
  void job_completed(const ActiveJob&) override;
  void sample_due() override;
  /// Writes the last (possibly shorter) interval.
  void run_ended(RunResult&) override;

 private:
  /// The mean of `w` since the last sample; remembers its running total in `last`.
  double mean_since_last(WindowIntegral& w, Area& last, double span_ms);
  const RunView* view_;
  TimeseriesSink* sink_;
  std::vector<PoolChipIntegrals> factories_;
  WindowIntegral queued_, running_;
  SimTime last_sample_;
  std::vector<Area> areas_;  ///< running totals at the last sample, per series
};

}  // namespace gigasim
