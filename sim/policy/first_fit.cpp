#include "gigasim/policy/first_fit.hpp"

namespace gigasim {

std::optional<std::uint32_t> FirstFitPlacement::place(const ActiveJob& job,
                                                      const ClusterView& view) const {
  const auto pools = view.factories();
  for (std::uint32_t f = 0; f < pools.size(); ++f) {
    const FactoryPool& p = pools[f];
    if (p.online() && view.may_use(job.tenant, f) && p.free_nodes() >= p.nodes_for(job.chips))
      return f;
  }
  return std::nullopt;
}

}  // namespace gigasim
