// Unplanned node failures, repairs and the jobs they interrupt; planned maintenance windows.
//
// A factory's nodes fail as one Poisson process of rate installed / MTBF. Each failure picks a
// node uniformly among the installed ones; a node that is already down is left alone (thinning:
// the effective rate is healthy / MTBF, exactly). A busy node interrupts its job, which keeps the
// work of its last completed checkpoint and either restarts at once on a hot spare or goes back
// to the queue.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "engine.hpp"

namespace gigasim::detail {

// Draws the next failure from now with the current installed count as the rate. Called again
// when capacity grows (the pending draw becomes stale by its generation); while drained nodes
// leave, the rate keeps its base and victims past the installed nodes are ignored (thinning).
void Engine::schedule_next_failure(std::uint32_t f) {
  FailureState& fs = *failures_[f];
  ++fs.generation;
  fs.rate_nodes = pools_[f].installed_nodes();
  if (fs.rate_nodes == 0) return;  // retired: nothing left to fail
  const double rate_per_s = static_cast<double>(fs.rate_nodes) / sc_.factories[f].failures->node_mtbf.seconds_f();
  const double gap_s = boost::random::exponential_distribution<double>(rate_per_s)(fs.clock);
  events_.push_ordered(now_ + Duration::from_seconds(std::min(gap_s, kMaxDurationSeconds)), EventKind::NodeFailure,
                       f, f, fs.generation);
}

void Engine::node_went_down(std::uint32_t f) {
  FailureState& fs = *failures_[f];
  ++factory_metrics_[f].failures;
  const Duration repair = sc_.factories[f].failures->repair.sample(fs.repair);
  events_.push_ordered(now_ + repair, EventKind::NodeRepair, f, f);
}

void Engine::on_failure(std::uint32_t f, std::uint32_t generation) {
  FactoryPool& pool = pools_[f];
  FailureState& fs = *failures_[f];
  if (generation != fs.generation) return;  // redrawn after a capacity change
  // Node order for the draw: busy, down or in maintenance, spare, free, then nodes that have
  // left since the draw's rate was set (nothing happens).
  const std::int64_t k = boost::random::uniform_int_distribution<std::int64_t>(
      0, static_cast<std::int64_t>(fs.rate_nodes) - 1)(fs.victim);
  if (k >= static_cast<std::int64_t>(pool.installed_nodes())) {
    schedule_next_failure(f);
    return;
  }
  const std::int64_t busy = pool.busy_nodes(), down = pool.down_nodes() + pool.maintenance_nodes(),
                     spare = pool.spare_nodes();
  if (k < busy) {
    interrupt(*fs.running.slot_at_node(k));
  } else if (k < busy + down) {
    // already down or in maintenance: nothing happens
  } else if (k < busy + down + spare) {
    pool.fail_spare_node();
    node_went_down(f);
  } else {
    pool.fail_free_node();
    node_went_down(f);
  }
  sync_pool_metrics(f);
  schedule_next_failure(f);
}

void Engine::on_maintenance_start(std::uint32_t f) {
  const MaintenanceSpec& m = *sc_.factories[f].maintenance;
  const auto nodes = static_cast<std::uint32_t>(std::ceil(m.fraction * pools_[f].installed_nodes() - 1e-9));
  pools_[f].begin_maintenance(nodes);
  sync_pool_metrics(f);
  events_.push_ordered(now_ + m.duration, EventKind::MaintenanceEnd, f, f);
  events_.push_ordered(now_ + m.every, EventKind::MaintenanceStart, f, f);
}

void Engine::on_maintenance_end(std::uint32_t f) {
  pools_[f].end_maintenance();
  sync_pool_metrics(f);
}

void Engine::on_repair(std::uint32_t f) {
  pools_[f].repair_node();
  sync_pool_metrics(f);
}

// Ends the current attempt now, keeping the work of its last completed checkpoint.
void Engine::stop_attempt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const Duration saved = work_saved_by(plan_of(j), now_ - j.start);
  end_attempt(slot, now_, saved);
  if (j.by_work)
    j.flops_left = std::max(0.0, j.flops_left - static_cast<double>(saved.ms()) * flop_rate(j, j.factory) / 1000.0);
  j.work = j.work - saved;
  j.useful_time += saved;
  j.restarting = true;
}

// The job no longer holds its nodes (the pool was updated by the caller): it waits again.
void Engine::unhold_and_requeue(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const std::uint32_t f = j.factory;
  factory_metrics_[f].requested_chips.add(now_, -static_cast<std::int64_t>(j.chips));
  const std::int64_t held = static_cast<std::int64_t>(j.nodes) * pools_[f].spec().node_size;
  settle_usage(j.tenant);
  tenant_held_chips_[j.tenant] -= held;
  tenant_metrics_[j.tenant].busy_chips.add(now_, -held);
  requeue(slot);
  sync_pool_metrics(f);
}

void Engine::interrupt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const std::uint32_t f = j.factory;
  FactoryPool& pool = pools_[f];
  stop_attempt(slot);
  ++j.interruptions;
  ++factory_metrics_[f].interruptions;
  if (now_ >= warmup_start_) ++interruptions_in_window_;
  node_went_down(f);
  if (pool.fail_busy_node()) {
    // A hot spare replaces the failed node: the job restarts in place, keeping its nodes.
    plan_attempt(j, f);
    begin_attempt(slot);
    return;
  }
  // No spare: the job gives back its healthy nodes and waits again.
  pool.release(j.nodes - 1);
  unhold_and_requeue(slot);
}

void Engine::preempt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  if (!jobs_.live(slot) || j.state != JobState::Running || !sc_.tenants[j.tenant].preemptible)
    throw std::logic_error("policy tried to preempt a job that is not a running preemptible job");
  stop_attempt(slot);
  ++preemptions_;
  pools_[j.factory].release(j.nodes);
  unhold_and_requeue(slot);
}

}  // namespace gigasim::detail
