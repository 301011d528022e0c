#pragma once
// The queue-based batch scheduler: a queue order, a backfilling mode and a placement (the
// policies are described in gigasim/policy/queue_scheduler.hpp).
// The public face is gigasim/policy/queue_scheduler.hpp (make_queue_scheduler); this class is
// private to the library because its indexes use libstdc++'s policy-based trees.
#include <functional>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/fair_share.hpp"
#include "gigasim/policy/queue_order.hpp"
#include "gigasim/policy/queue_scheduler.hpp"
#include "gigasim/policy/scheduler.hpp"
#include "policy/wait_queue.hpp"

namespace gigasim {

class QueueScheduler final : public Scheduler {
 public:
  using Order = QueueOrder;
  using Backfill = QueueSchedulerOptions::Backfill;

  QueueScheduler(Order order, Backfill backfill, std::unique_ptr<Placement> placement,
                 const std::vector<TenantSpec>& tenants, Duration fair_share_half_life, bool preemption = false,
                 bool enforce_allocations = false);

  void enqueue(std::uint32_t slot, const ClusterView& view) override;
  void schedule(ClusterView& view) override;
  void pass_settled(const ClusterView& view) override {
    if (fair_share_) fair_share_->record_holdings(view);
  }
  std::size_t queue_length() const override { return queue_.size() + arrived_.size(); }
  bool needs_release_index() const override { return backfill_ == Backfill::Easy; }
  bool preempts() const override { return preemption_; }
  QueueScheduler(const QueueScheduler& other);
  std::unique_ptr<Scheduler> clone() const override { return std::make_unique<QueueScheduler>(*this); }

  /// Called with each EASY reservation as it is made (the blocked head's id, the factory and
  /// the shadow time), and when a head starts at once (shadow = now): lets tests check the
  /// guarantee. Observes only.
  using ReservationProbe = QueueSchedulerOptions::ReservationProbe;
  void set_reservation_probe(ReservationProbe probe) { probe_ = std::move(probe); }
  /// Every pass a full one (QueueSchedulerOptions::resume_blocked_passes).
  void never_resume() { resumable_ = false, blocked_.valid = false; }

 private:
  struct Pick {
    std::size_t bucket;
    std::uint32_t slot;
  };
  struct Reservation {
    std::uint32_t factory;
    SimTime shadow;
    std::int64_t extra_nodes;  ///< nodes free at the shadow time beyond what the head needs
  };

  /// The last shadow query on one factory's release index: the index changes less often than
  /// passes happen (an arrival that cannot start changes nothing), and a query is two tree descents.
  struct ShadowMemo {
    std::uint64_t version = ~std::uint64_t{0};
    std::int64_t nodes = 0;
    std::optional<std::pair<SimTime, std::int64_t>> answer;
  };

  /// A bucket's first job in global queue order: (tenant rank, static key, arrival id, bucket).
  using Front = std::tuple<std::uint32_t, std::int64_t, std::uint64_t, std::size_t>;

  std::int64_t static_key(const ActiveJob& j) const { return key_.static_key(j); }
  void push(const ActiveJob& j, std::uint32_t slot, std::int64_t key);
  void erase(const ActiveJob& j, std::int64_t key);
  std::optional<Front> front_of(std::size_t bucket) const;
  void rebuild_fronts();
  void start_or_index_arrivals(ClusterView& view);
  bool before(const WaitQueue::Bucket& a, const WaitQueue::Key& ka, const WaitQueue::Bucket& b,
              const WaitQueue::Key& kb) const;
  std::optional<Pick> head(const ClusterView& view) const;
  bool quota_allows(const ClusterView& view, std::uint16_t tenant, std::uint16_t access, std::uint32_t chips) const;
  std::optional<Reservation> reserve(const ActiveJob& head, const ClusterView& view) const;
  std::optional<Pick> backfill_candidate(const ClusterView& view, const Reservation* r, std::size_t head_bucket,
                                         const std::vector<std::size_t>* only) const;
  void backfill(ClusterView& view, const Pick& head, std::optional<Reservation>& res,
                const std::vector<std::size_t>* only);
  void remember_blocked(const ClusterView& view, const Pick& head, const std::optional<Reservation>& res);
  bool cluster_unchanged(const ClusterView& view) const;
  bool resume_blocked_pass(ClusterView& view);
  void start(ClusterView& view, const Pick& p, std::uint32_t factory);
  bool preempt_for(ClusterView& view, const Pick& head);

  QueueOrderKey key_;
  Backfill backfill_;
  bool preemption_;
  std::unique_ptr<Placement> placement_;
  bool has_quotas_ = false;
  bool resumable_ = false;  ///< blocked passes may resume (see resume_blocked_pass)
  WaitQueue queue_;
  // Jobs submitted since the last pass, not yet indexed: most jobs start on arrival, and this
  // spares them the index insert and erase (see schedule()).
  std::vector<std::uint32_t> arrived_;
  std::set<Front> fronts_;  ///< the front of every non-empty bucket: the head is fronts_.begin()
  mutable std::vector<ShadowMemo> shadow_memo_;  ///< per factory (EASY)

  /// The end of the last pass, when its head was blocked and nothing more could be backfilled.
  struct BlockedPass {
    bool valid = false;
    std::uint32_t head_slot = 0;
    std::optional<Reservation> res;           ///< the head's reservation, as backfilling left it
    std::vector<std::uint32_t> free_nodes;    ///< per factory
    std::vector<std::uint64_t> versions;      ///< per factory: release index versions (EASY)
  } blocked_;
  std::vector<std::size_t> touched_;  ///< buckets that received jobs since (while blocked_ is valid)
  /// The last backfill search refused a bucket's offer as too long on the reserved factory.
  mutable bool window_rejected_ = false;

  ReservationProbe probe_;
  std::optional<FairShareLedger> fair_share_;  ///< fair-share order only
  std::vector<std::uint32_t> tenant_rank_;     ///< the ledger's ranks; all 0 for other orders
};

}  // namespace gigasim
