// The availability profile (conservative backfilling's free-nodes-over-time index) against a
// brute-force step function on a millisecond grid, over random reservations and time steps.
#include <algorithm>
#include <optional>
#include <vector>
#include <random>

#include <catch2/catch.hpp>

#include "gigasim/policy/availability_profile.hpp"

using namespace gigasim;

namespace {
// Brute force: the free count at every millisecond of a bounded horizon, searched by trying
// every start.
struct GridProfile {
  static constexpr std::int64_t kHorizon = 40000;
  std::int64_t now = 0;
  std::vector<std::int64_t> free = std::vector<std::int64_t>(kHorizon, 0);
  void add(std::int64_t t, std::int64_t d) {
    for (std::int64_t i = std::max(t, now); i < kHorizon; ++i) free[static_cast<std::size_t>(i)] += d;
  }
  std::optional<std::int64_t> earliest(std::int64_t need, std::int64_t d) const {
    for (std::int64_t s = now; s + d < kHorizon; ++s) {
      bool ok = true;
      for (std::int64_t i = s; i < s + d && ok; ++i) ok = free[static_cast<std::size_t>(i)] >= need;
      if (ok) return s;
    }
    return std::nullopt;
  }
};
}  // namespace

TEST_CASE("availability profile: the treap search agrees with a point-by-point step function") {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 20; ++round) {
    AvailabilityProfile p;
    GridProfile n;
    const std::int64_t capacity = 1 + static_cast<std::int64_t>(rng() % 64);
    p.reset(SimTime::zero(), capacity);
    n.add(0, capacity);
    std::int64_t now = 0;
    for (int op = 0; op < 400; ++op) {
      const auto kind = rng() % 10;
      if (kind < 2) {  // time passes
        now += static_cast<std::int64_t>(rng() % 50);
        p.advance(SimTime::from_ms(now));
        n.now = now;
      } else if (kind < 4) {  // a running job's nodes come back at some point
        const std::int64_t t = now + static_cast<std::int64_t>(rng() % 200), k = 1 + static_cast<std::int64_t>(rng() % 8);
        p.add(SimTime::from_ms(t), k);
        n.add(t, k);
      } else {  // a job asks for its earliest slot and reserves it
        const std::int64_t need = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(capacity + 4));
        const std::int64_t d = 1 + static_cast<std::int64_t>(rng() % 100);
        const auto got = p.earliest(need, Duration::millis(d));
        const auto want = n.earliest(need, d);
        // Past the grid's horizon every change has happened: "never" on the grid means the
        // profile's answer (if any) lies beyond it.
        REQUIRE((got.has_value() && got->ms() + d < GridProfile::kHorizon) == want.has_value());
        if (want) {
          REQUIRE(got->ms() == *want);
          p.reserve(*got, Duration::millis(d), need);
          n.add(*want, -need);
          n.add(*want + d, need);
        }
      }
      REQUIRE(p.free_now() == n.free[static_cast<std::size_t>(now)]);
    }
  }
}
