#include "gigasim/model/run_size.hpp"

#include <algorithm>
#include <variant>

namespace gigasim {

namespace {
double seconds_between(SimTime a, SimTime b) { return b > a ? (b - a).seconds_f() : 0.0; }
}  // namespace

RunSize estimate_run_size(const Scenario& sc, std::optional<SimTime> horizon) {
  const std::optional<SimTime> end = horizon ? horizon : sc.horizon;
  RunSize r;
  for (const auto& w : sc.workload) {
    if (const auto* g = std::get_if<GeneratorSpec>(&w.source)) {
      const ArrivalProcess& a = g->arrivals;
      const std::optional<SimTime> stop = a.until && end ? std::min(*a.until, *end) : a.until ? a.until : end;
      double n = 0;
      if (stop) {
        const double span = seconds_between(a.start, *stop);
        n = a.rate_per_s > 0 ? a.rate_per_s * span : a.interval.ms() > 0 ? span / a.interval.seconds_f() : 0;
      }
      if (a.count) n = stop ? std::min(n, static_cast<double>(*a.count)) : static_cast<double>(*a.count);
      r.jobs += n;
    } else if (const auto* t = std::get_if<JobTableSpec>(&w.source)) {
      r.jobs += static_cast<double>(t->jobs.size());
    } else if (const auto* tr = std::get_if<TraceSpec>(&w.source)) {
      r.jobs += static_cast<double>(tr->table->size());
    }
  }
  if (!end) return r;
  for (const auto& f : sc.factories) {
    const double span = seconds_between(f.online, *end);
    if (const auto& fl = f.failures) {
      // Per failure: the failure, the automatic repair's end and, when it fails, the manual
      // repairs' ends (a geometric number of them).
      const double per_failure = 2.0 + (fl->escalates() ? (1 - fl->repair_success) / fl->manual_success : 0.0);
      r.failure_events += per_failure * f.nodes() * span / fl->node_mtbf.seconds_f();
    }
    if (f.topology && f.topology->failures && f.topology->domain_nodes > 0)
      r.failure_events += 2.0 * (f.nodes() / f.topology->domain_nodes) * span / f.topology->failures->mtbf.seconds_f();
    if (f.maintenance) r.maintenance_events += 2.0 * span / f.maintenance->every.seconds_f();
  }
  return r;
}

}  // namespace gigasim
