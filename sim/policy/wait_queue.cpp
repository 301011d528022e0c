#include "gigasim/policy/wait_queue.hpp"

namespace gigasim {

std::size_t WaitQueue::bucket_of(std::uint16_t tenant, std::uint32_t chips) {
  const std::uint64_t key = (std::uint64_t{tenant} << 32) | chips;
  const auto [it, inserted] = index_.try_emplace(key, buckets_.size());
  if (inserted) buckets_.push_back(Bucket{tenant, chips, {}});
  return it->second;
}

std::size_t WaitQueue::push(const ActiveJob& j, std::uint32_t slot, std::int64_t static_key) {
  const std::size_t b = bucket_of(j.tenant, j.chips);
  buckets_[b].jobs.insert({Key{static_key, j.id}, {slot, j.estimate.ms()}});
  ++size_;
  return b;
}

std::size_t WaitQueue::erase(const ActiveJob& j, std::int64_t static_key) {
  const std::size_t b = bucket_of(j.tenant, j.chips);
  size_ -= buckets_[b].jobs.erase(Key{static_key, j.id});
  return b;
}

}  // namespace gigasim
