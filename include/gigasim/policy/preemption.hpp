#pragma once
// Preemption, shared by the schedulers that offer it: a job that cannot start now may stop
// running jobs of preemptible tenants of strictly lower priority. The stopped jobs keep their
// last checkpoint, free their nodes and requeue (ClusterView::preempt).
#include <cstdint>
#include <optional>

#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

/// On the first factory the job may use (ascending) where stopping victims -- cheapest first:
/// lowest priority, then latest start -- frees enough nodes within the tenant's quota, stops
/// them and returns that factory: the job fits there now. Stops nothing and returns nullopt if no
/// factory qualifies. `priority` is the job's tenant priority.
std::optional<std::uint32_t> make_room_by_preemption(ClusterView& view, const ActiveJob& job, int priority);

}  // namespace gigasim
