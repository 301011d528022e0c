#include "gigasim/model/capital_plan.hpp"

#include <algorithm>
#include <cmath>

namespace gigasim {

namespace {
double years_of(SimTime t) { return static_cast<double>(t.ms()) / kMsPerYear; }
}  // namespace

Discount::Discount(double rate_per_year) : log_growth_(std::log1p(std::max(0.0, rate_per_year))) {}

double Discount::factor(SimTime t) const { return std::exp(-log_growth_ * years_of(t)); }

double Discount::years(SimTime a, SimTime b) const {
  if (b <= a) return 0;
  const double ya = years_of(a), yb = years_of(b);
  if (log_growth_ == 0) return yb - ya;
  // exp(-g a) - exp(-g b) = exp(-g a) (1 - exp(-g (b - a))), with expm1 for short spans.
  return -std::exp(-log_growth_ * ya) * std::expm1(-log_growth_ * (yb - ya)) / log_growth_;
}

double depreciated_fraction(DepreciationMethod method, double x) {
  if (!(x > 0)) return 0;
  if (x >= 1) return 1;
  if (method == DepreciationMethod::StraightLine) return x;
  const double book_at_half = std::exp(-1.0);
  if (x < 0.5) return -std::expm1(-2 * x);
  return 1 - book_at_half + book_at_half * (x - 0.5) / 0.5;
}

CapitalPlan::CapitalPlan(const FactorySpec& f) : life_ms_(static_cast<double>(f.cost.depreciation.ms())), method_(f.cost.method) {
  const double chip_facility_mw = f.power.it_watts(f.chip) * f.power.pue / 1e6;
  capex_per_chip_ = f.cost.capex_per_chip_eur + f.cost.capex_per_mw_eur * chip_facility_mw;
  opex_per_chip_year_ = f.cost.opex_per_chip_eur_per_year + f.cost.opex_per_mw_eur_per_year * chip_facility_mw;
  if (f.chips > 0) cohorts_.push_back({f.online, SimTime::never(), static_cast<double>(f.chips)});
  for (const CapacityPhase& p : f.phases) {
    if (p.chips > 0) {
      cohorts_.push_back({p.at, SimTime::never(), static_cast<double>(p.chips)});
      continue;
    }
    // Oldest first: split the cohort that is only partly retired into a retired and a kept part.
    double remove = static_cast<double>(-p.chips);
    for (std::size_t i = 0; i < cohorts_.size() && remove > 0; ++i) {
      ChipCohort& c = cohorts_[i];
      if (c.retired != SimTime::never()) continue;
      if (c.chips <= remove) {
        c.retired = p.at;
        remove -= c.chips;
      } else {
        ChipCohort kept = c;
        kept.chips = c.chips - remove;
        c.chips = remove;
        c.retired = p.at;
        remove = 0;
        cohorts_.insert(cohorts_.begin() + static_cast<std::ptrdiff_t>(i) + 1, kept);
      }
    }
  }
}

double CapitalPlan::depreciation_eur(SimTime a, SimTime b) const {
  if (b <= a) return 0;
  auto written_off = [&](const ChipCohort& c, SimTime t) {
    if (t >= c.retired) return 1.0;
    return depreciated_fraction(method_, static_cast<double>((t - c.online).ms()) / life_ms_);
  };
  double eur = 0;
  for (const ChipCohort& c : cohorts_) eur += c.chips * capex_per_chip_ * (written_off(c, b) - written_off(c, a));
  return eur;
}

double CapitalPlan::capex_eur(SimTime a, SimTime b, const Discount& d) const {
  double eur = 0;
  for (const ChipCohort& c : cohorts_)
    if (c.online >= a && c.online < b) eur += c.chips * capex_per_chip_ * d.factor(c.online);
  return eur;
}

double CapitalPlan::chip_years(SimTime a, SimTime b, const Discount& d) const {
  double y = 0;
  for (const ChipCohort& c : cohorts_) y += c.chips * d.years(std::max(a, c.online), std::min(b, c.retired));
  return y;
}

}  // namespace gigasim
