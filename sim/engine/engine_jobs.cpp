// A job's life: arrival (or rejection as unschedulable), attempts (start, completion,
// interruption), requeueing, and the per-job records streamed out.
#include <algorithm>
#include <stdexcept>
#include <string>

#include <limits>

#include <boost/random/uniform_real_distribution.hpp>
#include <fmt/format.h>

#include "engine.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/number_format.hpp"
#include "gigasim/scenario/units.hpp"

namespace gigasim::detail {

void Engine::schedule_next_arrival(std::uint32_t source) {
  auto draft = sources_[source]->next();
  if (!draft) {
    --live_sources_;
    return;
  }
  if (draft->submit < now_)
    throw std::logic_error("workload source went back in time: " + sc_.workload[source].label);
  pending_[source] = *draft;
  // Tie-break by source index: simultaneous submissions queue in declaration order.
  events_.push_ordered(draft->submit, EventKind::JobArrival, source, source);
}

// FLOP/s of a job on factory f. Duration jobs are counted at the scenario's default MFU and
// precision (their FLOPs are not given, only their time).
double Engine::flop_rate(const ActiveJob& j, std::uint32_t f) const {
  const FactorySpec& fs = sc_.factories[f];
  const ScalingModel& scaling = fs.scaling ? *fs.scaling : sc_.compute.scaling;
  return j.by_work ? job_flop_rate(fs.chip, j.chips, j.precision, j.mfu, scaling)
                   : job_flop_rate(fs.chip, j.chips, sc_.compute.precision, sc_.compute.mfu, scaling);
}

// The next attempt's plan on factory f: restart overhead, checkpoint interval, wall time and
// the scheduler's estimate of it.
void Engine::plan_attempt(ActiveJob& j, std::uint32_t f) const {
  const CheckpointSpec& c = checkpoint_of(j);
  const FactorySpec& fs = sc_.factories[f];
  // Work jobs: their useful time here follows from the chips' speed. Duration jobs run as
  // long as they said anywhere.
  if (j.by_work) {
    const double rate = flop_rate(j, f);
    j.work = std::max(Duration::from_seconds(std::min(j.flops_left / rate, kMaxDurationSeconds)), Duration::millis(1));
  }
  Duration interval = Duration::max();
  if (c.mode == CheckpointSpec::Mode::Fixed) {
    interval = c.interval;
  } else if (c.mode == CheckpointSpec::Mode::Auto && fs.failures) {
    const std::int64_t nodes = (j.chips + fs.node_size - 1) / fs.node_size;
    interval = young_interval(c.cost, Duration::millis(fs.failures->node_mtbf.ms() / nodes));
  }
  j.checkpoint_interval = interval;
  j.run = attempt_wall_time({attempt_overhead(j), attempt_work(j), interval, c.cost});
  const double est = std::min(j.run.seconds_f() * j.estimate_factor, kMaxDurationSeconds);
  j.estimate = std::max(Duration::from_seconds(est), Duration::millis(1));
}

AttemptPlan Engine::plan_of(const ActiveJob& j) const {
  return {attempt_overhead(j), attempt_work(j), j.checkpoint_interval, checkpoint_of(j).cost};
}

// A resize saves the job's state and restarts it on its new nodes: by default one checkpoint
// and one restart (policy.resize_cost overrides). A restart after a failure or preemption pays
// the restart overhead; a first start nothing.
Duration Engine::attempt_overhead(const ActiveJob& j) const {
  const CheckpointSpec& c = checkpoint_of(j);
  if (j.resized) return sc_.policy.resize_cost.value_or(c.cost + c.restart);
  return j.restarting ? c.restart : Duration{};
}

// Why a job just submitted can never start (empty if it may): no factory it may use can hold
// its memory or its chips, even with the capacity still to come; its tenant's quota is smaller
// than the job even at the largest capacity the factories will ever have (the sum of each
// one's peak: a sufficient bound); or its tenant's enforced allocation is exhausted (for good).
// Such a job is reported unschedulable at arrival, so an open-ended run never waits on it.
std::optional<Engine::NeverStarts> Engine::never_starts(const ActiveJob& j, double memory_bytes) const {
  const AccessProfile& access = access_[j.access];
  const TenantSpec& tenant = sc_.tenants[j.tenant];
  const std::string may_use = tenant.sites.empty() ? "" : "tenant '" + tenant.name + "' may use ";
  if (access.factories.empty())
    return NeverStarts{"memory", "needs " + format_bytes(memory_bytes) + " in one scale-up domain; no factory " +
                                     may_use + "has that much HBM"};
  if (j.chips > access.max_chips) {
    const std::string with_memory = j.access != j.tenant ? std::string("with enough HBM per scale-up domain for its ") +
                                                               format_bytes(memory_bytes) + " "
                                                         : std::string("");
    return NeverStarts{"too_large", "needs " + std::to_string(j.chips) + " chips; the largest factory " + with_memory +
                                        may_use + "has " + std::to_string(access.max_chips) + " schedulable"};
  }
  if (tenant.quota) {
    std::int64_t peak = 0, smallest_hold = std::numeric_limits<std::int64_t>::max();
    for (std::size_t f = 0; f < pools_.size(); ++f)
      peak += sc_.factories[f].peak_chips(phases_done_.empty() ? 0 : phases_done_[f]);
    for (const std::uint32_t f : access.factories) {
      const std::int64_t ns = sc_.factories[f].node_size;
      smallest_hold = std::min(smallest_hold, (j.chips + ns - 1) / ns * ns);  // whole nodes
    }
    const double bound = *tenant.quota * static_cast<double>(peak);
    if (static_cast<double>(smallest_hold) > bound)
      return NeverStarts{"quota", fmt::format("needs {} chips in whole nodes; tenant '{}' has a quota of {:g} x {} installed chips = {:.0f} "
                         "at most, even at the factories' peak capacity",
                         smallest_hold, tenant.name, *tenant.quota, peak, bound)};
  }
  if (sc_.policy.enforce_allocations && allocations_->exhausted(j.tenant))
    return NeverStarts{"allocation", fmt::format("tenant '{}' has used its allocation of {} chip-hours (policy.allocations: enforce)",
                       tenant.name, format_grouped(tenant.allocation_chip_hours.value_or(0), 0))};
  return std::nullopt;
}

// The run's waiting queue passed RunLimits::active_jobs: say how far the offered load is
// beyond what is installed, rather than let the queue grow into the machine's memory.
void Engine::stop_overloaded() const {
  const double capacity_chip_ms = static_cast<double>(installed_chips_) * static_cast<double>(now_.ms());
  std::string load;
  if (capacity_chip_ms > 0)
    load = fmt::format(": the work submitted so far is {:.3g}x what the installed chips can do in that time",
                       offered_chip_ms_ / capacity_chip_ms);
  throw Error(fmt::format("stopped at {} with {} jobs waiting or running (the limit){}. Lower the arrival "
                          "rates, add capacity or give a shorter horizon; a longer queue needs "
                          "--limit active_jobs=N (200-300 bytes per job)",
                          format_duration(now_.seconds_f()), jobs_.active(), load));
}

void Engine::on_arrival(std::uint32_t source) {
  const JobDraft d = pending_[source];
  ActiveJob j;
  j.id = next_job_id_++;
  j.submit = d.submit;
  j.work = d.run;
  if (d.work.flops > 0) {
    j.by_work = true;
    j.flops_left = d.work.flops;
    j.flops = d.work.flops;
    j.mfu = static_cast<float>(d.work.mfu);
    j.precision = d.work.precision;
  }
  j.chips = d.chips;
  if (d.max_chips > 0) {
    j.min_chips = d.chips;
    j.max_chips = d.max_chips;
  }
  j.source = source;
  j.row = d.row;
  j.tenant = d.tenant;
  j.job_class = d.job_class;
  j.checkpoint_spec = source_checkpoint_[source];
  const EstimateSpec& e = sc_.policy.estimate;
  if (e.kind == EstimateSpec::Kind::Factor) j.estimate_factor = static_cast<float>(e.a);
  if (e.kind == EstimateSpec::Kind::Uniform)  // min == max would make Boost redraw for ever
    j.estimate_factor = static_cast<float>(
        e.a < e.b ? boost::random::uniform_real_distribution<double>(e.a, e.b)(estimate_rngs_[source]) : e.a);
  // A job's own estimate (a trace's requested time) replaces the policy's, as a factor of its
  // run time, so that it scales to other chips and to what is left after a restart. (Drawn
  // after the policy's, so that the estimate streams stay aligned across sources.)
  if (d.estimate.ms() > 0 && d.work.flops <= 0 && d.run.ms() > 0)
    j.estimate_factor = static_cast<float>(static_cast<double>(d.estimate.ms()) / static_cast<double>(d.run.ms()));
  j.access = access_for(d.tenant, d.chips, d.memory_bytes);
  publish<EventBit::JobSubmitted>([&](auto& o) { o.job_submitted(j); });
  if (const auto never = never_starts(j, d.memory_bytes)) {
    UnschedulableJob u;
    const auto label = sources_[source]->label(d.row);
    u.id = label.empty() ? std::to_string(j.id) : std::string(label);
    u.tenant = sc_.tenants[d.tenant].name;
    u.chips = d.chips;
    u.submit_s = d.submit.seconds_f();
    u.kind = never->kind;
    u.reason = never->reason;
    publish<EventBit::JobRejected>([&](auto& o) { o.job_rejected(j, u); });
    sources_[source]->forget(d.row);
  } else {
    plan_attempt(j, access_[j.access].home);
    offered_chip_ms_ += static_cast<double>(j.chips) * static_cast<double>(j.run.ms());
    if (jobs_.active() >= limits_.active_jobs) stop_overloaded();
    const std::uint32_t slot = jobs_.add(j);
    ++tenant_queued_[j.tenant];
    publish<EventBit::JobQueued>([&](auto& o) { o.job_queued(jobs_[slot], false); });
    scheduler_->enqueue(slot, *this);
  }
  schedule_next_arrival(source);
}

// Every decision is checked before anything changes: a refused one names the job, the factory
// and why (PolicyError), so a faulty policy never corrupts the run.
void Engine::start(std::uint32_t slot, std::uint32_t f) {
  auto refuse = [&](const std::string& why) {
    std::string job = "slot " + std::to_string(slot);
    if (slot < jobs_.capacity() && jobs_.live(slot)) {
      const ActiveJob& j = jobs_[slot];
      const auto l = label(j);
      job = "job " + (l.empty() ? std::to_string(j.id) : std::string(l)) + " (tenant '" + sc_.tenants[j.tenant].name +
            "', " + std::to_string(j.chips) + " chips)";
    }
    const std::string where = f < pools_.size() ? "factory '" + sc_.factories[f].name + "'" : "factory " + std::to_string(f);
    throw PolicyError("policy decision refused: start " + job + " on " + where + ": " + why);
  };
  if (slot >= jobs_.capacity() || !jobs_.live(slot)) refuse("no such active job");
  if (f >= pools_.size()) refuse("no such factory (the scenario has " + std::to_string(pools_.size()) + ")");
  ActiveJob& j = jobs_[slot];
  FactoryPool& pool = pools_[f];
  if (j.state != JobState::Queued) refuse("the job is already running");
  if (!pool.online()) refuse("the factory is not online");
  if (!may_use(j.access, f))
    refuse(may_use(j.tenant, f) ? "the factory's scale-up domains cannot hold the job's memory"
                                : "the tenant may not use this factory (its `sites`)");
  const std::uint32_t nodes = pool.nodes_for(j.chips);
  if (pool.free_nodes() < nodes)
    refuse("needs " + std::to_string(nodes) + " free nodes, the factory has " + std::to_string(pool.free_nodes()));
  if (!within_quota(j.tenant, static_cast<std::int64_t>(nodes) * pool.spec().node_size))
    refuse(sc_.policy.enforce_allocations && allocation_exhausted(j.tenant) ? "the tenant's allocation is used up"
                                                                           : "the tenant's quota would be exceeded");
  pool.allocate(nodes);
  j.state = JobState::Running;
  j.factory = static_cast<std::uint16_t>(f);
  j.nodes = nodes;
  if (j.elastic()) {
    j.chips = elastic_chips(j, nodes);  // all the chips of its nodes, up to its maximum
    // Resizing needs nodes that may come from any domain: on a topology it keeps its size.
    if (!domains_[f]) elastic_running_[f].insert({j.id, slot});
  }
  if (domains_[f]) allocate_domains(slot);
  const bool first_start = !j.restarting;  // not after a failure or a preemption
  if (first_start) j.first_start = now_;
  tenant_held_chips_[j.tenant] += static_cast<std::int64_t>(nodes) * pool.spec().node_size;
  --tenant_queued_[j.tenant];
  publish<EventBit::JobStarted>([&](auto& o) { o.job_started(j, first_start); });
  pool_changed(f);
  plan_attempt(j, f);
  if (first_start) j.nominal_run = j.run;
  begin_attempt(slot);
}

// Starts an attempt of a job that holds its nodes: now, with the current plan.
void Engine::begin_attempt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  j.start = now_;
  ++j.attempts;
  index_attempt(slot);
}

void Engine::index_attempt(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  j.attempt = next_attempt_++;
  events_.push(now_ + j.run, EventKind::JobEnd, slot, j.attempt);
  // An elastic job's nodes above its minimum can be taken back at any pass: schedulers plan
  // only with the minimum it will release.
  const std::uint32_t releases = j.elastic() ? pools_[j.factory].nodes_for(j.min_chips) : j.nodes;
  if (track_releases_) releases_[j.factory].add(now_ + j.estimate, slot, releases);
  if (failures_[j.factory]) failures_[j.factory]->running.add(slot, j.nodes);
  if (track_preemptible_ && sc_.tenants[j.tenant].preemptible)
    preemptible_[j.factory].insert({sc_.tenants[j.tenant].priority, -j.start.ms(), slot});
}

void Engine::unindex_attempt(std::uint32_t slot) {
  const ActiveJob& j = jobs_[slot];
  if (track_releases_) releases_[j.factory].remove(j.start + j.estimate, slot);
  if (failures_[j.factory]) failures_[j.factory]->running.remove(slot);
  if (track_preemptible_ && sc_.tenants[j.tenant].preemptible)
    preemptible_[j.factory].erase({sc_.tenants[j.tenant].priority, -j.start.ms(), slot});
}

// Closes the current attempt at `stop`, keeping `saved` work (the observers credit useful and
// computed work) and unindexes the attempt.
void Engine::end_attempt(std::uint32_t slot, SimTime stop, Duration saved) {
  ActiveJob& j = jobs_[slot];
  const AttemptEnd e{stop, saved, plan_of(j)};
  publish<EventBit::AttemptEnded>([&](auto& o) { o.attempt_ended(j, e); });
  unindex_attempt(slot);
}

void Engine::on_end(std::uint32_t slot, std::uint32_t attempt) {
  if (!jobs_.live(slot) || jobs_[slot].state != JobState::Running || jobs_[slot].attempt != attempt)
    return;  // the attempt was interrupted: a stale completion
  end_attempt(slot, now_, attempt_work(jobs_[slot]));
  release_domains(slot);
  ActiveJob& j = jobs_[slot];
  j.useful_time += j.work;
  if (j.elastic() && !domains_[j.factory]) elastic_running_[j.factory].erase({j.id, slot});
  pools_[j.factory].release(j.nodes);
  tenant_held_chips_[j.tenant] -= static_cast<std::int64_t>(j.nodes) * sc_.factories[j.factory].node_size;
  publish<EventBit::JobReleased>([&](auto& o) { o.job_released(j); });
  pool_changed(j.factory);
  publish<EventBit::JobCompleted>([&](auto& o) { o.job_completed(j); });
  sources_[j.source]->forget(j.row);
  jobs_.remove(slot);
}

// A job that lost its nodes goes back to the queue, keeping its place (its id) in the order.
void Engine::requeue(std::uint32_t slot) {
  ActiveJob& j = jobs_[slot];
  if (j.elastic()) {
    if (!domains_[j.factory]) elastic_running_[j.factory].erase({j.id, slot});
    j.chips = j.min_chips;  // it waits for its minimum again
    j.lent = 0;
  }
  j.state = JobState::Queued;
  j.factory = kNoFactory;
  j.nodes = 0;
  j.span_factor = 1;
  plan_attempt(j, access_[j.access].home);
  ++tenant_queued_[j.tenant];
  publish<EventBit::JobQueued>([&](auto& o) { o.job_queued(j, true); });
  scheduler_->enqueue(slot, *this);
}

}  // namespace gigasim::detail
