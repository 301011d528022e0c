#pragma once
// An inference service: capacity held by a demand curve rather than by jobs (docs/semantics.md,
// "Inference services"). Its demand in chips is a daily profile (a cosine between a trough and
// a peak, or 24 hourly shares), times a weekday factor, times yearly growth; it changes every
// `step` and is held constant in between. The engine serves it before any waiting training job
// (sim/engine/engine_services.cpp).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/core/time.hpp"

namespace gigasim {

struct ServiceSpec {
  std::string name;
  std::uint16_t tenant = 0;
  /// Factories it may be served on, in order of preference (indexes into Scenario::factories);
  /// filled by the loader: the listed `sites`, else the tenant's, else all.
  std::vector<std::uint32_t> sites;
  double peak_chips = 0;            ///< demand at the daily peak, at `start` (before growth)
  double trough = 0.5;              ///< the daily low as a share of the peak (cosine profile)
  Duration peak_at = Duration::hours(14);  ///< time of day of the peak (cosine profile)
  /// Non-empty: 24 shares of the peak, one per hour of the day, replacing the cosine.
  std::vector<double> hourly;
  std::array<double, 7> weekly{1, 1, 1, 1, 1, 1, 1};  ///< factors, Monday to Sunday
  double growth_per_year = 0;       ///< demand x (1 + growth)^(years since start)
  Duration step = Duration::hours(1);  ///< the demand is re-evaluated every step
  SimTime start;                    ///< no demand before this
  std::optional<SimTime> until;     ///< no demand from this on (default: the horizon)
  int priority = 0;                 ///< preempts training below this (when the policy preempts)
  /// Where time 0 falls in the week: milliseconds since the Monday 00:00 before it (from the
  /// scenario's `start` date; time 0 is a Monday at midnight without one).
  std::int64_t week_offset_ms = 0;

  /// The demand in chips during the step that begins at `t` (0 outside [start, until)).
  double demand_chips(SimTime t) const;
  /// What the engine serves at time t: the demand of the step containing t (steps begin at
  /// `start`, every `step`), rounded up to whole chips; 0 outside [start, until).
  std::int64_t chips_wanted(SimTime t) const;
};

/// An inference service during a run (RunView::services(), ClusterView::services()).
struct ServiceStatus {
  std::int64_t demand_chips = 0;     ///< wanted during the current step (whole chips)
  std::int64_t held_chips = 0;       ///< on whole nodes: over the demand by less than a node per factory
  std::uint64_t preempted_jobs = 0;  ///< training jobs stopped to make room for it, so far
  std::uint64_t node_failures = 0;   ///< failures of nodes it held, so far
};

}  // namespace gigasim
