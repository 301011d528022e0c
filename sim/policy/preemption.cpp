#include "gigasim/policy/preemption.hpp"

#include <vector>

namespace gigasim {

std::optional<std::uint32_t> make_room_by_preemption(ClusterView& view, const ActiveJob& job, int priority) {
  const auto pools = view.factories();
  std::vector<std::uint32_t> victims;
  for (const std::uint32_t f : view.allowed_factories(job.access)) {
    const FactoryPool& pool = pools[f];
    if (!pool.online() || !pool.could_ever_fit(job.chips)) continue;
    const std::uint32_t nodes = pool.nodes_for(job.chips);
    if (!view.within_quota(job.tenant, std::int64_t{nodes} * pool.spec().node_size)) continue;
    const std::int64_t need = std::int64_t{nodes} - pool.free_nodes();
    std::int64_t freed = 0;
    victims.clear();
    for (const auto& [victim_priority, neg_start, slot] : view.preemptible(f)) {
      if (victim_priority >= priority || freed >= need) break;
      victims.push_back(slot);
      freed += view.job(slot).nodes;
    }
    if (freed < need) continue;
    for (const std::uint32_t v : victims) view.preempt(v);
    return f;
  }
  return std::nullopt;
}

}  // namespace gigasim
