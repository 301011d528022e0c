#include "gigasim/model/service.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gigasim {

double ServiceSpec::demand_chips(SimTime t) const {
  if (t < start || (until && t >= *until)) return 0;
  constexpr std::int64_t kDayMs = 86'400'000, kWeekMs = 7 * kDayMs;
  const std::int64_t in_week = ((t.ms() + week_offset_ms) % kWeekMs + kWeekMs) % kWeekMs;
  const std::int64_t in_day = in_week % kDayMs;
  double daily;
  if (!hourly.empty()) {
    daily = hourly[static_cast<std::size_t>(in_day / 3'600'000)];
  } else {
    // A cosine with its maximum at peak_at and its minimum 12 hours away.
    const double phase = 2 * std::numbers::pi * static_cast<double>(in_day - peak_at.ms()) / static_cast<double>(kDayMs);
    daily = trough + (1 - trough) * (1 + std::cos(phase)) / 2;
  }
  const double years = (t - start).seconds_f() / (365 * 86'400.0);
  const double growth = growth_per_year == 0 ? 1.0 : std::pow(1 + growth_per_year, years);
  return peak_chips * daily * weekly[static_cast<std::size_t>(in_week / kDayMs)] * growth;
}

std::int64_t ServiceSpec::chips_wanted(SimTime t) const {
  if (t < start || (until && t >= *until)) return 0;
  const SimTime step_start = start + Duration::millis((t - start).ms() / step.ms() * step.ms());
  // Whole chips: a fraction of a chip cannot be served (the small tolerance keeps 1000.0000001
  // from asking for 1001).
  return static_cast<std::int64_t>(std::min(std::ceil(demand_chips(step_start) - 1e-9), 1e12));
}

}  // namespace gigasim
