// gigasim export FILE --swf OUT: the scenario's workload as an SWF file other simulators replay.
#include <iostream>

#include <fmt/format.h>

#include "cli_common.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/swf_writer.hpp"

namespace gigasim::cli {

int cmd_export(const std::vector<std::string>& args) {
  po::options_description opts(
      "gigasim export FILE --swf OUT [options]\n\n"
      "Writes the job stream the scenario's workload submits (up to the horizon) in the Standard\n"
      "Workload Format, for Batsim, the Slurm simulator, Alea -- or gigasim itself (`format: swf`).\n"
      "The workload does not depend on the plan or the policy; no simulation is run.\n\noptions");
  opts.add_options()
      ("swf", po::value<std::string>(), "write the workload as SWF to this file (required; - for standard output)")
      ("seed", po::value<std::string>(), "override the scenario's random seed")
      ("horizon", po::value<std::string>(), "override the horizon, e.g. 90d")
      ("plan", po::value<std::string>(), "in a file with `plans:`, the plan whose scenario to use");
  add_set_option(opts);
  add_limit_option(opts);
  const auto parsed = parse_file_command(args, opts);
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  if (!p.vm.count("swf")) throw InputError("export: --swf OUT is required");
  const Scenario scenario = load_command_scenario(p, "export", limits_option(p).input);
  AtomicFile out(p.vm["swf"].as<std::string>());
  const std::uint64_t n = write_workload_swf(scenario, horizon_option(p, scenario), seed_option(p), out);
  out.commit();
  if (!out.streamed()) std::cerr << fmt::format("export: {} jobs written\n", n);
  return 0;
}

}  // namespace gigasim::cli
