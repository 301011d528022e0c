#include "gigasim/observers/yearly.hpp"

#include <algorithm>

#include "gigasim/scenario/units.hpp"

namespace gigasim {

namespace {
constexpr std::int64_t kMsPerYear = 365LL * 86'400'000;
constexpr double kMsPerHour = 3.6e6;
std::size_t year_of(SimTime t) { return static_cast<std::size_t>(std::max<std::int64_t>(0, t.ms()) / kMsPerYear); }
}  // namespace

YearlyObserver::YearlyObserver(const RunView& view)
    : view_(&view), installed_(view.scenario().factories.size(), 0), busy_(view.scenario().factories.size(), 0) {}

YearlyObserver::Year& YearlyObserver::year(SimTime t) {
  const std::size_t y = year_of(t);
  if (y >= years_.size()) years_.resize(y + 1);
  return years_[y];
}

YearlyObserver::Year& YearlyObserver::this_year() {
  const SimTime now = view_->now();
  if (now < this_year_end_ && now >= this_year_begin_) return years_[this_year_];
  this_year_ = year_of(now);
  Year& y = year(now);
  this_year_begin_ = SimTime::from_ms(static_cast<std::int64_t>(this_year_) * kMsPerYear);
  this_year_end_ = SimTime::from_ms(static_cast<std::int64_t>(this_year_ + 1) * kMsPerYear);
  return y;
}

void YearlyObserver::advance(SimTime t) {
  while (last_ < t) {
    const std::size_t y = year_of(last_);
    const SimTime year_end = SimTime::from_ms(static_cast<std::int64_t>(y + 1) * kMsPerYear);
    const SimTime b = std::min(t, year_end);
    if (y >= years_.size()) years_.resize(y + 1);
    Year& into = years_[y];
    into.installed += static_cast<Area>(total_installed_) * (b - last_).ms();
    into.busy += static_cast<Area>(total_busy_) * (b - last_).ms();
    last_ = b;
  }
}

void YearlyObserver::pool_changed(std::uint32_t f) {
  advance(view_->now());
  const FactoryPool& p = view_->factories()[f];
  const std::int64_t ns = p.spec().node_size;
  const std::int64_t installed = static_cast<std::int64_t>(p.installed_nodes()) * ns;
  const std::int64_t busy = static_cast<std::int64_t>(p.busy_nodes()) * ns;
  total_installed_ += installed - installed_[f];
  total_busy_ += busy - busy_[f];
  installed_[f] = installed;
  busy_[f] = busy;
}

void YearlyObserver::job_started(const ActiveJob& j, bool first) {
  if (!first) return;  // a restart is not a new wait
  Year& y = this_year();
  ++y.started;
  y.wait_ms += static_cast<double>((view_->now() - j.submit).ms());
}

void YearlyObserver::run_ended(RunResult& r) {
  const SimTime end = view_->now();
  if (end.ms() <= kMsPerYear) return;  // one year or less: the summary is the year
  advance(end);
  year(SimTime::from_ms(end.ms() - 1));  // every year up to the end, even a quiet last one
  const auto& start = view_->scenario().start_date;
  for (std::size_t i = 0; i < years_.size(); ++i) {
    const Year& y = years_[i];
    YearResult out;
    const SimTime from = SimTime::from_ms(static_cast<std::int64_t>(i) * kMsPerYear);
    out.from_s = from.seconds_f();
    out.to_s = std::min(end, from + Duration::millis(kMsPerYear)).seconds_f();
    if (start) out.from_date = date_at(*start, from);
    out.installed_chip_hours = static_cast<double>(y.installed) / kMsPerHour;
    out.busy_chip_hours = static_cast<double>(y.busy) / kMsPerHour;
    out.utilisation = y.installed > 0 ? static_cast<double>(y.busy) / static_cast<double>(y.installed) : 0.0;
    out.jobs_submitted = y.submitted;
    out.jobs_started = y.started;
    out.jobs_completed = y.completed;
    if (y.started > 0) out.wait_mean_s = y.wait_ms / static_cast<double>(y.started) / 1000.0;
    r.years.push_back(out);
  }
}

}  // namespace gigasim
