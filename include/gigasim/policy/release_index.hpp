#pragma once
// Running jobs of one factory ordered by their *expected* end (start + runtime estimate), with
// the sum of their nodes in every subtree, so that "when will N more nodes be free here?" -- the
// shadow time of an EASY reservation -- is one O(log n) descent instead of a walk over the
// running jobs. Built on libstdc++'s policy-based red-black tree with a custom node update.
#include <cstdint>
#include <optional>
#include <utility>

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include "gigasim/core/time.hpp"

namespace gigasim {

namespace detail {
template <class NodeCItr, class NodeItr, class CmpFn, class Alloc>
struct NodeSumUpdate {
  using metadata_type = std::int64_t;
  void operator()(NodeItr it, NodeCItr end) {
    std::int64_t s = (**it).second;
    if (it.get_l_child() != end) s += it.get_l_child().get_metadata();
    if (it.get_r_child() != end) s += it.get_r_child().get_metadata();
    const_cast<metadata_type&>(it.get_metadata()) = s;
  }
  virtual NodeCItr node_begin() const = 0;
  virtual NodeCItr node_end() const = 0;
  virtual ~NodeSumUpdate() = default;

  /// Smallest key whose inclusive prefix sum of nodes reaches `target` (> 0); nullopt if never.
  template <class Key>
  std::optional<Key> first_reaching(std::int64_t target) const {
    std::int64_t acc = 0;
    for (NodeCItr n = node_begin(); n != node_end();) {
      const NodeCItr l = n.get_l_child();
      const std::int64_t lsum = l != node_end() ? l.get_metadata() : 0;
      if (acc + lsum >= target) {
        n = l;
        continue;
      }
      acc += lsum + (**n).second;
      if (acc >= target) return (**n).first;
      n = n.get_r_child();
    }
    return std::nullopt;
  }

  /// Sum of nodes over keys <= bound.
  template <class Key>
  std::int64_t prefix_sum(const Key& bound) const {
    std::int64_t acc = 0;
    for (NodeCItr n = node_begin(); n != node_end();) {
      if (bound < (**n).first) {
        n = n.get_l_child();
      } else {
        const NodeCItr l = n.get_l_child();
        acc += (l != node_end() ? l.get_metadata() : 0) + (**n).second;
        n = n.get_r_child();
      }
    }
    return acc;
  }
};
}  // namespace detail

class ReleaseIndex {
 public:
  /// A job holding `nodes` is expected to end at `expected_end`.
  void add(SimTime expected_end, std::uint32_t slot, std::uint32_t nodes) {
    tree_.insert({{expected_end.ms(), slot}, nodes});
    ++version_;
  }
  void remove(SimTime expected_end, std::uint32_t slot) {
    tree_.erase(Key{expected_end.ms(), slot});
    ++version_;
  }
  std::size_t size() const { return tree_.size(); }
  /// Changes whenever the content does: equal versions mean equal answers to every query.
  std::uint64_t version() const { return version_; }

  /// Earliest expected time at which at least `nodes` (> 0) more nodes will have been released,
  /// and how many nodes will have been released by then (all jobs expected to end at that same
  /// instant included). nullopt if the running jobs do not hold that many nodes.
  std::optional<std::pair<SimTime, std::int64_t>> shadow(std::int64_t nodes) const {
    const auto key = tree_.template first_reaching<Key>(nodes);
    if (!key) return std::nullopt;
    const std::int64_t released = tree_.template prefix_sum<Key>(Key{key->first, UINT32_MAX});
    return std::pair{SimTime::from_ms(key->first), released};
  }

  /// Nodes of the running jobs expected to end at or before t (jobs past their estimate included).
  std::int64_t released_by(SimTime t) const { return tree_.template prefix_sum<Key>(Key{t.ms(), UINT32_MAX}); }

  /// Calls f(expected end, slot, nodes) for every running job, in expected-end order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [key, nodes] : tree_) f(SimTime::from_ms(key.first), key.second, nodes);
  }

  /// The slot of the job holding the k-th node (0-based) in key order; nullopt if k >= total.
  std::optional<std::uint32_t> slot_at_node(std::int64_t k) const {
    const auto key = tree_.template first_reaching<Key>(k + 1);
    if (!key) return std::nullopt;
    return key->second;
  }

 private:
  using Key = std::pair<std::int64_t, std::uint32_t>;  // (expected end ms, slot): unique
  using Tree = __gnu_pbds::tree<Key, std::uint32_t, std::less<Key>, __gnu_pbds::rb_tree_tag,
                                detail::NodeSumUpdate>;
  Tree tree_;
  std::uint64_t version_ = 0;
};

}  // namespace gigasim
