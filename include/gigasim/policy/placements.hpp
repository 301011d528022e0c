#pragma once
// Placement policies: which factory a job goes to among those where it fits now.
#include <memory>

#include "gigasim/policy/scheduler.hpp"

namespace gigasim {

/// `first-fit`: the first feasible factory in declaration order.
class FirstFitPlacement final : public Placement {
 public:
  std::unique_ptr<Placement> clone() const override { return std::make_unique<FirstFitPlacement>(*this); }
  std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view,
                                     const std::function<bool(std::uint32_t)>* accept) const override;
};

/// `best-fit`: the feasible factory left with the fewest free chips after placing the job
/// (packs jobs tightly, keeping large holes elsewhere); ties to declaration order.
class BestFitPlacement final : public Placement {
 public:
  std::unique_ptr<Placement> clone() const override { return std::make_unique<BestFitPlacement>(*this); }
  std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view,
                                     const std::function<bool(std::uint32_t)>* accept) const override;
};

/// `fastest`: the feasible factory where the job would finish earliest if started now, i.e. with
/// the shortest run time there (chip speed, precision, scaling, checkpoint overheads); ties to
/// declaration order (so duration jobs, equally long everywhere, go first-fit).
class FastestPlacement final : public Placement {
 public:
  std::unique_ptr<Placement> clone() const override { return std::make_unique<FastestPlacement>(*this); }
  std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view,
                                     const std::function<bool(std::uint32_t)>* accept) const override;
};

/// `worst-fit` (spread): the feasible factory left with the most free chips; ties to declaration order.
class WorstFitPlacement final : public Placement {
 public:
  std::unique_ptr<Placement> clone() const override { return std::make_unique<WorstFitPlacement>(*this); }
  std::optional<std::uint32_t> place(const ActiveJob& job, const ClusterView& view,
                                     const std::function<bool(std::uint32_t)>* accept) const override;
};

}  // namespace gigasim
