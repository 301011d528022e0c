// Distributions reproduce their defining moments; generator streams are independent per purpose.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "gigasim/model/job_source.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
double mean_of(const DurationDistribution& d, int n) {
  RandomEngine rng(42);
  double s = 0;
  for (int i = 0; i < n; ++i) s += d.sample(rng).seconds_f();
  return s / n;
}
}  // namespace

TEST_CASE("duration samples have the analytic mean (200k draws, 1% tolerance)") {
  using K = DurationDistribution::Kind;
  CHECK(mean_of({K::Fixed, 3600, 0, {}}, 10) == Approx(3600));
  CHECK(mean_of({K::Exponential, 3600, 0, {}}, 200000) == Approx(3600).epsilon(0.01));
  // lognormal: mean = median * exp(sigma^2 / 2)
  CHECK(mean_of({K::Lognormal, 1000, 0.5, {}}, 200000) == Approx(1000 * std::exp(0.125)).epsilon(0.01));
  CHECK(mean_of({K::Uniform, 100, 300, {}}, 200000) == Approx(200).epsilon(0.01));
}

TEST_CASE("lognormal median is the median of the samples") {
  DurationDistribution d{DurationDistribution::Kind::Lognormal, 600, 1.2, {}};
  RandomEngine rng(1);
  int below = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) below += d.sample(rng).seconds_f() < 600;
  CHECK(below / double(n) == Approx(0.5).margin(0.01));
}

TEST_CASE("pow2 chips are uniform over the powers of two in [min, max]") {
  ChipsDistribution d;
  d.kind = ChipsDistribution::Kind::Pow2;
  d.min = 8;
  d.max = 64;
  RandomEngine rng(3);
  std::map<std::uint32_t, int> freq;
  const int n = 80000;
  for (int i = 0; i < n; ++i) ++freq[d.sample(rng)];
  REQUIRE(freq.size() == 4);  // 8, 16, 32, 64 and nothing else
  for (auto [v, c] : freq) CHECK(c / double(n) == Approx(0.25).margin(0.01));
  CHECK(d.mean() == Approx((8 + 16 + 32 + 64) / 4.0));
}

TEST_CASE("choice chips follow their weights") {
  ChipsDistribution d;
  d.kind = ChipsDistribution::Kind::Choice;
  d.values = {8, 64};
  d.weights = {3, 1};
  RandomEngine rng(5);
  int small = 0;
  const int n = 80000;
  for (int i = 0; i < n; ++i) small += d.sample(rng) == 8;
  CHECK(small / double(n) == Approx(0.75).margin(0.01));
}

TEST_CASE("changing a generator's sizes leaves its arrival times unchanged (common random numbers)") {
  const char* base = R"(
horizon: 10d
factories: [{name: f, chip: H100, chips: 1024}]
workload:
  - arrivals: {dist: poisson, rate: 50/d}
    chips: %CHIPS%
    duration: {dist: exponential, mean: 2h}
)";
  auto with = [&](const std::string& chips) {
    std::string y = base;
    y.replace(y.find("%CHIPS%"), 7, chips);
    return test::scenario_from(y);
  };
  const Scenario a = with("8"), b = with("{dist: pow2, min: 8, max: 512}");
  auto sa = make_job_source(a.workload[0], 0, 11), sb = make_job_source(b.workload[0], 0, 11);
  for (int i = 0; i < 200; ++i) {
    const auto ja = sa->next(), jb = sb->next();
    REQUIRE(ja->submit == jb->submit);
    REQUIRE(ja->run == jb->run);
  }
}

TEST_CASE("a Poisson generator's arrival count matches its rate") {
  const Scenario s = test::scenario_from(R"(
horizon: 100d
factories: [{name: f, chip: H100, chips: 8}]
workload: [{arrivals: {dist: poisson, rate: 1000/d, until: 100d}, chips: 8, duration: 1h}]
)");
  auto src = make_job_source(s.workload[0], 0, 1);
  std::uint64_t n = 0;
  while (src->next()) ++n;
  // Poisson(100000): standard deviation ~316; 4 sigma.
  CHECK(std::fabs(static_cast<double>(n) - 100000.0) < 1265);
}
