#pragma once
#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

/// The first factory in declaration order that is online, allowed and has enough free nodes.
class FirstFitPlacement final : public Placement {
 public:
  std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view) const override;
};

}  // namespace gigasim
