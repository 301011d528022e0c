#pragma once
// The queue orders, shared by every scheduler: which waiting job comes first.
//   fifo        submission order (ties: declaration order of the sources)
//   sjf         shortest runtime estimate first, then submission order
//   priority    highest tenant priority first, then submission order
//   fair-share  the tenant furthest below its entitled share first (lowest decayed usage /
//               share, usage decaying with a half-life; policy/fair_share.hpp), then submission
// A job's position is (tenant rank, static key, arrival id), smallest first: the tenant rank is
// the fair-share rank (0 under the other orders) and changes as usage does; the static key is
// fixed while the job waits.
#include <cstdint>
#include <vector>

#include "gigasim/model/job.hpp"
#include "gigasim/model/scenario.hpp"

namespace gigasim {

enum class QueueOrder : std::uint8_t { Fifo, Sjf, Priority, FairShare };

class QueueOrderKey {
 public:
  QueueOrderKey(QueueOrder order, const std::vector<TenantSpec>& tenants) : order_(order) {
    for (const auto& t : tenants) priority_.push_back(t.priority);
  }
  QueueOrder order() const { return order_; }
  /// The part of a job's position that does not change while it waits.
  std::int64_t static_key(const ActiveJob& j) const {
    switch (order_) {
      case QueueOrder::Sjf: return j.estimate.ms();
      case QueueOrder::Priority: return -static_cast<std::int64_t>(priority_[j.tenant]);
      case QueueOrder::Fifo:
      case QueueOrder::FairShare: return 0;
    }
    return 0;
  }
  int priority(std::uint16_t tenant) const { return priority_[tenant]; }
  std::size_t tenants() const { return priority_.size(); }

 private:
  QueueOrder order_;
  std::vector<int> priority_;
};

}  // namespace gigasim
