#include "gigasim/observers/demand.hpp"

#include <algorithm>

namespace gigasim {

namespace {
constexpr double kMsPerHour = 3.6e6;
constexpr double kFlopPerEflopDay = 1e18 * 86400;
/// The trend test's bins: enough for a verdict, few enough that neighbours are not all alike.
constexpr std::size_t kTrendBins = 32, kMinTrendBins = 8;
/// Growth over the window, as a share of its offered demand, below which a trend is immaterial.
constexpr double kMaterialGrowth = 0.05;
constexpr double kTrendP = 0.01;
}  // namespace

DemandObserver::DemandObserver(const RunView& view)
    : view_(&view), tenants_(view.scenario().tenants.size()), backlog_(view.warmup_start()) {
  if (view.scenario().workload.size() > 1) sources_.resize(view.scenario().workload.size());
}

double DemandObserver::duration_job_home_rate(const ActiveJob& j) const {
  const std::uint32_t home = view_->home_factory(j);
  const std::uint64_t key = (static_cast<std::uint64_t>(home) << 32) | j.chips;
  RateEntry& e = rates_[(j.chips * 2654435761u + home) & 255u];
  if (e.key != key) e = {key, view_->flop_rate(j, home)};
  return e.rate;
}

// An elastic job's demand is counted at its minimum size, whatever size it runs at.
double DemandObserver::home_rate_at_demand_size(const ActiveJob& j) const {
  if (!j.elastic()) return view_->flop_rate(j, view_->home_factory(j));
  ActiveJob at_min = j;
  at_min.chips = j.min_chips;
  return view_->flop_rate(at_min, view_->home_factory(j));
}

// Duration jobs run as long anywhere: chips x duration, at the home factory's FLOP rate. Work
// jobs: their FLOPs, in chip-time at the home factory's rate.
DemandObserver::Work DemandObserver::demand_of(const ActiveJob& j) const {
  const double chips = static_cast<double>(demand_chips(j));
  if (j.by_work) {
    const double rate = home_rate_at_demand_size(j);
    return {rate > 0 ? chips * j.flops / rate * 1000.0 : 0.0, j.flops};
  }
  const auto ms = static_cast<double>(j.work.ms());
  return {chips * ms, ms * duration_job_home_rate(j) / 1000.0};
}

double DemandObserver::left_chip_ms(const ActiveJob& j) const {
  const double chips = static_cast<double>(demand_chips(j));
  if (!j.by_work) return chips * static_cast<double>(j.work.ms());
  const double rate = home_rate_at_demand_size(j);
  return rate > 0 ? chips * j.flops_left / rate * 1000.0 : 0.0;
}

void DemandObserver::add_backlog(double chip_ms, std::int64_t jobs) {
  waiting_ += jobs;
  // An empty queue has no backlog: not the rounding left by adding and removing the same sums.
  backlog_chip_ms_ = waiting_ > 0 ? backlog_chip_ms_ + chip_ms : 0.0;
  backlog_.set(view_->now(), backlog_chip_ms_ / kMsPerHour);
}

void DemandObserver::job_queued(const ActiveJob& j, bool) { add_backlog(left_chip_ms(j), 1); }
void DemandObserver::job_started(const ActiveJob& j, bool) { add_backlog(-left_chip_ms(j), -1); }

void DemandObserver::job_submitted(const ActiveJob& j) {
  const Work w = demand_of(j);
  const bool in_window = j.submit >= view_->warmup_start();
  each_account(j, [&](Account& t) {
    t.submitted_chip_ms += w.chip_ms;
    t.submitted_flops += w.flops;
    ++t.submitted;
    if (in_window) {
      ++t.offered_jobs;
      t.offered_chip_ms += w.chip_ms;
      t.offered_flops += w.flops;
    }
  });
}

// The work an attempt keeps, over the whole run and inside the window, in the demand's units.
void DemandObserver::attempt_ended(const ActiveJob& j, const AttemptEnd& e) {
  const SimTime from = view_->warmup_start();
  auto kept_ms = [&](SimTime a) -> double {
    if (e.stop <= a) return 0;
    const Duration fa = work_done_by(e.plan, a - j.start), fb = work_done_by(e.plan, e.stop - j.start);
    // Time slowed down by spanning extra domains is overhead, not work: scale back.
    return static_cast<double>((std::min(fb, e.saved) - std::min(fa, e.saved)).ms()) / j.span_factor;
  };
  // From its start an attempt keeps exactly what it saved (never more than it computed).
  const double all_ms = static_cast<double>(e.saved.ms()) / j.span_factor;
  // Most attempts start inside the window: then all they keep is kept inside it.
  const double window_ms = j.start >= from ? all_ms : kept_ms(from);
  if (all_ms <= 0) return;
  const double chips = static_cast<double>(demand_chips(j));
  double chip_per_ms = chips, flops_per_ms;
  if (j.by_work) {
    // Work done here at this factory's speed (and size), counted in chip-time at the home
    // factory's (at the job's demand size).
    const double here = view_->flop_rate(j, j.factory), home = home_rate_at_demand_size(j);
    flops_per_ms = here / 1000.0;
    chip_per_ms = home > 0 ? chips * here / home : 0.0;
  } else {
    flops_per_ms = duration_job_home_rate(j) / 1000.0;
  }
  each_account(j, [&](Account& t) {
    t.kept_chip_ms += all_ms * chip_per_ms;
    t.kept_flops += all_ms * flops_per_ms;
    t.served_chip_ms += window_ms * chip_per_ms;
    t.served_flops += window_ms * flops_per_ms;
  });
}

DemandFigures DemandObserver::figures_of(const Account& t) {
  DemandFigures d;
  d.offered_jobs = t.offered_jobs;
  d.offered_chip_hours = t.offered_chip_ms / kMsPerHour;
  d.offered_eflop_days = t.offered_flops / kFlopPerEflopDay;
  d.served_chip_hours = t.served_chip_ms / kMsPerHour;
  d.served_eflop_days = t.served_flops / kFlopPerEflopDay;
  // Every job done: nothing is unmet (not the rounding of work to milliseconds per attempt).
  if (t.completed < t.submitted) {
    d.unmet_chip_hours = std::max(0.0, t.submitted_chip_ms - t.kept_chip_ms) / kMsPerHour;
    d.unmet_eflop_days = std::max(0.0, t.submitted_flops - t.kept_flops) / kFlopPerEflopDay;
  }
  return d;
}

void DemandObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  DemandFigures& all = r.demand;
  for (std::size_t i = 0; i < tenants_.size() && i < r.tenants.size(); ++i) {
    const DemandFigures& d = r.tenants[i].demand = figures_of(tenants_[i]);
    all.offered_jobs += d.offered_jobs;
    all.offered_chip_hours += d.offered_chip_hours;
    all.offered_eflop_days += d.offered_eflop_days;
    all.served_chip_hours += d.served_chip_hours;
    all.served_eflop_days += d.served_eflop_days;
    all.unmet_chip_hours += d.unmet_chip_hours;
    all.unmet_eflop_days += d.unmet_eflop_days;
  }
  for (std::size_t i = 0; i < r.sources.size(); ++i)
    r.sources[i].demand = sources_.empty() ? all : figures_of(sources_[i]);
  if (r.installed_chip_hours > 0) r.offered_load = all.offered_chip_hours / r.installed_chip_hours;

  BacklogTrend& b = r.backlog;
  const std::vector<double> bins = backlog_.means_until(end, kTrendBins);
  const double window_ms = static_cast<double>(std::max<std::int64_t>(0, (end - view_->warmup_start()).ms()));
  b.bins = static_cast<std::uint32_t>(bins.size());
  b.bin_s = bins.empty() ? 0.0 : window_ms / 1000.0 / static_cast<double>(bins.size());
  b.mean_chip_hours = backlog_.mean_until(end);
  b.end_chip_hours = std::max(0.0, backlog_chip_ms_ / kMsPerHour);
  b.end_jobs = static_cast<std::uint64_t>(std::max<std::int64_t>(0, waiting_));
  if (bins.size() >= kMinTrendBins) {
    const TrendTest t = mann_kendall(bins);
    b.z = t.z;
    b.p_value = t.p_increasing;
    b.trend_chip_hours_per_day = t.sen_slope / (b.bin_s / 86400.0);
    const double growth = t.sen_slope * static_cast<double>(bins.size());
    b.stable = !(t.p_increasing < kTrendP && growth >= kMaterialGrowth * all.offered_chip_hours && growth > 0);
  }
}

}  // namespace gigasim
