#pragma once
// `gigasim bench` results as a table and as JSON (field names: docs/metrics.md).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gigasim/engine/policy_bench.hpp"

namespace gigasim {

nlohmann::ordered_json to_json(const BenchResult& r);
std::string format_bench_table(const BenchResult& r);
/// One line of verdicts per policy after the first: the top of the bench table.
std::vector<std::string> bench_verdict_lines(const BenchResult& r);

}  // namespace gigasim
