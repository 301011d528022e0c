#pragma once
// The allocation-policy interface. A policy owns its queue of waiting jobs and, once per instant,
// decides which of them start where. It sees the cluster through a read-only ClusterView and acts
// only through ClusterView::start, which the engine validates and applies at once (so the next
// decision in the same pass sees the updated free counts).
#include <cstdint>
#include <memory>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "gigasim/model/factory_pool.hpp"
#include "gigasim/model/job.hpp"
#include "gigasim/model/service.hpp"
#include "gigasim/policy/release_index.hpp"

namespace gigasim {

/// Running jobs of preemptible tenants on one factory, cheapest victims first:
/// (tenant priority, -attempt start ms, slot) -- lowest priority, then the most recently
/// (re)started, which loses the least work.
using PreemptionIndex = std::set<std::tuple<int, std::int64_t, std::uint32_t>>;

class ClusterView {
 public:
  virtual ~ClusterView() = default;
  virtual SimTime now() const = 0;
  virtual std::span<const FactoryPool> factories() const = 0;
  virtual const ActiveJob& job(std::uint32_t slot) const = 0;
  /// Whether `slot` holds a job now (waiting or running); slots of ended jobs are reused.
  virtual bool active(std::uint32_t slot) const = 0;
  /// The job's user-given id (a trace's or a job list's); empty when it has none.
  virtual std::string_view label(const ActiveJob& job) const = 0;
  /// Data residency: may jobs of `tenant` run on factory `f`?
  virtual bool may_use(std::uint16_t access, std::uint32_t f) const = 0;
  /// The factories a job of access profile `access` may use, ascending.
  virtual std::span<const std::uint32_t> allowed_factories(std::uint16_t access) const = 0;
  /// Running jobs of factory `f` by expected end; maintained only for schedulers that ask
  /// (Scheduler::needs_release_index), empty otherwise.
  virtual const ReleaseIndex& releases(std::uint32_t f) const = 0;
  /// Chips currently held by the running jobs of `tenant` (whole nodes).
  virtual std::int64_t held_chips(std::uint16_t tenant) const = 0;
  /// Chip-hours the running and past jobs of `tenant` have held from time 0 to now (whole
  /// nodes; what chip-hour allocations charge).
  virtual double used_chip_hours(std::uint16_t tenant) const = 0;
  /// Whether `tenant` may take `chips` more chips under its quota (always true without one).
  virtual bool within_quota(std::uint16_t tenant, std::int64_t chips) const = 0;
  /// The scenario's inference services now (Scenario::services order): what each wants and
  /// holds. They were served just before this pass (docs/semantics.md, "Inference services");
  /// their demand curves (ServiceSpec::demand_chips) tell what they will want.
  virtual std::span<const ServiceStatus> services() const { return {}; }
  /// The failure-free wall time of the job's next attempt if it started on factory f now: work
  /// jobs run faster on faster chips; duration jobs take their duration (plus checkpoints) anywhere.
  virtual Duration run_time_on(const ActiveJob& job, std::uint32_t f) const = 0;
  /// What the scheduler believes that run time is (the policy's runtime estimate on f).
  virtual Duration estimate_on(const ActiveJob& job, std::uint32_t f) const = 0;
  /// Starts queued job `slot` on factory `f` now. Throws PolicyError (naming the job, the factory
  /// and why) if it is not a waiting job, the factory is offline or not allowed for it, it does
  /// not fit in the free nodes, or its tenant's quota or enforced allocation forbids it.
  virtual void start(std::uint32_t slot, std::uint32_t f) = 0;
  /// Running jobs that may be preempted on factory `f`; maintained only for schedulers that
  /// preempt (Scheduler::preempts), empty otherwise.
  virtual const PreemptionIndex& preemptible(std::uint32_t f) const = 0;
  /// Stops running job `slot` now: it keeps its last checkpoint, frees its nodes and requeues.
  /// Throws PolicyError unless it is a running job of a preemptible tenant and the scheduler
  /// declared that it preempts.
  virtual void preempt(std::uint32_t slot) = 0;
};



/// Where a job goes among the factories it may use.
class Placement {
 public:
  virtual ~Placement() = default;
  /// An independent copy (placements are usually stateless).
  virtual std::unique_ptr<Placement> clone() const = 0;
  /// A factory that is online, allowed for the job's tenant, has room for the job now and passes
  /// `accept` (when given); nullopt if none.
  virtual std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view,
                                             const std::function<bool(std::uint32_t)>* accept = nullptr) const = 0;

  /// Online, allowed for the tenant, enough free nodes now, within the tenant's quota, accepted.
  static bool feasible(const ActiveJob& job, const ClusterView& view, std::uint32_t f,
                       const std::function<bool(std::uint32_t)>* accept) {
    return view.may_use(job.access, f) && fits_now(job, view, view.factories()[f], f, accept);
  }
  /// The same for a factory `p` = factories()[f] already known to be allowed (one of
  /// allowed_factories(job.access): placements walk that list, not every factory).
  static bool fits_now(const ActiveJob& job, const ClusterView& view, const FactoryPool& p, std::uint32_t f,
                       const std::function<bool(std::uint32_t)>* accept) {
    const std::uint32_t nodes = p.nodes_for(job.chips);
    return p.online() && p.free_nodes() >= nodes &&
           view.within_quota(job.tenant, static_cast<std::int64_t>(nodes) * p.spec().node_size) &&
           (!accept || (*accept)(f));
  }
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  /// A job was submitted and is now waiting.
  virtual void enqueue(std::uint32_t slot, const ClusterView& view) = 0;
  /// The one scheduling pass of an instant: start what the policy allows.
  virtual void schedule(ClusterView& view) = 0;
  /// After each pass, once the engine has applied what follows from it (elastic jobs taking back
  /// or growing into free nodes): what the cluster holds now is what it holds until the next
  /// instant. Policies that integrate holdings over time (fair-share) record them here.
  virtual void pass_settled(const ClusterView& /*view*/) {}
  virtual std::size_t queue_length() const = 0;
  /// Whether the engine must maintain ClusterView::releases (costs O(log n) per start and end).
  virtual bool needs_release_index() const { return false; }
  /// Whether the engine must maintain ClusterView::preemptible.
  virtual bool preempts() const { return false; }
  /// An independent copy in the same state (its queue included), for Simulation::fork; nullptr
  /// if this policy cannot be copied (then fork refuses, naming it).
  virtual std::unique_ptr<Scheduler> clone() const { return nullptr; }
};

}  // namespace gigasim
