// gigasim check FILE, gigasim chips and gigasim policies: validation, the chip catalog and the policy parts.
#include <iostream>

#include <fmt/format.h>

#include "cli_common.hpp"
#include "gigasim/model/chip.hpp"
#include "gigasim/model/validate.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/loader.hpp"

namespace gigasim::cli {

int cmd_check(const std::vector<std::string>& args) {
  po::options_description opts("gigasim check FILE\n\nValidates a scenario and the trace files it names; "
                                "exits 0 if it is valid, 2 with the first error otherwise.\n\noptions");
  add_set_option(opts);
  add_limit_option(opts);
  const auto parsed = parse_file_command(args, opts);
  if (!parsed) return 0;
  const std::string file = require_file(*parsed, "check");
  const auto plans = load_plans(file, set_overrides(*parsed), limits_option(*parsed).input);  // a plain scenario is one plan
  for (const Scenario& sc : plans) {
    for (const auto& w : sc.warnings) std::cerr << "warning: " << w << "\n";
    validate(sc);  // what every run checks, so `check` never passes what `run` refuses
    std::uint64_t chips = 0;
    for (const auto& f : sc.factories) chips += f.chips;
    std::cout << fmt::format("{}: ok -- {} '{}', {} factories ({} chips), {} tenants, {} workload sources{}\n", file,
                             plans.size() > 1 ? "plan" : "scenario", sc.name, sc.factories.size(), chips,
                             sc.tenants.size(), sc.workload.size(),
                             sc.services.empty() ? "" : fmt::format(", {} inference services", sc.services.size()));
  }
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

int cmd_policies(const std::vector<std::string>& args) {
  po::options_description opts("gigasim policies\n\nLists the parts a policy is made of (scenario `policy:` keys, or joined by '+' in\n"
                                "`gigasim bench --policies`, e.g. sjf+easy+best-fit); docs/semantics.md defines each.\n\noptions");
  po::positional_options_description pos;
  const ParsedArgs p = parse(args, opts, pos);
  if (p.help) {
    std::cout << opts << "\n";
    return 0;
  }
  for (const auto& group : policy_parts()) {
    std::cout << group.title << ":\n";
    for (const auto& part : group.parts) std::cout << fmt::format("  {:<14}{}\n", part.name, part.help);
  }
  return 0;
}

}  // namespace gigasim::cli
