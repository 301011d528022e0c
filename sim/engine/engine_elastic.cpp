// Elastic jobs: training runs that go on between a minimum and a maximum number of chips
// (`chips: {min, max}`; docs/semantics.md, "Elastic jobs"). The rule is the same under every
// scheduler, because the engine applies it around the scheduler's pass:
//
// 1. Before the pass, every running elastic job lends its nodes above its minimum back to the
//    pool: the scheduler sees them as free (and a maintenance window or removal waiting for
//    nodes takes them first). Schedulers plan with the minimum each job will release.
// 2. The scheduler starts what it wants. An elastic job is admitted at its minimum.
// 3. After the pass, oldest job first, each takes back what is still free of what it lent. A
//    job that cannot take it all back shrinks: it saves its work and goes on with fewer nodes.
// 4. What is still free goes to elastic jobs below their maximum: first those started (or
//    resized) at this instant, which grow at no cost, then the others, oldest first, once they
//    have run policy.grow_after at their size and when the resize pays off (the job would end
//    sooner at the larger size, resize cost included).
//
// A resize keeps all the work done so far and begins a new attempt that first spends the resize
// cost (policy.resize_cost; default the job's checkpoint cost + restart). Jobs on factories with
// scale-up domains keep the size they started with.
#include <algorithm>
#include <cmath>

#include "engine.hpp"

namespace gigasim::detail {

std::uint32_t Engine::quota_room(const ActiveJob& j, std::uint32_t f, std::uint32_t wanted) const {
  const auto& q = sc_.tenants[j.tenant].quota;
  if (!q) return wanted;
  const std::int64_t ns = pools_[f].spec().node_size;
  const double room = *q * static_cast<double>(installed_chips_) - static_cast<double>(tenant_held_chips_[j.tenant]);
  if (room < static_cast<double>(ns)) return 0;
  return static_cast<std::uint32_t>(std::min<double>(wanted, std::floor(room / static_cast<double>(ns))));
}

void Engine::lend_elastic_nodes() {
  for (std::uint32_t f = 0; f < elastic_running_.size(); ++f) {
    FactoryPool& pool = pools_[f];
    const std::int64_t ns = pool.spec().node_size;
    for (const auto& [id, slot] : elastic_running_[f]) {
      ActiveJob& j = jobs_[slot];
      const std::uint32_t base = pool.nodes_for(j.min_chips);
      if (j.nodes <= base) continue;
      // During the pass the job holds (and policies see) its minimum; the attempt goes on.
      j.lent = j.nodes - base;
      j.nodes = base;
      pool.release(j.lent);
      tenant_held_chips_[j.tenant] -= static_cast<std::int64_t>(j.lent) * ns;
    }
  }
}

void Engine::settle_elastic_jobs() {
  for (std::uint32_t f = 0; f < elastic_running_.size(); ++f) {
    if (elastic_running_[f].empty()) continue;
    FactoryPool& pool = pools_[f];
    const std::int64_t ns = pool.spec().node_size;
    bool changed = false;
    auto take = [&](ActiveJob& j, std::uint32_t nodes) {
      pool.allocate(nodes);
      tenant_held_chips_[j.tenant] += static_cast<std::int64_t>(nodes) * ns;
    };
    for (const auto& [id, slot] : elastic_running_[f]) {
      ActiveJob& j = jobs_[slot];
      if (j.lent == 0) continue;
      // The pool changed even if every node comes back: the pass may have published the state
      // with the lent nodes free (a start), and observers must see the settled one.
      changed = true;
      const std::uint32_t back = std::min({j.lent, pool.free_nodes(), quota_room(j, f, j.lent)});
      take(j, back);
      const std::uint32_t lost = j.lent - back;
      j.nodes += j.lent;  // what its attempt has run on
      j.lent = 0;
      if (lost > 0) {
        resize(slot, j.nodes - lost);
        changed = true;
      }
    }
    // Growth: jobs whose attempt began now first (free), then the others where it pays off.
    for (const bool fresh : {true, false}) {
      for (const auto& [id, slot] : elastic_running_[f]) {
        if (pool.free_nodes() == 0) break;
        ActiveJob& j = jobs_[slot];
        if ((j.start == now_) != fresh) continue;
        if (sc_.policy.enforce_allocations && allocation_exhausted(j.tenant)) continue;
        const std::uint32_t top = pool.nodes_for(j.max_chips);
        if (j.nodes >= top) continue;
        const std::uint32_t extra = std::min({top - j.nodes, pool.free_nodes(), quota_room(j, f, top - j.nodes)});
        if (extra == 0) continue;
        if (!fresh && (now_ - j.start < sc_.policy.grow_after || !growth_pays_off(j, j.nodes + extra))) continue;
        take(j, extra);
        resize(slot, j.nodes + extra);
        changed = true;
      }
    }
    if (changed) pool_changed(f);
  }
}

// Work done in this attempt so far counts as kept: the job saves its state at the resize (the
// cost of doing so is the next attempt's resize overhead).
void Engine::keep_work_done(ActiveJob& j, Duration done) const {
  if (j.by_work)
    j.flops_left = std::max(0.0, j.flops_left - static_cast<double>(done.ms()) * flop_rate(j, j.factory) / 1000.0);
  j.work = j.work - done;
  j.useful_time += done;
}

bool Engine::growth_pays_off(const ActiveJob& j, std::uint32_t nodes) const {
  const Duration left_now = j.start + j.run - now_;
  ActiveJob grown = j;
  keep_work_done(grown, work_done_by(plan_of(j), now_ - j.start));
  grown.nodes = nodes;
  grown.chips = elastic_chips(j, nodes);
  grown.resized = true;
  plan_attempt(grown, j.factory);
  return grown.run < left_now;
}

void Engine::resize(std::uint32_t slot, std::uint32_t nodes) {
  ActiveJob& j = jobs_[slot];
  const std::uint32_t old_nodes = j.nodes, old_chips = j.chips;
  // An attempt that began at this instant has done nothing yet: it is planned again at the new
  // size (a start grows for free; a resize pays its cost once).
  const bool fresh = j.start == now_;
  if (fresh) {
    unindex_attempt(slot);
  } else {
    const Duration done = work_done_by(plan_of(j), now_ - j.start);
    end_attempt(slot, now_, done);
    keep_work_done(j, done);
    j.resized = true;
  }
  j.nodes = nodes;
  j.chips = elastic_chips(j, nodes);
  const Resize r{old_nodes, old_chips, fresh};
  publish<EventBit::JobResized>([&](auto& o) { o.job_resized(j, r); });
  plan_attempt(j, j.factory);
  // A resize begins a new attempt (its own end event and plan) but is not counted as one: the
  // job's attempts are its starts and restarts.
  if (!fresh) j.start = now_;
  else if (j.attempts == 1 && !j.restarting) j.nominal_run = j.run;  // its first start, at this size
  index_attempt(slot);
}

}  // namespace gigasim::detail
