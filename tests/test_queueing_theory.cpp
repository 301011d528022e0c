// Validation against closed-form queueing results.
//
// M/M/c FIFO (Poisson arrivals at rate lambda, exponential service of mean 1/mu, c servers =
// c single-chip nodes), offered load a = lambda/mu, utilisation rho = a/c < 1:
//   Erlang B by recursion: B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))
//   Erlang C: C = B(c) / (1 - rho (1 - B(c)))          (probability that a job waits)
//   mean wait W_q = C / (c mu - lambda);  mean JCT W = W_q + 1/mu;  utilisation = rho.
// Little's law: mean queue length L_q = lambda W_q.
#include <catch2/catch.hpp>

#include <cmath>
#include <fmt/format.h>

#include "helpers.hpp"

using namespace gigasim;

namespace {

double erlang_c(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double rho = a / c;
  return b / (1 - rho * (1 - b));
}

RunResult run_mmc(int c, double rho, double horizon_h, std::uint64_t seed) {
  const double lambda_per_h = rho * c;  // mean service 1 h
  const std::string yaml = fmt::format(R"(
horizon: {}h
warmup: 2000h
seed: {}
factories: [{{name: pool, chip: H100, chips: {}, node_size: 1}}]
workload:
  - arrivals: {{dist: poisson, rate: {}/h}}
    chips: 1
    duration: {{dist: exponential, mean: 1h}}
)",
                                       horizon_h, seed, c, lambda_per_h);
  return simulate(test::scenario_from(yaml));
}

}  // namespace

TEST_CASE("M/M/c FIFO mean wait matches Erlang C for loads 0.5 to 0.9") {
  struct Point {
    int c;
    double rho;
    double horizon_h;
  };
  // Horizons long enough for a ~1.5% standard error of the mean wait (the autocorrelation of
  // waits grows like 1/(1-rho)^2, so heavier loads need longer runs).
  for (const Point p : {Point{4, 0.5, 1.0e6}, Point{8, 0.7, 6.0e5}, Point{16, 0.9, 6.0e5}}) {
    const double a = p.rho * p.c;
    const double lambda = a;  // per hour, mu = 1/h
    const double wq_h = erlang_c(p.c, a) / (p.c - lambda);
    const RunResult r = run_mmc(p.c, p.rho, p.horizon_h, 2024);
    INFO(fmt::format("c={} rho={} Erlang C Wq={:.5f} h, simulated {:.5f} h over {} jobs", p.c, p.rho, wq_h,
                     r.wait_s.mean / 3600, r.wait_s.count));
    CHECK(r.wait_s.mean / 3600 == Approx(wq_h).epsilon(0.05));
    CHECK(r.jct_s.mean / 3600 == Approx(wq_h + 1.0).epsilon(0.01));
    CHECK(r.utilisation == Approx(p.rho).epsilon(0.01));
  }
}

TEST_CASE("Little's law holds on the simulated output: L_q = lambda W_q, L = lambda W") {
  const RunResult r = run_mmc(8, 0.8, 2.0e5, 99);
  const double lambda_per_s = r.arrivals_per_day / 86400.0;
  // Few jobs straddle the window edges, so the identity holds to well under 1%.
  CHECK(r.mean_queue_length == Approx(lambda_per_s * r.wait_s.mean).epsilon(0.01));
  // Jobs in service: L_s = lambda / mu = rho c.
  CHECK(r.mean_running_jobs == Approx(lambda_per_s * 3600).epsilon(0.01));
}
