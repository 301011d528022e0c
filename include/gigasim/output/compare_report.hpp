#pragma once
// `gigasim compare` results as a side-by-side table and as JSON (field names: docs/metrics.md).
#include <string>

#include <nlohmann/json.hpp>

#include "gigasim/engine/plan_compare.hpp"

namespace gigasim {

nlohmann::ordered_json to_json(const CompareResult& r);
std::string format_compare_table(const CompareResult& r);
/// A value of a compare metric as text ("12.3%", "4.2h", "1.2e+06").
std::string format_metric(CompareMetric::Unit unit, double value);

}  // namespace gigasim
