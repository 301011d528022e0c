#pragma once
// The free nodes of one factory over future time, as a step function: the free count now and
// the changes at later instants (running jobs' expected ends, reservations' starts and ends).
// Conservative backfilling asks it "from when are `need` nodes free for `d` in a row?".
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "gigasim/core/time.hpp"

namespace gigasim {

class AvailabilityProfile {
 public:
  /// Forgets everything: `free_now` nodes free from `now` on.
  void reset(SimTime now, std::int64_t free_now) {
    now_ = now;
    base_ = free_now;
    changes_.clear();
    head_ = 0;
  }
  /// Moves "now" forward, folding the changes that have happened into the free count.
  void advance(SimTime now) {
    while (head_ < changes_.size() && changes_[head_].first <= now) base_ += changes_[head_++].second;
    if (head_ > 64 && head_ * 2 > changes_.size()) {  // drop the folded prefix now and then
      changes_.erase(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    now_ = now;
  }
  /// `delta` more (or fewer) free nodes from time t on (t >= now).
  void add(SimTime t, std::int64_t delta) {
    if (t <= now_) {
      base_ += delta;
      return;
    }
    // Most changes land at or near the end (later reservations): a sorted vector walks several
    // times faster than a tree and its insertions mostly move little.
    const auto from = changes_.begin() + static_cast<std::ptrdiff_t>(head_);
    const auto it = std::lower_bound(from, changes_.end(), t, [](const auto& c, SimTime x) { return c.first < x; });
    if (it != changes_.end() && it->first == t) {
      if ((it->second += delta) == 0) changes_.erase(it);
    } else {
      changes_.insert(it, {t, delta});
    }
  }
  /// Holds `need` nodes over [t, t + d).
  void reserve(SimTime t, Duration d, std::int64_t need) {
    add(t, -need);
    add(t + d, need);
  }
  std::int64_t free_now() const { return base_; }

  /// Earliest t >= now with at least `need` nodes free throughout [t, t + d); nullopt if the
  /// profile never has that many for that long. O(changes) in the worst case.
  std::optional<SimTime> earliest(std::int64_t need, Duration d) const {
    std::int64_t free = base_;
    std::optional<SimTime> start;
    if (free >= need) start = now_;
    for (std::size_t i = head_; i < changes_.size(); ++i) {
      const auto& [t, delta] = changes_[i];
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
  std::vector<std::pair<SimTime, std::int64_t>> changes_;  // by time, distinct times, from head_ on
  std::size_t head_ = 0;                                   // changes before it are folded into base_
};

}  // namespace gigasim
