// Engine throughput on one AI Gigafactory (100,000 B200) and one AI Factory (25,000 H100) -- the
// sizes of the EU programme (Gigafactory >100k chips, AI Factory ~25k) -- for each policy asked
// for. Reports the median wall time over repetitions, events per second and peak resident memory.
//
// Workloads:
//   year     Poisson arrivals of J jobs (default 10^6) over 365 days; sizes uniform over the
//            powers of two from 8 to 16,384 chips (mean 2,730); lognormal durations (sigma 1)
//            whose mean gives an offered load L (default 0.85) of the installed chips.
//   backlog  the same J jobs all submitted at time 0 and drained to the last completion: the
//            queue holds 10^6 jobs, so any per-pass cost that grows with the queue shows.
//   --tenants N splits the same arrivals among N tenants of equal share (one generator each), so
//            fair-share orders have rankings that change (default 1).
//   --eu        instead: the EU programme at the job rate of real LLM clusters -- 20 factories
//            (4 Gigafactories of 100,000 B200 and 16 AI Factories of 25,000 H100: 800,000 chips),
//            4 tenants, J jobs (default 10^8) over 365 days: the llm-dev mix for development
//            jobs (Hu et al., NSDI'24: ~90% short) plus large training runs (1,024-16,384 chips,
//            days) that bring the offered load to L, node failures and checkpoints as
//            --failures. Meant with --policies fair-share+easy (issue #13's 10^8-job year).
//   --trace     also replays the same jobs from a CSV trace (written once to a temporary file,
//            then loaded and streamed on every repetition) and reports the replay's time -- load
//            included -- as a ratio to the generated run's, checking that both give one result.
//   --reference also runs a minimal reference simulator of strict FIFO (reference_fifo.hpp) on
//            the same jobs, checks that it gives the same schedule and reports gigasim's time
//            as a ratio to it (issue #13's target: strict FIFO <= 2x). For `fifo` only.
//   --failures  adds node failures at the top of Meta's reported range (6.5 per 1,000
//            node-days: node MTBF 3,700 h; Kokolis et al. 2024), lognormal repairs (mean 6 h,
//            cv 1), Young-interval checkpoints (cost 1 min, restart 5 min) and requeueing.
//
// Usage: bench_year [--repeats N] [--jobs J] [--load L] [--policies fifo,easy,...] [--backlog]
//                   [--failures] [--tenants N] [--trace] [--reference]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include <string>

#include <unistd.h>

#include <filesystem>

#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/job_source.hpp"
#include "gigasim/model/workload_mixes.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/trace_csv.hpp"
#include "reference_fifo.hpp"

using namespace gigasim;

namespace {

FailureSpec meta_failures();

Scenario year_scenario(double jobs, double load, bool backlog, bool failures, int tenants) {
  Scenario sc;
  sc.name = backlog ? "bench-backlog" : "bench-year";
  if (!backlog) sc.horizon = SimTime::zero() + Duration::days(365);
  sc.seed = 42;
  FactorySpec gf, af;
  gf.name = "gf", gf.chip = *find_chip("B200"), gf.chips = 100'000, gf.node_size = 8;
  af.name = "af", af.chip = *find_chip("H100"), af.chips = 25'000, af.node_size = 8;
  if (failures) {
    gf.failures = af.failures = meta_failures();
    sc.checkpoint = {CheckpointSpec::Mode::Auto, Duration{}, Duration::seconds(60), Duration::seconds(300)};
  }
  sc.factories = {gf, af};
  for (int t = 0; t < tenants; ++t)
    sc.tenants.push_back({tenants == 1 ? "all" : "t" + std::to_string(t), 1.0, 0, {}, std::nullopt, false, std::nullopt});
  GeneratorSpec g;
  g.arrivals.kind = ArrivalProcess::Kind::Poisson;
  g.arrivals.rate_per_s = jobs / (365 * kSecondsPerDay);
  JobClassSpec c;
  c.chips.kind = ChipsDistribution::Kind::Pow2;
  c.chips.min = 8;
  c.chips.max = 16384;
  const double installed = 125'000;
  const double mean_run_s = load * installed / (g.arrivals.rate_per_s * c.chips.mean());
  const double sigma = 1.0;
  c.duration = {DurationDistribution::Kind::Lognormal, mean_run_s / std::exp(sigma * sigma / 2), sigma, {}};
  g.classes.push_back(c);
  if (backlog) {
    g.arrivals.kind = ArrivalProcess::Kind::Fixed;
    g.arrivals.interval = Duration::millis(0);  // every job at time 0
    g.arrivals.count = static_cast<std::uint64_t>(jobs);
  }
  if (tenants > 1) {
    g.arrivals.rate_per_s /= tenants;
    if (g.arrivals.count) *g.arrivals.count /= static_cast<std::uint64_t>(tenants);
  }
  for (int t = 0; t < tenants; ++t) {
    g.tenant = static_cast<std::uint16_t>(t);
    sc.workload.push_back({"generated/" + std::to_string(t), g, std::nullopt});
  }
  return sc;
}

// Writes the jobs the scenario's (one) generator submits before its horizon as a CSV trace.
std::uint64_t write_trace(const Scenario& sc, const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + file.string());
  std::fputs("submit,chips,duration\n", f);
  const auto source = make_job_source(sc.workload.at(0), 0, sc.seed);
  std::uint64_t n = 0;
  while (const auto d = source->next()) {
    if (sc.horizon && d->submit > *sc.horizon) break;
    std::fprintf(f, "%.3f,%u,%.3f\n", static_cast<double>(d->submit.ms()) / 1000.0, d->chips,
                 static_cast<double>(d->run.ms()) / 1000.0);
    ++n;
  }
  std::fclose(f);
  return n;
}

// Node failures at the top of Meta's reported range (Kokolis et al. 2024) and Young-interval
// checkpoints, as --failures.
FailureSpec meta_failures() {
  FailureSpec fs;
  fs.node_mtbf = Duration::hours(3700);
  fs.repair = {DurationDistribution::Kind::Lognormal, 6 * 3600 / std::sqrt(2.0), std::sqrt(std::log(2.0)), {}};
  return fs;
}

Scenario eu_scenario(double jobs, double load) {
  Scenario sc;
  sc.name = "bench-eu-year";
  sc.horizon = SimTime::zero() + Duration::days(365);
  sc.seed = 42;
  // Sizes: figures.md -- an AI Factory ~25,000 accelerators, a Gigafactory >= 100,000.
  for (int f = 0; f < 20; ++f) {
    FactorySpec fs;
    const bool giga = f < 4;
    fs.name = (giga ? "gf-" : "af-") + std::to_string(f);
    fs.chip = *find_chip(giga ? "B200" : "H100");
    fs.chips = giga ? 100'000 : 25'000;
    fs.node_size = 8;
    fs.failures = meta_failures();
    sc.factories.push_back(fs);
  }
  sc.checkpoint = {CheckpointSpec::Mode::Auto, Duration{}, Duration::seconds(60), Duration::seconds(300)};
  const char* names[] = {"industry", "research", "startups", "public-sector"};
  const double shares[] = {0.4, 0.35, 0.15, 0.1};
  for (int t = 0; t < 4; ++t) sc.tenants.push_back({names[t], shares[t], 0, {}, std::nullopt, false, std::nullopt});
  const double year_s = 365 * kSecondsPerDay, installed = 800'000;
  // Development jobs: the llm-dev mix, 99% of the jobs, arriving in proportion to the shares.
  const auto mix = *find_workload_mix("llm-dev");
  double dev_chip_s = 0, class_share = 0;  // chip-seconds per development job (~whole nodes: at least 8)
  for (const auto& c : mix) class_share += c.share;
  for (const auto& c : mix) dev_chip_s += c.share / class_share * std::max(8.0, c.chips.mean()) * c.duration.mean_seconds();
  const double dev_jobs = 0.99 * jobs, big_jobs = 0.01 * jobs;
  for (int t = 0; t < 4; ++t) {
    GeneratorSpec g;
    g.tenant = static_cast<std::uint16_t>(t);
    g.arrivals.kind = ArrivalProcess::Kind::Poisson;
    g.arrivals.rate_per_s = dev_jobs * shares[t] / year_s;
    g.classes = mix;
    sc.workload.push_back({"dev/" + std::string(names[t]), g, std::nullopt});
  }
  // Training runs: 1% of the jobs, powers of two from 1,024 to 16,384 chips, lognormal
  // durations (sigma 1) whose mean fills the offered load left by the development jobs.
  JobClassSpec train;
  train.chips.kind = ChipsDistribution::Kind::Pow2;
  train.chips.min = 1024;
  train.chips.max = 16384;
  const double left = std::max(0.05, load * installed * year_s - dev_jobs * dev_chip_s);
  const double mean_run_s = left / (big_jobs * train.chips.mean());
  train.duration = {DurationDistribution::Kind::Lognormal, mean_run_s / std::exp(0.5), 1.0, {}};
  for (int t = 0; t < 2; ++t) {  // industry and research
    GeneratorSpec g;
    g.tenant = static_cast<std::uint16_t>(t);
    g.arrivals.kind = ArrivalProcess::Kind::Poisson;
    g.arrivals.rate_per_s = big_jobs / 2 / year_s;
    g.classes = {train};
    sc.workload.push_back({"training/" + std::string(names[t]), g, std::nullopt});
  }
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
  std::optional<double> jobs_arg;  // default: 10^6, or 10^8 with --eu
  double load = 0.85;
  bool backlog = false, failures = false;
  int tenants = 1;
  bool trace = false, eu = false, reference = false;
  std::string policies = "fifo";
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (!std::strcmp(argv[i], "--backlog")) backlog = true;
    else if (!std::strcmp(argv[i], "--failures")) failures = true;
    else if (!std::strcmp(argv[i], "--repeats") && has_value) repeats = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--jobs") && has_value) jobs_arg = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--load") && has_value) load = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--policies") && has_value) policies = argv[++i];
    else if (!std::strcmp(argv[i], "--tenants") && has_value) tenants = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--trace")) trace = true;
    else if (!std::strcmp(argv[i], "--eu")) eu = true;
    else if (!std::strcmp(argv[i], "--reference")) reference = true;
    else {
      std::fprintf(stderr,
                   "usage: bench_year [--repeats N] [--jobs J] [--load L] [--policies a,b] [--backlog] [--failures]"
                   " [--tenants N] [--trace] [--eu] [--reference]\n");
      return 2;
    }
  }
  const double jobs = jobs_arg.value_or(eu ? 1e8 : 1e6);
  Scenario sc = eu ? eu_scenario(jobs, load) : year_scenario(jobs, load, backlog, failures, tenants);
  if (trace && (tenants > 1 || eu)) {
    std::fprintf(stderr, "bench_year: --trace replays one generator: leave out --tenants\n");
    return 2;
  }
  const std::filesystem::path trace_file =
      std::filesystem::temp_directory_path() / ("bench_year-" + std::to_string(::getpid()) + ".csv");
  Scenario replay = sc;
  if (trace) {
    const std::uint64_t n = write_trace(sc, trace_file);
    std::printf("trace: %llu jobs in %s (%.1f MB)\n", static_cast<unsigned long long>(n), trace_file.c_str(),
                static_cast<double>(std::filesystem::file_size(trace_file)) / 1e6);
  }
  if (eu)
    std::printf("bench_year --eu: 365 days, %.0f jobs (99%% llm-dev, 1%% training runs), offered load %.2f, "
                "20 factories, 800,000 chips, node failures (MTBF 3,700 h), 4 tenants\n", jobs, load);
  else
    std::printf("bench_year: %s, %.0f jobs, offered load %.2f, 125,000 chips%s, %d tenant(s)\n",
                backlog ? "backlog (all jobs at time 0)" : "365 days of Poisson arrivals", jobs, load,
                failures ? ", node failures (MTBF 3,700 h)" : "", tenants);
  std::printf("%-26s %10s %10s %10s %12s %10s %8s %8s %10s\n", "policy", "median s", "min s", "max s",
              "M events/s", "peak MB", "util", "goodput", "interrupts");
  std::size_t pos = 0;
  while (pos <= policies.size()) {
    const std::size_t comma = std::min(policies.find(',', pos), policies.size());
    const std::string name = policies.substr(pos, comma - pos);
    pos = comma + 1;
    sc.policy = parse_policy_name(name, PolicySpec{});
    std::vector<double> secs;
    RunResult last;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      last = simulate(sc);
      secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(secs.begin(), secs.end());
    const double median = secs[secs.size() / 2];
    std::printf("%-26s %10.3f %10.3f %10.3f %12.2f %10.1f %8.3f %8.3f %10llu\n", policy_name(sc.policy).c_str(),
                median, secs.front(), secs.back(), static_cast<double>(last.events) / median / 1e6, peak_rss_mb(),
                last.utilisation, last.goodput, static_cast<unsigned long long>(last.interruptions.total));
    if (reference && name == "fifo") {
      // The reference runs the same jobs (drawn from the same generator) through strict FIFO.
      std::vector<double> ref_secs;
      bench::ReferenceResult ref;
      for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        ref = bench::run_reference_fifo(sc);
        ref_secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      std::sort(ref_secs.begin(), ref_secs.end());
      const double ref_median = ref_secs[ref_secs.size() / 2];
      const bool same = ref.started == last.jobs.started && ref.completed == last.jobs.completed &&
                        std::abs(ref.utilisation - last.utilisation) <= 1e-12 * std::max(1.0, last.utilisation);
      std::printf("%-26s %10.3f %10.3f %10.3f %12s %10.1f %8.3f %8s   gigasim / reference %.2f, %s\n",
                  "  reference strict FIFO", ref_median, ref_secs.front(), ref_secs.back(), "", peak_rss_mb(),
                  ref.utilisation, "", median / ref_median, same ? "same schedule" : "SCHEDULE DIFFERS");
    }
    if (!trace) continue;
    // The same jobs from the CSV: loaded (every row read and checked) then streamed by the run.
    replay.policy = sc.policy;
    std::vector<double> replay_secs, load_secs;
    RunResult replayed;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      TraceOptions o;
      o.default_tenant = 0;
      replay.workload = {{"trace", TraceSpec{read_trace_csv(trace_file, replay.tenants, o).table}, std::nullopt}};
      const auto t1 = std::chrono::steady_clock::now();
      replayed = simulate(replay);
      load_secs.push_back(std::chrono::duration<double>(t1 - t0).count());
      replay_secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(replay_secs.begin(), replay_secs.end());
    std::sort(load_secs.begin(), load_secs.end());
    const bool same = replayed.utilisation == last.utilisation && replayed.jobs.completed == last.jobs.completed &&
                      replayed.wait_s.mean == last.wait_s.mean;
    std::printf("%-26s %10.3f %10.3f %10.3f %12.2f %10.1f %8.3f %8.3f   load %.3f s, ratio %.2f, %s\n",
                "  same jobs from CSV", replay_secs[replay_secs.size() / 2], replay_secs.front(), replay_secs.back(),
                static_cast<double>(replayed.events) / replay_secs[replay_secs.size() / 2] / 1e6, peak_rss_mb(),
                replayed.utilisation, replayed.goodput, load_secs[load_secs.size() / 2],
                replay_secs[replay_secs.size() / 2] / median, same ? "same result" : "RESULT DIFFERS");
  }
  if (trace) std::filesystem::remove(trace_file);
  return 0;
}
