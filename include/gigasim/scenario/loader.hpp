#pragma once
// Scenario files (YAML) -> Scenario structs, with validation. Every error is an InputError whose
// message starts "file:line:col: path: " and says what was expected (see docs/scenario-format.md).
#include <filesystem>
#include <string>
#include <string_view>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// Reads and validates a scenario file (and the trace files it names, relative to its folder).
Scenario load_scenario(const std::filesystem::path& file);

/// Same from text already in memory; `file_label` is used in messages, `base_dir` resolves traces.
Scenario parse_scenario(std::string_view yaml, const std::string& file_label,
                        const std::filesystem::path& base_dir);

}  // namespace gigasim
