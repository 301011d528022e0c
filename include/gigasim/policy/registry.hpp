#pragma once
// Maps the names used in a scenario's `policy:` section to implementations.
#include <memory>
#include <span>
#include <string>

#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

std::span<const std::string> known_queue_orders();
std::span<const std::string> known_backfills();
std::span<const std::string> known_placements();

std::unique_ptr<Placement> make_placement(const std::string& name);
/// Throws InputError naming the unknown policy component and the known ones.
std::unique_ptr<Scheduler> make_scheduler(const PolicySpec& spec);

}  // namespace gigasim
