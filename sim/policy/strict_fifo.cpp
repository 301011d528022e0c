#include "gigasim/policy/strict_fifo.hpp"

namespace gigasim {

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
