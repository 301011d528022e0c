#pragma once
// Time integral of a piecewise-constant integer quantity (busy chips, queue length, ...) over
// the measurement window [from, end]. Exact: integer value x milliseconds, updated in O(1) only
// when the value changes. Range: |value x window| < 9.2e18, i.e. 2.9e8 chip-years.
#include <algorithm>
#include <cstdint>

#include "gigasim/core/time.hpp"

namespace gigasim {

class WindowIntegral {
 public:
  explicit WindowIntegral(SimTime from = SimTime::zero()) : from_(from), last_(SimTime::zero()) {}

  void add(SimTime t, std::int64_t delta) {
    advance(t);
    value_ += delta;
  }
  void set(SimTime t, std::int64_t value) {
    advance(t);
    value_ = value;
  }
  std::int64_t value() const { return value_; }
  /// Integral over [from, t] in value-milliseconds; t must not precede the last change.
  std::int64_t area_until(SimTime t) {
    advance(t);
    return area_;
  }
  /// Integral over [0, t], ignoring the window (for time series).
  std::int64_t total_area_until(SimTime t) {
    advance(t);
    return total_;
  }

 private:
  void advance(SimTime t) {
    if (t > last_) total_ += value_ * (t - last_).ms();
    const SimTime a = std::max(last_, from_);
    if (t > a) area_ += value_ * (t - a).ms();
    last_ = std::max(last_, t);
  }
  SimTime from_;
  SimTime last_;
  std::int64_t value_ = 0;
  std::int64_t area_ = 0;
  std::int64_t total_ = 0;
};

}  // namespace gigasim
