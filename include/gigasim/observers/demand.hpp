#pragma once
// Demand against service (docs/metrics.md, "Demand and stability"): per tenant and per
// workload source, the work
// offered inside the window, the work kept inside it and the work not kept by the end, in
// chip-hours and EFLOP-days; and whether the backlog -- the demand left of the waiting jobs --
// grows through the window. No per-job state: unmet demand is what was submitted minus what
// was kept, and a waiting job's demand left does not change until it starts.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/trend.hpp"

namespace gigasim {

class DemandObserver final : public Observer {
 public:
  explicit DemandObserver(const RunView& view);
  /// The events it wants (a constant: the engine calls it without a virtual dispatch).
  static constexpr std::uint32_t kInterests = EventBit::JobSubmitted | EventBit::JobQueued | EventBit::JobStarted |
                                              EventBit::AttemptEnded | EventBit::JobCompleted | EventBit::RunEnded;
  std::uint32_t interests() const override { return kInterests; }
  /// A copy in the same state, observing `view` (a forked run: Simulation::fork).
  std::unique_ptr<DemandObserver> forked(const RunView& view) const {
    auto copy = std::make_unique<DemandObserver>(*this);
    copy->view_ = &view;
    return copy;
  }

  void job_submitted(const ActiveJob& j) override;
  void job_queued(const ActiveJob& j, bool again) override;
  void job_started(const ActiveJob& j, bool first) override;
  void job_completed(const ActiveJob& j) override {
    each_account(j, [](Account& a) { ++a.completed; });
  }
  void attempt_ended(const ActiveJob& j, const AttemptEnd& e) override;
  /// Fills TenantResult::demand and SourceResult::demand (both already listed), RunResult::demand,
  /// offered_load and backlog.
  void run_ended(RunResult& r) override;

 private:
  /// A tenant's or a workload source's sums.
  struct Account {
    double offered_chip_ms = 0, offered_flops = 0;  // submitted in the window
    std::uint64_t offered_jobs = 0;
    double served_chip_ms = 0, served_flops = 0;    // kept in the window
    double submitted_chip_ms = 0, submitted_flops = 0;  // over the whole run
    double kept_chip_ms = 0, kept_flops = 0;            // over the whole run
    std::uint64_t submitted = 0, completed = 0;
  };
  /// A job's demand: chip-milliseconds on its home factory and FLOPs.
  struct Work {
    double chip_ms = 0, flops = 0;
  };
  Work demand_of(const ActiveJob& j) const;
  /// The chips a job's demand is counted on: its own, an elastic job's minimum.
  static std::uint32_t demand_chips(const ActiveJob& j) { return j.elastic() ? j.min_chips : j.chips; }
  double home_rate_at_demand_size(const ActiveJob& j) const;
  /// Applies `f` to the job's tenant and, with several sources, to its source (with one, the
  /// source's figures are the run's).
  template <class F>
  void each_account(const ActiveJob& j, F&& f) {
    f(tenants_[j.tenant]);
    if (!sources_.empty()) f(sources_[j.source]);
  }
  static DemandFigures figures_of(const Account& a);
  /// The job's demand not yet kept, in chip-ms at its home factory: unchanged while it waits.
  double left_chip_ms(const ActiveJob& j) const;
  void add_backlog(double chip_ms, std::int64_t jobs);
  /// FLOP/s of a duration job at its home factory: depends on (factory, chips) only, so a small
  /// direct-mapped cache spares the compute model on almost every event.
  double duration_job_home_rate(const ActiveJob& j) const;

  const RunView* view_;
  std::vector<Account> tenants_;
  std::vector<Account> sources_;  ///< empty with a single workload source
  double backlog_chip_ms_ = 0;  ///< demand left of the waiting jobs, every tenant
  std::int64_t waiting_ = 0;    ///< jobs waiting
  AdaptiveBins backlog_;
  struct RateEntry {
    std::uint64_t key = ~0ull;
    double rate = 0;
  };
  mutable std::vector<RateEntry> rates_ = std::vector<RateEntry>(256);
};

}  // namespace gigasim
