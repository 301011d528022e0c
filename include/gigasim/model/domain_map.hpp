#pragma once
// The scale-up domains of a factory with a topology (NVL72 racks, TPU pods, ...): nodes grouped
// into domains of equal size, with each domain's free, busy and failed nodes and the jobs that
// hold nodes in it. FactoryPool keeps the factory-wide counts the schedulers read; the engine
// updates both together.
//
// Allocation keeps a job in as few domains as possible: the domain with the fewest free nodes
// that still holds the whole remainder (best fit), otherwise the domain with the most free nodes,
// repeatedly. Taking the largest first gives the fewest domains; best fit for the last piece
// keeps large holes for large jobs.
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace gigasim {

class DomainMap {
 public:
  struct Share {
    std::uint32_t domain = 0;
    std::uint32_t nodes = 0;
  };

  /// `spares_per_domain` nodes of each domain are hot spares: never allocated, they replace a
  /// failed node of a job in their domain.
  DomainMap(std::uint32_t domains, std::uint32_t nodes_per_domain, std::uint32_t spares_per_domain = 0);

  std::uint32_t domains() const { return static_cast<std::uint32_t>(free_.size()); }
  std::uint32_t nodes_per_domain() const { return per_domain_; }
  std::uint32_t spares_per_domain() const { return spares_; }
  /// Fewest domains a job of `nodes` nodes could span on an idle factory (spares not counted).
  std::uint32_t min_domains(std::uint32_t nodes) const {
    const std::uint32_t usable = per_domain_ - spares_;
    return (nodes + usable - 1) / usable;
  }

  /// A growth phase: `count` more domains, all their nodes free but for their spares.
  void add_domains(std::uint32_t count);

  /// Takes `nodes` free nodes (the caller checked there are that many) for job `slot`.
  std::vector<Share> allocate(std::uint32_t slot, std::uint32_t nodes);
  /// Gives back a job's nodes (all of its shares).
  void release(std::uint32_t slot, const std::vector<Share>& shares);

  // Failures. A node that fails is down until repaired; a domain that fails takes all its up
  // nodes down until the domain is repaired (nodes already down stay down on their own repair,
  // and a node repaired while its domain is down waits for the domain).
  enum class NodeState { Free, Busy, Down, Maintenance, Spare };
  /// The state of the r-th node of domain d (order: busy, down, maintenance, spare, free) and,
  /// if busy, the slot of the job holding it.
  std::pair<NodeState, std::uint32_t> node(std::uint32_t d, std::uint32_t r) const;
  /// Jobs holding nodes in d, with how many: (slot, nodes).
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& jobs_in(std::uint32_t d) const { return jobs_[d]; }
  void fail_free_node(std::uint32_t d);
  void fail_spare_node(std::uint32_t d);
  /// A busy node of d failed: if d has a spare, the spare takes its place (the job keeps its
  /// nodes; true) and the failed node is down; otherwise nothing changes (false).
  bool replace_with_spare(std::uint32_t d);
  /// One busy node of d held by `slot` fails; the job gives back its other nodes (the caller
  /// passes its shares).
  void fail_busy_node(std::uint32_t d, std::uint32_t slot, const std::vector<Share>& shares);
  /// A node of d is repaired: it refills d's spares first (true), else is free (false). While
  /// the domain is down it waits for the domain (false).
  bool repair_node(std::uint32_t d);
  bool domain_failed(std::uint32_t d) const { return failed_[d]; }
  /// Nodes by what they were (went down) or become (came back).
  struct FreeAndSpare {
    std::uint32_t free = 0, spare = 0;
  };
  /// Domain d fails: its free and spare nodes go down now; the caller interrupts its jobs with
  /// fail_job_in_domain (their nodes in d go down, the others are released).
  FreeAndSpare fail_domain(std::uint32_t d);
  void fail_job_in_domain(std::uint32_t d, std::uint32_t slot, const std::vector<Share>& shares);
  /// The nodes that came back: spares refilled first, the rest free.
  FreeAndSpare repair_domain(std::uint32_t d);

  // Planned maintenance (FactoryPool decides how many nodes are in maintenance; the map where).
  /// Takes `nodes` free nodes into maintenance, from the domains with the fewest free nodes
  /// first (the large holes stay for large jobs).
  void begin_maintenance(std::uint32_t nodes);
  /// Every node in maintenance comes back: free, or down with its domain if that domain failed
  /// meanwhile. Returns how many came back down.
  std::uint32_t end_maintenance();
  std::uint32_t maintenance_nodes() const { return maint_total_; }
  /// Free nodes over all domains (FactoryPool::idle_nodes() must agree).
  std::uint32_t free_nodes() const { return free_total_; }

  std::uint32_t free_in(std::uint32_t d) const { return free_[d]; }
  std::uint32_t maintenance_in(std::uint32_t d) const { return maint_[d]; }
  std::uint32_t busy_in(std::uint32_t d) const { return busy_[d]; }
  std::uint32_t spare_in(std::uint32_t d) const { return spare_[d]; }
  std::uint32_t down_in(std::uint32_t d) const { return node_down_[d] + domain_down_[d]; }

 private:
  void set_free(std::uint32_t d, std::uint32_t free);
  void drop_job(std::uint32_t d, std::uint32_t slot);

  std::uint32_t per_domain_, spares_;
  std::vector<std::uint32_t> free_, busy_, spare_, node_down_, domain_down_, maint_;
  std::uint32_t free_total_ = 0, maint_total_ = 0;
  std::vector<bool> failed_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> by_free_;  // (free nodes, domain)
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> jobs_;
};

}  // namespace gigasim
