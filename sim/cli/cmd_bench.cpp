// gigasim bench FILE --policies a,b,...: one workload under several allocation policies.
#include <iostream>

#include "cli_common.hpp"
#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/atomic_file.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/loader.hpp"

namespace gigasim::cli {

int cmd_bench(const std::vector<std::string>& args) {
  // The names come from the registry's tables (also those registered by an embedding).
  const auto names = join_names;
  const std::string help =
      "gigasim bench FILE --policies P1,P2,... [options]\n\n"
      "Runs the scenario's workload under each policy -- the identical job stream for every policy\n"
      "(common random numbers) -- and prints one row per policy. A policy is names joined by '+':\n"
      "a queue order (" + names(known_queue_orders()) + "), a backfill (" + names(known_backfills()) + ")\n"
      "and/or a placement (" + names(known_placements()) + "), and for conservative backfilling its\n"
      "mode (guarantee, replan); parts left out keep the scenario's (`gigasim policies` says what\n"
      "each does). E.g.\n"
      "  --policies fifo+none,easy,sjf+easy,fair-share+easy+best-fit,sjf+conservative+replan\n"
      "Replica r uses seed + r; with several replicas each figure is a mean with a 95% confidence\n"
      "interval. Results are identical whatever --threads is.\n\noptions";
  po::options_description opts(help);
  opts.add_options()("policies", po::value<std::string>(), "comma-separated policies (required)")
      ("plan", po::value<std::string>(), "in a file with `plans:`, the plan whose capacity the policies share");
  add_precision_options(opts);
  add_many_runs_options(opts, "policy");
  add_set_option(opts);
  add_output_options(opts, "write the results as JSON to this file");
  const auto parsed = parse_file_command(args, opts);
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  const Limits limits = limits_option(p);
  const Scenario scenario = load_command_scenario(p, "bench", limits.input);
  if (!p.vm.count("policies")) throw InputError("bench: --policies is required (e.g. --policies fifo,easy)");
  BenchOptions options;
  const std::string list = p.vm["policies"].as<std::string>();
  for (std::size_t pos0 = 0; pos0 <= list.size();) {
    const std::size_t comma = std::min(list.find(',', pos0), list.size());
    options.policies.push_back(parse_policy_name(list.substr(pos0, comma - pos0), scenario.policy));
    pos0 = comma + 1;
  }
  options.limits = limits.run;
  options.replicas = replicas_option(p);
  options.threads = threads_option(p);
  options.seed = seed_option(p);
  options.horizon = horizon_option(p, scenario);
  const PrecisionChoice precision = precision_choice(p, options.replicas);
  options.precision = precision.precision;
  options.max_replicas = precision.max_replicas;

  ResultFiles files(p);
  std::optional<Progress> progress;
  progress.emplace(p, "bench");
  if (progress->enabled()) options.progress = [&](std::size_t d, std::size_t n) { progress->runs(d, n); };
  const BenchResult result = run_policy_bench(scenario, options);
  progress.reset();
  files.write(to_json(result), [&] { return html_bench_report(result); });
  if (prints_table(p)) std::cout << format_bench_table(result);
  return 0;
}

}  // namespace gigasim::cli
