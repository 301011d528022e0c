#include "gigasim/policy/conservative.hpp"

#include <algorithm>
#include <vector>

#include "gigasim/policy/preemption.hpp"

namespace gigasim {

ConservativeScheduler::ConservativeScheduler(Order order, const std::vector<TenantSpec>& tenants,
                                             Duration fair_share_half_life, bool preemption, bool replan)
    : key_(order, tenants), preemption_(preemption), replan_(replan) {
  for (const auto& t : tenants) {
    has_limits_ |= t.quota.has_value() || t.allocation_chip_hours.has_value();
  }
  if (order == Order::FairShare) fair_share_.emplace(tenants, fair_share_half_life);
  held_of_tenant_.assign(tenants.size(), 0);
}

// The shared queue order; fair-share's tenant rank is folded into the key (a rank change re-keys
// the queue, see rekey_queue).
std::int64_t ConservativeScheduler::order_key(const ActiveJob& j) const {
  return key_.order() == Order::FairShare ? fair_share_->rank(j.tenant) : key_.static_key(j);
}

void ConservativeScheduler::enqueue(std::uint32_t slot, const ClusterView& view) {
  const ActiveJob& j = view.job(slot);
  if (key_of_.size() <= slot) {
    key_of_.resize(slot + 1);
    res_.resize(slot + 1);
  }
  key_of_[slot] = {order_key(j), j.id, slot};
  queue_.insert(key_of_[slot]);
  // A job that ran before (failure, preemption) left the plan: its nodes were expected until
  // its end. Its nodes did not always come free (a one-node job whose node failed), so the free
  // counts may still match the profile: rebuild explicitly.
  if (j.restarting) dirty_ = true;
  arrived_.push_back(slot);
}

// The reservations due now, counted once per pass (and kept up to date by reserve()): nodes per
// factory for profiles_match, chips per tenant for the quota check.
void ConservativeScheduler::tally_due_now(const ClusterView& view) {
  const auto pools = view.factories();
  due_nodes_.assign(pools.size(), 0);
  due_now_chips_.assign(key_.tenants(), 0);
  for (auto it = due_.begin(); it != due_.end() && std::get<0>(*it) <= view.now(); ++it) {
    const std::uint32_t slot = std::get<3>(*it), f = res_[slot]->factory;
    const std::uint32_t nodes = pools[f].nodes_for(view.job(slot).chips);
    due_nodes_[f] += nodes;
    due_now_chips_[view.job(slot).tenant] += std::int64_t{nodes} * pools[f].spec().node_size;
  }
}

// The profiles predicted how many nodes would be free now, once the reservations due now have
// started; any difference means reality left the plan (early or late ends, failures, repairs,
// capacity changes).
bool ConservativeScheduler::profiles_match(const ClusterView& view) const {
  const auto pools = view.factories();
  if (profiles_.size() != pools.size()) return false;
  for (std::size_t f = 0; f < pools.size(); ++f)
    if (profiles_[f].free_now() + due_nodes_[f] != (pools[f].online() ? pools[f].free_nodes() : 0)) return false;
  return true;
}

// A running job past its estimate left the plan, which expected its nodes by then: the plan is
// rebuilt, with the job expected "now", at every pass while it runs on (docs/semantics.md).
// Free counts alone can miss it: an early end or a repair elsewhere on the factory can make
// them match the plan by coincidence.
bool ConservativeScheduler::any_overdue(const ClusterView& view) const {
  const std::size_t n = view.factories().size();
  for (std::uint32_t f = 0; f < n; ++f)
    if (view.releases(f).released_by(view.now()) > 0) return true;
  return false;
}

void ConservativeScheduler::unreserve(std::uint32_t slot) {
  if (!res_[slot]) return;
  const auto& k = key_of_[slot];
  due_.erase({res_[slot]->start, std::get<0>(k), std::get<1>(k), slot});
  res_[slot].reset();
}

// The earliest start over the factories the job may use (ties: declaration order), held in
// that factory's profile. A tenant's quota is judged against what it holds now plus its
// reservations due now (so several of its jobs cannot be planned to start together beyond it).
// A job that gets no reservation waits for a change that could give it one. If its tenant's
// quota or allocation stood in the way, it is `held_` and retried when that tenant holds fewer
// chips or the installed capacity changes (retry_held); if only the profile had no room (nodes
// down, capacity not yet there), the capacity change that makes room also makes the free counts
// leave the profile, which rebuilds. Either way no pass rebuilds just because it waits.
void ConservativeScheduler::reserve(std::uint32_t slot, const ClusterView& view) {
  const ActiveJob& j = view.job(slot);
  const auto pools = view.factories();
  std::optional<Reservation> best;
  Duration best_d;
  std::int64_t best_need = 0;
  bool limited = false;
  for (const std::uint32_t f : view.allowed_factories(j.access)) {
    const FactoryPool& p = pools[f];
    if (!p.could_ever_fit(j.chips)) continue;
    const std::int64_t need = p.nodes_for(j.chips);
    if (has_limits_ && !view.within_quota(j.tenant, need * p.spec().node_size + due_now_chips_[j.tenant])) {
      limited = true;
      continue;
    }
    const Duration d = std::max(view.estimate_on(j, f), Duration::millis(1));
    const auto t = profiles_[f].earliest(need, d);
    if (t && (!best || *t < best->start)) best = Reservation{*t, f}, best_d = d, best_need = need;
  }
  if (!best) {
    if (limited) {
      held_.push_back(slot);
      ++held_of_tenant_[j.tenant];
    }
    return;
  }
  profiles_[best->factory].reserve(best->start, best_d, best_need);
  if (best->start <= view.now()) {
    due_nodes_[best->factory] += best_need;
    due_now_chips_[j.tenant] += best_need * pools[best->factory].spec().node_size;
  }
  res_[slot] = best;
  const auto& k = key_of_[slot];
  due_.insert({best->start, std::get<0>(k), std::get<1>(k), slot});
}

void ConservativeScheduler::rebuild(const ClusterView& view) {
  ++rebuilds_;
  const auto pools = view.factories();
  const SimTime now = view.now();
  profiles_.resize(pools.size());
  for (std::size_t f = 0; f < pools.size(); ++f) {
    const FactoryPool& p = pools[f];
    AvailabilityProfile& prof = profiles_[f];
    if (!p.online()) {
      const FactorySpec& s = p.spec();
      prof.reset(now, 0);
      prof.add(s.online, std::min(s.nodes() - s.spare_nodes(s.nodes()), s.power_cap_nodes(s.nodes())));
      continue;
    }
    prof.reset(now, p.free_nodes());
    // A job past its estimate could end any moment: it is expected now.
    view.releases(static_cast<std::uint32_t>(f)).for_each(
        [&](SimTime end, std::uint32_t, std::uint32_t nodes) { prof.add(std::max(end, now), nodes); });
  }
  due_.clear();
  for (auto& r : res_) r.reset();
  arrived_.clear();
  held_.clear();
  held_of_tenant_.assign(key_.tenants(), 0);
  due_nodes_.assign(pools.size(), 0);
  due_now_chips_.assign(key_.tenants(), 0);
  dirty_ = false;
  for (const auto& [key, id, slot] : queue_) reserve(slot, view);
}

// The fair-share ranking changed: the queue takes the new order (replan: and every reservation
// is recomputed in it).
void ConservativeScheduler::rekey_queue(const ClusterView& view) {
  std::set<QueueKey> requeued;
  for (const auto& [key, id, slot] : queue_) {
    key_of_[slot] = {order_key(view.job(slot)), id, slot};
    requeued.insert(key_of_[slot]);
  }
  queue_.swap(requeued);
  if (replan_) dirty_ = true;
}

// Replan: whether a job submitted since the last pass sorts before a job already waiting. If
// not, reserving the new jobs (in queue order) gives the plan a full recomputation would. Every
// new job is in queue_, so they all sort last iff the jobs from the first new one on are exactly
// the new ones: a walk of at most (new jobs + 1) steps.
bool ConservativeScheduler::arrivals_jump_queue() const {
  const QueueKey* first = nullptr;
  for (const std::uint32_t slot : arrived_)
    if (!first || key_of_[slot] < *first) first = &key_of_[slot];
  if (!first) return false;
  std::size_t from_first = 0;
  for (auto it = queue_.find(*first); it != queue_.end(); ++it)
    if (++from_first > arrived_.size()) return true;
  return false;
}

// Starts every job whose reservation is due. The profile said its nodes are free now; a job that
// still cannot start (a late job holds them, or a quota) triggers a rebuild next pass.
void ConservativeScheduler::start_due(ClusterView& view) {
  const SimTime now = view.now();
  const auto pools = view.factories();
  while (!due_.empty() && std::get<0>(*due_.begin()) <= now) {
    const std::uint32_t slot = std::get<3>(*due_.begin());
    const std::uint32_t f = res_[slot]->factory;
    const ActiveJob& j = view.job(slot);
    const FactoryPool& p = pools[f];
    const std::uint32_t nodes = p.nodes_for(j.chips);
    due_.erase(due_.begin());
    res_[slot].reset();
    if (!p.online() || p.free_nodes() < nodes ||
        !view.within_quota(j.tenant, std::int64_t{nodes} * p.spec().node_size)) {
      dirty_ = true;
      continue;
    }
    queue_.erase(key_of_[slot]);
    view.start(slot, f);
  }
}

// The first job in queue order, if no factory it may use has enough free nodes for it now, may
// preempt. True if it did (and started): the caller recomputes every reservation.
bool ConservativeScheduler::preempt_for_head(ClusterView& view) {
  if (queue_.empty()) return false;
  const std::uint32_t slot = std::get<2>(*queue_.begin());
  const ActiveJob& j = view.job(slot);
  const auto pools = view.factories();
  for (const std::uint32_t f : view.allowed_factories(j.access))
    if (pools[f].online() && pools[f].free_nodes() >= pools[f].nodes_for(j.chips)) return false;
  const auto f = make_room_by_preemption(view, j, key_.priority(j.tenant));
  if (!f) return false;
  unreserve(slot);
  queue_.erase(key_of_[slot]);
  view.start(slot, *f);
  return true;
}

// Retries the held jobs (in queue order) when a limit may have loosened: one of their tenants
// holds fewer chips than at the end of the last pass, or the installed capacity (the base of
// quotas) changed. Replan: a job that gets a reservation this way may come before others in
// queue order, so the plan is recomputed instead.
void ConservativeScheduler::retry_held(const ClusterView& view) {
  if (held_.empty()) return;
  bool loosened = installed_chips(view) != installed_at_last_pass_;
  for (std::uint16_t t = 0; t < held_of_tenant_.size() && !loosened; ++t)
    loosened = held_of_tenant_[t] > 0 && view.held_chips(t) < held_chips_at_last_pass_[t];
  if (!loosened) return;
  if (replan_) {
    dirty_ = true;
    return;
  }
  std::vector<std::uint32_t> retry;
  retry.swap(held_);
  held_of_tenant_.assign(key_.tenants(), 0);
  std::sort(retry.begin(), retry.end(), [&](auto a, auto b) { return key_of_[a] < key_of_[b]; });
  for (const std::uint32_t slot : retry) reserve(slot, view);  // those still held return to held_
}

void ConservativeScheduler::note_limits(const ClusterView& view) {
  if (!has_limits_) return;
  held_chips_at_last_pass_.resize(key_.tenants());
  for (std::uint16_t t = 0; t < held_chips_at_last_pass_.size(); ++t) held_chips_at_last_pass_[t] = view.held_chips(t);
  installed_at_last_pass_ = installed_chips(view);
}

std::int64_t ConservativeScheduler::installed_chips(const ClusterView& view) {
  std::int64_t installed = 0;
  for (const auto& p : view.factories()) installed += std::int64_t{p.installed_nodes()} * p.spec().node_size;
  return installed;
}

void ConservativeScheduler::schedule(ClusterView& view) {
  const SimTime now = view.now();
  if (fair_share_ && fair_share_->update(now)) rekey_queue(view);
  for (auto& p : profiles_) p.advance(now);
  tally_due_now(view);
  retry_held(view);
  if (dirty_ || !profiles_match(view) || any_overdue(view) || (replan_ && arrivals_jump_queue())) {
    rebuild(view);
  } else {
    if (replan_)
      std::sort(arrived_.begin(), arrived_.end(), [&](auto a, auto b) { return key_of_[a] < key_of_[b]; });
    for (const std::uint32_t slot : arrived_) reserve(slot, view);
    arrived_.clear();
  }
  start_due(view);
  // Each preemption stops only jobs of strictly lower priority than the one it starts, so
  // this ends; the stopped jobs are back in the queue and get reservations in the rebuild.
  while (preemption_ && preempt_for_head(view)) {
    rebuild(view);
    start_due(view);
  }
  note_limits(view);
}

}  // namespace gigasim
