// Unplanned node failures, repairs and the jobs they interrupt; planned maintenance windows.
//
// A factory's nodes fail as one Poisson process of rate installed / MTBF. Each failure picks a
// node uniformly among the installed ones (a job's or an inference service's, free, spare); a
// node that is already down is left alone (thinning: the effective rate is healthy / MTBF,
// exactly). A busy node interrupts its job, which keeps the
// work of its last completed checkpoint and either restarts at once on a hot spare or goes back
// to the queue. A failed node is down until a repair succeeds: an automatic one first, then
// manual ones (FailureSpec); each stage's end is one NodeRepair event.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "engine.hpp"
#include "gigasim/error.hpp"

namespace gigasim::detail {

namespace {
// A NodeRepair event carries the node's domain + 1 (0: none) and, in its top bit, the stage.
constexpr std::uint32_t kManualStage = 1u << 31;
}  // namespace

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

void Engine::node_went_down(std::uint32_t f, std::uint32_t domain_plus_one) {
  FailureState& fs = *failures_[f];
  publish<EventBit::NodeFailed>([&](auto& o) { o.node_failed(f); });
  const Duration repair = sc_.factories[f].failures->repair.sample(fs.repair);
  events_.push_ordered(now_ + repair, EventKind::NodeRepair, f, f, domain_plus_one);
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
  if (domains_[f]) {
    node_failure_in_domains(f, static_cast<std::uint32_t>(k));
    pool_changed(f);
    schedule_next_failure(f);
    return;
  }
  // Busy nodes are the jobs' first, then the inference services'.
  const std::int64_t busy = pool.busy_nodes(), job_nodes = pool.job_nodes(),
                     down = pool.down_nodes() + pool.maintenance_nodes(), spare = pool.spare_nodes();
  if (k < job_nodes) {
    interrupt(*fs.running.slot_at_node(k));
  } else if (k < busy) {
    serving_node_failed(f, static_cast<std::uint32_t>(k - job_nodes));
  } else if (k < busy + down) {
    // already down or in maintenance: nothing happens
  } else if (k < busy + down + spare) {
    pool.fail_spare_node();
    node_went_down(f, 0);
  } else {
    pool.fail_free_node();
    node_went_down(f, 0);
  }
  pool_changed(f);
  schedule_next_failure(f);
}

void Engine::on_maintenance_start(std::uint32_t f) {
  const MaintenanceSpec& m = *sc_.factories[f].maintenance;
  const auto nodes = static_cast<std::uint32_t>(std::ceil(m.fraction * pools_[f].installed_nodes() - 1e-9));
  pools_[f].begin_maintenance(nodes);
  pool_changed(f);
  events_.push_ordered(now_ + m.duration, EventKind::MaintenanceEnd, f, f);
  events_.push_ordered(now_ + m.every, EventKind::MaintenanceStart, f, f);
}

void Engine::on_maintenance_end(std::uint32_t f) {
  pools_[f].end_maintenance();
  pool_changed(f);
}

void Engine::on_repair(std::uint32_t f, std::uint32_t generation) {
  const std::uint32_t domain_plus_one = generation & ~kManualStage;
  const RepairStage stage = (generation & kManualStage) != 0 ? RepairStage::Manual : RepairStage::Automatic;
  const FailureSpec& spec = *sc_.factories[f].failures;
  const double p = stage == RepairStage::Automatic ? spec.repair_success : spec.manual_success;
  // Repairs that always succeed draw nothing: single-stage scenarios keep their random streams.
  const bool succeeded = p >= 1 || boost::random::bernoulli_distribution<double>(p)(failures_[f]->outcome);
  publish<EventBit::RepairEnded>([&](auto& o) { o.repair_ended(f, stage, succeeded); });
  if (!succeeded) {  // escalate to (another) manual repair; the node stays down
    const Duration manual = spec.manual_repair->sample(failures_[f]->repair);
    events_.push_ordered(now_ + manual, EventKind::NodeRepair, f, f, domain_plus_one | kManualStage);
    return;
  }
  if (domain_plus_one == 0) {
    pools_[f].repair_node();
  } else {
    // A node repaired while its whole domain is down waits for the domain.
    const std::uint32_t d = domain_plus_one - 1;
    const bool domain_down = domains_[f]->domain_failed(d);
    const bool to_spare = domains_[f]->repair_node(d);
    if (!domain_down) pools_[f].repair_nodes(to_spare ? 0 : 1, to_spare ? 1 : 0);
    if (domain_down) {  // it waits for its domain: nothing is healthy yet
      pool_changed(f);
      return;
    }
  }
  pool_changed(f);
  publish<EventBit::NodesRepaired>([&](auto& o) { o.nodes_repaired(f, 1); });
}

// Ends the current attempt now, keeping the work of its last completed checkpoint.
void Engine::stop_attempt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const Duration saved = work_saved_by(plan_of(j), now_ - j.start);
  end_attempt(slot, now_, saved);
  // `saved` is in the attempt's (possibly slowed-down) time; the job keeps it as nominal work.
  const Duration kept = j.span_factor == 1 ? saved
                                           : std::min(j.work, Duration::from_seconds(saved.seconds_f() / j.span_factor));
  if (j.by_work)
    j.flops_left = std::max(0.0, j.flops_left - static_cast<double>(kept.ms()) * flop_rate(j, j.factory) / 1000.0);
  j.work = j.work - kept;
  j.useful_time += kept;
  j.restarting = true;
  j.resized = false;  // the next attempt pays a restart
}

// The job no longer holds its nodes (the pool was updated by the caller): it waits again.
void Engine::unhold_and_requeue(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const std::uint32_t f = j.factory;
  tenant_held_chips_[j.tenant] -= static_cast<std::int64_t>(j.nodes) * pools_[f].spec().node_size;
  publish<EventBit::JobReleased>([&](auto& o) { o.job_released(j); });
  requeue(slot);
  pool_changed(f);
}

// Ends the job's attempt for a failure and counts the interruption.
void Engine::count_interruption(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  stop_attempt(slot);
  ++j.interruptions;
  publish<EventBit::JobInterrupted>([&](auto& o) { o.job_interrupted(j); });
}

void Engine::interrupt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  const std::uint32_t f = j.factory;
  FactoryPool& pool = pools_[f];
  count_interruption(slot);
  node_went_down(f, 0);
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
  if (slot >= jobs_.capacity() || !jobs_.live(slot))
    throw PolicyError("policy decision refused: preempt slot " + std::to_string(slot) + ": no such active job");
  ActiveJob& j = jobs_[slot];
  if (j.state != JobState::Running || !sc_.tenants[j.tenant].preemptible || !track_preemptible_) {
    const auto l = label(j);
    throw PolicyError("policy decision refused: preempt job " + (l.empty() ? std::to_string(j.id) : std::string(l)) +
                      " (tenant '" + sc_.tenants[j.tenant].name + "'): " +
                      (j.state != JobState::Running       ? "it is not running"
                       : !sc_.tenants[j.tenant].preemptible ? "its tenant is not preemptible"
                                                            : "the policy did not declare that it preempts (Scheduler::preempts)"));
  }
  // An elastic job's lent nodes went back to the pool (and out of its tenant's holdings) when
  // the pass began; its attempt ran on them until now.
  const std::uint32_t lent = j.lent;
  j.nodes += lent;
  j.lent = 0;
  tenant_held_chips_[j.tenant] += static_cast<std::int64_t>(lent) * pools_[j.factory].spec().node_size;
  stop_attempt(slot);
  publish<EventBit::JobPreempted>([&](auto& o) { o.job_preempted(j); });
  release_domains(slot);
  pools_[j.factory].release(j.nodes - lent);
  unhold_and_requeue(slot);
}

}  // namespace gigasim::detail
