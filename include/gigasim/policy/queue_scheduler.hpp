#pragma once
// The queue-based batch scheduler: a queue order, a backfilling mode and a placement.
//
// Queue orders: policy/queue_order.hpp.
// Backfilling (what happens when the head does not fit anywhere):
//   none        nothing else starts: the head blocks the queue ("strict" order)
//   greedy      any later job that fits now starts, in queue order; no reservation, so large jobs
//               can starve
//   easy        the head gets a reservation on the factory where it can start earliest (shadow
//               time, from running jobs' expected ends); a later job starts now only if it fits
//               and cannot delay that reservation: it runs on another factory, or ends by the
//               shadow time (by its estimate on the reserved factory), or uses only nodes the
//               head will not need.
// Preemption (optional): a blocked head may stop running jobs of preemptible tenants of strictly
// lower priority, which keep their last checkpoint and requeue.
// Quotas: a job whose tenant would exceed its `quota` is not eligible: it is skipped, is never
// the head, and blocks nobody.
// A pass costs O(buckets x factories + starts x buckets x log n), independent of queue length
// (its indexes: sim/policy/wait_queue.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/queue_order.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

struct QueueSchedulerOptions {
  enum class Backfill { None, Greedy, Easy };
  QueueOrder order = QueueOrder::Fifo;
  Backfill backfill = Backfill::None;
  std::string placement = "first-fit";  ///< a name of policy/registry.hpp
  Duration fair_share_half_life = Duration::days(7);
  bool preemption = false;
  bool enforce_allocations = false;     ///< an exhausted allocation makes a tenant's jobs ineligible
  /// Called with each EASY reservation as it is made (the blocked head's id, the factory and
  /// the shadow time), and when a head starts at once (shadow = now): lets tests check the
  /// guarantee. Observes only.
  using ReservationProbe = std::function<void(std::uint64_t job_id, std::uint32_t factory, SimTime shadow)>;
  ReservationProbe reservation_probe;
  /// A pass after which only jobs arrived resumes the last blocked pass instead of redoing it
  /// (same decisions, far fewer bucket scans; sim/policy/queue_scheduler.cpp). false: always a
  /// full pass -- for differential tests only, results never depend on it.
  bool resume_blocked_passes = true;
};

/// The general queue scheduler (also for fifo + none, where the registry's make_scheduler uses
/// a faster strict-FIFO one with identical schedules). Throws InputError for an unknown placement.
std::unique_ptr<Scheduler> make_queue_scheduler(const QueueSchedulerOptions& options,
                                                const std::vector<TenantSpec>& tenants);

}  // namespace gigasim
