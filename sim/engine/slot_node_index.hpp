#pragma once
// The nodes each running job of one factory holds, by job slot, with prefix sums: "which job
// holds the k-th busy node?" -- the victim of a node failure -- is one O(log n) descent of a
// Fenwick tree (Fenwick 1994), and a start or an end is one O(log n) update of an array. Nodes
// are counted in slot order, so the k-th node is the same as in any index ordered by slot.
// (An ordered tree did the same with an allocation and rebalancing per start and end.)
#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace gigasim::detail {

class SlotNodeIndex {
 public:
  /// Job `slot` (not yet in the index) holds `nodes` nodes.
  void add(std::uint32_t slot, std::uint32_t nodes) {
    if (slot >= nodes_.size()) grow(slot + 1);
    nodes_[slot] = nodes;
    update(slot, static_cast<std::int64_t>(nodes));
  }
  /// Job `slot` holds nothing any more.
  void remove(std::uint32_t slot) {
    if (slot >= nodes_.size() || nodes_[slot] == 0) return;
    update(slot, -static_cast<std::int64_t>(nodes_[slot]));
    nodes_[slot] = 0;
  }
  /// The slot of the job holding the k-th node (0-based) in slot order; nullopt if k >= total.
  std::optional<std::uint32_t> slot_at_node(std::int64_t k) const {
    if (k < 0 || k >= total_) return std::nullopt;
    std::size_t pos = 0;  // the answer's 1-based index minus one, built bit by bit
    for (std::size_t step = std::bit_floor(tree_.size()); step > 0; step >>= 1) {
      if (pos + step < tree_.size() && tree_[pos + step] <= k) {
        pos += step;
        k -= tree_[pos];
      }
    }
    return static_cast<std::uint32_t>(pos);
  }
  std::int64_t total() const { return total_; }

 private:
  // tree_[i] (1-based) sums nodes_[i - lowbit(i), i).
  void update(std::uint32_t slot, std::int64_t delta) {
    total_ += delta;
    for (std::size_t i = slot + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
  }
  // Capacity doubles, so a run's growth costs O(n) in all; the tree is rebuilt in O(n).
  void grow(std::size_t at_least) {
    std::size_t n = std::max<std::size_t>(64, nodes_.size());
    while (n < at_least) n *= 2;
    nodes_.resize(n, 0);
    tree_.assign(n + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) {
      tree_[i] += nodes_[i - 1];
      const std::size_t parent = i + (i & (~i + 1));
      if (parent <= n) tree_[parent] += tree_[i];
    }
  }

  std::vector<std::uint32_t> nodes_;  // by slot
  std::vector<std::int64_t> tree_;    // 1-based Fenwick sums over nodes_
  std::int64_t total_ = 0;
};

}  // namespace gigasim::detail
