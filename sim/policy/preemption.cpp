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
    // Nodes given back first serve pending removals and maintenance (a draining factory), and
    // the power cap may bound them: count what would really be free, not what is released.
    std::uint32_t freed = 0;
    victims.clear();
    for (const auto& [victim_priority, neg_start, slot] : view.preemptible(f)) {
      if (victim_priority >= priority || pool.free_after_release(freed) >= nodes) break;
      victims.push_back(slot);
      freed += view.job(slot).nodes;
    }
    if (pool.free_after_release(freed) < nodes) continue;
    for (const std::uint32_t v : victims) view.preempt(v);
    return f;
  }
  return std::nullopt;
}

}  // namespace gigasim
