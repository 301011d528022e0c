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
/// "stable", "GROWS" (every replica), "GROWS k/n" or "n/a": the backlog flag beside a policy's figures.
std::string format_backlog_flag(const Estimate& grows);

}  // namespace gigasim
