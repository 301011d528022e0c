#pragma once
// How big a run will be, before it starts: the events its workload, failures and maintenance
// will produce, from the scenario's rates and the horizon. A run of 10^9 events takes minutes;
// the CLI says so up front (and shows progress) instead of leaving the user to wonder why.
#include <optional>

#include "gigasim/core/time.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

struct RunSize {
  double jobs = 0;            ///< expected submissions (generators: rate x span, capped by count)
  double failure_events = 0;  ///< node and domain failures and repairs
  double maintenance_events = 0;
  /// Every job arrives and ends (2 events), more with failures; the rest as counted.
  double events() const { return 2 * jobs + failure_events + maintenance_events; }
};

/// Expected sizes up to `horizon` (the scenario's if not given). Without any horizon, only the
/// jobs are known (generators without a horizon have a count or an end).
RunSize estimate_run_size(const Scenario& scenario, std::optional<SimTime> horizon = std::nullopt);

}  // namespace gigasim
