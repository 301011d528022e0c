#include "gigasim/observers/services.hpp"

#include <algorithm>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
}

ServiceObserver::ServiceObserver(const RunView& view)
    : view_(&view), services_(view.scenario().services.size(), PerService(view.warmup_start())) {
  // Until a service's first change it wants nothing and holds nothing: met.
  for (PerService& s : services_) s.met.set(SimTime::zero(), 1);
}

void ServiceObserver::service_changed(std::uint32_t i) {
  const SimTime now = view_->now();
  const ServiceStatus& st = view_->services()[i];
  PerService& s = services_[i];
  s.close_value(now, view_->warmup_start());
  const std::int64_t unmet = std::max<std::int64_t>(0, st.demand_chips - st.held_chips);
  s.demand.set(now, st.demand_chips);
  s.held.set(now, st.held_chips);
  s.served.set(now, std::min(st.demand_chips, st.held_chips));
  s.unmet.set(now, unmet);
  s.met.set(now, unmet == 0 ? 1 : 0);
  s.value_since = now;
}

// The values held since the last change count toward the peaks if they were held for a while
// inside the window (not if they were replaced at the instant they were set).
void ServiceObserver::PerService::close_value(SimTime now, SimTime window_start) {
  if (now <= value_since || now <= window_start) return;
  peak_demand = std::max(peak_demand, demand.value());
  peak_unmet = std::max(peak_unmet, unmet.value());
}

void ServiceObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  const auto& specs = view_->scenario().services;
  const double window_ms = static_cast<double>((end - view_->warmup_start()).ms());
  for (std::size_t i = 0; i < services_.size(); ++i) {
    PerService& s = services_[i];
    s.close_value(end, view_->warmup_start());
    const ServiceStatus& st = view_->services()[i];
    ServiceResult out;
    out.name = specs[i].name;
    out.tenant = view_->scenario().tenants[specs[i].tenant].name;
    out.demand_chip_hours = static_cast<double>(s.demand.area_until(end)) / kMsPerHour;
    out.held_chip_hours = static_cast<double>(s.held.area_until(end)) / kMsPerHour;
    out.served_chip_hours = static_cast<double>(s.served.area_until(end)) / kMsPerHour;
    out.unmet_chip_hours = static_cast<double>(s.unmet.area_until(end)) / kMsPerHour;
    out.served_fraction = out.demand_chip_hours > 0 ? out.served_chip_hours / out.demand_chip_hours : 1.0;
    out.met_time_fraction = window_ms > 0 ? static_cast<double>(s.met.area_until(end)) / window_ms : 1.0;
    out.peak_demand_chips = s.peak_demand;
    out.peak_unmet_chips = s.peak_unmet;
    out.preempted_jobs = st.preempted_jobs;
    out.node_failures = st.node_failures;
    r.services.push_back(std::move(out));
  }
}

}  // namespace gigasim
