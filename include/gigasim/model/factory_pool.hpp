#pragma once
// A factory at run time: a pool of identical nodes, allocated whole to gang-scheduled jobs.
// Only counts are kept -- which node a job holds does not matter, since nodes are
// interchangeable: a failure picks a node uniformly, which hits a busy node with probability
// busy / installed and then the job holding the k-th busy node. "Does it fit" is O(1).
//
// Every installed node is in exactly one state:
//   free + busy + down (failed) + spare + maintenance = installed.
// Busy nodes are held by jobs or by inference services (`serving`, a part of busy): both draw
// full power and count against the power cap.
//
// Capacity changes over time (phases, retirement). Added nodes are free at once; removed nodes
// are drained like maintenance: free ones leave at once, then spares, busy ones when their job
// ends and failed ones when repaired -- running jobs are never killed by a retirement.
// A facility power cap bounds the busy nodes: `free_nodes()` is what a job may be given now.
#include <algorithm>
#include <cstdint>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

class FactoryPool {
 public:
  explicit FactoryPool(const FactorySpec& spec) : spec_(&spec), most_usable_chips_(spec.usable_chips()) {}

  const FactorySpec& spec() const { return *spec_; }
  bool online() const { return online_; }
  std::uint32_t installed_nodes() const { return installed_; }
  /// Free nodes a job may be given now: healthy and unused, within the power cap.
  std::uint32_t free_nodes() const {
    return cap_busy_ == kNoCap ? free_ : std::min(free_, cap_busy_ > busy_ ? cap_busy_ - busy_ : 0);
  }
  /// Healthy, unused nodes whether or not the power cap lets them run (they draw idle power).
  std::uint32_t idle_nodes() const { return free_; }
  /// Nodes that still have to leave for the capacity removals so far.
  std::uint32_t retiring_nodes() const { return retire_wanted_; }
  /// Nodes that removals and an open maintenance window still wait for (they take nodes as
  /// they are given back).
  std::uint32_t draining_nodes() const { return retire_wanted_ + maint_wanted_; }
  /// Nodes held by jobs and by inference services.
  std::uint32_t busy_nodes() const { return busy_; }
  /// The part of busy_nodes() held by inference services.
  std::uint32_t serving_nodes() const { return serving_; }
  /// The part of busy_nodes() held by jobs.
  std::uint32_t job_nodes() const { return busy_ - serving_; }
  std::uint32_t down_nodes() const { return down_; }
  std::uint32_t spare_nodes() const { return spare_; }
  std::uint32_t maintenance_nodes() const { return maint_; }
  /// What free_nodes() would be once `released` busy nodes are given back (by jobs ending or
  /// being preempted): released nodes first leave for pending removals and maintenance, and
  /// the power cap follows the installed count and the busy ones.
  std::uint32_t free_after_release(std::uint32_t released) const {
    const std::uint32_t busy = busy_ - std::min(released, busy_);
    const Drain d = drain_of(free_ + released);
    const std::uint32_t free = free_ + released - d.gone - d.taken;
    const std::uint32_t cap = d.gone > 0 ? spec_->power_cap_nodes(installed_ - d.gone) : cap_busy_;
    return cap == kNoCap ? free : std::min(free, cap > busy ? cap - busy : 0);
  }
  /// Nodes a job of `chips` chips occupies here: nodes are never shared between jobs.
  std::uint32_t nodes_for(std::uint32_t chips) const {
    return (chips + spec_->node_size - 1) / spec_->node_size;
  }
  /// True if the job could run here once the factory is online and all non-spare nodes are free.
  bool could_ever_fit(std::uint32_t chips) const { return chips <= most_usable_chips_; }

  void bring_online() {
    if (online_) return;
    online_ = true;
    installed_ = spec_->nodes();
    spare_ = spec_->spare_nodes(spec_->nodes());
    free_ = spec_->nodes() - spare_;
    update_cap();
  }
  /// A growth phase: `nodes` more nodes, free at once but for `spares` of them (the spares of
  /// new scale-up domains).
  void add_nodes(std::uint32_t nodes, std::uint32_t spares = 0) {
    installed_ += nodes;
    spare_ += spares;
    free_ += nodes - spares;
    drain();
    update_cap();
  }
  /// A removal (negative phase or retirement): `nodes` nodes leave as they become free.
  void remove_nodes(std::uint32_t nodes) {
    retire_wanted_ += std::min(nodes, installed_ - retire_wanted_);
    drain();
    // Spares are never scheduled: they can leave at once too.
    const std::uint32_t spares = std::min(spare_, retire_wanted_);
    spare_ -= spares, retire_wanted_ -= spares, installed_ -= spares;
    update_cap();
  }
  void allocate(std::uint32_t nodes) { free_ -= nodes, busy_ += nodes; }
  void release(std::uint32_t nodes) {
    busy_ -= nodes, free_ += nodes;
    drain();
  }
  /// An inference service takes free nodes, or gives some back.
  void serve(std::uint32_t nodes) { allocate(nodes), serving_ += nodes; }
  void unserve(std::uint32_t nodes) { serving_ -= nodes, release(nodes); }

  /// Opens a maintenance window for `nodes` nodes: free ones leave now, the rest when released.
  void begin_maintenance(std::uint32_t nodes) {
    maint_wanted_ = nodes;
    drain();
  }
  void end_maintenance() {
    free_ += maint_;
    maint_ = 0;
    maint_wanted_ = 0;
    drain();
  }

  /// A busy node failed: take a hot spare in its place if there is one (true), else the node
  /// just goes down (false) and its job must release the rest of its nodes.
  bool fail_busy_node() {
    ++down_;
    if (spare_ > 0) {
      --spare_;
      return true;
    }
    --busy_;
    return false;
  }
  /// A node of an inference service failed: a hot spare takes its place (true), or the service
  /// holds one node fewer (false).
  bool fail_serving_node() {
    if (fail_busy_node()) return true;
    --serving_;
    return false;
  }
  void fail_free_node() { --free_, ++down_; }
  // Factories with scale-up domains, whose domain map says which nodes (spares are per domain
  // there, so the map, not this pool, decides whether a repaired node refills a spare).
  void fail_free_nodes(std::uint32_t n) { free_ -= n, down_ += n; }
  void fail_busy_nodes(std::uint32_t n) { busy_ -= n, down_ += n; }
  void fail_spare_nodes(std::uint32_t n) { spare_ -= n, down_ += n; }
  void repair_nodes(std::uint32_t to_free, std::uint32_t to_spare = 0) {
    down_ -= to_free + to_spare, free_ += to_free, spare_ += to_spare;
    drain();
  }
  void fail_spare_node() { --spare_, ++down_; }
  /// A node is repaired: it refills the spare pool first, then becomes free.
  void repair_node() {
    --down_;
    if (spare_ < spec_->spares && retire_wanted_ == 0) ++spare_;
    else ++free_;
    drain();
  }

 private:
  // Free nodes leave for pending removals first, then go into an open maintenance window.
  struct Drain {
    std::uint32_t gone, taken;  ///< nodes that leave, nodes that go into maintenance
  };
  Drain drain_of(std::uint32_t free) const {
    const std::uint32_t gone = std::min(free, retire_wanted_);
    return {gone, std::min(free - gone, maint_wanted_)};
  }
  void drain() {
    const Drain d = drain_of(free_);
    free_ -= d.gone + d.taken, retire_wanted_ -= d.gone;
    maint_ += d.taken, maint_wanted_ -= d.taken;
    if (d.gone > 0) {
      installed_ -= d.gone;
      update_cap();
    }
  }
  void update_cap() { cap_busy_ = spec_->power_cap_nodes(installed_); }

  const FactorySpec* spec_;
  bool online_ = false;
  std::uint32_t installed_ = 0;
  std::uint32_t free_ = 0, busy_ = 0, down_ = 0, spare_ = 0, maint_ = 0;
  std::uint32_t serving_ = 0;       ///< of busy_: held by inference services
  std::uint32_t maint_wanted_ = 0;  ///< nodes the open window still waits for
  std::uint32_t retire_wanted_ = 0; ///< nodes removed by capacity changes that have not left yet
  static constexpr std::uint32_t kNoCap = 0xffffffffu;
  std::uint32_t most_usable_chips_;       ///< over all capacity phases (spares, power cap)
  std::uint32_t cap_busy_ = kNoCap;       ///< most nodes that may be busy under the power cap
};

}  // namespace gigasim
