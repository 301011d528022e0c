#pragma once
// A factory at run time: a pool of identical nodes, allocated whole to gang-scheduled jobs.
// Only counts are kept -- which node a job holds does not matter, since nodes are
// interchangeable: a failure picks a node uniformly, which hits a busy node with probability
// busy / installed and then the job holding the k-th busy node. "Does it fit" is O(1).
//
// Every installed node is in exactly one state:
//   free + busy + down (failed) + spare + maintenance = installed.
#include <algorithm>
#include <cstdint>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

class FactoryPool {
 public:
  explicit FactoryPool(const FactorySpec& spec) : spec_(&spec) {}

  const FactorySpec& spec() const { return *spec_; }
  bool online() const { return online_; }
  std::uint32_t installed_nodes() const { return online_ ? spec_->nodes() : 0; }
  std::uint32_t free_nodes() const { return free_; }
  std::uint32_t busy_nodes() const { return busy_; }
  std::uint32_t down_nodes() const { return down_; }
  std::uint32_t spare_nodes() const { return spare_; }
  std::uint32_t maintenance_nodes() const { return maint_; }
  /// Nodes a job of `chips` chips occupies here: nodes are never shared between jobs.
  std::uint32_t nodes_for(std::uint32_t chips) const {
    return (chips + spec_->node_size - 1) / spec_->node_size;
  }
  /// True if the job could run here once the factory is online and all non-spare nodes are free.
  bool could_ever_fit(std::uint32_t chips) const { return chips <= spec_->usable_chips(); }

  void bring_online() {
    if (online_) return;
    online_ = true;
    spare_ = spec_->spares;
    free_ = spec_->nodes() - spare_;
  }
  void allocate(std::uint32_t nodes) { free_ -= nodes, busy_ += nodes; }
  void release(std::uint32_t nodes) {
    busy_ -= nodes, free_ += nodes;
    drain();
  }

  /// Opens a maintenance window for `nodes` nodes: free ones leave now, the rest when released.
  void begin_maintenance(std::uint32_t nodes) {
    maint_wanted_ = nodes;
    drain();
  }
  void end_maintenance() {
    free_ += maint_;
    maint_ = 0;
    maint_wanted_ = 0;
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
  void fail_free_node() { --free_, ++down_; }
  void fail_spare_node() { --spare_, ++down_; }
  /// A node is repaired: it refills the spare pool first, then becomes free.
  void repair_node() {
    --down_;
    if (spare_ < spec_->spares) ++spare_;
    else ++free_;
    drain();
  }

 private:
  // Moves free nodes into an open maintenance window until it has all it wants.
  void drain() {
    const std::uint32_t take = std::min(free_, maint_wanted_);
    free_ -= take, maint_ += take, maint_wanted_ -= take;
  }

  const FactorySpec* spec_;
  bool online_ = false;
  std::uint32_t free_ = 0, busy_ = 0, down_ = 0, spare_ = 0, maint_ = 0;
  std::uint32_t maint_wanted_ = 0;  ///< nodes the open window still waits for
};

}  // namespace gigasim
