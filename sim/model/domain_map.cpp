#include "gigasim/model/domain_map.hpp"

#include <algorithm>
#include <stdexcept>

namespace gigasim {

DomainMap::DomainMap(std::uint32_t domains, std::uint32_t nodes_per_domain, std::uint32_t spares_per_domain)
    : per_domain_(nodes_per_domain), spares_(spares_per_domain) {
  if (spares_ >= per_domain_) throw std::invalid_argument("domain map: spares must leave nodes to allocate");
  add_domains(domains);
}

void DomainMap::add_domains(std::uint32_t count) {
  const auto first = static_cast<std::uint32_t>(free_.size());
  free_.resize(first + count, per_domain_ - spares_);
  busy_.resize(first + count, 0);
  spare_.resize(first + count, spares_);
  node_down_.resize(first + count, 0);
  domain_down_.resize(first + count, 0);
  maint_.resize(first + count, 0);
  free_total_ += count * (per_domain_ - spares_);
  failed_.resize(first + count, false);
  jobs_.resize(first + count);
  for (std::uint32_t d = first; d < first + count; ++d) by_free_.insert({per_domain_ - spares_, d});
}

void DomainMap::set_free(std::uint32_t d, std::uint32_t free) {
  free_total_ = free_total_ - free_[d] + free;
  by_free_.erase({free_[d], d});
  free_[d] = free;
  by_free_.insert({free, d});
}

void DomainMap::drop_job(std::uint32_t d, std::uint32_t slot) {
  auto& v = jobs_[d];
  const auto it = std::find_if(v.begin(), v.end(), [&](const auto& e) { return e.first == slot; });
  if (it == v.end()) throw std::logic_error("domain map: job not in domain");
  v.erase(it);
}

std::vector<DomainMap::Share> DomainMap::allocate(std::uint32_t slot, std::uint32_t nodes) {
  std::vector<Share> shares;
  std::uint32_t left = nodes;
  while (left > 0) {
    auto it = by_free_.lower_bound({left, 0});  // best fit for everything that is left
    if (it == by_free_.end()) it = std::prev(by_free_.end());  // else the largest domain
    const auto [free, d] = *it;
    if (free == 0) throw std::logic_error("domain map: not enough free nodes");
    const std::uint32_t take = std::min(free, left);
    set_free(d, free - take);
    busy_[d] += take;
    jobs_[d].push_back({slot, take});
    shares.push_back({d, take});
    left -= take;
  }
  return shares;
}

void DomainMap::release(std::uint32_t slot, const std::vector<Share>& shares) {
  for (const Share& s : shares) {
    busy_[s.domain] -= s.nodes;
    set_free(s.domain, free_[s.domain] + s.nodes);
    drop_job(s.domain, slot);
  }
}

std::pair<DomainMap::NodeState, std::uint32_t> DomainMap::node(std::uint32_t d, std::uint32_t r) const {
  if (r < busy_[d]) {
    for (const auto& [slot, n] : jobs_[d]) {
      if (r < n) return {NodeState::Busy, slot};
      r -= n;
    }
  }
  if (r < busy_[d] + down_in(d)) return {NodeState::Down, 0};
  if (r < busy_[d] + down_in(d) + maint_[d]) return {NodeState::Maintenance, 0};
  if (r < busy_[d] + down_in(d) + maint_[d] + spare_[d]) return {NodeState::Spare, 0};
  return {NodeState::Free, 0};
}

void DomainMap::fail_free_node(std::uint32_t d) {
  set_free(d, free_[d] - 1);
  ++node_down_[d];
}

void DomainMap::fail_spare_node(std::uint32_t d) {
  --spare_[d];
  ++node_down_[d];
}

bool DomainMap::replace_with_spare(std::uint32_t d) {
  if (spare_[d] == 0) return false;
  --spare_[d];
  ++node_down_[d];
  return true;
}

void DomainMap::fail_busy_node(std::uint32_t d, std::uint32_t slot, const std::vector<Share>& shares) {
  release(slot, shares);
  set_free(d, free_[d] - 1);  // the failed node: released above, now down
  ++node_down_[d];
}

bool DomainMap::repair_node(std::uint32_t d) {
  --node_down_[d];
  if (failed_[d]) {
    ++domain_down_[d];  // waits for its domain
    return false;
  }
  if (spare_[d] < spares_) {
    ++spare_[d];
    return true;
  }
  set_free(d, free_[d] + 1);
  return false;
}

DomainMap::FreeAndSpare DomainMap::fail_domain(std::uint32_t d) {
  failed_[d] = true;
  const FreeAndSpare gone{free_[d], spare_[d]};
  domain_down_[d] += gone.free + gone.spare;
  set_free(d, 0);
  spare_[d] = 0;
  return gone;
}

void DomainMap::fail_job_in_domain(std::uint32_t d, std::uint32_t slot, const std::vector<Share>& shares) {
  std::uint32_t here = 0;
  for (const Share& s : shares)
    if (s.domain == d) here += s.nodes;
  release(slot, shares);
  set_free(d, free_[d] - here);  // its nodes in d go down with the domain
  domain_down_[d] += here;
}

DomainMap::FreeAndSpare DomainMap::repair_domain(std::uint32_t d) {
  failed_[d] = false;
  const std::uint32_t back = domain_down_[d];
  domain_down_[d] = 0;
  FreeAndSpare out;
  out.spare = std::min(back, spares_ - spare_[d]);
  out.free = back - out.spare;
  spare_[d] += out.spare;
  set_free(d, free_[d] + out.free);
  return out;
}

void DomainMap::begin_maintenance(std::uint32_t nodes) {
  while (nodes > 0) {
    const auto it = by_free_.lower_bound({1, 0});  // the domain with the fewest free nodes, some
    if (it == by_free_.end()) throw std::logic_error("domain map: not enough free nodes for maintenance");
    const auto [free, d] = *it;
    const std::uint32_t take = std::min(free, nodes);
    set_free(d, free - take);
    maint_[d] += take;
    maint_total_ += take;
    nodes -= take;
  }
}

std::uint32_t DomainMap::end_maintenance() {
  std::uint32_t down = 0;
  for (std::uint32_t d = 0; d < maint_.size(); ++d) {
    if (maint_[d] == 0) continue;
    if (failed_[d]) {  // its domain failed during the window: they wait for its repair
      domain_down_[d] += maint_[d];
      down += maint_[d];
    } else {
      set_free(d, free_[d] + maint_[d]);
    }
    maint_[d] = 0;
  }
  maint_total_ = 0;
  return down;
}

}  // namespace gigasim
