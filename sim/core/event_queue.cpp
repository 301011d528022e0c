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
  Event e{t, (static_cast<std::uint64_t>(kind) << kRankShift) | tie_break, kind, index, generation};
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

Event EventQueue::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Event e = heap_.back();
  heap_.pop_back();
  return e;
}

}  // namespace gigasim
