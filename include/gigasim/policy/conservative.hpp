#pragma once
// Conservative backfilling (Mu'alem & Feitelson, 2001): every waiting job holds a reservation,
// the earliest (factory, start) at which it fits for its estimated run time without moving any
// reservation made before it. A job starts when its reservation comes due.
//
// Reservations live in one availability profile per factory (free nodes over future time). When
// reality leaves the plan -- a job ends early or late, a failure, a repair, capacity coming or
// going, a requeued job -- the profiles are rebuilt from the running jobs and every waiting job
// is re-reserved in queue order (compression: jobs move up into the freed space; on lost
// capacity they may move later). Queue orders: fifo (submission), sjf (shortest estimate),
// priority (tenant priority, then submission), fair-share (tenant furthest below its entitled
// share, then submission). Two meanings of a reservation (PolicySpec::conservative_mode):
//   guarantee  a new job is reserved behind every existing reservation, so no job is ever
//              delayed by jobs submitted after it (the classic start-time guarantee); the queue
//              order only decides the order of compression.
//   replan     the plan is always the one obtained by reserving every waiting job in the current
//              queue order: a new job that comes before waiting jobs in that order, or a change
//              in the fair-share ranking, recomputes every reservation. A job is protected only
//              from jobs behind it (as production schedulers that replan by priority do).
// With fifo order the two are the same schedule. A new job that sorts behind every waiting job
// costs one profile search per allowed factory; a recomputation costs one per waiting job.
// A job held back by its tenant's quota (judged on what the tenant holds now and its
// reservations due now) or exhausted allocation gets no reservation until that tenant holds
// fewer chips or capacity changes; it blocks nobody meanwhile.
//
// Preemption (optional): when the first job in queue order cannot start now on free nodes of any
// factory it may use, it may stop running jobs of preemptible tenants of strictly lower priority
// (as with the other backfills); it starts at once and every reservation is recomputed.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/availability_profile.hpp"
#include "gigasim/policy/fair_share.hpp"
#include "gigasim/policy/queue_order.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

class ConservativeScheduler final : public Scheduler {
 public:
  using Order = QueueOrder;
  ConservativeScheduler(Order order, const std::vector<TenantSpec>& tenants, Duration fair_share_half_life = {},
                        bool preemption = false, bool replan = false);

  void enqueue(std::uint32_t slot, const ClusterView& view) override;
  void schedule(ClusterView& view) override;
  void pass_settled(const ClusterView& view) override {
    if (fair_share_) fair_share_->record_holdings(view);
  }
  std::size_t queue_length() const override { return queue_.size(); }
  bool needs_release_index() const override { return true; }
  bool preempts() const override { return preemption_; }
  std::unique_ptr<Scheduler> clone() const override { return std::make_unique<ConservativeScheduler>(*this); }

  /// Full rebuilds so far (for tests and the benchmark's curiosity).
  std::uint64_t rebuilds() const { return rebuilds_; }

 private:
  using QueueKey = std::tuple<std::int64_t, std::uint64_t, std::uint32_t>;  // (order key, id, slot)
  struct Reservation {
    SimTime start;
    std::uint32_t factory = 0;
  };

  std::int64_t order_key(const ActiveJob& j) const;
  void tally_due_now(const ClusterView& view);
  bool profiles_match(const ClusterView& view) const;
  bool any_overdue(const ClusterView& view) const;
  void rebuild(const ClusterView& view);
  void reserve(std::uint32_t slot, const ClusterView& view);
  void unreserve(std::uint32_t slot);
  void rekey_queue(const ClusterView& view);
  bool arrivals_jump_queue() const;
  void start_due(ClusterView& view);
  bool preempt_for_head(ClusterView& view);
  void retry_held(const ClusterView& view);
  void note_limits(const ClusterView& view);
  static std::int64_t installed_chips(const ClusterView& view);

  QueueOrderKey key_;
  bool preemption_;
  bool replan_;
  std::optional<FairShareLedger> fair_share_;  // fair-share order only
  bool has_limits_ = false;  // quotas or enforced allocations: a reservation may not be startable
  std::set<QueueKey> queue_;
  std::vector<QueueKey> key_of_;                     // by slot, while waiting
  std::vector<std::optional<Reservation>> res_;      // by slot
  std::set<std::tuple<SimTime, std::int64_t, std::uint64_t, std::uint32_t>> due_;  // by start, then queue order
  std::vector<std::uint32_t> arrived_;               // waiting for their first reservation
  std::vector<std::uint32_t> held_;                  // no reservation: their tenant's quota or allocation
  std::vector<std::uint32_t> held_of_tenant_;        // how many of held_ per tenant
  std::vector<std::int64_t> held_chips_at_last_pass_;  // per tenant (only with limits)
  std::int64_t installed_at_last_pass_ = 0;            // chips (only with limits)
  std::vector<AvailabilityProfile> profiles_;
  std::vector<std::int64_t> due_nodes_;      // per factory: nodes of reservations due now (tally_due_now)
  std::vector<std::int64_t> due_now_chips_;  // per tenant: chips of reservations due now
  bool dirty_ = true;
  std::uint64_t rebuilds_ = 0;
};

}  // namespace gigasim
