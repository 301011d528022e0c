#pragma once
// Running jobs of one factory ordered by their *expected* end (start + runtime estimate), with
// the sum of their nodes in every subtree, so that "when will N more nodes be free here?" -- the
// shadow time of an EASY reservation -- is one O(log n) descent instead of a walk over the
// running jobs. The tree (libstdc++'s policy-based red-black tree with a node-sum update) lives
// in sim/policy/release_index.cpp, so this header needs only the standard library.
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "gigasim/core/time.hpp"

namespace gigasim {

class ReleaseIndex {
 public:
  ReleaseIndex();
  ~ReleaseIndex();
  ReleaseIndex(ReleaseIndex&&) noexcept;
  ReleaseIndex& operator=(ReleaseIndex&&) noexcept;
  ReleaseIndex(const ReleaseIndex& other);
  ReleaseIndex& operator=(const ReleaseIndex& other);

  /// A job holding `nodes` is expected to end at `expected_end`.
  void add(SimTime expected_end, std::uint32_t slot, std::uint32_t nodes);
  void remove(SimTime expected_end, std::uint32_t slot);
  std::size_t size() const;
  /// Changes whenever the content does: equal versions mean equal answers to every query.
  std::uint64_t version() const { return version_; }

  /// Earliest expected time at which at least `nodes` (> 0) more nodes will have been released,
  /// and how many nodes will have been released by then (all jobs expected to end at that same
  /// instant included). nullopt if the running jobs do not hold that many nodes.
  std::optional<std::pair<SimTime, std::int64_t>> shadow(std::int64_t nodes) const;

  /// Nodes of the running jobs expected to end at or before t (jobs past their estimate included).
  std::int64_t released_by(SimTime t) const;

  /// Calls f(expected end, slot, nodes) for every running job, in expected-end order.
  template <class F>
  void for_each(F&& f) const {
    visit([](void* ctx, SimTime end, std::uint32_t slot, std::uint32_t nodes) { (*static_cast<F*>(ctx))(end, slot, nodes); },
          &f);
  }

  /// The slot of the job holding the k-th node (0-based) in key order; nullopt if k >= total.
  std::optional<std::uint32_t> slot_at_node(std::int64_t k) const;

 private:
  using Visitor = void (*)(void* ctx, SimTime end, std::uint32_t slot, std::uint32_t nodes);
  void visit(Visitor v, void* ctx) const;
  struct Tree;
  std::unique_ptr<Tree> tree_;
  std::uint64_t version_ = 0;
};

}  // namespace gigasim
