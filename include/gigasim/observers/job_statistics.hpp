#pragma once
// What the jobs got: counts per tenant and per workload source (submitted, measured, started, completed, unfinished,
// unschedulable), waits, job completion times and bounded slowdowns of jobs submitted inside
// the window, effective training time ratios, chip-time per tenant, throughput, interruptions
// and preemptions, the mean queue length and running jobs, and the unschedulable jobs' reasons.
// Definitions: docs/metrics.md.
#include <cstdint>
#include <memory>
#include <vector>

#include "gigasim/engine/observer.hpp"
#include "gigasim/metrics/grouped_samples.hpp"
#include "gigasim/metrics/sample_stats.hpp"
#include "gigasim/metrics/window_integral.hpp"

namespace gigasim {

/// Bounded slowdown's floor on run time: keeps very short jobs from dominating the mean.
inline constexpr Duration kSlowdownFloor = Duration::seconds(10);
/// Jobs of at least this many chips are "large" for the effective-training-time statistics.
inline constexpr std::uint32_t kLargeJobChips = 1024;

class JobStatisticsObserver final : public Observer {
 public:
  /// `wait_distribution`: also fill TenantResult::wait_cdf (costs a sort of the waits).
  JobStatisticsObserver(const RunView& view, bool wait_distribution);
  /// The events it wants (a constant: the engine calls it without a virtual dispatch).
  static constexpr std::uint32_t kInterests = EventBit::JobSubmitted | EventBit::JobRejected | EventBit::JobQueued | EventBit::JobStarted |
           EventBit::JobInterrupted | EventBit::JobPreempted | EventBit::JobReleased | EventBit::JobCompleted | EventBit::JobResized |
           EventBit::JobActiveAtEnd | EventBit::RunEnded;
  std::uint32_t interests() const override { return kInterests; }
  /// A copy in the same state, observing `view` (a forked run: Simulation::fork).
  std::unique_ptr<JobStatisticsObserver> forked(const RunView& view) const {
    auto copy = std::make_unique<JobStatisticsObserver>(*this);
    copy->view_ = &view;
    return copy;
  }

  void job_submitted(const ActiveJob& j) override;
  void job_rejected(const ActiveJob& j, const UnschedulableJob& u) override;
  void job_queued(const ActiveJob& j, bool again) override;
  void job_started(const ActiveJob& j, bool first) override;
  void job_interrupted(const ActiveJob& j) override;
  void job_preempted(const ActiveJob&) override { ++preemptions_; }
  void job_released(const ActiveJob& j) override;
  void job_resized(const ActiveJob& j, const Resize& r) override;
  void job_completed(const ActiveJob& j) override;
  void job_active_at_end(const ActiveJob& j) override;
  /// Lists RunResult::tenants and RunResult::sources and fills the job figures of the result.
  void run_ended(RunResult& r) override;

 private:
  /// The counts of a group of jobs: a tenant's, or a workload source's (their samples are in
  /// wait_s_, jct_s_ and slowdown_, kept once for every group).
  struct Group {
    explicit Group(SimTime from) : busy_chips(from) {}
    WindowIntegral busy_chips;
    JobCounts jobs;
  };
  /// Applies `f` to the job's tenant and, with several sources, to its source. With one source
  /// the source's figures are the run's: nothing is kept twice.
  template <class F>
  void each_group(const ActiveJob& j, F&& f) {
    f(tenants_[j.tenant]);
    if (!sources_.empty()) f(sources_[j.source]);
  }
  bool measured(const ActiveJob& j) const { return j.submit >= warmup_start_; }
  std::int64_t held_chips(const ActiveJob& j) const;
  /// Lists RunResult::sources, after the tenants and the run's figures, with their summaries.
  void list_sources(RunResult& r, SimTime end, const GroupedSamples::Summaries& wait,
                    const GroupedSamples::Summaries& jct, const GroupedSamples::Summaries& slowdown);

  const RunView* view_;
  SimTime warmup_start_;
  bool wait_distribution_;
  std::vector<Group> tenants_;
  std::vector<Group> sources_;  ///< empty with a single workload source
  GroupedSamples wait_s_, jct_s_, slowdown_;
  WindowIntegral queue_length_, running_jobs_;
  std::uint64_t completions_in_window_ = 0, interruptions_in_window_ = 0, preemptions_ = 0;
  RunResult::Elastic elastic_;
  bool has_elastic_ = false;  ///< the workload can submit elastic jobs: the result reports them
  SampleSet ettr_, ettr_large_, jct_large_;
  std::vector<UnschedulableJob> unschedulable_;
  std::map<std::string, std::uint64_t> unschedulable_by_kind_;
};

}  // namespace gigasim
