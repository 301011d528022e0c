#include "gigasim/policy/registry.hpp"

#include <algorithm>
#include <array>

#include "gigasim/error.hpp"
#include "gigasim/policy/conservative.hpp"
#include "gigasim/policy/placements.hpp"
#include "gigasim/policy/queue_scheduler.hpp"
#include "gigasim/policy/strict_fifo.hpp"

namespace gigasim {

namespace {
const std::array<std::string, 4> kQueues{"fifo", "sjf", "priority", "fair-share"};
const std::array<std::string, 4> kBackfills{"none", "greedy", "easy", "conservative"};
const std::array<std::string, 4> kPlacements{"first-fit", "best-fit", "worst-fit", "fastest"};
const std::array<std::string, 2> kConservativeModes{"guarantee", "replan"};

std::string join(std::span<const std::string> names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::size_t index_of(const std::string& what, const std::string& name, std::span<const std::string> known) {
  const auto it = std::find(known.begin(), known.end(), name);
  if (it == known.end()) throw InputError("unknown " + what + " '" + name + "' (known: " + join(known) + ")");
  return static_cast<std::size_t>(it - known.begin());
}
}  // namespace

std::span<const std::string> known_queue_orders() { return kQueues; }
std::span<const std::string> known_backfills() { return kBackfills; }
std::span<const std::string> known_placements() { return kPlacements; }

std::unique_ptr<Placement> make_placement(const std::string& name) {
  switch (index_of("placement", name, kPlacements)) {
    case 1: return std::make_unique<BestFitPlacement>();
    case 2: return std::make_unique<WorstFitPlacement>();
    case 3: return std::make_unique<FastestPlacement>();
    default: return std::make_unique<FirstFitPlacement>();
  }
}

// Conservative backfilling is its own scheduler (a reservation per waiting job).
std::unique_ptr<Scheduler> make_conservative(const PolicySpec& spec, const std::vector<TenantSpec>& tenants) {
  const auto order = static_cast<ConservativeScheduler::Order>(index_of("queue order", spec.queue, kQueues));
  const bool replan = spec.conservative_mode.empty() ? order == ConservativeScheduler::Order::FairShare
                                                     : spec.conservative_mode == "replan";
  return std::make_unique<ConservativeScheduler>(order, tenants, spec.fair_share_half_life, spec.preemption, replan);
}

std::unique_ptr<Scheduler> make_general_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants) {
  if (spec.backfill == "conservative") return make_conservative(spec, tenants);
  const auto order = static_cast<QueueScheduler::Order>(index_of("queue order", spec.queue, kQueues));
  const auto backfill = static_cast<QueueScheduler::Backfill>(index_of("backfill", spec.backfill, kBackfills));
  return std::make_unique<QueueScheduler>(order, backfill, make_placement(spec.placement), tenants,
                                          spec.fair_share_half_life, spec.preemption, spec.enforce_allocations);
}

std::unique_ptr<Scheduler> make_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants) {
  if (spec.backfill == "conservative") return make_conservative(spec, tenants);
  const auto order = static_cast<QueueScheduler::Order>(index_of("queue order", spec.queue, kQueues));
  const auto backfill = static_cast<QueueScheduler::Backfill>(index_of("backfill", spec.backfill, kBackfills));
  // Quotas and enforced allocations both make jobs ineligible per tenant: the general scheduler.
  const bool quotas = std::any_of(tenants.begin(), tenants.end(), [&](const TenantSpec& t) {
    return t.quota || (spec.enforce_allocations && t.allocation_chip_hours);
  });
  if (order == QueueScheduler::Order::Fifo && backfill == QueueScheduler::Backfill::None && !quotas &&
      !spec.preemption)
    return std::make_unique<StrictFifoScheduler>(make_placement(spec.placement));
  return std::make_unique<QueueScheduler>(order, backfill, make_placement(spec.placement), tenants,
                                          spec.fair_share_half_life, spec.preemption, spec.enforce_allocations);
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
    if (std::find(kQueues.begin(), kQueues.end(), part) != kQueues.end()) take(queue, spec.queue, "queue order");
    else if (std::find(kBackfills.begin(), kBackfills.end(), part) != kBackfills.end())
      take(backfill, spec.backfill, "backfill");
    else if (std::find(kPlacements.begin(), kPlacements.end(), part) != kPlacements.end())
      take(placement, spec.placement, "placement");
    else if (std::find(kConservativeModes.begin(), kConservativeModes.end(), part) != kConservativeModes.end())
      take(mode, spec.conservative_mode, "conservative mode");
    else
      throw InputError("unknown policy part '" + part + "' in '" + text + "' (queue orders: " + join(kQueues) +
                       "; backfills: " + join(kBackfills) + "; placements: " + join(kPlacements) +
                       "; conservative modes: " + join(kConservativeModes) + ")");
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
