#pragma once
// Simulated time: an integer count of milliseconds in a strong type.
//
// Why integers: simultaneous events must compare equal exactly, and sums of durations must not
// drift with the order of addition. Why milliseconds: 1 s is too coarse for restart and checkpoint
// overheads, and int64 ms still spans 292 million years. Convert to seconds only at the edges
// (scenario parsing and output).
#include <compare>
#include <cstdint>
#include <limits>

namespace gigasim {

/// A span of simulated time in milliseconds, e.g. Duration::hours(6).
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration millis(std::int64_t ms) { return Duration(ms); }
  static constexpr Duration seconds(std::int64_t s) { return Duration(s * 1000); }
  static constexpr Duration hours(std::int64_t h) { return Duration(h * 3'600'000); }
  static constexpr Duration days(std::int64_t d) { return Duration(d * 86'400'000); }
  /// Rounds a real number of seconds to the nearest millisecond.
  static Duration from_seconds(double s);
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max() / 4); }

  constexpr std::int64_t ms() const { return ms_; }
  constexpr double seconds_f() const { return static_cast<double>(ms_) / 1000.0; }

  constexpr Duration operator+(Duration o) const { return Duration(ms_ + o.ms_); }
  constexpr Duration operator-(Duration o) const { return Duration(ms_ - o.ms_); }
  constexpr Duration& operator+=(Duration o) { ms_ += o.ms_; return *this; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(std::int64_t ms) : ms_(ms) {}
  std::int64_t ms_ = 0;
};

/// A point in simulated time: milliseconds since the scenario's start (time 0).
class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime from_ms(std::int64_t ms) { return SimTime(ms); }
  /// Later than any event a scenario can produce; used for "never".
  static constexpr SimTime never() { return SimTime(std::numeric_limits<std::int64_t>::max() / 2); }

  constexpr std::int64_t ms() const { return ms_; }
  constexpr double seconds_f() const { return static_cast<double>(ms_) / 1000.0; }

  constexpr SimTime operator+(Duration d) const { return SimTime(ms_ + d.ms()); }
  constexpr Duration operator-(SimTime o) const { return Duration::millis(ms_ - o.ms_); }
  constexpr auto operator<=>(const SimTime&) const = default;

 private:
  constexpr explicit SimTime(std::int64_t ms) : ms_(ms) {}
  std::int64_t ms_ = 0;
};

inline constexpr double kSecondsPerDay = 86'400.0;

/// The longest duration a scenario may give or a distribution may draw: 10^12 s (~31,700 years).
/// Keeps every sum of times far inside the int64 millisecond range.
inline constexpr double kMaxDurationSeconds = 1e12;

}  // namespace gigasim
