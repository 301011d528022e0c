#pragma once
// Maps the names used in a scenario's `policy:` section (and `gigasim bench --policies`) to
// implementations.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

/// One name of a policy part and what it does (shown by `gigasim policies`).
struct PolicyPart {
  std::string name;
  std::string help;
};
struct PolicyPartGroup {
  std::string title;  ///< e.g. "backfills (policy.backfill)"
  std::vector<PolicyPart> parts;
};
/// Every policy part the registry knows, by group, in the order of its tables.
std::vector<PolicyPartGroup> policy_parts();

/// "a, b, c": a list of names for messages and help texts.
std::string join_names(std::span<const std::string> names);

std::span<const std::string> known_queue_orders();
std::span<const std::string> known_backfills();
std::span<const std::string> known_placements();

/// Makes a policy's scheduler for a run, from the scenario's policy section and tenants.
using SchedulerFactory =
    std::function<std::unique_ptr<Scheduler>(const PolicySpec& policy, const std::vector<TenantSpec>& tenants)>;

/// Adds a scheduler of your own under a backfill name: scenarios then choose it with
/// `policy: {backfill: NAME}` (the other policy keys are passed on, for it to honour or not),
/// `gigasim bench --policies NAME` compares it, and `gigasim policies` lists it with `help`.
/// Register before loading or running scenarios (e.g. at the start of main); the engine and the
/// loader need no change (docs/writing-a-policy.md). Throws InputError if the name is taken.
void register_backfill(const std::string& name, const std::string& help, SchedulerFactory make);

std::unique_ptr<Placement> make_placement(const std::string& name);
/// Throws InputError naming the unknown policy component and the known ones.
std::unique_ptr<Scheduler> make_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants);

/// Always the general QueueScheduler, even for fifo+none (tests compare it with the fast path).
std::unique_ptr<Scheduler> make_general_scheduler(const PolicySpec& spec, const std::vector<TenantSpec>& tenants);

/// A policy written as names joined by '+', e.g. "easy", "sjf+easy", "fair-share+greedy+best-fit":
/// each name sets the queue order, backfill or placement it belongs to; parts not named keep
/// their value in `base`. Throws InputError for an unknown or repeated part.
PolicySpec parse_policy_name(const std::string& text, const PolicySpec& base);

/// The canonical name of a policy: "queue+backfill+placement".
std::string policy_name(const PolicySpec& spec);

}  // namespace gigasim
