// gigasim command-line interface. Exit codes: 0 success, 1 runtime/output failure,
// 2 bad input (scenario, trace, command line). Errors go to stderr, results to stdout/files.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "gigasim/engine/simulation.hpp"
#include "gigasim/error.hpp"
#include "gigasim/model/chip.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"
#include "gigasim/version.hpp"

namespace po = boost::program_options;
using namespace gigasim;

namespace {

constexpr const char* kUsage =
    "usage: gigasim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE     simulate a scenario and print its summary\n"
    "  check FILE   validate a scenario (and its trace files) without running it\n"
    "  chips        list the built-in accelerator catalog\n"
    "\n"
    "`gigasim <command> --help` describes a command's options; `gigasim --version` prints the version.\n";

struct ParsedArgs {
  po::variables_map vm;
  bool help = false;
};

ParsedArgs parse(const std::vector<std::string>& args, po::options_description& opts,
                 const po::positional_options_description& pos) {
  opts.add_options()("help,h", "show this help");
  ParsedArgs p;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), p.vm);
    po::notify(p.vm);
  } catch (const po::error& e) {
    throw InputError(e.what());
  }
  p.help = p.vm.count("help") > 0;
  return p;
}

std::string require_file(const ParsedArgs& p, const char* command) {
  if (!p.vm.count("file")) throw InputError(std::string(command) + ": missing scenario FILE (see --help)");
  return p.vm["file"].as<std::string>();
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("gigasim run FILE [options]\n\nSimulates the scenario in FILE and prints "
                               "a summary table.\n\noptions");
  opts.add_options()
      ("file", po::value<std::string>(), "scenario file (YAML)")
      ("seed", po::value<std::uint64_t>(), "override the scenario's random seed")
      ("horizon", po::value<std::string>(), "override the horizon, e.g. 90d")
      ("json", po::value<std::string>(), "write the summary as JSON to this file")
      ("jobs-csv", po::value<std::string>(), "write one CSV row per job to this file")
      ("quiet,q", "do not print the summary table");
  po::positional_options_description pos;
  pos.add("file", 1);
  const ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return 0;
  }
  const Scenario scenario = load_scenario(require_file(p, "run"));
  SimulationOptions options;
  if (p.vm.count("seed")) options.seed = p.vm["seed"].as<std::uint64_t>();
  if (p.vm.count("horizon")) {
    const std::string h = p.vm["horizon"].as<std::string>();
    const auto d = parse_duration(h);
    if (!d || d->ms() <= 0)
      throw InputError("--horizon: expected a positive duration with a unit (e.g. 90d), got '" + h + "'");
    if (SimTime::zero() + scenario.warmup >= SimTime::zero() + *d)
      throw InputError("--horizon: expected more than the scenario's warm-up (" +
                       format_duration(scenario.warmup.seconds_f()) + "), got '" + h + "'");
    options.horizon = SimTime::zero() + *d;
  }

  // Open every output first: a bad path fails before a long run, and nothing is left half-written.
  std::optional<AtomicFile> jobs_file, json_file;
  std::optional<JobsCsvWriter> jobs_writer;
  if (p.vm.count("jobs-csv")) {
    jobs_file.emplace(p.vm["jobs-csv"].as<std::string>());
    jobs_writer.emplace(*jobs_file);
    options.job_sink = &*jobs_writer;
  }
  if (p.vm.count("json")) json_file.emplace(p.vm["json"].as<std::string>());

  const RunResult result = simulate(scenario, options);

  if (json_file) {
    json_file->write(to_json(result).dump(2));
    json_file->write("\n");
    json_file->commit();
  }
  if (jobs_file) jobs_file->commit();
  if (!p.vm.count("quiet")) std::cout << format_table(result);
  return 0;
}

int cmd_check(const std::vector<std::string>& args) {
  po::options_description opts("gigasim check FILE\n\nValidates a scenario and the trace files it names; "
                                "exits 0 if it is valid, 2 with the first error otherwise.\n\noptions");
  opts.add_options()("file", po::value<std::string>(), "scenario file (YAML)");
  po::positional_options_description pos;
  pos.add("file", 1);
  const ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return 0;
  }
  const std::string file = require_file(p, "check");
  const Scenario sc = load_scenario(file);
  std::uint64_t chips = 0;
  for (const auto& f : sc.factories) chips += f.chips;
  std::cout << fmt::format("{}: ok -- scenario '{}', {} factories ({} chips), {} tenants, {} workload sources\n",
                           file, sc.name, sc.factories.size(), chips, sc.tenants.size(), sc.workload.size());
  return 0;
}

int cmd_chips(const std::vector<std::string>& args) {
  po::options_description opts("gigasim chips\n\nLists the built-in accelerator catalog (dense per-chip "
                               "figures from vendor datasheets; see docs/chips.md).\n\noptions");
  po::positional_options_description pos;
  const ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return 0;
  }
  std::cout << fmt::format("{:<10}{:<8}{:<18}{:>6}{:>11}{:>10}{:>8}{:>9}{:>8}{:>10}\n", "name", "vendor",
                           "model", "year", "BF16 TF/s", "FP8 TF/s", "HBM GB", "HBM TB/s", "TDP W",
                           "scale-up");
  for (const auto& c : chip_catalog())
    std::cout << fmt::format("{:<10}{:<8}{:<18}{:>6}{:>11.0f}{:>10}{:>8.0f}{:>9.2f}{:>8}{:>10}\n", c.name,
                             c.vendor, c.model, c.year, c.bf16_flops / 1e12,
                             c.fp8_flops > 0 ? fmt::format("{:.0f}", c.fp8_flops / 1e12) : "-",
                             c.hbm_bytes / 1e9, c.hbm_bandwidth / 1e12,
                             c.tdp_watts > 0 ? fmt::format("{:.0f}", c.tdp_watts) : "n/p", c.scale_up);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      std::cerr << kUsage;
      return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (command == "--version" || command == "version") {
      std::cout << "gigasim " << kVersion << "\n";
      return 0;
    }
    if (command == "run") return cmd_run(args);
    if (command == "check") return cmd_check(args);
    if (command == "chips") return cmd_chips(args);
    std::cerr << "gigasim: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 1;
  }
}
