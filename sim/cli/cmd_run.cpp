// gigasim run FILE: one simulation, a summary table, optional JSON and per-job CSV.
#include <iostream>
#include <optional>

#include "cli_common.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::cli {

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("gigasim run FILE [options]\n\nSimulates the scenario in FILE and prints "
                               "a summary table.\n\noptions");
  opts.add_options()
      ("file", po::value<std::string>(), "scenario file (YAML)")
      ("seed", po::value<std::uint64_t>(), "override the scenario's random seed")
      ("horizon", po::value<std::string>(), "override the horizon, e.g. 90d")
      ("json", po::value<std::string>(), "write the summary as JSON to this file")
      ("jobs-csv", po::value<std::string>(), "write one CSV row per job to this file")
      ("timeseries", po::value<std::string>(), "write interval means (chips by state, queue) as CSV to this file")
      ("interval", po::value<std::string>()->default_value("1d"), "time-series interval, e.g. 6h")
      ("quiet,q", "do not print the summary table");
  po::positional_options_description pos;
  pos.add("file", 1);
  const ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return 0;
  }
  const Scenario scenario = load_and_warn(require_file(p, "run"));
  SimulationOptions options;
  if (p.vm.count("seed")) options.seed = p.vm["seed"].as<std::uint64_t>();
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
  std::optional<AtomicFile> ts_file;
  std::optional<TimeseriesCsvWriter> ts_writer;
  if (p.vm.count("timeseries")) {
    const std::string iv = p.vm["interval"].as<std::string>();
    const auto d = parse_duration(iv);
    if (!d || d->ms() <= 0)
      throw InputError("--interval: expected a positive duration with a unit (e.g. 6h), got '" + iv + "'");
    options.timeseries_interval = *d;
    ts_file.emplace(p.vm["timeseries"].as<std::string>());
    ts_writer.emplace(*ts_file);
    options.timeseries = &*ts_writer;
  }

  const RunResult result = simulate(scenario, options);

  if (json_file) {
    json_file->write(to_json(result).dump(2));
    json_file->write("\n");
    json_file->commit();
  }
  if (jobs_file) jobs_file->commit();
  if (ts_file) ts_file->commit();
  if (!p.vm.count("quiet")) std::cout << format_table(result);
  return 0;
}

}  // namespace gigasim::cli
