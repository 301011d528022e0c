// Inference services (docs/semantics.md, "Inference services"): capacity held by a demand
// curve (model/service.hpp) rather than by jobs.
//
// A service's demand changes once per step (a ServiceDemand event). Before every scheduling
// pass -- after elastic jobs have lent their nodes above their minimum, so that a service can
// take those and make the jobs shrink -- each service, highest priority first:
//  0. gives a site that drains (maintenance, removal, retirement) the nodes it waits for: its
//     replicas move rather than hold the drain up;
//  1. gives back whole nodes above its demand, from its least preferred site first;
//  2. takes free nodes up to its demand (rounded up to whole nodes), most preferred site first,
//     before any waiting training job is considered (a priority over training);
//  3. if it is still short and the policy preempts (policy.preemption), stops running jobs of
//     preemptible tenants of strictly lower priority than the service, cheapest first (lowest
//     priority, then latest start: the order of make_room_by_preemption), until the nodes they
//     give back cover what is missing, and takes those.
// What it still lacks is unmet demand: it takes nodes as they become free, ahead of training.
// A failed node of a service is replaced by a hot spare if the factory has one, else the
// service holds one node fewer until it takes another. Services do not count against their
// tenant's quota, allocation or fair-share usage: those ration training.
#include <algorithm>
#include <numeric>

#include "engine.hpp"

namespace gigasim::detail {

void Engine::begin_services() {
  const std::size_t n = sc_.services.size();
  service_status_.assign(n, {});
  service_nodes_.clear();
  for (const ServiceSpec& s : sc_.services) service_nodes_.emplace_back(s.sites.size(), 0);
  service_order_.resize(n);
  std::iota(service_order_.begin(), service_order_.end(), 0u);
  std::stable_sort(service_order_.begin(), service_order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return sc_.services[a].priority > sc_.services[b].priority;
  });
  live_services_ = n;
  for (std::uint32_t s = 0; s < n; ++s)
    events_.push_ordered(std::max(sc_.services[s].start, SimTime::zero()), EventKind::ServiceDemand, s, s);
}

void Engine::on_service_demand(std::uint32_t s) {
  const ServiceSpec& spec = sc_.services[s];
  ServiceStatus& st = service_status_[s];
  st.demand_chips = spec.chips_wanted(now_);  // now_ begins a step (or is `until`)
  const SimTime end = spec.until ? *spec.until : horizon_.value_or(SimTime::never());
  if (now_ >= end) {
    --live_services_;  // the step at `until` sets the demand to 0: nothing follows
  } else {
    events_.push_ordered(std::min(now_ + spec.step, end), EventKind::ServiceDemand, s, s);
  }
  publish<EventBit::ServiceChanged>([&](auto& o) { o.service_changed(s); });
}

void Engine::serve_services() {
  for (const std::uint32_t s : service_order_) serve(s);
}

void Engine::serve(std::uint32_t s) {
  const ServiceSpec& spec = sc_.services[s];
  ServiceStatus& st = service_status_[s];
  std::vector<std::uint32_t>& held = service_nodes_[s];
  const std::int64_t before = st.held_chips;
  auto node_size = [&](std::size_t k) -> std::int64_t { return pools_[spec.sites[k]].spec().node_size; };
  auto give_back = [&](std::size_t k, std::uint32_t nodes) {
    pools_[spec.sites[k]].unserve(nodes);
    held[k] -= nodes;
    st.held_chips -= nodes * node_size(k);
    pool_changed(spec.sites[k]);
  };
  // 0. A site draining for maintenance or a removal gets the nodes it waits for: a service's
  //    replicas are moved, not waited for (the service takes free nodes again below).
  for (std::size_t k = 0; k < held.size(); ++k) {
    const std::uint32_t back = std::min(held[k], pools_[spec.sites[k]].draining_nodes());
    if (back > 0) give_back(k, back);
  }
  // 1. Nodes above the demand go back, least preferred site first.
  for (std::size_t k = held.size(); k-- > 0 && st.held_chips > st.demand_chips;) {
    const auto back = static_cast<std::uint32_t>(std::min<std::int64_t>(held[k], (st.held_chips - st.demand_chips) / node_size(k)));
    if (back > 0) give_back(k, back);
  }
  auto missing_nodes = [&](std::size_t k) -> std::uint32_t {
    const std::int64_t ns = node_size(k);
    return static_cast<std::uint32_t>(std::min<std::int64_t>((st.demand_chips - st.held_chips + ns - 1) / ns, 0xffffffff));
  };
  auto take = [&](std::size_t k, std::uint32_t nodes) {
    pools_[spec.sites[k]].serve(nodes);
    held[k] += nodes;
    st.held_chips += nodes * node_size(k);
    pool_changed(spec.sites[k]);
  };
  // 2. Free nodes, most preferred site first.
  for (std::size_t k = 0; k < held.size() && st.held_chips < st.demand_chips; ++k) {
    const std::uint32_t n = std::min(pools_[spec.sites[k]].free_nodes(), missing_nodes(k));
    if (n > 0) take(k, n);
  }
  // 3. Preemption, as the policy allows it.
  if (track_preemptible_) {
    std::vector<std::uint32_t> victims;
    for (std::size_t k = 0; k < held.size() && st.held_chips < st.demand_chips; ++k) {
      const std::uint32_t f = spec.sites[k];
      const FactoryPool& pool = pools_[f];
      const std::uint32_t want = missing_nodes(k);
      std::uint32_t freed = 0;
      victims.clear();
      for (const auto& [victim_priority, neg_start, slot] : preemptible_[f]) {
        if (victim_priority >= spec.priority || pool.free_after_release(freed) >= want) break;
        victims.push_back(slot);
        freed += jobs_[slot].nodes;
      }
      for (const std::uint32_t v : victims) {
        preempt(v);
        ++st.preempted_jobs;
      }
      const std::uint32_t n = std::min(pool.free_nodes(), want);
      if (n > 0) take(k, n);
    }
  }
  if (st.held_chips != before) publish<EventBit::ServiceChanged>([&](auto& o) { o.service_changed(s); });
}

void Engine::serving_node_failed(std::uint32_t f, std::uint32_t index) {
  for (std::uint32_t s = 0; s < sc_.services.size(); ++s) {
    const ServiceSpec& spec = sc_.services[s];
    for (std::size_t k = 0; k < spec.sites.size(); ++k) {
      if (spec.sites[k] != f) continue;
      const std::uint32_t held = service_nodes_[s][k];
      if (index >= held) {
        index -= held;
        continue;
      }
      ServiceStatus& st = service_status_[s];
      ++st.node_failures;
      node_went_down(f, 0);
      if (!pools_[f].fail_serving_node()) {  // no spare took its place
        --service_nodes_[s][k];
        st.held_chips -= pools_[f].spec().node_size;
      }
      publish<EventBit::ServiceChanged>([&](auto& o) { o.service_changed(s); });
      return;
    }
  }
}

}  // namespace gigasim::detail
