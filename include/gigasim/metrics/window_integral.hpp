#pragma once
// Time integral of a piecewise-constant integer quantity (busy chips, queue length, ...) over
// the measurement window [from, end]. Exact: integer value x milliseconds, updated in O(1) only
// when the value changes. The areas are 128-bit: any int64 value held over any span of SimTime
// fits (|value| < 2^63 times < 2^62 ms is < 2^125), so no scenario can overflow them -- a
// 64-bit area would overflow at 10^6 chips held for ~290 years.
#include <algorithm>
#include <cstdint>

#include "gigasim/core/time.hpp"

namespace gigasim {

/// An exact time integral in value-milliseconds (GCC/Clang 128-bit integer).
__extension__ typedef __int128 Area;

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
  Area area_until(SimTime t) {
    advance(t);
    return area_;
  }
  /// Integral over [0, t], ignoring the window (for time series).
  Area total_area_until(SimTime t) {
    advance(t);
    return total_;
  }

 private:
  void advance(SimTime t) {
    if (t > last_) total_ += static_cast<Area>(value_) * (t - last_).ms();
    const SimTime a = std::max(last_, from_);
    if (t > a) area_ += static_cast<Area>(value_) * (t - a).ms();
    last_ = std::max(last_, t);
  }
  SimTime from_;
  SimTime last_;
  std::int64_t value_ = 0;
  Area area_ = 0;
  Area total_ = 0;
};

}  // namespace gigasim
