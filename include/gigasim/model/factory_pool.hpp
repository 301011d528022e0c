#pragma once
// A factory at run time: a pool of identical nodes, allocated whole to gang-scheduled jobs.
// Only counts are kept -- which node a job holds does not matter until node identity does
// (failures, topology); "does it fit" is then O(1).
#include <cstdint>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

class FactoryPool {
 public:
  explicit FactoryPool(const FactorySpec& spec) : spec_(&spec) {}

  const FactorySpec& spec() const { return *spec_; }
  bool online() const { return online_; }
  std::uint32_t installed_nodes() const { return online_ ? spec_->nodes() : 0; }
  std::uint32_t free_nodes() const { return free_nodes_; }
  std::uint32_t busy_nodes() const { return installed_nodes() - free_nodes_; }
  /// Nodes a job of `chips` chips occupies here: nodes are never shared between jobs.
  std::uint32_t nodes_for(std::uint32_t chips) const {
    return (chips + spec_->node_size - 1) / spec_->node_size;
  }
  /// True if the job could run here once the factory is online and empty.
  bool could_ever_fit(std::uint32_t chips) const { return chips <= spec_->chips; }

  void bring_online() {
    if (!online_) {
      online_ = true;
      free_nodes_ = spec_->nodes();
    }
  }
  void allocate(std::uint32_t nodes) { free_nodes_ -= nodes; }
  void release(std::uint32_t nodes) { free_nodes_ += nodes; }

 private:
  const FactorySpec* spec_;
  bool online_ = false;
  std::uint32_t free_nodes_ = 0;
};

}  // namespace gigasim
