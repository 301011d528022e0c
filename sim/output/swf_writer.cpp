#include "gigasim/output/swf_writer.hpp"

#include <memory>
#include <queue>
#include <variant>

#include <boost/random/uniform_real_distribution.hpp>
#include <fmt/format.h>

#include "gigasim/core/random.hpp"
#include "gigasim/error.hpp"
#include "gigasim/model/compute.hpp"
#include "gigasim/model/job_source.hpp"
#include "gigasim/version.hpp"

namespace gigasim {

namespace {

// Seconds with millisecond decimals, no trailing zeros ("3600", "0.25").
std::string seconds(std::int64_t ms) {
  if (ms % 1000 == 0) return fmt::format("{}", ms / 1000);
  std::string s = fmt::format("{}.{:03}", ms / 1000, ms % 1000);
  while (s.back() == '0') s.pop_back();
  return s;
}

// Run time of a work-defined job on its tenant's first allowed factory, as the engine plans it.
Duration work_run_time(const Scenario& sc, const JobDraft& d) {
  const auto& sites = sc.tenants[d.tenant].sites;
  const FactorySpec& f = sc.factories[sites.empty() ? 0 : sites.front()];
  const ScalingModel& scaling = f.scaling ? *f.scaling : sc.compute.scaling;
  const double rate = job_flop_rate(f.chip, d.chips, d.work.precision, d.work.mfu, scaling);
  return std::max(Duration::from_seconds(std::min(d.work.flops / rate, kMaxDurationSeconds)), Duration::millis(1));
}

}  // namespace

std::uint64_t write_workload_swf(const Scenario& sc, std::optional<SimTime> horizon, std::optional<std::uint64_t> seed,
                                 AtomicFile& out) {
  const std::optional<SimTime> end = horizon ? horizon : sc.horizon;
  for (const auto& w : sc.workload)
    if (const auto* g = std::get_if<GeneratorSpec>(&w.source); g && !end && !g->arrivals.count && !g->arrivals.until)
      throw InputError(w.label + ": this generator never ends and the scenario has no horizon; give --horizon");
  const std::uint64_t s = seed.value_or(sc.seed);

  std::uint64_t chips = 0, nodes = 0;
  std::string factories;
  for (const auto& f : sc.factories) {
    chips += f.peak_chips();
    nodes += f.peak_chips() / f.node_size;
    factories += fmt::format("{}{} ({} x {})", factories.empty() ? "" : ", ", f.name, f.chips, f.chip.name);
  }
  std::string queues;
  for (std::size_t t = 0; t < sc.tenants.size(); ++t)
    queues += fmt::format("{}{} = {}", t ? ", " : "", t + 1, sc.tenants[t].name);
  out.write("; Version: 2.2\n");
  out.write(fmt::format("; Computer: gigasim {} scenario '{}' (seed {})\n", kVersion, sc.name, s));
  out.write(fmt::format("; Installation: {}\n", factories));
  out.write(fmt::format("; MaxNodes: {}\n; MaxProcs: {}\n", nodes, chips));
  out.write(fmt::format("; MaxQueues: {}\n; Queues: {} (tenants; field 12 user is the same)\n", sc.tenants.size(), queues));
  out.write("; Note: a workload, not a log: wait time and the fields of a schedule are -1; processors are chips;\n"
            ";       times in seconds, with millisecond decimals where not whole; requested time is the\n"
            ";       scheduler's runtime estimate. Replay in gigasim: format: swf, swf: {tenant_field: queue, tenant_map}\n");

  // Sources merged by (submit, declaration order), as the engine queues simultaneous arrivals.
  std::vector<std::unique_ptr<JobSource>> sources;
  std::vector<RandomEngine> estimate_rngs;
  std::vector<std::optional<JobDraft>> next;
  for (std::size_t i = 0; i < sc.workload.size(); ++i) {
    sources.push_back(make_job_source(sc.workload[i], i, s));
    estimate_rngs.push_back(make_stream(s, "workload/" + std::to_string(i) + "/estimate"));
    next.push_back(sources.back()->next());
  }
  using Key = std::pair<SimTime, std::size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> heap;
  for (std::size_t i = 0; i < next.size(); ++i)
    if (next[i]) heap.push({next[i]->submit, i});
  const EstimateSpec& e = sc.policy.estimate;
  std::uint64_t n = 0;
  while (!heap.empty()) {
    const auto [t, i] = heap.top();
    heap.pop();
    if (end && t >= *end) break;  // the engine handles no arrival at or after the horizon
    const JobDraft d = *next[i];
    next[i] = sources[i]->next();
    if (next[i]) heap.push({next[i]->submit, i});

    const Duration run = d.work.flops > 0 ? work_run_time(sc, d) : d.run;
    double factor = e.kind == EstimateSpec::Kind::Factor ? e.a : 1.0;
    if (e.kind == EstimateSpec::Kind::Uniform)  // the engine's draw, in the same order
      factor = e.a < e.b ? boost::random::uniform_real_distribution<double>(e.a, e.b)(estimate_rngs[i]) : e.a;
    if (d.estimate.ms() > 0 && d.work.flops <= 0) factor = static_cast<double>(d.estimate.ms()) / static_cast<double>(run.ms());
    // The engine holds the factor as a float; the estimate it plans with is this product.
    const double est_s = std::min(run.seconds_f() * static_cast<float>(factor), kMaxDurationSeconds);
    const Duration estimate = std::max(Duration::from_seconds(est_s), Duration::millis(1));
    // Shortest text that reads back as the same double.
    const std::string memory = d.memory_bytes > 0 ? fmt::format("{}", d.memory_bytes / 1024.0 / d.chips) : "-1";
    ++n;
    fmt::print(out.handle(), "{} {} -1 {} {} -1 -1 {} {} {} 1 {} -1 -1 {} -1 -1 -1\n", n, seconds(t.ms()), seconds(run.ms()),
               d.chips, d.chips, seconds(estimate.ms()), memory, d.tenant + 1, d.tenant + 1);
  }
  return n;
}

}  // namespace gigasim
