// A year of 10^6 training jobs on one AI Gigafactory (100,000 B200) and one AI Factory
// (25,000 H100) -- the sizes of the EU programme (figures.md: Gigafactory >100k chips, AI Factory
// ~25k) -- under strict FIFO. Reports the median wall time over repetitions, events per second
// and the peak resident memory of the process.
//
// Workload: Poisson arrivals of 10^6 jobs over 365 days; sizes uniform over the powers of two
// from 8 to 16,384 chips (mean 2,730); lognormal durations (sigma 1) whose mean gives an
// offered load of 0.85 of the installed chips.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "gigasim/engine/simulation.hpp"

using namespace gigasim;

namespace {

Scenario year_scenario(double jobs, double load) {
  Scenario sc;
  sc.name = "bench-year";
  sc.horizon = SimTime::zero() + Duration::days(365);
  sc.seed = 42;
  sc.factories.push_back({"gf", *find_chip("B200"), 100'000, 8, SimTime::zero()});
  sc.factories.push_back({"af", *find_chip("H100"), 25'000, 8, SimTime::zero()});
  sc.tenants.push_back({"all", 1.0, 0, {}});
  GeneratorSpec g;
  g.arrivals.kind = ArrivalProcess::Kind::Poisson;
  g.arrivals.rate_per_s = jobs / (365 * kSecondsPerDay);
  g.chips.kind = ChipsDistribution::Kind::Pow2;
  g.chips.min = 8;
  g.chips.max = 16384;
  const double installed = 125'000;
  const double mean_run_s = load * installed / (g.arrivals.rate_per_s * g.chips.mean());
  const double sigma = 1.0;
  g.duration = {DurationDistribution::Kind::Lognormal, mean_run_s / std::exp(sigma * sigma / 2), sigma};
  sc.workload.push_back({"generated", g});
  return sc;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  double jobs = 1e6, load = 0.85;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--jobs")) jobs = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--load")) load = std::atof(argv[i + 1]);
  }
  const Scenario sc = year_scenario(jobs, load);
  std::vector<double> secs;
  RunResult last;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    last = simulate(sc);
    secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  const double median = secs[secs.size() / 2];
  std::printf("bench_year: strict FIFO, %.0f jobs offered at load %.2f on 125,000 chips over 365 d\n", jobs, load);
  std::printf("  submitted %llu, completed %llu, queued at end %llu, utilisation %.3f\n",
              static_cast<unsigned long long>(last.jobs.submitted),
              static_cast<unsigned long long>(last.jobs.completed),
              static_cast<unsigned long long>(last.jobs.queued_at_end), last.utilisation);
  std::printf("  wall time median %.3f s (min %.3f, max %.3f, %d runs)\n", median, secs.front(), secs.back(),
              repeats);
  std::printf("  events %llu, %.2f M events/s\n", static_cast<unsigned long long>(last.events),
              static_cast<double>(last.events) / median / 1e6);
  std::printf("  peak RSS %.1f MB\n", peak_rss_mb());
  return 0;
}
