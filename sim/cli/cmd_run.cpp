// gigasim run FILE: one simulation, a summary table, optional JSON and per-job CSV.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "cli_common.hpp"
#include "gigasim/core/random.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/run_size.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::cli {

namespace {
// Above this many expected events a run is announced and shows progress (~1 min or more).
constexpr double kLongRunEvents = 2e8;
}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("gigasim run FILE [options]\n\nSimulates the scenario in FILE and prints "
                               "a summary table.\n\noptions");
  opts.add_options()
      ("seed", po::value<std::string>(), "override the scenario's random seed")
      ("horizon", po::value<std::string>(), "override the horizon, e.g. 90d")
      ("plan", po::value<std::string>(), "in a file with `plans:`, the plan to run")
      ("policy", po::value<std::string>(), "the policy, named as in bench (e.g. sjf+easy; parts left out keep the scenario's)")
      ("jobs-csv", po::value<std::string>(), "write one CSV row per job to this file")
      ("timeseries", po::value<std::string>(), "write interval means (chips by state, queue) as CSV to this file")
      ("interval", po::value<std::string>(), "time-series interval, e.g. 6h (default: 1d, or horizon/200 for --report)");
  add_set_option(opts);
  add_limit_option(opts);
  add_output_options(opts, "write the summary as JSON to this file");
  const auto parsed = parse_file_command(args, opts);
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  const Limits limits = limits_option(p);
  Scenario scenario = load_command_scenario(p, "run", limits.input);
  if (p.vm.count("policy")) {
    const std::string name = p.vm["policy"].as<std::string>();
    scenario.policy = parse_policy_name(name, scenario.policy);
    // Part of what was run, as --set is: the same file under another policy hashes differently.
    scenario.content_hash = fnv1a64("--policy " + name, scenario.content_hash);
  }
  SimulationOptions options;
  options.limits = limits.run;
  options.seed = seed_option(p);
  options.horizon = horizon_option(p, scenario);

  // Open every output first: a bad path fails before a long run, and nothing is left half-written.
  std::optional<AtomicFile> jobs_file, json_file;
  std::optional<JobsCsvWriter> jobs_writer;
  if (p.vm.count("jobs-csv")) {
    jobs_file.emplace(p.vm["jobs-csv"].as<std::string>());
    jobs_writer.emplace(*jobs_file);
    options.job_sink = &*jobs_writer;
  }
  if (p.vm.count("json")) json_file.emplace(p.vm["json"].as<std::string>());
  std::optional<AtomicFile> ts_file, report_file;
  std::optional<TimeseriesCsvWriter> ts_writer;
  TimeseriesCollector collector;
  struct Tee final : TimeseriesSink {
    std::vector<TimeseriesSink*> sinks;
    void row(const TimeseriesRow& r) override {
      for (auto* s : sinks) s->row(r);
    }
  } tee;
  if (p.vm.count("timeseries") || p.vm.count("report")) {
    Duration interval = Duration::days(1);
    const std::optional<SimTime> horizon = options.horizon ? options.horizon : scenario.horizon;
    if (const auto iv = duration_option(p, "interval")) {
      interval = *iv;
    } else if (p.vm.count("report") && horizon) {
      interval = std::max(Duration::millis(horizon->ms() / 200), Duration::seconds(60));
    }
    options.timeseries_interval = interval;
    options.timeseries = &tee;
  }
  if (p.vm.count("timeseries")) {
    ts_file.emplace(p.vm["timeseries"].as<std::string>());
    ts_writer.emplace(*ts_file);
    tee.sinks.push_back(&*ts_writer);
  }
  if (p.vm.count("report")) {
    report_file.emplace(p.vm["report"].as<std::string>());
    tee.sinks.push_back(&collector);
    options.wait_distribution = true;
  }

  std::optional<Progress> progress;
  const std::optional<SimTime> end = options.horizon ? options.horizon : scenario.horizon;
  // A run expected to take minutes says so before it starts, and shows how far it is.
  const RunSize size = estimate_run_size(scenario, end);
  const bool long_run = size.events() > kLongRunEvents;
  if (long_run && !p.vm.count("quiet"))
    std::cerr << fmt::format("note: about {:.2g} events expected ({:.2g} jobs, {:.2g} failure and {:.2g} maintenance "
                             "events); at 5-15 million events/s that is {:.0f}-{:.0f} s\n",
                             size.events(), size.jobs, size.failure_events, size.maintenance_events,
                             size.events() / 15e6, size.events() / 5e6);
  progress.emplace(p, "run", long_run);
  if (progress->enabled())
    options.progress = [&](const RunProgress& r) { progress->simulated(r, end, size.jobs, scenario.start_date); };
  const RunResult result = simulate(scenario, options);
  progress.reset();

  if (json_file) {
    json_file->write(to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    json_file->write("\n");
    json_file->commit();
  }
  if (jobs_file) jobs_file->commit();
  if (ts_file) ts_file->commit();
  if (report_file) {
    report_file->write(html_run_report(result, collector.rows));
    report_file->commit();
  }
  if (prints_table(p)) std::cout << format_table(result);
  return 0;
}

}  // namespace gigasim::cli
