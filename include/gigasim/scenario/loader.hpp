#pragma once
// Scenario files (YAML) -> Scenario structs, with validation. Every error is an InputError whose
// message starts "file:line:col: path: " and says what was expected (see docs/scenario-format.md).
#include <filesystem>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/scenario/input_limits.hpp"

namespace gigasim {

/// A change applied to the YAML document before it is read: `path` like "factories[0].chips" or
/// "policy.backfill", `value` read as YAML. Used by `gigasim sweep --set`.
struct ScenarioOverride {
  ScenarioOverride(std::string p, std::string v, std::string o = {})
      : path(std::move(p)), value(std::move(v)), origin(std::move(o)) {}
  std::string path;
  std::string value;
  /// How messages name it; empty: "--set PATH=VALUE" (e.g. "--horizon 1y" for that option).
  std::string origin;
  std::string name() const { return origin.empty() ? "--set " + path + "=" + value : origin; }
};

/// Reads and validates a scenario file (and the trace files it names, relative to its folder).
Scenario load_scenario(const std::filesystem::path& file, const std::vector<ScenarioOverride>& overrides = {},
                       const InputLimits& limits = {});

/// A file with `plans:` (capacity plans sharing one workload): one Scenario per plan, named after
/// it. A plain scenario file gives itself. (load_scenario refuses a plans file, naming its plans.)
std::vector<Scenario> load_plans(const std::filesystem::path& file, const std::vector<ScenarioOverride>& overrides = {},
                                 const InputLimits& limits = {});
std::vector<Scenario> parse_plans(std::string_view yaml, const std::string& file_label,
                                  const std::filesystem::path& base_dir,
                                  const std::vector<ScenarioOverride>& overrides = {},
                                  const InputLimits& limits = {});

/// Same from text already in memory; `file_label` is used in messages, `base_dir` resolves traces.
Scenario parse_scenario(std::string_view yaml, const std::string& file_label,
                        const std::filesystem::path& base_dir, const std::vector<ScenarioOverride>& overrides = {},
                        const InputLimits& limits = {});

}  // namespace gigasim
