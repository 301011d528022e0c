#pragma once
// Chips of one factory by node state, as exact time integrals: installed, busy, idle (free or
// hot spare), down, in maintenance. busy + idle + down + maintenance = installed at every instant.
#include <cstdint>

#include "gigasim/metrics/window_integral.hpp"
#include "gigasim/model/factory_pool.hpp"

namespace gigasim {

struct PoolChipIntegrals {
  explicit PoolChipIntegrals(SimTime from = SimTime::zero())
      : installed(from), busy(from), serving(from), idle(from), down(from), maintenance(from) {}
  WindowIntegral installed, busy, serving, idle, down, maintenance;  ///< serving: the part of busy held by services

  /// Follows the pool's node counts from `now` on.
  void set(SimTime now, const FactoryPool& p) {
    const std::int64_t ns = p.spec().node_size;
    installed.set(now, static_cast<std::int64_t>(p.installed_nodes()) * ns);
    busy.set(now, static_cast<std::int64_t>(p.busy_nodes()) * ns);
    serving.set(now, static_cast<std::int64_t>(p.serving_nodes()) * ns);
    idle.set(now, static_cast<std::int64_t>(p.idle_nodes() + p.spare_nodes()) * ns);
    down.set(now, static_cast<std::int64_t>(p.down_nodes()) * ns);
    maintenance.set(now, static_cast<std::int64_t>(p.maintenance_nodes()) * ns);
  }
};

}  // namespace gigasim
