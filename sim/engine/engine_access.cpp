// Access profiles: which factories a job may run on. A tenant's `sites` give its own profile
// (profiles 0..tenants-1); a job that needs more HBM per scale-up domain than some of those
// factories have gets a narrower profile, made on first use and shared by every job with the
// same (tenant, allowed factories). Schedulers bucket and check jobs by profile.
#include <algorithm>

#include "engine.hpp"
#include "gigasim/error.hpp"

namespace gigasim::detail {

void Engine::build_site_tables() {
  const std::size_t nf = pools_.size();
  access_.clear();
  allowed_.clear();
  for (std::size_t t = 0; t < sc_.tenants.size(); ++t) {
    const auto& sites = sc_.tenants[t].sites;
    std::vector<std::uint8_t> mask(nf, 0);
    for (std::size_t f = 0; f < nf; ++f)
      mask[f] = sites.empty() || std::find(sites.begin(), sites.end(), f) != sites.end();
    add_access(static_cast<std::uint16_t>(t), mask);
  }
  phases_done_.assign(nf, 0);
  update_access_limits();
}

std::uint16_t Engine::add_access(std::uint16_t tenant, const std::vector<std::uint8_t>& mask) {
  if (access_.size() >= 0xffff) throw InputError("too many distinct (tenant, memory need) combinations");
  const auto id = static_cast<std::uint16_t>(access_.size());
  AccessProfile a;
  a.tenant = tenant;
  for (std::uint32_t f = 0; f < mask.size(); ++f)
    if (mask[f]) a.factories.push_back(f);
  a.home = a.factories.empty() ? 0 : a.factories.front();
  access_.push_back(std::move(a));
  allowed_.insert(allowed_.end(), mask.begin(), mask.end());
  access_index_.emplace(std::pair{tenant, mask}, id);
  update_access_limit(id);
  return id;
}

// The largest job a profile can still run, given the capacity phases still to come: a job
// larger than that is reported as unschedulable at submission instead of waiting forever.
void Engine::update_access_limit(std::uint16_t id) {
  AccessProfile& a = access_[id];
  a.max_chips = 0;
  for (const std::uint32_t f : a.factories)
    a.max_chips = std::max(a.max_chips, sc_.factories[f].usable_chips(phases_done_.empty() ? 0 : phases_done_[f]));
}

void Engine::update_access_limits() {
  for (std::size_t id = 0; id < access_.size(); ++id) update_access_limit(static_cast<std::uint16_t>(id));
}

// A job's profile: its tenant's, narrowed to factories whose scale-up domain holds its memory
// need (min(chips, domain size) x HBM per chip). Jobs without a memory need skip the search.
std::uint16_t Engine::access_for(std::uint16_t tenant, std::uint32_t chips, double memory_bytes) {
  if (memory_bytes <= 0) return tenant;
  const std::size_t nf = pools_.size();
  std::vector<std::uint8_t> mask(allowed_.begin() + static_cast<std::ptrdiff_t>(tenant * nf),
                                 allowed_.begin() + static_cast<std::ptrdiff_t>((tenant + 1) * nf));
  bool narrowed = false;
  for (std::size_t f = 0; f < nf; ++f) {
    const ChipType& chip = sc_.factories[f].chip;
    const double domain = static_cast<double>(std::min<std::uint32_t>(chips, static_cast<std::uint32_t>(chip.scale_up)));
    if (mask[f] && domain * chip.hbm_bytes < memory_bytes) mask[f] = 0, narrowed = true;
  }
  if (!narrowed) return tenant;
  const auto it = access_index_.find(std::pair{tenant, mask});
  return it != access_index_.end() ? it->second : add_access(tenant, mask);
}

}  // namespace gigasim::detail
