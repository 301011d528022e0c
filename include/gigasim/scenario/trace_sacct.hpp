#pragma once
// Slurm accounting logs: the output of `sacct --parsable2` ('|'-separated, a header row naming
// the fields, any order, others ignored), e.g.
//   sacct -a -X --parsable2 -S 2025-01-01 -E 2025-12-31
//         --format=JobID,Submit,Start,End,Elapsed,Timelimit,State,AllocTRES,ReqTRES,Partition,Account,User
// Fields read:
//   JobID      the job's id. Step rows ("123.batch", "123.0", "123.extern") are skipped: the
//              allocation row carries the job. Array tasks ("123_4") are jobs; an unexpanded
//              pending array ("123_[5-9]") never ran and is skipped (counted as not run).
//   Submit     submit time (YYYY-MM-DDThh:mm:ss); the earliest becomes time 0 unless rebase: false
//   Elapsed    run time ([D-]HH:MM:SS, MM:SS); 0 = it never ran: left out (counted)
//   Timelimit  the job's runtime estimate ([D-]HH:MM:SS, minutes; UNLIMITED = none)
//   AllocTRES, ReqTRES  chips: the gres/gpu count (also typed, gres/gpu:a100=4), allocated if
//              given, else requested. Jobs with no GPU are left out (counted), or read as CPU
//              jobs with sacct.chips: cpu (the cpu= count).
//   State      jobs in sacct.states only, if given (e.g. [COMPLETED, TIMEOUT]); "CANCELLED by
//              123" reads as CANCELLED. By default every job that ran is replayed, whatever
//              its state: it held its nodes for Elapsed.
//   Account, User, Partition  the tenant, by sacct.tenant_field (default account) through
//              sacct.tenant_map {value: tenant}, or a tenant of the same name, or the source's.
// Start and End are not needed (Elapsed is the run time) and are ignored.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gigasim/scenario/trace_csv.hpp"

namespace gigasim {

struct SacctOptions {
  TraceOptions common;
  enum class Chips { Gpu, Cpu } chips = Chips::Gpu;
  std::set<std::string> states;       ///< empty = every state
  bool estimates = true;              ///< Timelimit becomes each job's runtime estimate
  std::string tenant_field = "Account";  ///< Account | User | Partition
  std::map<std::string, std::uint16_t> tenant_map;
};

TraceLoad read_sacct(const std::filesystem::path& file, const std::vector<TenantSpec>& tenants,
                     const SacctOptions& options, std::uint64_t* content_hash = nullptr);
TraceLoad parse_sacct(const std::string& content, const std::string& name, const std::vector<TenantSpec>& tenants,
                      const SacctOptions& options);

/// Slurm's duration text: "[D-]HH:MM:SS[.fff]", "MM:SS", or minutes alone; nullopt otherwise.
std::optional<double> parse_slurm_duration_s(std::string_view text);

}  // namespace gigasim
