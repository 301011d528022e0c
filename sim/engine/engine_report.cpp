// Turning the engine's state at the end of the run into a RunResult (definitions: docs/metrics.md).
#include <algorithm>

#include "engine.hpp"

namespace gigasim::detail {

namespace {
constexpr double kFlopPerEflopDay = 1e18 * 86400;
constexpr double kMilliJoulePerMwh = 3.6e12;
}  // namespace

// The figures that follow from the sums: cost, cost per EFLOP-day, mean facility power.
void complete_economics(PlanEconomics& e, double window_ms) {
  e.cost_eur = e.capex_eur + e.energy_eur;
  e.eur_per_eflop_day = e.delivered_eflop_days > 0 ? e.cost_eur / e.delivered_eflop_days : 0.0;
  e.mean_facility_mw = window_ms > 0 ? e.energy_mwh / (window_ms / kMsPerHour) : 0.0;
}

PlanEconomics economics_of(const FactorySpec& spec, double installed_chip_ms, double busy_chip_ms,
                           double idle_chip_ms, double useful_flops, std::uint32_t installed_nodes_at_end,
                           double window_ms) {
  PlanEconomics e;
  const double watts = spec.power.it_watts(spec.chip);
  e.installed_eflop_days = installed_chip_ms / 1000.0 * spec.chip.bf16_flops / kFlopPerEflopDay;
  e.delivered_eflop_days = useful_flops / kFlopPerEflopDay;
  e.energy_mwh = (busy_chip_ms + idle_chip_ms * spec.power.idle_fraction) * watts * spec.power.pue / kMilliJoulePerMwh;
  e.energy_eur = e.energy_mwh * spec.cost.energy_eur_per_mwh;
  const double chip_facility_mw = watts * spec.power.pue / 1e6;
  const double capex_per_chip = spec.cost.capex_per_chip_eur + spec.cost.capex_per_mw_eur * chip_facility_mw;
  e.capex_eur = capex_per_chip * installed_chip_ms / static_cast<double>(spec.cost.depreciation.ms());
  e.peak_facility_mw = static_cast<double>(installed_nodes_at_end) * spec.node_size * chip_facility_mw;
  complete_economics(e, window_ms);
  return e;
}

// Means over [last sample, now) from the integrals' running totals, one row per factory and
// one of totals; then the next sample is scheduled (samples never trigger a scheduling pass).
void Engine::on_sample() {
  const double span = static_cast<double>((now_ - last_sample_).ms());
  std::size_t k = 0;
  auto mean = [&](WindowIntegral& w) {
    const std::int64_t total = w.total_area_until(now_);
    if (sample_areas_.size() <= k) sample_areas_.push_back(0);
    const double m = span > 0 ? static_cast<double>(total - sample_areas_[k]) / span : 0.0;
    sample_areas_[k++] = total;
    return m;
  };
  TimeseriesRow all;
  all.end_s = now_.seconds_f();
  for (std::size_t f = 0; f < pools_.size(); ++f) {
    FactoryMetrics& m = factory_metrics_[f];
    TimeseriesRow row;
    row.end_s = all.end_s;
    row.factory = sc_.factories[f].name;
    row.installed_chips = mean(m.installed_chips);
    row.busy_chips = mean(m.busy_chips);
    row.idle_chips = mean(m.idle_chips);
    row.down_chips = mean(m.down_chips);
    row.maintenance_chips = mean(m.maintenance_chips);
    const FactorySpec& spec = sc_.factories[f];
    row.accelerator_power_mw = row.busy_chips * spec.chip.tdp_watts / 1e6;
    row.facility_power_mw = (row.busy_chips + row.idle_chips * spec.power.idle_fraction) *
                            spec.power.it_watts(spec.chip) * spec.power.pue / 1e6;
    timeseries_->row(row);
    all.accelerator_power_mw += row.accelerator_power_mw;
    all.facility_power_mw += row.facility_power_mw;
    all.installed_chips += row.installed_chips;
    all.busy_chips += row.busy_chips;
    all.idle_chips += row.idle_chips;
    all.down_chips += row.down_chips;
    all.maintenance_chips += row.maintenance_chips;
  }
  all.queued_jobs = mean(queue_length_);
  all.running_jobs = mean(running_jobs_);
  timeseries_->row(all);
  last_sample_ = now_;
  if (!finished()) events_.push(now_ + timeseries_interval_, EventKind::Sample, 0);
}

void Engine::finish(RunResult& r) {
  const SimTime end = now_;
  r.scenario = sc_.name;
  r.seed = seed_;
  r.scenario_hash = sc_.content_hash;
  r.end_s = end.seconds_f();
  r.warmup_s = sc_.warmup.seconds_f();
  const double window_ms = static_cast<double>(std::max<std::int64_t>(0, (end - warmup_start_).ms()));
  r.window_s = window_ms / 1000.0;
  r.events = event_count_;

  // Jobs still active at the end, in arrival order. A running job's work since its last
  // checkpoint is not lost (yet): it counts as useful.
  std::vector<std::uint32_t> active;
  for (std::uint32_t s = 0; s < jobs_.capacity(); ++s)
    if (jobs_.live(s)) active.push_back(s);
  std::sort(active.begin(), active.end(), [&](auto a, auto b) { return jobs_[a].id < jobs_[b].id; });
  for (auto s : active) {
    const ActiveJob& j = jobs_[s];
    auto& counts = tenant_metrics_[j.tenant].jobs;
    if (j.state == JobState::Queued) {
      ++counts.queued_at_end;
      emit(j, JobOutcome::Queued, std::nullopt);
    } else {
      end_attempt(s, end, work_done_by(plan_of(j), end - j.start));
      ++counts.running_at_end;
      emit(j, JobOutcome::Running, std::nullopt);
    }
  }

  double installed = 0, busy = 0, idle = 0, down = 0, maint = 0, requested = 0, useful = 0, done = 0;
  for (std::size_t f = 0; f < pools_.size(); ++f) {
    FactoryMetrics& fm = factory_metrics_[f];
    const auto& spec = sc_.factories[f];
    FactoryResult fr;
    fr.name = spec.name;
    fr.chip = spec.chip.name;
    fr.chips = spec.chips;
    fr.node_size = spec.node_size;
    fr.online_s = std::max(spec.online, SimTime::zero()).seconds_f();
    const auto fi = static_cast<double>(fm.installed_chips.area_until(end));
    const auto fb = static_cast<double>(fm.busy_chips.area_until(end));
    const auto fid = static_cast<double>(fm.idle_chips.area_until(end));
    const auto fd = static_cast<double>(fm.down_chips.area_until(end));
    const auto fm_ = static_cast<double>(fm.maintenance_chips.area_until(end));
    maint += fm_;
    installed += fi;
    busy += fb;
    idle += fid;
    down += fd;
    requested += static_cast<double>(fm.requested_chips.area_until(end));
    useful += fm.useful_chip_ms;
    done += fm.done_chip_ms;
    fr.installed_chip_hours = fi / kMsPerHour;
    fr.busy_chip_hours = fb / kMsPerHour;
    fr.idle_chip_hours = fid / kMsPerHour;
    fr.down_chip_hours = fd / kMsPerHour;
    fr.maintenance_chip_hours = fm_ / kMsPerHour;
    fr.useful_chip_hours = fm.useful_chip_ms / kMsPerHour;
    fr.utilisation = fi > 0 ? fb / fi : 0.0;
    fr.availability = fi > 0 ? (fi - fd - fm_) / fi : 0.0;
    fr.goodput = fi > 0 ? fm.useful_chip_ms / fi : 0.0;
    fr.economics = economics_of(spec, fi, fb, fid, fm.useful_flops, pools_[f].installed_nodes(),
                                 window_ms);
    fr.jobs_started = fm.jobs_started;
    fr.failures = fm.failures;
    fr.domain_failures = fm.domain_failures;
    fr.interruptions = fm.interruptions;
    r.factories.push_back(fr);
  }
  PlanEconomics& e = r.economics;
  for (const auto& fr : r.factories) {
    e.installed_eflop_days += fr.economics.installed_eflop_days;
    e.delivered_eflop_days += fr.economics.delivered_eflop_days;
    e.energy_mwh += fr.economics.energy_mwh;
    e.energy_eur += fr.economics.energy_eur;
    e.capex_eur += fr.economics.capex_eur;
    e.peak_facility_mw += fr.economics.peak_facility_mw;
  }
  complete_economics(e, window_ms);
  r.installed_chip_hours = installed / kMsPerHour;
  r.busy_chip_hours = busy / kMsPerHour;
  r.idle_chip_hours = idle / kMsPerHour;
  r.down_chip_hours = down / kMsPerHour;
  r.maintenance_chip_hours = maint / kMsPerHour;
  r.requested_chip_hours = requested / kMsPerHour;
  r.useful_chip_hours = useful / kMsPerHour;
  r.lost_chip_hours = (done - useful) / kMsPerHour;
  r.overhead_chip_hours = (busy - done) / kMsPerHour;
  r.utilisation = installed > 0 ? busy / installed : 0.0;
  r.utilisation_requested = installed > 0 ? requested / installed : 0.0;
  r.availability = installed > 0 ? (installed - down - maint) / installed : 0.0;
  r.goodput = installed > 0 ? useful / installed : 0.0;

  SampleSet all_wait, all_jct, all_slowdown;
  for (std::size_t t = 0; t < tenant_metrics_.size(); ++t) {
    TenantMetrics& tm = tenant_metrics_[t];
    tm.jobs.unfinished = tm.jobs.queued_at_end + tm.jobs.running_at_end;
    all_wait.append(tm.wait_s);
    all_jct.append(tm.jct_s);
    all_slowdown.append(tm.slowdown);
    TenantResult tr;
    tr.name = sc_.tenants[t].name;
    tr.share = sc_.tenants[t].share;
    tr.busy_chip_hours = static_cast<double>(tm.busy_chips.area_until(end)) / kMsPerHour;
    tr.jobs = tm.jobs;
    tr.wait_s = tm.wait_s.summarize();
    if (wait_quantiles_) tr.wait_quantiles_s = tm.wait_s.quantiles(20);
    tr.jct_s = tm.jct_s.summarize();
    tr.bounded_slowdown = tm.slowdown.summarize();
    settle_usage(static_cast<std::uint16_t>(t));
    const TenantUsage& u = tenant_usage_[t];
    tr.used_chip_hours = u.used_chip_ms / kMsPerHour;
    if (const auto& a = sc_.tenants[t].allocation_chip_hours) {
      tr.allocation_chip_hours = *a;
      tr.allocation_left_chip_hours = std::max(0.0, *a - tr.used_chip_hours);
      if (u.exhausted_at) tr.allocation_exhausted_s = u.exhausted_at->seconds_f();
    }
    r.tenants.push_back(tr);

    JobCounts& c = r.jobs;
    c.submitted += tm.jobs.submitted;
    c.measured += tm.jobs.measured;
    c.started += tm.jobs.started;
    c.completed += tm.jobs.completed;
    c.unfinished += tm.jobs.unfinished;
    c.queued_at_end += tm.jobs.queued_at_end;
    c.running_at_end += tm.jobs.running_at_end;
    c.unschedulable += tm.jobs.unschedulable;
  }
  r.wait_s = all_wait.summarize();
  r.jct_s = all_jct.summarize();
  r.bounded_slowdown = all_slowdown.summarize();
  r.ettr = ettr_.summarize();
  r.ettr_large = ettr_large_.summarize();
  r.jct_large_s = jct_large_.summarize();

  for (const auto& fm : factory_metrics_) r.interruptions.total += fm.interruptions;
  r.interruptions.in_window = interruptions_in_window_;
  r.preemptions = preemptions_;
  if (window_ms > 0) {
    const double days = window_ms / kMsPerDay;
    r.jobs_per_day = static_cast<double>(completions_in_window_) / days;
    r.arrivals_per_day = static_cast<double>(r.jobs.measured) / days;
    r.interruptions.per_day = static_cast<double>(interruptions_in_window_) / days;
    r.mean_queue_length = static_cast<double>(queue_length_.area_until(end)) / window_ms;
    r.mean_running_jobs = static_cast<double>(running_jobs_.area_until(end)) / window_ms;
  }
  r.unschedulable = std::move(unschedulable_);
}

}  // namespace gigasim::detail
