// gigasim compare A.yaml B.yaml ... | gigasim compare PLANS.yaml: capacity plans side by side.
#include <iostream>

#include "cli_common.hpp"
#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/atomic_file.hpp"
#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/scenario/loader.hpp"

namespace gigasim::cli {

int cmd_compare(const std::vector<std::string>& args) {
  po::options_description opts(
      "gigasim compare A.yaml B.yaml ... | gigasim compare PLANS.yaml [options]\n\n"
      "Runs every capacity plan on the identical job stream (common random numbers: replica r of\n"
      "every plan uses seed + r, and the workload does not depend on the plan) and prints them side\n"
      "by side with their differences to the first plan. Each file is a scenario, or a file with\n"
      "`plans:` (several plans sharing one workload). With --replicas, figures are means with 95%\n"
      "confidence intervals; differences are paired per replica, and each plan gets a verdict per\n"
      "headline figure: better, worse or no significant difference at 95%.\n\noptions");
  add_many_runs_options(opts, "plan");
  add_set_option(opts);
  add_precision_options(opts);
  add_output_options(opts, "write the results as JSON to this file");
  const auto parsed = parse_files_command(args, opts, "scenario or plans files");
  if (!parsed) return 0;
  const ParsedArgs& p = *parsed;
  const auto files = files_of(p);
  if (files.empty()) throw InputError("compare: expected scenario files (or one file with `plans:`)");
  std::vector<Scenario> plans;
  const auto overrides = load_overrides(p);
  const Limits limits = limits_option(p);
  for (const auto& file : files) {
    for (Scenario& s : load_plans(file, overrides, limits.input)) {
      for (const auto& w : s.warnings) std::cerr << "warning: " << w << "\n";
      // Plans from different files may share a name: keep names unique in the table.
      std::string name = s.name;
      for (int k = 2;; ++k) {
        bool taken = false;
        for (const auto& other : plans) taken |= other.name == name;
        if (!taken) break;
        name = s.name + "#" + std::to_string(k);
      }
      s.name = name;
      plans.push_back(std::move(s));
    }
  }
  if (plans.size() < 2) throw InputError("compare: expected at least two plans (two files, or `plans:` with two entries)");
  CompareOptions options;
  options.limits = limits.run;
  options.replicas = replicas_option(p);
  options.threads = threads_option(p);
  options.seed = seed_option(p);
  options.horizon = horizon_option(p, plans.front());  // the loader checked it against every plan's warm-up
  const PrecisionChoice precision = precision_choice(p, options.replicas);
  options.precision = precision.precision;
  options.max_replicas = precision.max_replicas;

  ResultFiles outputs(p);
  std::optional<Progress> progress;
  progress.emplace(p, "compare");
  if (progress->enabled()) options.progress = [&](std::size_t d, std::size_t n) { progress->runs(d, n); };
  const CompareResult result = run_plan_compare(plans, options);
  progress.reset();
  outputs.write(to_json(result), [&] { return html_compare_report(result); });
  if (prints_table(p)) std::cout << format_compare_table(result);
  return 0;
}

}  // namespace gigasim::cli
