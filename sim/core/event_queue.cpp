#include "gigasim/core/event_queue.hpp"

#include <algorithm>
#include <cassert>

namespace gigasim {

namespace {
constexpr int kRankShift = 56;
constexpr std::uint64_t kTieMask = (std::uint64_t{1} << kRankShift) - 1;
}  // namespace

void EventQueue::push(SimTime t, EventKind kind, std::uint32_t index, std::uint32_t generation) {
  push_ordered(t, kind, counter_++ & kTieMask, index, generation);
}

void EventQueue::push_ordered(SimTime t, EventKind kind, std::uint64_t tie_break,
                              std::uint32_t index, std::uint32_t generation) {
  assert(tie_break <= kTieMask);
  const Event e{t, (static_cast<std::uint64_t>(kind) << kRankShift) | tie_break, kind, index, generation};
  // Sift up through the hole: parents later than e move down one level.
  std::size_t i = heap_.size();
  heap_.push_back(e);
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!Later{}(heap_[parent], e)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

Event EventQueue::pop() {
  const Event top = heap_.front();
  const Event last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  // Sift `last` down from the root through the hole, to the earliest of up to kArity children.
  std::size_t i = 0;
  while (true) {
    const std::size_t first = kArity * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c)
      if (Later{}(heap_[best], heap_[c])) best = c;
    if (!Later{}(last, heap_[best])) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
  return top;
}

}  // namespace gigasim
