// Factories with scale-up domains: where a job's nodes sit (as few domains as possible), the
// slowdown of a job spread over more domains than it needs, and failures that hit one node of
// a domain or a whole domain at once; where planned maintenance takes its nodes.
#include <algorithm>
#include <stdexcept>
#include <string>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "engine.hpp"

namespace gigasim::detail {

void Engine::setup_topology(std::uint32_t f) {
  const FactorySpec& spec = sc_.factories[f];
  if (!spec.topology) return;
  const std::uint32_t per = spec.topology->domain_nodes;
  domains_[f].emplace(spec.nodes() / per, per, spec.topology->spares_per_domain);
  if (domain_failures_[f]) schedule_next_domain_failure(f);
}

void Engine::allocate_domains(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  DomainMap& map = *domains_[j.factory];
  if (holds_.size() <= slot) holds_.resize(slot + 1);
  holds_[slot] = map.allocate(slot, j.nodes);
  const auto extra = static_cast<double>(holds_[slot].size() - map.min_domains(j.nodes));
  j.span_factor = static_cast<float>(1.0 + sc_.factories[j.factory].topology->span_slowdown * extra);
}

void Engine::release_domains(std::uint32_t slot) {
  const ActiveJob& j = jobs_[slot];
  if (!domains_[j.factory]) return;
  domains_[j.factory]->release(slot, holds_[slot]);
  holds_[slot].clear();
}

// A node failure on a factory with domains: node k is the (k mod size)-th node of domain
// k / size, whose nodes are ordered busy, down, spare, free.
void Engine::node_failure_in_domains(std::uint32_t f, std::uint32_t k) {
  DomainMap& map = *domains_[f];
  FactoryPool& pool = pools_[f];
  const std::uint32_t d = k / map.nodes_per_domain();
  const auto [state, slot] = map.node(d, k % map.nodes_per_domain());
  if (state == DomainMap::NodeState::Down || state == DomainMap::NodeState::Maintenance) return;  // cannot fail
  node_went_down(f, d + 1);
  if (state == DomainMap::NodeState::Free) {
    map.fail_free_node(d);
    pool.fail_free_node();
    return;
  }
  if (state == DomainMap::NodeState::Spare) {
    map.fail_spare_node(d);
    pool.fail_spare_node();
    return;
  }
  ActiveJob& j = jobs_[slot];
  count_interruption(slot);
  if (map.replace_with_spare(d)) {
    // A spare of the same domain takes the failed node's place: the job restarts in place, in
    // the same domains (so at the same span).
    pool.fail_busy_node();  // the pool's spares are the domains' spares summed: one is there
    plan_attempt(j, f);
    begin_attempt(slot);
    return;
  }
  // No spare in its domain: the job gives back its other nodes and waits again.
  map.fail_busy_node(d, slot, holds_[slot]);
  holds_[slot].clear();
  pool.fail_busy_nodes(1);
  pool.release(j.nodes - 1);
  unhold_and_requeue(slot);
}

void Engine::sync_domain_maintenance(std::uint32_t f) {
  DomainMap& map = *domains_[f];
  FactoryPool& pool = pools_[f];
  const std::uint32_t want = pool.maintenance_nodes(), have = map.maintenance_nodes();
  if (want > have) {
    map.begin_maintenance(want - have);
  } else if (want < have) {  // a window closed: all its nodes return at once
    const std::uint32_t down = map.end_maintenance();
    if (down > 0) pool.fail_free_nodes(down);  // their domain failed meanwhile: down until it is back
    if (want > 0) map.begin_maintenance(want);
  }
  if (map.free_nodes() != pool.idle_nodes())
    throw std::logic_error("factory " + sc_.factories[f].name + ": the domain map has " + std::to_string(map.free_nodes()) +
                           " free nodes, the pool " + std::to_string(pool.idle_nodes()));
}

void Engine::schedule_next_domain_failure(std::uint32_t f) {
  DomainFailureState& s = *domain_failures_[f];
  ++s.generation;  // a pending draw at the old rate (before a growth phase) is skipped
  const double rate_per_s =
      static_cast<double>(domains_[f]->domains()) / sc_.factories[f].topology->failures->mtbf.seconds_f();
  const double gap_s = boost::random::exponential_distribution<double>(rate_per_s)(s.clock);
  events_.push_ordered(now_ + Duration::from_seconds(std::min(gap_s, kMaxDurationSeconds)), EventKind::DomainFailure,
                       f, f, s.generation);
}

// Domains fail as one Poisson process of rate domains / MTBF; a failure that picks a domain
// already down does nothing (so each domain fails at rate 1 / MTBF while it is up).
void Engine::on_domain_failure(std::uint32_t f, std::uint32_t generation) {
  DomainFailureState& s = *domain_failures_[f];
  if (generation != s.generation) return;  // redrawn after a growth phase
  DomainMap& map = *domains_[f];
  FactoryPool& pool = pools_[f];
  const auto d = boost::random::uniform_int_distribution<std::uint32_t>(0, map.domains() - 1)(s.victim);
  if (!map.domain_failed(d)) {
    publish<EventBit::DomainFailed>([&](auto& o) { o.domain_failed(f); });
    const auto gone = map.fail_domain(d);
    pool.fail_free_nodes(gone.free);
    pool.fail_spare_nodes(gone.spare);
    // Every job with nodes in the domain is interrupted (copy: the list changes as they leave).
    const auto victims = map.jobs_in(d);
    for (const auto& [slot, here] : victims) {
      ActiveJob& j = jobs_[slot];
      count_interruption(slot);
      map.fail_job_in_domain(d, slot, holds_[slot]);
      holds_[slot].clear();
      pool.fail_busy_nodes(here);
      pool.release(j.nodes - here);
      unhold_and_requeue(slot);
    }
    const Duration repair = sc_.factories[f].topology->failures->repair.sample(s.repair);
    events_.push_ordered(now_ + repair, EventKind::DomainRepair, f, f, d);
  }
  pool_changed(f);
  schedule_next_domain_failure(f);
}

void Engine::on_domain_repair(std::uint32_t f, std::uint32_t d) {
  const auto back = domains_[f]->repair_domain(d);
  pools_[f].repair_nodes(back.free, back.spare);
  pool_changed(f);
  publish<EventBit::NodesRepaired>([&](auto& o) { o.nodes_repaired(f, back.free + back.spare); });
}

}  // namespace gigasim::detail
