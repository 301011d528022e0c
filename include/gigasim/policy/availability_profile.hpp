#pragma once
// The free nodes of one factory over future time, as a step function: the free count now and
// the changes at later instants (running jobs' expected ends, reservations' starts and ends).
// Conservative backfilling asks it "from when are `need` nodes free for `d` in a row?".
#include <cstdint>
#include <map>
#include <optional>

#include "gigasim/core/time.hpp"

namespace gigasim {

class AvailabilityProfile {
 public:
  /// Forgets everything: `free_now` nodes free from `now` on.
  void reset(SimTime now, std::int64_t free_now) {
    now_ = now;
    base_ = free_now;
    changes_.clear();
  }
  /// Moves "now" forward, folding the changes that have happened into the free count.
  void advance(SimTime now) {
    while (!changes_.empty() && changes_.begin()->first <= now) {
      base_ += changes_.begin()->second;
      changes_.erase(changes_.begin());
    }
    now_ = now;
  }
  /// `delta` more (or fewer) free nodes from time t on (t >= now).
  void add(SimTime t, std::int64_t delta) {
    if (t <= now_) {
      base_ += delta;
      return;
    }
    auto [it, inserted] = changes_.try_emplace(t, delta);
    if (!inserted && (it->second += delta) == 0) changes_.erase(it);
  }
  /// Holds `need` nodes over [t, t + d).
  void reserve(SimTime t, Duration d, std::int64_t need) {
    add(t, -need);
    add(t + d, need);
  }
  std::int64_t free_now() const { return base_; }
  std::size_t changes() const { return changes_.size(); }

  /// Earliest t >= now with at least `need` nodes free throughout [t, t + d); nullopt if the
  /// profile never has that many for that long. O(changes) in the worst case.
  std::optional<SimTime> earliest(std::int64_t need, Duration d) const {
    std::int64_t free = base_;
    std::optional<SimTime> start;
    if (free >= need) start = now_;
    for (const auto& [t, delta] : changes_) {
      if (start && t >= *start + d) return start;
      free += delta;
      if (free < need) start.reset();
      else if (!start) start = t;
    }
    return start;  // free stays constant after the last change
  }

 private:
  SimTime now_;
  std::int64_t base_ = 0;
  std::map<SimTime, std::int64_t> changes_;
};

}  // namespace gigasim
