// Percentiles are type-7 (linear interpolation): Q(p) = x[h] + frac(h)(x[h+1]-x[h]), h = (n-1)p.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "gigasim/metrics/sample_stats.hpp"
#include "gigasim/metrics/window_integral.hpp"

using namespace gigasim;

TEST_CASE("summary of 1..100 matches the type-7 definition") {
  SampleSet s;
  for (int i = 100; i >= 1; --i) s.add(i);  // order must not matter
  const Summary m = s.summarize();
  CHECK(m.count == 100);
  CHECK(m.mean == Approx(50.5));
  CHECK(m.p50 == Approx(50.5));   // h = 49.5
  CHECK(m.p95 == Approx(95.05));  // h = 94.05
  CHECK(m.p99 == Approx(99.01));  // h = 98.01
  CHECK(m.max == 100);
}

TEST_CASE("summary of tiny samples") {
  SampleSet one;
  one.add(7);
  const Summary a = one.summarize();
  CHECK((a.p50 == 7 && a.p99 == 7 && a.max == 7 && a.mean == 7));
  SampleSet none;
  CHECK(none.summarize().count == 0);
  SampleSet two;
  two.add(0);
  two.add(10);
  const Summary b = two.summarize();
  CHECK(b.p50 == Approx(5));
  CHECK(b.p95 == Approx(9.5));
}

namespace {
// The exact type-7 quantile of sorted `v`, computed independently of SampleSet.
double type7(const std::vector<double>& v, double p) {
  const double h = static_cast<double>(v.size() - 1) * p;
  const auto k = static_cast<std::size_t>(std::floor(h));
  return k + 1 < v.size() ? v[k] + (h - static_cast<double>(k)) * (v[k + 1] - v[k]) : v[k];
}
bool within(double approx, double exact, double relative) { return std::abs(approx - exact) <= relative * std::abs(exact); }
}  // namespace

TEST_CASE("beyond 2^22 values a set keeps a histogram: percentiles within 0.1%, count, mean and max exact") {
  // Waits as a saturated cluster gives them: a third zero, the rest lognormal over many decades.
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> wait(std::log(3600.0), 2.5);
  std::vector<double> values;
  SampleSet s;
  const std::size_t n = SampleSet::kExactLimit + SampleSet::kExactLimit / 2 + 17;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = i % 3 == 0 ? 0.0 : wait(rng);
    values.push_back(x);
    s.add(x);
    if (i + 1 == SampleSet::kExactLimit) CHECK(s.exact());
  }
  CHECK(!s.exact());
  CHECK(s.size() == n);
  double sum = 0;
  for (double x : values) sum += x;  // in arrival order, as the exact mean is computed
  const Summary m = s.summarize();
  CHECK(m.count == n);
  CHECK(m.mean == sum / static_cast<double>(n));
  CHECK(m.max == *std::max_element(values.begin(), values.end()));
  std::sort(values.begin(), values.end());
  CHECK(within(m.p50, type7(values, 0.50), 1e-3));
  CHECK(within(m.p95, type7(values, 0.95), 1e-3));
  CHECK(within(m.p99, type7(values, 0.99), 1e-3));
  const auto q = s.quantiles(20);
  REQUIRE(q.size() == 21);
  CHECK(q.front() == 0.0);  // a third of the values are 0: the low quantiles are exactly 0
  CHECK(q.back() == m.max);
  for (int i = 1; i < 20; ++i) CHECK(within(q[static_cast<std::size_t>(i)], type7(values, i / 20.0), 1e-3));
}

TEST_CASE("histogram sets merge as their values would, negative values included") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> x(0.0, 50.0);  // about half negative
  SampleSet a, b, both;
  std::vector<double> values;
  for (std::size_t i = 0; i < SampleSet::kExactLimit + 1000; ++i) {
    const double v = x(rng);
    (i % 2 ? a : b).add(v);
    both.add(v);
    values.push_back(v);
  }
  a.append(b);  // one exact set (just under the limit) into another: the result is a histogram
  CHECK(!a.exact());
  CHECK(a.size() == values.size());
  const Summary m = a.summarize(), w = both.summarize();
  CHECK(m.p50 == w.p50);  // same buckets whichever way the values came in
  CHECK(m.p95 == w.p95);
  CHECK(m.max == w.max);
  std::sort(values.begin(), values.end());
  CHECK(within(m.p50, type7(values, 0.50), 2e-2));  // the median is near 0: bounded in absolute terms
  CHECK(std::abs(m.p50 - type7(values, 0.50)) < 0.05);
  CHECK(within(m.p95, type7(values, 0.95), 1e-3));
  CHECK(within(a.quantiles(4)[1], type7(values, 0.25), 1e-3));  // a negative quartile
}

TEST_CASE("a window integral counts only the part inside the window") {
  // value 3 on [0,10), 5 on [10,30), window from 4: 3*6 + 5*20 = 118 (value x ms).
  WindowIntegral w(SimTime::from_ms(4));
  w.set(SimTime::from_ms(0), 3);
  w.set(SimTime::from_ms(10), 5);
  CHECK(w.area_until(SimTime::from_ms(30)) == 118);
  // A change entirely before the window contributes nothing.
  WindowIntegral v(SimTime::from_ms(100));
  v.add(SimTime::from_ms(0), 2);
  v.add(SimTime::from_ms(50), -2);
  CHECK(v.area_until(SimTime::from_ms(200)) == 0);
}

TEST_CASE("SampleSet::cdf is the empirical distribution: zeros at one point, the positive values resolved") {
  SampleSet s;
  for (double x : {0.0, 5.0, 0.0, 1.0, 3.0, 0.0}) s.add(x);
  const auto all = s.cdf(200);  // at most 200 positive points: all three, each with F(x) by hand
  REQUIRE(all.size() == 4);
  CHECK(all[0].x == 0.0);
  CHECK(all[0].share == 0.5);
  CHECK(all[1].x == 1.0);
  CHECK(all[1].share == Approx(4.0 / 6));
  CHECK(all[2].x == 3.0);
  CHECK(all[2].share == Approx(5.0 / 6));
  CHECK(all[3].x == 5.0);
  CHECK(all[3].share == 1.0);

  SampleSet ties;  // F counts every value equal to x: three 2s give one point at share 1
  for (double x : {0.0, 2.0, 2.0, 2.0}) ties.add(x);
  const auto t = ties.cdf(2);
  REQUIRE(t.size() == 2);
  CHECK(t[0].share == 0.25);
  CHECK(t[1].x == 2.0);
  CHECK(t[1].share == 1.0);

  SampleSet ten;  // 1..10 at two levels: the order statistics at ranks 5 and 10
  for (int i = 10; i >= 1; --i) ten.add(i);
  const auto h = ten.cdf(2);
  REQUIRE(h.size() == 2);
  CHECK(h[0].x == 5.0);
  CHECK(h[0].share == 0.5);
  CHECK(h[1].x == 10.0);
  CHECK(h[1].share == 1.0);

  SampleSet mostly_zero;  // 0.1% waited: the shape of those 10 is still resolved, not one point
  for (int i = 0; i < 9990; ++i) mostly_zero.add(0);
  for (int i = 1; i <= 10; ++i) mostly_zero.add(60.0 * i);
  const auto m = mostly_zero.cdf(200);
  REQUIRE(m.size() == 11);
  CHECK(m[0].share == Approx(0.999));
  CHECK(m[1].x == 60.0);
  CHECK(m[10].x == 600.0);
  CHECK(SampleSet{}.cdf(10).empty());
}
