#pragma once
// Pieces of the scenario loader shared between its files (private to the library):
// loader.cpp (document, factories, tenants, policy, workload sources) and loader_compute.cpp
// (work, job classes, compute model, power, cost, capacity phases).
#include <array>
#include <cstdint>
#include <string_view>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/model/service.hpp"
#include "gigasim/scenario/input_limits.hpp"
#include "yaml_cursor.hpp"

namespace gigasim::detail {

struct LoadContext {
  std::optional<std::int64_t> start_epoch_ms;  // calendar time of SimTime 0
  std::vector<ChipType> chips;                 // the scenario's `chips:` (new or overriding)
  std::filesystem::path base_dir;
  std::uint64_t hash = 0;
  std::vector<std::string> warnings;
  ComputeDefaults compute;                     // the scenario's `compute:` (parsed before jobs)
  InputLimits limits;
  std::uint64_t trace_jobs = 0;                // jobs read from traces so far (limits.trace_jobs)
};

// loader.cpp
SimTime time_point(const YamlCursor& c, const LoadContext& ctx, bool clamp_before_start);
ChipsDistribution parse_chips(const YamlCursor& c);
/// An elastic job's `chips: {min: A, max: B}` (a mapping without `dist`): 1 <= A <= B.
struct ElasticChips {
  std::uint32_t min = 0, max = 0;
};
ElasticChips parse_elastic_chips(const YamlCursor& c);
/// `weights` of a choice among `count` values (default: all 1): >= 0, positive sum.
std::vector<double> parse_weights(const YamlCursor& owner, std::size_t count);
DurationDistribution parse_duration_dist(const YamlCursor& c);
/// The index of the factory named by `c` (a located error listing the factories if none is).
std::uint32_t factory_named(const YamlCursor& c, const std::vector<FactorySpec>& factories);
std::uint16_t tenant_of(const YamlCursor& owner, const std::vector<TenantSpec>& tenants,
                        std::optional<std::uint16_t> inherited);

// loader_services.cpp
/// A workload entry with `service:` (its `name`, `tenant` and the demand curve).
ServiceSpec parse_service(const YamlCursor& entry, const std::vector<TenantSpec>& tenants,
                          const std::vector<FactorySpec>& factories, std::optional<SimTime> horizon,
                          const LoadContext& ctx);

// loader_compute.cpp
/// `percentiles: [[p, value], ...]` with p in percent; `value` reads one value (> 0).
/// Continuous tables must start at p = 0; every table ends at p = 100.
PercentileTable parse_percentiles(const YamlCursor& list, bool continuous,
                                  double (*value)(const YamlCursor&));
ComputeDefaults parse_compute(const YamlCursor& c);
ScalingModel parse_scaling(const YamlCursor& c);
/// A job entry's work keys (flops | params + tokens, mfu, precision); nullopt if it has none.
std::optional<JobWork> parse_job_work(const YamlCursor& job, const ComputeDefaults& defaults);
/// A generator's job classes: `classes:`, a `mix:` preset, or one class from its own keys.
std::vector<JobClassSpec> parse_job_classes(const YamlCursor& generator, const ComputeDefaults& defaults);
/// The generator keys that describe one class (for the loader's key checks).
inline constexpr std::array<std::string_view, 8> kClassKeys = {
    "chips", "duration", "flops", "params", "tokens", "mfu", "precision", "memory"};
/// A memory size ("640GB", "1.5TB", "80GiB"), in bytes.
double parse_memory(const YamlCursor& c);
PowerSpec parse_power(const YamlCursor& c);
/// A factory's `topology` (its chips, node size, spares, maintenance and phases already read).
TopologySpec parse_topology(const YamlCursor& c, const YamlCursor& factory, const FactorySpec& spec,
                            LoadContext& ctx);
/// Refuses an MTBF below a minute and warns below a day (`what`: "node", "scale-up domain").
void check_mtbf(const YamlCursor& at, Duration mtbf, const char* what, LoadContext& ctx);
CostSpec parse_cost(const YamlCursor& c);
/// `economics:` -- the programme costs are reported over and its discount rate.
EconomicsSpec parse_economics(const YamlCursor& c, const LoadContext& ctx);
/// `phases:` and `retire:` of a factory (its `chips`, `node_size` and `online` already set).
std::vector<CapacityPhase> parse_phases(const YamlCursor& factory, const FactorySpec& spec, const LoadContext& ctx);

}  // namespace gigasim::detail
