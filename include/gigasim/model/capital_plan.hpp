#pragma once
// A factory's capital and fixed operating costs over time, from its capacity plan as written
// (docs/energy-and-cost.md). Every phase that adds chips is a cohort bought at its online date;
// a phase that removes chips retires the oldest chips first (a retirement removes them all).
// Pure functions of the spec: the same for every run and every scheduler, so two plans are
// charged for what they build, never for how busy a policy kept it.
#include <vector>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// Years of 365 days, the unit of rates per year (depreciation, opex, discounting).
constexpr double kMsPerYear = 365.0 * 86'400'000.0;

/// Discounting to time 0 at `rate_per_year`: a euro at time t is worth (1 + rate)^-t now.
class Discount {
 public:
  explicit Discount(double rate_per_year);
  /// (1 + rate)^-t.
  double factor(SimTime t) const;
  /// The integral of factor over [a, b], in years: the present value of one euro a year paid
  /// continuously over [a, b] (b - a years when the rate is 0; 0 when b <= a).
  double years(SimTime a, SimTime b) const;

 private:
  double log_growth_ = 0;  ///< ln(1 + rate)
};

/// Chips bought together, installed over [online, retired).
struct ChipCohort {
  SimTime online;
  SimTime retired = SimTime::never();
  double chips = 0;
};

/// The share of a cohort's capex written off at `age_over_life` (0 before it is bought, 1 from
/// the end of its life on). Declining balance is the continuous double-declining method: book
/// value falls at 2/life per year of itself until half the life, then linearly to 0 -- the
/// switch point where straight line over the remaining life writes off as much.
double depreciated_fraction(DepreciationMethod method, double age_over_life);

class CapitalPlan {
 public:
  explicit CapitalPlan(const FactorySpec& factory);

  const std::vector<ChipCohort>& cohorts() const { return cohorts_; }
  /// Capex per chip: the chip's price and its share of the facility (per MW of facility power).
  double capex_per_chip_eur() const { return capex_per_chip_; }
  /// Fixed opex per installed chip and year: per chip and its share per MW.
  double opex_per_chip_year_eur() const { return opex_per_chip_year_; }

  /// Depreciation over [a, b]: what each cohort has written off at b minus at a; a cohort
  /// retired inside [a, b] writes off its remaining book value when it retires.
  double depreciation_eur(SimTime a, SimTime b) const;
  /// Capex of the cohorts bought in [a, b), as present values at time 0.
  double capex_eur(SimTime a, SimTime b, const Discount& d) const;
  /// Installed chip-years over [a, b], each year weighted by the discount factor.
  double chip_years(SimTime a, SimTime b, const Discount& d) const;
  /// Fixed opex over [a, b], present value.
  double opex_eur(SimTime a, SimTime b, const Discount& d) const { return opex_per_chip_year_ * chip_years(a, b, d); }

 private:
  std::vector<ChipCohort> cohorts_;
  double capex_per_chip_ = 0, opex_per_chip_year_ = 0;
  double life_ms_ = 1;
  DepreciationMethod method_ = DepreciationMethod::StraightLine;
};

}  // namespace gigasim
