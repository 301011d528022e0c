#pragma once
// `gigasim sweep` results as a table, CSV (one row per point) and JSON; `gigasim merge` joins the
// CSV files of shards into exactly the file an unsharded sweep writes.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gigasim/engine/sweep.hpp"

namespace gigasim {

std::string format_sweep_table(const SweepResult& r);
/// Header: point, the parameter paths, then each metric and its `_ci95`.
std::string sweep_csv(const SweepResult& r);
nlohmann::ordered_json to_json(const SweepResult& r);

/// Joins shard CSVs: identical headers required; rows sorted by point; a duplicated or missing
/// point (a gap, or fewer than `expected_points` when given) is an InputError.
std::string merge_sweep_csv(const std::vector<std::filesystem::path>& inputs,
                            std::optional<std::size_t> expected_points);

}  // namespace gigasim
