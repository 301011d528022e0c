#include "gigasim/policy/strict_fifo.hpp"

#include <algorithm>

namespace gigasim {

void enqueue_by_arrival(std::deque<std::uint32_t>& queue, std::uint32_t slot, const ClusterView& view) {
  const std::uint64_t id = view.job(slot).id;
  if (queue.empty() || view.job(queue.back()).id < id) {
    queue.push_back(slot);  // the common case: a new submission
    return;
  }
  // A requeued job is older than jobs queued since: O(queue) insert, once per interruption.
  const auto at = std::upper_bound(queue.begin(), queue.end(), id,
                                   [&](std::uint64_t v, std::uint32_t s) { return v < view.job(s).id; });
  queue.insert(at, slot);
}

void StrictFifoScheduler::enqueue(std::uint32_t slot, const ClusterView& view) { enqueue_by_arrival(queue_, slot, view); }

void StrictFifoScheduler::schedule(ClusterView& view) {
  while (!queue_.empty()) {
    const std::uint32_t head = queue_.front();
    const auto where = placement_->place(view.job(head), view);
    if (!where) return;  // the head blocks everyone behind it
    view.start(head, *where);
    queue_.pop_front();
  }
}

}  // namespace gigasim
