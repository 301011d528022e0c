#include "gigasim/policy/placements.hpp"

namespace gigasim {

namespace {
// Chips left free on factory f if the job were placed there.
std::int64_t chips_left(const ActiveJob& job, const FactoryPool& p) {
  return static_cast<std::int64_t>(p.free_nodes() - p.nodes_for(job.chips)) * p.spec().node_size;
}

template <typename Better>
std::optional<std::uint32_t> best_by(const ActiveJob& job, const ClusterView& view,
                                     const std::function<bool(std::uint32_t)>* accept, Better better) {
  std::optional<std::uint32_t> best;
  std::int64_t best_left = 0;
  const auto pools = view.factories();
  for (const std::uint32_t f : view.allowed_factories(job.access)) {
    if (!Placement::fits_now(job, view, pools[f], f, accept)) continue;
    const std::int64_t left = chips_left(job, pools[f]);
    if (!best || better(left, best_left)) {
      best = f;
      best_left = left;
    }
  }
  return best;
}
}  // namespace

std::optional<std::uint32_t> FirstFitPlacement::place(const ActiveJob& job, const ClusterView& view,
                                                      const std::function<bool(std::uint32_t)>* accept) const {
  // The allowed factories, in declaration order (the access profile lists them ascending).
  const auto pools = view.factories();
  for (const std::uint32_t f : view.allowed_factories(job.access))
    if (fits_now(job, view, pools[f], f, accept)) return f;
  return std::nullopt;
}

std::optional<std::uint32_t> BestFitPlacement::place(const ActiveJob& job, const ClusterView& view,
                                                     const std::function<bool(std::uint32_t)>* accept) const {
  return best_by(job, view, accept, [](std::int64_t a, std::int64_t b) { return a < b; });
}

std::optional<std::uint32_t> FastestPlacement::place(const ActiveJob& job, const ClusterView& view,
                                                     const std::function<bool(std::uint32_t)>* accept) const {
  std::optional<std::uint32_t> best;
  Duration best_time;
  const auto pools = view.factories();
  for (const std::uint32_t f : view.allowed_factories(job.access)) {
    if (!fits_now(job, view, pools[f], f, accept)) continue;
    const Duration t = view.run_time_on(job, f);
    if (!best || t < best_time) best = f, best_time = t;
  }
  return best;
}

std::optional<std::uint32_t> WorstFitPlacement::place(const ActiveJob& job, const ClusterView& view,
                                                      const std::function<bool(std::uint32_t)>* accept) const {
  return best_by(job, view, accept, [](std::int64_t a, std::int64_t b) { return a > b; });
}

}  // namespace gigasim
