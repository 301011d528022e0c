// gigasim sweep FILE --set PATH=VALUES ...: the cross product of parameter values;
// gigasim merge OUT IN...: join the CSVs of sweep shards.
#include <iostream>

#include "cli_common.hpp"
#include "gigasim/engine/sweep.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/atomic_file.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/sweep_report.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::cli {

int cmd_sweep(const std::vector<std::string>& args) {
  po::options_description opts(
      "gigasim sweep FILE --set PATH=VALUES [--set ...] [options]\n\n"
      "Runs the scenario at every point of the cross product of the --set values (the first --set\n"
      "varies slowest) and prints one row per point. PATH addresses the scenario's YAML, e.g.\n"
      "factories[0].chips, factories[gf-north].chips (by name) or policy.backfill; VALUES is a list a,b,c or a range start:stop:step\n"
      "(stop included). Each value is read as YAML. Replica r uses seed + r; results are identical\n"
      "whatever --threads is. --shard K/N runs every N-th point from the K-th, for a batch job\n"
      "array; `gigasim merge` joins the shards' --csv files into the unsharded file (docs/cluster.md).\n\n"
      "options");
  opts.add_options()
      ("set", po::value<std::vector<std::string>>(), "PATH=VALUES (repeatable)")
      ("shard", po::value<std::string>(), "K/N: run only this shard of the points")
      ("csv", po::value<std::string>(), "write one CSV row per point to this file")
      ("plan", po::value<std::string>(), "in a file with `plans:`, the plan to sweep");
  add_many_runs_options(opts, "point");
  add_output_options(opts, "write the results as JSON to this file");
  const auto parsed = parse_file_command(args, opts);
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  const std::string file = require_file(p, "sweep");
  if (!p.vm.count("set")) throw InputError("sweep: at least one --set PATH=VALUES is required");
  SweepOptions o;
  for (const auto& s : p.vm["set"].as<std::vector<std::string>>()) o.parameters.push_back(parse_sweep_parameter(s));
  const Limits limits = limits_option(p);
  o.input_limits = limits.input;
  o.limits = limits.run;
  o.replicas = replicas_option(p);
  o.threads = threads_option(p);
  o.seed = seed_option(p);
  if (p.vm.count("plan")) o.plan = p.vm["plan"].as<std::string>();
  o.horizon = horizon_option(p, file, o.input_limits);  // a date: against the file's `start`
  if (p.vm.count("shard")) {
    const std::string s = p.vm["shard"].as<std::string>();
    const auto slash = s.find('/');
    const auto k = slash == std::string::npos ? std::nullopt : parse_integer(s.substr(0, slash));
    const auto n = slash == std::string::npos ? std::nullopt : parse_integer(s.substr(slash + 1));
    if (!k || !n || *n < 1 || *k < 1 || *k > *n || *n > 1000000)
      throw InputError("--shard: expected K/N with 1 <= K <= N, got '" + s + "'");
    o.shard = static_cast<unsigned>(*k);
    o.shards = static_cast<unsigned>(*n);
  }
  std::optional<AtomicFile> csv;
  if (p.vm.count("csv")) csv.emplace(p.vm["csv"].as<std::string>());
  ResultFiles files(p);
  std::optional<Progress> progress;
  progress.emplace(p, "sweep");
  if (progress->enabled()) o.progress = [&](std::size_t d, std::size_t n) { progress->runs(d, n); };
  const SweepResult result = run_sweep(file, o);
  progress.reset();
  if (csv) {
    csv->write(sweep_csv(result));
    csv->commit();
  }
  files.write(to_json(result), [&] { return html_sweep_report(result); });
  if (prints_table(p)) std::cout << format_sweep_table(result);
  return 0;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts(
      "gigasim merge OUT.csv SHARD1.csv SHARD2.csv ...\n\n"
      "Joins the --csv files of `gigasim sweep --shard` runs into exactly the file an unsharded\n"
      "sweep writes. Fails on differing headers, a point seen twice or a missing point.\n\noptions");
  opts.add_options()("points", po::value<std::size_t>(),
                     "the number of points expected (detects a missing last shard)");
  const auto parsed = parse_files_command(args, opts, "output file, then the shard files");
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  const auto files = files_of(p);
  if (files.size() < 2) throw InputError("merge: expected OUT.csv and at least one shard file");
  std::vector<std::filesystem::path> inputs(files.begin() + 1, files.end());
  std::optional<std::size_t> expected;
  if (p.vm.count("points")) expected = p.vm["points"].as<std::size_t>();
  const std::string merged = merge_sweep_csv(inputs, expected);
  AtomicFile out(files.front());
  out.write(merged);
  out.commit();
  return 0;
}

}  // namespace gigasim::cli
