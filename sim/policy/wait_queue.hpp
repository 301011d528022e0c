#pragma once
// The waiting jobs, indexed so that a scheduling pass never scans the queue:
//  - jobs are split into buckets by (access profile, chips): inside a bucket every job fits wherever the
//    others fit, so "does anything in this bucket fit now?" is one test;
//  - each bucket is ordered by the policy's static key (then arrival id) and keeps the minimum
//    runtime estimate of every subtree, so "the first job here that ends within T" -- the EASY
//    backfill question -- is one O(log n) descent.
// A pass costs O(buckets x factories + starts x buckets x log n), independent of queue length.
#include <cstdint>
#include <unordered_map>
#include <optional>
#include <utility>
#include <vector>

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include "gigasim/model/job.hpp"

namespace gigasim {

namespace detail {
struct WaitingJob {
  std::uint32_t slot;
  std::int64_t estimate_ms;
};

template <class NodeCItr, class NodeItr, class CmpFn, class Alloc>
struct MinEstimateUpdate {
  using metadata_type = std::int64_t;
  void operator()(NodeItr it, NodeCItr end) {
    std::int64_t m = (**it).second.estimate_ms;
    if (it.get_l_child() != end) m = std::min(m, it.get_l_child().get_metadata());
    if (it.get_r_child() != end) m = std::min(m, it.get_r_child().get_metadata());
    const_cast<metadata_type&>(it.get_metadata()) = m;
  }
  virtual NodeCItr node_begin() const = 0;
  virtual NodeCItr node_end() const = 0;
  virtual ~MinEstimateUpdate() = default;

  /// The first job in key order whose estimate is <= limit_ms, or nullopt.
  std::optional<std::uint32_t> first_within(std::int64_t limit_ms) const {
    NodeCItr n = node_begin();
    if (n == node_end() || n.get_metadata() > limit_ms) return std::nullopt;
    while (n != node_end()) {
      const NodeCItr l = n.get_l_child();
      if (l != node_end() && l.get_metadata() <= limit_ms) {
        n = l;
      } else if ((**n).second.estimate_ms <= limit_ms) {
        return (**n).second.slot;
      } else {
        n = n.get_r_child();  // the right subtree must hold the minimum
      }
    }
    return std::nullopt;
  }
};
}  // namespace detail

class WaitQueue {
 public:
  /// Position of a job inside its bucket: (policy's static key, arrival id).
  using Key = std::pair<std::int64_t, std::uint64_t>;

  struct Bucket {
    std::uint16_t tenant;
    std::uint16_t access;  ///< the jobs' access profile (which factories they may use)
    std::uint32_t chips;
    __gnu_pbds::tree<Key, detail::WaitingJob, std::less<Key>, __gnu_pbds::rb_tree_tag,
                     detail::MinEstimateUpdate>
        jobs;
  };

  /// Adds a job; returns its bucket's index.
  std::size_t push(const ActiveJob& j, std::uint32_t slot, std::int64_t static_key);
  /// Removes a job; returns its bucket's index.
  std::size_t erase(const ActiveJob& j, std::int64_t static_key);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  /// Buckets in creation order (deterministic); empty buckets stay, for reuse.
  std::vector<Bucket>& buckets() { return buckets_; }
  const std::vector<Bucket>& buckets() const { return buckets_; }

 private:
  std::size_t bucket_of(const ActiveJob& j);
  std::vector<Bucket> buckets_;
  // Lookup only (never iterated), so hash order cannot leak into results.
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::size_t size_ = 0;
};

}  // namespace gigasim
