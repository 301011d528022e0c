#include "gigasim/observers/timeseries.hpp"

namespace gigasim {

TimeseriesObserver::TimeseriesObserver(const RunView& view, TimeseriesSink& sink) : view_(&view), sink_(&sink) {
  factories_.resize(view.scenario().factories.size());
  areas_.assign(factories_.size() * 6 + 2, 0);
}

void TimeseriesObserver::pool_changed(std::uint32_t f) { factories_[f].set(view_->now(), view_->factories()[f]); }

void TimeseriesObserver::job_queued(const ActiveJob&, bool again) {
  queued_.add(view_->now(), 1);
  if (again) running_.add(view_->now(), -1);
}

void TimeseriesObserver::job_started(const ActiveJob&, bool) {
  queued_.add(view_->now(), -1);
  running_.add(view_->now(), 1);
}

void TimeseriesObserver::job_completed(const ActiveJob&) { running_.add(view_->now(), -1); }

double TimeseriesObserver::mean_since_last(WindowIntegral& w, Area& last, double span_ms) {
  const Area total = w.total_area_until(view_->now());
  const double m = span_ms > 0 ? static_cast<double>(total - last) / span_ms : 0.0;
  last = total;
  return m;
}

// Means over [last sample, now) from the integrals' running totals.
void TimeseriesObserver::sample_due() {
  const SimTime now = view_->now();
  const double span = static_cast<double>((now - last_sample_).ms());
  const auto& specs = view_->scenario().factories;
  std::size_t k = 0;
  auto mean = [&](WindowIntegral& w) { return mean_since_last(w, areas_[k++], span); };
  TimeseriesRow all;
  all.end_s = now.seconds_f();
  for (std::size_t f = 0; f < factories_.size(); ++f) {
    PoolChipIntegrals& c = factories_[f];
    const FactorySpec& spec = specs[f];
    TimeseriesRow row;
    row.end_s = all.end_s;
    row.factory = spec.name;
    row.installed_chips = mean(c.installed);
    row.busy_chips = mean(c.busy);
    row.idle_chips = mean(c.idle);
    row.down_chips = mean(c.down);
    row.maintenance_chips = mean(c.maintenance);
    row.inference_chips = mean(c.serving);
    row.accelerator_power_mw = row.busy_chips * spec.chip.tdp_watts / 1e6;
    row.facility_power_mw = (row.busy_chips + row.idle_chips * spec.power.idle_fraction) *
                            spec.power.it_watts(spec.chip) * spec.power.pue / 1e6;
    sink_->row(row);
    all.accelerator_power_mw += row.accelerator_power_mw;
    all.facility_power_mw += row.facility_power_mw;
    all.installed_chips += row.installed_chips;
    all.busy_chips += row.busy_chips;
    all.idle_chips += row.idle_chips;
    all.down_chips += row.down_chips;
    all.maintenance_chips += row.maintenance_chips;
    all.inference_chips += row.inference_chips;
  }
  all.queued_jobs = mean(queued_);
  all.running_jobs = mean(running_);
  sink_->row(all);
  last_sample_ = now;
}

void TimeseriesObserver::run_ended(RunResult&) {
  if (view_->now() > last_sample_) sample_due();
}

}  // namespace gigasim
