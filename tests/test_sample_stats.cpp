// Percentiles are type-7 (linear interpolation): Q(p) = x[h] + frac(h)(x[h+1]-x[h]), h = (n-1)p.
#include <catch2/catch.hpp>

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
