// The event order is total: (time, kind rank, tie-break), never heap internals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "gigasim/core/event_queue.hpp"
#include "../sim/engine/slot_node_index.hpp"  // private to the engine; header-only

using namespace gigasim;

TEST_CASE("events pop by time, then completions before capacity changes before arrivals") {
  EventQueue q;
  const SimTime t = SimTime::from_ms(1000);
  q.push_ordered(t, EventKind::JobArrival, 0, 10);
  q.push_ordered(t, EventKind::FactoryOnline, 0, 20);
  q.push(t, EventKind::JobEnd, 30);
  q.push(SimTime::from_ms(999), EventKind::JobArrival, 40);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().index);
  CHECK(order == std::vector<std::uint32_t>{40, 30, 20, 10});
}

TEST_CASE("equal (time, rank) events keep their tie-break order") {
  EventQueue q;
  const SimTime t = SimTime::from_ms(5);
  // Arrivals tie-break by source index whatever the push order.
  for (std::uint32_t s : {3u, 1u, 2u, 0u}) q.push_ordered(t, EventKind::JobArrival, s, s);
  // Completions pushed with the counter pop in push order.
  for (std::uint32_t j : {7u, 5u, 9u}) q.push(t, EventKind::JobEnd, j);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().index);
  CHECK(order == std::vector<std::uint32_t>{7, 5, 9, 0, 1, 2, 3});
}

TEST_CASE("a heap of many random events pops in non-decreasing key order") {
  EventQueue q;
  std::uint64_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    q.push(SimTime::from_ms(static_cast<std::int64_t>(x >> 54)), static_cast<EventKind>((x >> 20) % 7),
           static_cast<std::uint32_t>(i));
  }
  Event prev = q.pop();
  while (!q.empty()) {
    const Event e = q.pop();
    REQUIRE((e.time > prev.time || (e.time == prev.time && e.order > prev.order)));
    prev = e;
  }
}

TEST_CASE("pushes and pops interleaved come out as a sorted reference list gives them") {
  // As the engine uses the queue: a few thousand pending events, each pop followed by pushes.
  EventQueue q;
  std::vector<std::pair<std::int64_t, std::uint32_t>> reference;  // (time, index), index = push order
  std::uint64_t x = 99;
  auto next = [&] { return x = x * 6364136223846793005ULL + 1442695040888963407ULL; };
  std::uint32_t pushed = 0;
  auto push = [&](std::int64_t t) {
    q.push(SimTime::from_ms(t), EventKind::JobEnd, pushed);
    reference.emplace_back(t, pushed++);
  };
  for (int i = 0; i < 3000; ++i) push(static_cast<std::int64_t>(next() >> 50));
  std::int64_t now = 0;
  for (int step = 0; step < 20000 && !q.empty(); ++step) {
    const auto it = std::min_element(reference.begin(), reference.end());  // earliest, then first pushed
    const Event e = q.pop();
    REQUIRE(e.time.ms() == it->first);
    REQUIRE(e.index == it->second);
    reference.erase(it);
    now = e.time.ms();
    for (std::uint64_t k = next() % 3; k > 0; --k) push(now + static_cast<std::int64_t>(next() >> 52));
  }
}

// The failure victims' index (an engine detail, header-only): the k-th busy node's job, in slot
// order, against a walk over every slot -- with slots reused and the capacity growing.
TEST_CASE("slot node index: the k-th node's slot equals a walk in slot order") {
  std::mt19937_64 g(7);
  gigasim::detail::SlotNodeIndex index;
  std::vector<std::uint32_t> held(3000, 0);
  for (int step = 0; step < 20000; ++step) {
    const auto slot = static_cast<std::uint32_t>(g() % (step < 10000 ? 100 : held.size()));  // grows mid-way
    if (held[slot] == 0) {
      held[slot] = 1 + static_cast<std::uint32_t>(g() % 64);
      index.add(slot, held[slot]);
    } else {
      index.remove(slot);
      held[slot] = 0;
    }
    if (step % 97 != 0) continue;
    std::int64_t total = 0;
    for (auto n : held) total += n;
    REQUIRE(index.total() == total);
    CHECK_FALSE(index.slot_at_node(total).has_value());
    for (int q = 0; q < 20 && total > 0; ++q) {
      const auto k = static_cast<std::int64_t>(g() % static_cast<std::uint64_t>(total));
      std::int64_t seen = 0;
      std::uint32_t expect = 0;
      while (seen + held[expect] <= k) seen += held[expect++];
      CHECK(index.slot_at_node(k) == expect);
    }
  }
}
