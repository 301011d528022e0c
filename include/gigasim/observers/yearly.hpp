#pragma once
// A multi-year run year by year (docs/metrics.md, "Per year"): installed and busy chip-hours,
// utilisation, jobs submitted, started and completed, and the mean wait of the jobs that
// started, per year of 365 days from time 0. Memory per year, O(1) per event.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/window_integral.hpp"

namespace gigasim {

class YearlyObserver final : public Observer {
 public:
  explicit YearlyObserver(const RunView& view);
  /// The events it wants (a constant: the engine calls it without a virtual dispatch).
  static constexpr std::uint32_t kInterests = EventBit::PoolChanged | EventBit::JobSubmitted | EventBit::JobStarted |
                                              EventBit::JobCompleted | EventBit::RunEnded;
  std::uint32_t interests() const override { return kInterests; }
  std::unique_ptr<YearlyObserver> forked(const RunView& view) const {
    auto copy = std::make_unique<YearlyObserver>(*this);
    copy->view_ = &view;
    return copy;
  }

  void pool_changed(std::uint32_t f) override;
  void job_submitted(const ActiveJob&) override { ++this_year().submitted; }  // submitted now
  void job_started(const ActiveJob& j, bool first) override;
  void job_completed(const ActiveJob&) override { ++this_year().completed; }
  /// Fills RunResult::years when the run is longer than one year.
  void run_ended(RunResult& r) override;

 private:
  struct Year {
    Area installed = 0, busy = 0;  ///< chip-milliseconds
    std::uint64_t submitted = 0, started = 0, completed = 0;
    double wait_ms = 0;
  };
  Year& year(SimTime t);
  /// The year of now: nearly every event falls in the year of the one before (cached).
  Year& this_year();
  /// Integrates the installed and busy chips held since the last change up to t, year by year.
  void advance(SimTime t);

  const RunView* view_;
  std::vector<Year> years_;
  std::vector<std::int64_t> installed_, busy_;  ///< per factory, chips now
  std::int64_t total_installed_ = 0, total_busy_ = 0;
  SimTime last_ = SimTime::zero();
  std::size_t this_year_ = 0;
  SimTime this_year_begin_ = SimTime::zero(), this_year_end_ = SimTime::zero();  // empty: not cached yet
};

}  // namespace gigasim
