#include "gigasim/policy/release_index.hpp"

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

namespace gigasim {

namespace {

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

using Key = std::pair<std::int64_t, std::uint32_t>;  // (expected end ms, slot): unique

}  // namespace

struct ReleaseIndex::Tree
    : __gnu_pbds::tree<Key, std::uint32_t, std::less<Key>, __gnu_pbds::rb_tree_tag, NodeSumUpdate> {};

ReleaseIndex::ReleaseIndex() : tree_(std::make_unique<Tree>()) {}
ReleaseIndex::~ReleaseIndex() = default;
ReleaseIndex::ReleaseIndex(ReleaseIndex&&) noexcept = default;
ReleaseIndex& ReleaseIndex::operator=(ReleaseIndex&&) noexcept = default;
ReleaseIndex::ReleaseIndex(const ReleaseIndex& other) : tree_(std::make_unique<Tree>(*other.tree_)), version_(other.version_) {}
ReleaseIndex& ReleaseIndex::operator=(const ReleaseIndex& other) {
  if (this != &other) {
    tree_ = std::make_unique<Tree>(*other.tree_);
    version_ = other.version_;
  }
  return *this;
}

void ReleaseIndex::add(SimTime expected_end, std::uint32_t slot, std::uint32_t nodes) {
  tree_->insert({{expected_end.ms(), slot}, nodes});
  ++version_;
}

void ReleaseIndex::remove(SimTime expected_end, std::uint32_t slot) {
  tree_->erase(Key{expected_end.ms(), slot});
  ++version_;
}

std::size_t ReleaseIndex::size() const { return tree_->size(); }

std::optional<std::pair<SimTime, std::int64_t>> ReleaseIndex::shadow(std::int64_t nodes) const {
  const auto key = tree_->template first_reaching<Key>(nodes);
  if (!key) return std::nullopt;
  const std::int64_t released = tree_->template prefix_sum<Key>(Key{key->first, UINT32_MAX});
  return std::pair{SimTime::from_ms(key->first), released};
}

std::int64_t ReleaseIndex::released_by(SimTime t) const { return tree_->template prefix_sum<Key>(Key{t.ms(), UINT32_MAX}); }

void ReleaseIndex::visit(Visitor v, void* ctx) const {
  for (const auto& [key, nodes] : *tree_) v(ctx, SimTime::from_ms(key.first), key.second, nodes);
}

std::optional<std::uint32_t> ReleaseIndex::slot_at_node(std::int64_t k) const {
  const auto key = tree_->template first_reaching<Key>(k + 1);
  if (!key) return std::nullopt;
  return key->second;
}

}  // namespace gigasim
