#pragma once
// The future event list: a 4-ary min-heap of small value events (half the levels of a binary
// heap, and a node's children share a cache line or two: ~2x fewer cache misses per pop).
//
// Order of events is total and documented: (time, kind rank, tie-break).
//  - kind rank: at one instant, job completions are handled first (a job finishing at t is not
//    hit by a failure at t), then repairs, maintenance ends and factories coming online
//    or growing (capacity returns), then node failures, capacity removals and maintenance starts
//    (capacity leaves), then job arrivals, then inference services' demand changes; then the
//    engine serves the services and runs ONE scheduling pass for the instant.
//  - tie-break: chosen by the pusher so that equal (time, rank) events have a stable, meaningful
//    order -- arrivals use their workload source's declaration index (so simultaneous jobs queue
//    in file order), other events an insertion counter.
// Nothing else (pointer values, heap internals) can influence the order.
#include <cstdint>
#include <vector>

#include "gigasim/core/time.hpp"

namespace gigasim {

/// What an event does. The numeric value is the kind rank: lower runs first at one instant.
enum class EventKind : std::uint8_t {
  JobEnd = 0,            ///< a running job completes; index = job slot, generation = its attempt
  NodeRepair = 1,        ///< a failed node's repair ends; index = factory, generation = its domain + 1 (0: none), top bit set for a manual repair
  DomainRepair = 2,      ///< a failed scale-up domain is back; index = factory, generation = domain
  MaintenanceEnd = 3,    ///< a planned maintenance window closes; index = factory
  FactoryOnline = 4,     ///< a factory comes online (generation 0) or grows (generation = phase + 1); index = factory
  NodeFailure = 5,       ///< a node of a factory fails; index = factory, generation = its failure clock
  DomainFailure = 6,     ///< a scale-up domain of a factory fails; index = factory
  CapacityLoss = 7,      ///< a phase removes capacity or the factory retires; index = factory, generation = phase + 1
  MaintenanceStart = 8,  ///< a planned maintenance window opens; index = factory
  JobArrival = 9,        ///< a workload source's next job is submitted; index = source
  ServiceDemand = 10,    ///< an inference service's demand changes (a new step); index = service
  Sample = 11,           ///< a time-series sample is due (observes only; no scheduling pass)
};

struct Event {
  SimTime time;
  std::uint64_t order = 0;  ///< (rank << 56) | tie-break; compared after time
  EventKind kind = EventKind::JobEnd;
  std::uint32_t index = 0;
  std::uint32_t generation = 0;  ///< lets the owner skip a stale event lazily instead of removing it
};

class EventQueue {
 public:
  /// Pushes an event whose tie-break is an insertion counter (first pushed, first popped).
  void push(SimTime t, EventKind kind, std::uint32_t index, std::uint32_t generation = 0);
  /// Pushes an event with an explicit tie-break (must be < 2^56).
  void push_ordered(SimTime t, EventKind kind, std::uint64_t tie_break, std::uint32_t index,
                    std::uint32_t generation = 0);

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }
  Event pop();
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  // A function object, not a function: std heap algorithms inline it (a function pointer is not).
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.order > b.order;
    }
  };
  static constexpr std::size_t kArity = 4;
  std::vector<Event> heap_;  // heap_[0] is the earliest; children of i are kArity i + 1 ...
  std::uint64_t counter_ = 0;
};

}  // namespace gigasim
