#include "gigasim/observers/factory_metrics.hpp"

#include <algorithm>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
}

FactoryMetricsObserver::FactoryMetricsObserver(const RunView& view) : view_(&view) {
  factories_.assign(view.scenario().factories.size(), PerFactory(view.warmup_start()));
}

void FactoryMetricsObserver::job_started(const ActiveJob& j, bool first) {
  PerFactory& m = factories_[j.factory];
  if (first) ++m.jobs_started;  // where the job began; restarts are attempts
  ++m.attempts_started;
  m.requested.add(view_->now(), j.chips);
}

void FactoryMetricsObserver::job_released(const ActiveJob& j) {
  factories_[j.factory].requested.add(view_->now(), -static_cast<std::int64_t>(j.chips));
}

void FactoryMetricsObserver::job_resized(const ActiveJob& j, const Resize& r) {
  factories_[j.factory].requested.add(view_->now(), static_cast<std::int64_t>(j.chips) - r.old_chips);
}

void FactoryMetricsObserver::job_interrupted(const ActiveJob& j) { ++factories_[j.factory].interruptions; }

// The part of the attempt inside the window: work computed by then and the part of it kept.
void FactoryMetricsObserver::attempt_ended(const ActiveJob& j, const AttemptEnd& e) {
  const SimTime a = std::max(j.start, view_->warmup_start()), b = e.stop;
  if (b <= a) return;
  const Duration fa = work_done_by(e.plan, a - j.start), fb = work_done_by(e.plan, b - j.start);
  const double chips = static_cast<double>(j.nodes) * static_cast<double>(view_->node_size(j.factory));
  PerFactory& m = factories_[j.factory];
  // Time spent slowed down by spanning extra domains is overhead, not work: scale back.
  m.done_ms += static_cast<double>((fb - fa).ms()) / j.span_factor * chips;
  const auto useful_ms = static_cast<double>((std::min(fb, e.saved) - std::min(fa, e.saved)).ms()) / j.span_factor;
  m.useful_ms += useful_ms * chips;
  m.useful_flops += useful_ms * view_->flop_rate(j, j.factory) / 1000.0;
}

void FactoryMetricsObserver::pool_changed(std::uint32_t f) { factories_[f].chips.set(view_->now(), view_->factories()[f]); }

void FactoryMetricsObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  const auto& specs = view_->scenario().factories;
  Totals all;
  totals_.clear();
  for (std::size_t f = 0; f < factories_.size(); ++f) {
    PerFactory& m = factories_[f];
    const FactorySpec& spec = specs[f];
    Totals t;
    t.installed = static_cast<double>(m.chips.installed.area_until(end));
    t.busy = static_cast<double>(m.chips.busy.area_until(end));
    t.serving = static_cast<double>(m.chips.serving.area_until(end));
    t.idle = static_cast<double>(m.chips.idle.area_until(end));
    t.down = static_cast<double>(m.chips.down.area_until(end));
    t.maintenance = static_cast<double>(m.chips.maintenance.area_until(end));
    t.requested = static_cast<double>(m.requested.area_until(end));
    t.useful = m.useful_ms;
    t.done = m.done_ms;
    t.useful_flops = m.useful_flops;
    totals_.push_back(t);
    all.installed += t.installed;
    all.busy += t.busy;
    all.serving += t.serving;
    all.idle += t.idle;
    all.down += t.down;
    all.maintenance += t.maintenance;
    all.requested += t.requested;
    all.useful += t.useful;
    all.done += t.done;

    FactoryResult fr;
    fr.name = spec.name;
    fr.chip = spec.chip.name;
    fr.chips = spec.chips;
    fr.node_size = spec.node_size;
    fr.online_s = std::max(spec.online, SimTime::zero()).seconds_f();
    fr.installed_chip_hours = t.installed / kMsPerHour;
    fr.busy_chip_hours = t.busy / kMsPerHour;
    fr.inference_chip_hours = t.serving / kMsPerHour;
    fr.idle_chip_hours = t.idle / kMsPerHour;
    fr.down_chip_hours = t.down / kMsPerHour;
    fr.maintenance_chip_hours = t.maintenance / kMsPerHour;
    fr.useful_chip_hours = t.useful / kMsPerHour;
    fr.utilisation = t.installed > 0 ? t.busy / t.installed : 0.0;
    fr.availability = t.installed > 0 ? (t.installed - t.down - t.maintenance) / t.installed : 0.0;
    fr.goodput = t.installed > 0 ? t.useful / t.installed : 0.0;
    fr.jobs_started = m.jobs_started;
    fr.attempts_started = m.attempts_started;
    fr.failures = m.failures;
    fr.domain_failures = m.domain_failures;
    fr.repairs = m.repairs;
    fr.interruptions = m.interruptions;
    r.factories.push_back(fr);
    r.interruptions.total += m.interruptions;
  }
  r.installed_chip_hours = all.installed / kMsPerHour;
  r.busy_chip_hours = all.busy / kMsPerHour;
  r.inference_chip_hours = all.serving / kMsPerHour;
  r.idle_chip_hours = all.idle / kMsPerHour;
  r.down_chip_hours = all.down / kMsPerHour;
  r.maintenance_chip_hours = all.maintenance / kMsPerHour;
  r.requested_chip_hours = all.requested / kMsPerHour;
  r.useful_chip_hours = all.useful / kMsPerHour;
  r.lost_chip_hours = (all.done - all.useful) / kMsPerHour;
  r.overhead_chip_hours = (all.busy - all.serving - all.done) / kMsPerHour;
  r.utilisation = all.installed > 0 ? all.busy / all.installed : 0.0;
  r.utilisation_requested = all.installed > 0 ? all.requested / all.installed : 0.0;
  r.availability = all.installed > 0 ? (all.installed - all.down - all.maintenance) / all.installed : 0.0;
  r.goodput = all.installed > 0 ? all.useful / all.installed : 0.0;
}

}  // namespace gigasim
