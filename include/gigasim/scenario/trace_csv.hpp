#pragma once
// CSV job traces. Columns (header names, any order; other columns are ignored):
//   submit    submit time, seconds since the scenario start (real number >= 0)
//   chips     chips the job needs (positive integer)
//   duration  run time in seconds (> 0)
//   tenant    optional: a tenant name declared in the scenario
//   id        optional: the job's id, echoed in per-job output
// Rows may come in any order; jobs are sorted by submit time, ties keeping file order.
#include <filesystem>
#include <string>
#include <vector>

#include "gigasim/model/scenario.hpp"

namespace gigasim {

/// Reads a trace. Job tenants are indexes into `tenants`; rows without a tenant column get
/// `default_tenant` (or, if negative, make the call fail: the scenario must say which tenant).
/// Throws InputError "file:line: column 'x': expected ..., got '...'".
JobTableSpec read_trace_csv(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                            int default_tenant, std::uint64_t* content_hash = nullptr);

}  // namespace gigasim
