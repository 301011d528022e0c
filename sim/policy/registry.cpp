// The registry: one table per policy part (queue orders, backfills, placements, conservative
// modes) with each name's help text and, for backfills, the factory of its scheduler. Names,
// help texts (`gigasim policies`) and error messages all come from these tables.
#include "gigasim/policy/registry.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>

#include "gigasim/error.hpp"
#include "gigasim/policy/conservative.hpp"
#include "gigasim/policy/placements.hpp"
#include "gigasim/policy/queue_scheduler.hpp"
#include "gigasim/policy/strict_fifo.hpp"

namespace gigasim {

namespace {

using MakeScheduler = std::unique_ptr<Scheduler> (*)(const PolicySpec&, const std::vector<TenantSpec>&, bool general);

std::unique_ptr<Scheduler> make_queue_policy(QueueSchedulerOptions::Backfill backfill, const PolicySpec& spec,
                                             const std::vector<TenantSpec>& tenants, bool general);
std::unique_ptr<Scheduler> make_conservative(const PolicySpec& spec, const std::vector<TenantSpec>& tenants, bool);

const std::array<PolicyPart, 4> kQueues{{
    {"fifo", "submission order (ties: the sources' declaration order)"},
    {"sjf", "shortest runtime estimate first, then submission order"},
    {"priority", "highest tenant priority first, then submission order"},
    {"fair-share", "the tenant furthest below its entitled share first (decayed usage / share), then submission order"},
}};
using MakeBackfill = std::function<std::unique_ptr<Scheduler>(const PolicySpec&, const std::vector<TenantSpec>&, bool general)>;
struct Backfill {
  PolicyPart part;
  MakeBackfill make;
};

// The backfill table: the built-in ones, then those registered (register_backfill). Names are
// kept in a second vector for known_backfills().
struct BackfillTable {
  std::mutex mutex;
  std::vector<Backfill> entries;
  std::vector<std::string> names;
  BackfillTable() {
    add({"none", "the head blocks the queue until it fits (strict order)"},
        [](const PolicySpec& s, const std::vector<TenantSpec>& t, bool g) {
          return make_queue_policy(QueueSchedulerOptions::Backfill::None, s, t, g);
        });
    add({"greedy", "any later job that fits now starts, in queue order; large jobs can starve"},
        [](const PolicySpec& s, const std::vector<TenantSpec>& t, bool g) {
          return make_queue_policy(QueueSchedulerOptions::Backfill::Greedy, s, t, g);
        });
    add({"easy", "the head is reserved its earliest start; later jobs start now if they cannot delay it"},
        [](const PolicySpec& s, const std::vector<TenantSpec>& t, bool g) {
          return make_queue_policy(QueueSchedulerOptions::Backfill::Easy, s, t, g);
        });
    add({"conservative", "every waiting job holds a reservation; a job starts when it comes due"}, make_conservative);
  }
  void add(PolicyPart part, MakeBackfill make) {
    names.push_back(part.name);
    entries.push_back({std::move(part), std::move(make)});
  }
};
BackfillTable& backfills() {
  static BackfillTable table;
  return table;
}

const std::array<PolicyPart, 4> kPlacements{{
    {"first-fit", "the first factory, in declaration order, with room"},
    {"best-fit", "the factory with the fewest free nodes that still fit"},
    {"worst-fit", "the factory with the most free nodes"},
    {"fastest", "the factory where the job would finish earliest if started now"},
}};
const std::array<PolicyPart, 2> kConservativeModes{{
    {"guarantee", "no job is delayed by jobs submitted after it (the default)"},
    {"replan", "the plan is always the one made in the current queue order (costly under fair-share)"},
}};

template <std::size_t N>
std::array<std::string, N> names_of(const std::array<PolicyPart, N>& parts) {
  std::array<std::string, N> out;
  for (std::size_t i = 0; i < N; ++i) out[i] = parts[i].name;
  return out;
}
const auto kQueueNames = names_of(kQueues);
const auto kPlacementNames = names_of(kPlacements);
const auto kModeNames = names_of(kConservativeModes);

std::size_t index_of(const std::string& what, const std::string& name, std::span<const std::string> known) {
  const auto it = std::find(known.begin(), known.end(), name);
  if (it == known.end()) throw InputError("unknown " + what + " '" + name + "' (known: " + join_names(known) + ")");
  return static_cast<std::size_t>(it - known.begin());
}

QueueOrder order_of(const PolicySpec& spec) {
  return static_cast<QueueOrder>(index_of("queue order", spec.queue, kQueueNames));
}

std::unique_ptr<Scheduler> make_queue_policy(QueueSchedulerOptions::Backfill backfill, const PolicySpec& spec,
                                             const std::vector<TenantSpec>& tenants, bool general) {
  const QueueOrder order = order_of(spec);
  // Quotas and enforced allocations make jobs ineligible per tenant: the general scheduler.
  const bool quotas = std::any_of(tenants.begin(), tenants.end(), [&](const TenantSpec& t) {
    return t.quota || (spec.enforce_allocations && t.allocation_chip_hours);
  });
  if (!general && order == QueueOrder::Fifo && backfill == QueueSchedulerOptions::Backfill::None && !quotas &&
      !spec.preemption)
    return std::make_unique<StrictFifoScheduler>(make_placement(spec.placement));
  QueueSchedulerOptions o;
  o.order = order;
  o.backfill = backfill;
  o.placement = spec.placement;
  o.fair_share_half_life = spec.fair_share_half_life;
  o.preemption = spec.preemption;
  o.enforce_allocations = spec.enforce_allocations;
  return make_queue_scheduler(o, tenants);
}

// Conservative backfilling is its own scheduler (a reservation per waiting job); it does not use
// the placement.
std::unique_ptr<Scheduler> make_conservative(const PolicySpec& spec, const std::vector<TenantSpec>& tenants, bool) {
  const QueueOrder order = order_of(spec);
  // `guarantee` unless `replan` is asked for: replanning on every fair-share ranking change
  // recomputes every reservation each time (O(queue x reservations)), which on a saturated
  // queue made fair-share + conservative ~600x slower than with `guarantee` (performance.md).
  const bool replan = spec.conservative_mode == "replan";
  return std::make_unique<ConservativeScheduler>(order, tenants, spec.fair_share_half_life, spec.preemption, replan);
}

std::unique_ptr<Scheduler> make(const PolicySpec& spec, const std::vector<TenantSpec>& tenants, bool general) {
  MakeBackfill factory;
  {
    BackfillTable& t = backfills();
    std::lock_guard lock(t.mutex);
    factory = t.entries[index_of("backfill", spec.backfill, t.names)].make;
  }
  auto scheduler = factory(spec, tenants, general);
  if (!scheduler) throw Error("the scheduler registered as '" + spec.backfill + "' made no scheduler");
  return scheduler;
}

}  // namespace

std::string join_names(std::span<const std::string> names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::span<const std::string> known_queue_orders() { return kQueueNames; }
std::span<const std::string> known_backfills() { return backfills().names; }

void register_backfill(const std::string& name, const std::string& help, SchedulerFactory make) {
  if (name.empty() || name.find_first_of("+, ") != std::string::npos)
    throw InputError("register_backfill: '" + name + "' is not a policy name (non-empty, without '+', ',' or spaces)");
  if (!make) throw InputError("register_backfill: '" + name + "' needs a factory");
  auto taken = [&](std::span<const std::string> names) { return std::find(names.begin(), names.end(), name) != names.end(); };
  BackfillTable& t = backfills();
  std::lock_guard lock(t.mutex);
  if (taken(t.names) || taken(kQueueNames) || taken(kPlacementNames) || taken(kModeNames))
    throw InputError("register_backfill: the policy name '" + name + "' is taken");
  t.add({name, help}, [make = std::move(make)](const PolicySpec& s, const std::vector<TenantSpec>& tenants, bool) {
    return make(s, tenants);
  });
}
std::span<const std::string> known_placements() { return kPlacementNames; }

std::vector<PolicyPartGroup> policy_parts() {
  std::vector<PolicyPartGroup> out(4);
  out[0] = {"queue orders (policy.queue)", {kQueues.begin(), kQueues.end()}};
  {
    std::lock_guard lock(backfills().mutex);
    for (const auto& b : backfills().entries) out[1].parts.push_back(b.part);
  }
  out[1].title = "backfills (policy.backfill)";
  out[2] = {"placements (policy.placement)", {kPlacements.begin(), kPlacements.end()}};
  out[3] = {"conservative modes (policy.conservative)", {kConservativeModes.begin(), kConservativeModes.end()}};
  return out;
}

std::unique_ptr<Placement> make_placement(const std::string& name) {
  switch (index_of("placement", name, kPlacementNames)) {
    case 1: return std::make_unique<BestFitPlacement>();
    case 2: return std::make_unique<WorstFitPlacement>();
    case 3: return std::make_unique<FastestPlacement>();
    default: return std::make_unique<FirstFitPlacement>();
  }
}

std::unique_ptr<Scheduler> make_general_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants) {
  return make(spec, tenants, true);
}

std::unique_ptr<Scheduler> make_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants) {
  return make(spec, tenants, false);
}

PolicySpec parse_policy_name(const std::string& text, const PolicySpec& base) {
  PolicySpec spec = base;
  bool queue = false, backfill = false, placement = false, mode = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t plus = std::min(text.find('+', pos), text.size());
    const std::string part = text.substr(pos, plus - pos);
    pos = plus + 1;
    auto take = [&](bool& seen, std::string& field, const char* what) {
      if (seen) throw InputError("policy '" + text + "' names two " + what + "s");
      seen = true;
      field = part;
    };
    auto known = [&](std::span<const std::string> names) { return std::find(names.begin(), names.end(), part) != names.end(); };
    if (known(kQueueNames)) take(queue, spec.queue, "queue order");
    else if (known(known_backfills())) take(backfill, spec.backfill, "backfill");
    else if (known(kPlacementNames)) take(placement, spec.placement, "placement");
    else if (known(kModeNames)) take(mode, spec.conservative_mode, "conservative mode");
    else
      throw InputError("unknown policy part '" + part + "' in '" + text + "' (queue orders: " + join_names(kQueueNames) +
                       "; backfills: " + join_names(known_backfills()) + "; placements: " + join_names(kPlacementNames) +
                       "; conservative modes: " + join_names(kModeNames) + ")");
  }
  if (mode && spec.backfill != "conservative")
    throw InputError("policy '" + text + "': '" + spec.conservative_mode + "' applies only to conservative backfilling");
  return spec;
}

// The conservative mode is named only when it was chosen explicitly.
std::string policy_name(const PolicySpec& spec) {
  std::string name = spec.queue + "+" + spec.backfill + "+" + spec.placement;
  if (spec.backfill == "conservative" && !spec.conservative_mode.empty()) name += "+" + spec.conservative_mode;
  return name;
}

}  // namespace gigasim
