#include "gigasim/metrics/confidence.hpp"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

namespace gigasim {

Estimate mean_ci95(const std::vector<double>& samples) {
  Estimate e;
  e.n = samples.size();
  if (e.n == 0) return e;
  double sum = 0;
  for (double x : samples) sum += x;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double ss = 0;
  for (double x : samples) ss += (x - e.mean) * (x - e.mean);
  const double sd = std::sqrt(ss / static_cast<double>(e.n - 1));
  const boost::math::students_t t(static_cast<double>(e.n - 1));
  e.half_width = boost::math::quantile(t, 0.975) * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

Estimate mean_ci95_defined(const std::vector<std::optional<double>>& samples) {
  std::vector<double> defined;
  for (const auto& x : samples)
    if (x) defined.push_back(*x);
  return mean_ci95(defined);
}

double jain_index(const std::vector<double>& x) {
  double s = 0, s2 = 0;
  for (double v : x) {
    s += v;
    s2 += v * v;
  }
  if (x.empty() || s2 == 0) return 1.0;
  return s * s / (static_cast<double>(x.size()) * s2);
}

Verdict paired_verdict(Better better, const Estimate& d) {
  if (better == Better::None || !d.defined()) return Verdict::NotApplicable;
  if (d.mean == 0 && d.half_width == 0) return Verdict::Same;
  if (d.n < 2) return Verdict::OneReplica;
  if (std::abs(d.mean) <= d.half_width) return Verdict::NotSignificant;
  return (d.mean > 0) == (better == Better::Higher) ? Verdict::Better : Verdict::Worse;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Same: return "same";
    case Verdict::Better: return "better";
    case Verdict::Worse: return "worse";
    case Verdict::NotSignificant: return "not_significant";
    case Verdict::OneReplica: return "one_replica";
    case Verdict::NotApplicable: break;
  }
  return "n/a";
}

}  // namespace gigasim
