#include "policy/queue_scheduler.hpp"

#include <algorithm>

#include "gigasim/policy/preemption.hpp"
#include "gigasim/policy/registry.hpp"

namespace gigasim {

std::unique_ptr<Scheduler> make_queue_scheduler(const QueueSchedulerOptions& o, const std::vector<TenantSpec>& tenants) {
  auto s = std::make_unique<QueueScheduler>(o.order, o.backfill, make_placement(o.placement), tenants,
                                            o.fair_share_half_life, o.preemption, o.enforce_allocations);
  if (o.reservation_probe) s->set_reservation_probe(o.reservation_probe);
  if (!o.resume_blocked_passes) s->never_resume();
  return s;
}

QueueScheduler::QueueScheduler(Order order, Backfill backfill, std::unique_ptr<Placement> placement,
                               const std::vector<TenantSpec>& tenants, Duration fair_share_half_life,
                               bool preemption, bool enforce_allocations)
    : key_(order, tenants), backfill_(backfill), preemption_(preemption), placement_(std::move(placement)) {
  for (const auto& t : tenants) {
    // An enforced allocation works like a quota: the tenant's jobs become ineligible.
    has_quotas_ |= t.quota.has_value() || (enforce_allocations && t.allocation_chip_hours.has_value());
  }
  if (order == Order::FairShare) fair_share_.emplace(tenants, fair_share_half_life);
  tenant_rank_.assign(tenants.size(), 0);
  // Quotas and allocations change with time and holdings, preemption with running jobs' victims:
  // a blocked pass is resumed only without them (resume_blocked_pass).
  resumable_ = backfill_ != Backfill::None && !has_quotas_ && !preemption_;
}

// A copy in the same state; only the placement needs a deep copy.
QueueScheduler::QueueScheduler(const QueueScheduler& o)
    : key_(o.key_),
      backfill_(o.backfill_),
      preemption_(o.preemption_),
      placement_(o.placement_->clone()),
      has_quotas_(o.has_quotas_),
      resumable_(o.resumable_),
      queue_(o.queue_),
      arrived_(o.arrived_),
      fronts_(o.fronts_),
      shadow_memo_(o.shadow_memo_),
      blocked_(o.blocked_),
      touched_(o.touched_),
      window_rejected_(o.window_rejected_),
      probe_(o.probe_),
      fair_share_(o.fair_share_),
      tenant_rank_(o.tenant_rank_) {}

// Global queue order: (tenant rank -- fair-share only, static key, arrival id).
bool QueueScheduler::before(const WaitQueue::Bucket& a, const WaitQueue::Key& ka, const WaitQueue::Bucket& b,
                            const WaitQueue::Key& kb) const {
  const std::uint32_t ra = tenant_rank_[a.tenant], rb = tenant_rank_[b.tenant];
  if (ra != rb) return ra < rb;
  return ka < kb;
}

std::optional<QueueScheduler::Front> QueueScheduler::front_of(std::size_t bucket) const {
  const auto& b = queue_.buckets()[bucket];
  if (b.jobs.empty()) return std::nullopt;
  const auto& key = b.jobs.begin()->first;
  return Front{tenant_rank_[b.tenant], key.first, key.second, bucket};
}

// Queue changes keep `fronts_` exact: only a bucket's first job can change the head.
void QueueScheduler::push(const ActiveJob& j, std::uint32_t slot, std::int64_t key) {
  const std::size_t b = queue_.push(j, slot, key);
  if (blocked_.valid) touched_.push_back(b);
  const auto& jobs = queue_.buckets()[b].jobs;
  if (jobs.begin()->first.second != j.id) return;  // it queues behind the bucket's front
  if (jobs.size() > 1) {
    const auto& displaced = std::next(jobs.begin())->first;
    fronts_.erase(Front{tenant_rank_[j.tenant], displaced.first, displaced.second, b});
  }
  fronts_.insert(Front{tenant_rank_[j.tenant], key, j.id, b});
}

void QueueScheduler::erase(const ActiveJob& j, std::int64_t key) {
  const std::size_t b = queue_.erase(j, key);
  if (fronts_.erase(Front{tenant_rank_[j.tenant], key, j.id, b}) == 1)
    if (auto f = front_of(b)) fronts_.insert(*f);
}

void QueueScheduler::rebuild_fronts() {
  fronts_.clear();
  for (std::size_t b = 0; b < queue_.buckets().size(); ++b)
    if (auto f = front_of(b)) fronts_.insert(*f);
}

void QueueScheduler::enqueue(std::uint32_t slot, const ClusterView&) { arrived_.push_back(slot); }

// Fast path for the common case of an empty index: the arrivals, sorted in queue order, ARE the
// queue, so they start in that order while they fit, exactly as the general loop would start them;
// the first that does not fit (and all after it) is indexed and the general loop takes over.
void QueueScheduler::start_or_index_arrivals(ClusterView& view) {
  if (arrived_.empty()) return;
  std::size_t i = 0;
  if (queue_.empty()) {
    auto key = [&](std::uint32_t slot) {
      const ActiveJob& j = view.job(slot);
      return std::tuple{tenant_rank_[j.tenant], static_key(j), j.id};
    };
    if (arrived_.size() > 1)
      std::sort(arrived_.begin(), arrived_.end(), [&](auto a, auto b) { return key(a) < key(b); });
    for (; i < arrived_.size(); ++i) {
      const auto f = placement_->place(view.job(arrived_[i]), view);
      if (!f) break;
      if (probe_) probe_(view.job(arrived_[i]).id, *f, view.now());  // each is the head in turn
      view.start(arrived_[i], *f);
    }
  }
  for (; i < arrived_.size(); ++i) {
    const ActiveJob& j = view.job(arrived_[i]);
    push(j, arrived_[i], static_key(j));
  }
  arrived_.clear();
}

// The first bucket front whose tenant's quota allows it somewhere: a job held back by its
// tenant's quota is not eligible and does not block other tenants' jobs.
std::optional<QueueScheduler::Pick> QueueScheduler::head(const ClusterView& view) const {
  for (const Front& front : fronts_) {
    const std::size_t b = std::get<3>(front);
    const auto& bucket = queue_.buckets()[b];
    if (has_quotas_ && !quota_allows(view, bucket.tenant, bucket.access, bucket.chips)) continue;
    return Pick{b, bucket.jobs.begin()->second.slot};
  }
  return std::nullopt;
}

bool QueueScheduler::quota_allows(const ClusterView& view, std::uint16_t tenant, std::uint16_t access,
                                  std::uint32_t chips) const {
  const auto pools = view.factories();
  for (const std::uint32_t f : view.allowed_factories(access))
    if (view.within_quota(tenant, static_cast<std::int64_t>(pools[f].nodes_for(chips)) * pools[f].spec().node_size))
      return true;
  return false;
}

void QueueScheduler::start(ClusterView& view, const Pick& p, std::uint32_t factory) {
  const ActiveJob& j = view.job(p.slot);
  erase(j, static_key(j));
  view.start(p.slot, factory);
}

// EASY: the factory where the head can start earliest, judging by running jobs' expected ends.
std::optional<QueueScheduler::Reservation> QueueScheduler::reserve(const ActiveJob& head,
                                                                   const ClusterView& view) const {
  std::optional<Reservation> best;
  const auto pools = view.factories();
  if (shadow_memo_.size() < pools.size()) shadow_memo_.resize(pools.size());
  for (const std::uint32_t f : view.allowed_factories(head.access)) {  // ascending: ties to the first
    const FactoryPool& pool = pools[f];
    if (!pool.could_ever_fit(head.chips)) continue;
    const std::int64_t need = pool.nodes_for(head.chips);
    Reservation r{f, SimTime::never(), 0};
    if (!pool.online()) {
      // All its nodes are free when it comes online (later growth phases are not counted on).
      const FactorySpec& spec = pool.spec();
      const std::int64_t at_online = std::min(spec.nodes() - spec.spare_nodes(spec.nodes()), spec.power_cap_nodes(spec.nodes()));
      if (need > at_online) continue;
      r.shadow = spec.online;
      r.extra_nodes = at_online - need;
    } else {
      const ReleaseIndex& releases = view.releases(f);
      ShadowMemo& memo = shadow_memo_[f];
      const std::int64_t more = need - pool.free_nodes();
      if (memo.version != releases.version() || memo.nodes != more) {
        memo = {releases.version(), more, releases.shadow(more)};
      }
      const auto& s = memo.answer;
      if (!s) continue;
      // A job past its estimate is "expected" in the past: it could end any moment, i.e. now.
      // When enough nodes are expected by now, every such job counts as ending now, so the
      // extra nodes are all those expected by now -- not only those up to the instant in the
      // past where the count first reached the need.
      r.shadow = std::max(s->first, view.now());
      const std::int64_t released = s->first < view.now() ? releases.released_by(view.now()) : s->second;
      r.extra_nodes = pool.free_nodes() + released - need;
    }
    if (!best || r.shadow < best->shadow) best = r;
  }
  return best;
}

// The first job in queue order outside the blocked head's bucket that may start now: anywhere it fits (greedy), or without delaying the reservation (easy).
std::optional<QueueScheduler::Pick> QueueScheduler::backfill_candidate(const ClusterView& view,
                                                                       const Reservation* r,
                                                                       std::size_t head_bucket,
                                                                       const std::vector<std::size_t>* only) const {
  std::optional<Pick> best;
  window_rejected_ = false;
  const auto& buckets = queue_.buckets();
  const auto pools = view.factories();
  const std::int64_t window_ms = r ? (r->shadow - view.now()).ms() : 0;
  // Most buckets hold jobs larger than any free space: one comparison rules them out.
  std::uint64_t most_free_chips = 0;
  for (const auto& p : pools)
    most_free_chips = std::max<std::uint64_t>(most_free_chips, std::uint64_t{p.free_nodes()} * p.spec().node_size);
  const std::size_t n = only ? only->size() : buckets.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t b = only ? (*only)[i] : i;
    const auto& bucket = buckets[b];
    if (b == head_bucket || bucket.jobs.empty() || bucket.chips > most_free_chips) continue;
    bool any = false, only_short = false;
    for (const std::uint32_t g : view.allowed_factories(bucket.access)) {
      const FactoryPool& p = pools[g];
      if (!p.online() || p.free_nodes() < p.nodes_for(bucket.chips)) continue;
      if (has_quotas_ && !view.within_quota(bucket.tenant, std::int64_t{p.nodes_for(bucket.chips)} * p.spec().node_size))
        continue;
      if (!r || g != r->factory || p.nodes_for(bucket.chips) <= r->extra_nodes) {
        any = true;
        break;
      }
      only_short = true;  // fits only on the reserved factory, and only if it ends in time
    }
    std::optional<std::uint32_t> slot;
    WaitQueue::Key key;
    if (any) {
      slot = bucket.jobs.begin()->second.slot;
      key = bucket.jobs.begin()->first;
    } else if (only_short) {
      // Estimates in the bucket are on the jobs' home factory; the job must also end in time on
      // the reserved one (work jobs run slower on slower chips). The first job short enough at
      // home is the bucket's one offer: if it is too long on the reserved factory, the bucket
      // offers none this pass (a later, shorter job in it may wait: the guarantee comes first).
      slot = bucket.jobs.first_within(window_ms);
      if (slot) {
        const ActiveJob& j = view.job(*slot);
        if (view.estimate_on(j, r->factory).ms() > window_ms) {
          slot.reset();
          window_rejected_ = true;  // a shorter window may make a later job the bucket's offer
        } else {
          key = {static_key(j), j.id};
        }
      }
    }
    if (!slot) continue;
    if (!best) {
      best = Pick{b, *slot};
      continue;
    }
    const ActiveJob& cur = view.job(best->slot);
    if (before(bucket, key, buckets[best->bucket], {static_key(cur), cur.id})) best = Pick{b, *slot};
  }
  return best;
}

// Preemption makes room for the blocked head; the stopped jobs queue again within this pass.
bool QueueScheduler::preempt_for(ClusterView& view, const Pick& head) {
  const ActiveJob& job = view.job(head.slot);
  const auto f = make_room_by_preemption(view, job, key_.priority(job.tenant));
  if (!f) return false;
  start(view, head, *f);
  start_or_index_arrivals(view);
  return true;
}

// Backfills behind the blocked head: starts candidates while any may start now without delaying
// the reservation (EASY) or anywhere they fit (greedy). `only`: the buckets to look in (all when null).
void QueueScheduler::backfill(ClusterView& view, const Pick& head, std::optional<Reservation>& res,
                              const std::vector<std::size_t>* only) {
  const Reservation* r = res ? &*res : nullptr;
  while (auto c = backfill_candidate(view, r, head.bucket, only)) {
    const ActiveJob& cand = view.job(c->slot);
    const std::int64_t window_ms = r ? (r->shadow - view.now()).ms() : 0;
    // Judged by its estimate on the reserved factory, where it would delay the head; asked
    // only when the placement considers that factory (an estimate costs an attempt plan).
    std::optional<bool> in_time;
    auto ends_in_time = [&] {
      if (!in_time) in_time = view.estimate_on(cand, r->factory).ms() <= window_ms;
      return *in_time;
    };
    std::function<bool(std::uint32_t)> accept = [&](std::uint32_t g) {
      return !r || g != r->factory || view.factories()[g].nodes_for(cand.chips) <= r->extra_nodes || ends_in_time();
    };
    const auto g = placement_->place(cand, view, &accept);
    if (!g) break;  // cannot happen: the candidate was chosen because such a factory exists
    if (r && *g == r->factory && !ends_in_time()) res->extra_nodes -= view.factories()[*g].nodes_for(cand.chips);
    start(view, *c, *g);
  }
}

// What a blocked pass leaves behind, to tell the next pass whether it may resume (see
// resume_blocked_pass).
void QueueScheduler::remember_blocked(const ClusterView& view, const Pick& head, const std::optional<Reservation>& res) {
  touched_.clear();
  // A bucket whose first short-enough job at home was too long on the reserved factory offered
  // none; as the window shrinks, a later, shorter job of it may qualify: no resuming then.
  blocked_.valid = !window_rejected_;
  if (!blocked_.valid) return;
  blocked_.head_slot = head.slot;
  blocked_.res = res;
  const auto pools = view.factories();
  blocked_.free_nodes.resize(pools.size());
  blocked_.versions.resize(pools.size());
  for (std::size_t f = 0; f < pools.size(); ++f) {
    blocked_.free_nodes[f] = pools[f].free_nodes();
    blocked_.versions[f] = backfill_ == Backfill::Easy ? view.releases(static_cast<std::uint32_t>(f)).version() : 0;
  }
}

bool QueueScheduler::cluster_unchanged(const ClusterView& view) const {
  const auto pools = view.factories();
  if (pools.size() != blocked_.free_nodes.size()) return false;
  for (std::size_t f = 0; f < pools.size(); ++f) {
    if (pools[f].free_nodes() != blocked_.free_nodes[f]) return false;
    if (backfill_ == Backfill::Easy && view.releases(static_cast<std::uint32_t>(f)).version() != blocked_.versions[f])
      return false;
  }
  return true;
}

// The last pass ended with its head blocked and no job left to backfill. If since then only jobs
// arrived -- no factory's free nodes or running jobs changed -- and the head is still the head,
// the full pass would find: the head still blocked, the same reservation (the release indexes are
// unchanged and its shadow is still ahead, so jobs overrunning their estimates play no part), and
// no candidate in any bucket that offered none before (their free-node tests are the same and the
// window to the shadow only shrank, and no bucket's offer was refused for a job too long on the
// reserved factory: see remember_blocked). So only the buckets that received arrivals are searched.
// Not used with quotas or allocations (they change with time) or preemption.
bool QueueScheduler::resume_blocked_pass(ClusterView& view) {
  const auto h = head(view);
  if (!h || h->slot != blocked_.head_slot) return false;
  std::optional<Reservation> res = blocked_.res;
  if (res && !(res->shadow > view.now())) return false;
  if (probe_ && res) probe_(view.job(h->slot).id, res->factory, res->shadow);
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  const std::vector<std::size_t> only = std::move(touched_);
  backfill(view, *h, res, &only);
  remember_blocked(view, *h, res);
  return true;
}

void QueueScheduler::schedule(ClusterView& view) {
  if (fair_share_ && fair_share_->update(view.now())) {
    for (std::uint16_t t = 0; t < tenant_rank_.size(); ++t) tenant_rank_[t] = fair_share_->rank(t);
    rebuild_fronts();
    blocked_.valid = false;
  }
  const bool may_resume = resumable_ && blocked_.valid && cluster_unchanged(view);
  start_or_index_arrivals(view);
  if (may_resume && resume_blocked_pass(view)) return;
  blocked_.valid = false;
  while (auto h = head(view)) {
    const ActiveJob& job = view.job(h->slot);
    if (auto f = placement_->place(job, view)) {
      if (probe_) probe_(job.id, *f, view.now());  // the head starts now: its reservation is now
      start(view, *h, *f);
      continue;
    }
    if (preemption_ && preempt_for(view, *h)) continue;
    if (backfill_ == Backfill::None) break;

    // The head is blocked. It stays queued while we look for jobs to backfill: nothing in its
    // bucket can start either (same chips, access profile and tenant, so the same factories,
    // free-node test and quota), and backfilling only takes nodes, so its bucket is skipped
    // (this spares an index erase and re-insert on every blocked pass).
    std::optional<Reservation> res;
    if (backfill_ == Backfill::Easy) res = reserve(job, view);
    if (probe_ && res) probe_(job.id, res->factory, res->shadow);
    backfill(view, *h, res, nullptr);
    if (resumable_) remember_blocked(view, *h, res);
    break;
  }
}

}  // namespace gigasim
