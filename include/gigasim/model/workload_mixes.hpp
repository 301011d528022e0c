#pragma once
// Named presets of job classes for generators (`mix: llm-dev`), calibrated to published cluster
// characterisations. Each preset's calibration and its sources: docs/compute-model.md, "Job
// classes and the `llm-dev` mix".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// The classes of a named mix; nullopt when unknown.
std::optional<std::vector<JobClassSpec>> find_workload_mix(std::string_view name);
std::vector<std::string> workload_mix_names();

}  // namespace gigasim
