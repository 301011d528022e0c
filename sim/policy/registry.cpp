#include "gigasim/policy/registry.hpp"

#include <algorithm>
#include <array>

#include "gigasim/error.hpp"
#include "gigasim/policy/first_fit.hpp"
#include "gigasim/policy/strict_fifo.hpp"

namespace gigasim {

namespace {
const std::array<std::string, 1> kQueues{"fifo"};
const std::array<std::string, 1> kBackfills{"none"};
const std::array<std::string, 1> kPlacements{"first-fit"};

std::string join(std::span<const std::string> names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

void require_known(const std::string& what, const std::string& name,
                   std::span<const std::string> known) {
  if (std::find(known.begin(), known.end(), name) == known.end())
    throw InputError("unknown " + what + " '" + name + "' (known: " + join(known) + ")");
}
}  // namespace

std::span<const std::string> known_queue_orders() { return kQueues; }
std::span<const std::string> known_backfills() { return kBackfills; }
std::span<const std::string> known_placements() { return kPlacements; }

std::unique_ptr<Placement> make_placement(const std::string& name) {
  require_known("placement", name, kPlacements);
  return std::make_unique<FirstFitPlacement>();
}

std::unique_ptr<Scheduler> make_scheduler(const PolicySpec& spec) {
  require_known("queue order", spec.queue, kQueues);
  require_known("backfill", spec.backfill, kBackfills);
  return std::make_unique<StrictFifoScheduler>(make_placement(spec.placement));
}

}  // namespace gigasim
