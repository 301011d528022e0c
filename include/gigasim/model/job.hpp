#pragma once
// Jobs inside the engine: a slab of the jobs currently queued or running, indexed by slot.
// Finished jobs leave the slab (their record is streamed out), so memory follows the number of
// active jobs, not the length of the run.
#include <cstdint>
#include <vector>

#include "gigasim/core/time.hpp"
#include "gigasim/model/compute.hpp"

namespace gigasim {

enum class JobState : std::uint8_t { Queued, Running };

inline constexpr std::uint16_t kNoFactory = 0xffff;

struct ActiveJob {
  std::uint64_t id = 0;      ///< arrival ordinal over the whole run (0, 1, 2, ...)
  SimTime submit;
  SimTime first_start;       ///< valid once it has started
  SimTime start;             ///< start of the current attempt; valid while Running
  Duration useful_time;      ///< work kept so far, in time on the factories it ran on (ETTR's numerator)
  Duration work;             ///< useful work left
  Duration nominal_run;      ///< failure-free wall time of its first attempt (slowdown's "run")
  Duration run;              ///< wall time of the current / next attempt (work + overheads)
  Duration estimate;         ///< what the scheduler believes `run` is (see PolicySpec::estimate)
  float estimate_factor = 1; ///< estimate / run, drawn once per job
  std::uint32_t attempt = 0; ///< unique id of the current attempt; stale completion events differ
  std::uint32_t interruptions = 0;
  std::uint32_t attempts = 0;  ///< attempts begun so far (first start, restarts after failures or preemptions)
  float mfu = 0;             ///< work jobs
  Duration checkpoint_interval;  ///< of the current attempt; Duration::max() = no checkpoints
  double flops_left = 0;     ///< work jobs: FLOPs not yet saved by a checkpoint or completion
  double flops = 0;          ///< work jobs: the whole job's FLOPs (0 for jobs given as durations)
  std::uint32_t chips = 0;   ///< chips it uses (an elastic job: its current size; its minimum while queued)
  std::uint32_t nodes = 0;   ///< nodes held while running
  /// Elastic jobs (docs/semantics.md, "Elastic jobs"): max_chips > 0, and they run on between
  /// min_chips and max_chips chips, in whole nodes.
  std::uint32_t min_chips = 0, max_chips = 0;
  /// Nodes above its minimum lent to a scheduling pass (0 outside one); during the pass `nodes`
  /// is what it still holds, its minimum.
  std::uint32_t lent = 0;
  std::uint32_t source = 0;  ///< workload source index
  std::uint32_t row = 0;     ///< the source's index of the job (for its label)
  std::uint16_t tenant = 0;
  std::uint16_t factory = kNoFactory;
  std::uint16_t checkpoint_spec = 0;  ///< index of its CheckpointSpec (per workload source)
  std::uint16_t job_class = 0;  ///< its generator's class index (0 for lists and traces)
  /// Which factories it may run on: its tenant's sites, narrowed by its memory need. Profiles
  /// 0..tenants-1 are the tenants' own; others are made as jobs with memory needs arrive.
  std::uint16_t access = 0;
  float span_factor = 1;     ///< run-time factor of the current attempt for spanning extra domains
  JobState state = JobState::Queued;
  bool restarting = false;   ///< it ran before (failure or preemption): the next attempt pays the restart overhead
  bool resized = false;      ///< its current attempt began with a resize: it pays the resize cost instead
  bool elastic() const { return max_chips != 0; }
  Precision precision = Precision::BF16;
  bool by_work = false;      ///< its length is FLOPs (converted per factory), not a duration
};

/// Flat storage with slot reuse; slots are stable while a job is active.
class JobTable {
 public:
  std::uint32_t add(const ActiveJob& job) {
    if (!free_.empty()) {
      const std::uint32_t slot = free_.back();
      free_.pop_back();
      jobs_[slot] = job;
      live_[slot] = 1;
      return slot;
    }
    jobs_.push_back(job);
    live_.push_back(1);
    return static_cast<std::uint32_t>(jobs_.size() - 1);
  }
  void remove(std::uint32_t slot) {
    live_[slot] = 0;
    free_.push_back(slot);
  }
  ActiveJob& operator[](std::uint32_t slot) { return jobs_[slot]; }
  const ActiveJob& operator[](std::uint32_t slot) const { return jobs_[slot]; }
  std::size_t capacity() const { return jobs_.size(); }
  bool live(std::uint32_t slot) const { return live_[slot] != 0; }
  std::size_t active() const { return jobs_.size() - free_.size(); }

 private:
  std::vector<ActiveJob> jobs_;
  std::vector<std::uint8_t> live_;
  std::vector<std::uint32_t> free_;
};

}  // namespace gigasim
