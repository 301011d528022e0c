#pragma once
// Conservative backfilling (Mu'alem & Feitelson, 2001): every waiting job holds a reservation,
// the earliest (factory, start) at which it fits for its estimated run time without moving any
// reservation made before it. A job arriving later can therefore never delay an earlier one
// (EASY protects only the queue head). A job starts when its reservation comes due.
//
// Reservations live in one availability profile per factory (free nodes over future time). A
// new job costs one profile search per allowed factory; nothing else moves while reality follows
// the profile (jobs ending at their estimates). When it does not -- a job ends early or late, a
// failure, a repair, capacity coming or going, a requeued job -- the profiles are rebuilt from the
// running jobs and every waiting job is re-reserved in queue order (compression: jobs move up
// into the freed space; on lost capacity they may move later). Queue order: fifo (submission),
// sjf (shortest estimate) or priority (tenant priority, then submission). A job held back by its
// tenant's quota or exhausted allocation gets no reservation until a later pass.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/availability_profile.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

class ConservativeScheduler final : public Scheduler {
 public:
  enum class Order { Fifo, Sjf, Priority };
  ConservativeScheduler(Order order, const std::vector<TenantSpec>& tenants);

  void enqueue(std::uint32_t slot, const ClusterView& view) override;
  void schedule(ClusterView& view) override;
  std::size_t queue_length() const override { return queue_.size(); }
  bool needs_release_index() const override { return true; }

  /// Full rebuilds so far (for tests and the benchmark's curiosity).
  std::uint64_t rebuilds() const { return rebuilds_; }

 private:
  using QueueKey = std::tuple<std::int64_t, std::uint64_t, std::uint32_t>;  // (order key, id, slot)
  struct Reservation {
    SimTime start;
    std::uint32_t factory = 0;
  };

  std::int64_t order_key(const ActiveJob& j) const;
  bool profiles_match(const ClusterView& view) const;
  void rebuild(const ClusterView& view);
  void reserve(std::uint32_t slot, const ClusterView& view);
  void unreserve(std::uint32_t slot);

  Order order_;
  std::vector<int> tenant_priority_;
  bool has_limits_ = false;  // quotas or enforced allocations: a reservation may not be startable
  std::set<QueueKey> queue_;
  std::vector<QueueKey> key_of_;                     // by slot, while waiting
  std::vector<std::optional<Reservation>> res_;      // by slot
  std::set<std::tuple<SimTime, std::int64_t, std::uint64_t, std::uint32_t>> due_;  // by start, then queue order
  std::vector<std::uint32_t> arrived_;               // waiting for their first reservation
  std::vector<AvailabilityProfile> profiles_;
  mutable std::vector<std::int64_t> due_nodes_;     // scratch of profiles_match, per factory
  bool dirty_ = true;
  std::uint64_t rebuilds_ = 0;
};

}  // namespace gigasim
