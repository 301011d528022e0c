#include "policy/wait_queue.hpp"

namespace gigasim {

// An access profile belongs to one tenant, so (access, chips) also fixes the tenant.
std::size_t WaitQueue::bucket_of(const ActiveJob& j) {
  const std::uint64_t key = (std::uint64_t{j.access} << 32) | j.chips;
  const auto [it, inserted] = index_.try_emplace(key, buckets_.size());
  if (inserted) buckets_.push_back(Bucket{j.tenant, j.access, j.chips, {}});
  return it->second;
}

std::size_t WaitQueue::push(const ActiveJob& j, std::uint32_t slot, std::int64_t static_key) {
  const std::size_t b = bucket_of(j);
  buckets_[b].jobs.insert({Key{static_key, j.id}, {slot, j.estimate.ms()}});
  ++size_;
  return b;
}

std::size_t WaitQueue::erase(const ActiveJob& j, std::int64_t static_key) {
  const std::size_t b = bucket_of(j);
  size_ -= buckets_[b].jobs.erase(Key{static_key, j.id});
  return b;
}

}  // namespace gigasim
