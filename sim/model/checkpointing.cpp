#include "gigasim/model/checkpointing.hpp"

#include <algorithm>
#include <cmath>

namespace gigasim {

namespace {
bool checkpoints(const AttemptPlan& p) { return p.interval < Duration::max() && p.interval.ms() > 0; }
}  // namespace

Duration attempt_wall_time(const AttemptPlan& p) {
  Duration wall = p.restart + p.work;
  if (checkpoints(p) && p.work.ms() > 0) {
    // C x (pieces - 1) reaches 10^30 ms for a 1 ms interval and a 10^12 s cost: computed in 128
    // bits and saturated, so such an attempt simply never ends within any run.
    __extension__ typedef __int128 Wide;
    const std::int64_t pieces = (p.work.ms() + p.interval.ms() - 1) / p.interval.ms();
    const Wide total = static_cast<Wide>(wall.ms()) + static_cast<Wide>(p.cost.ms()) * (pieces - 1);
    return total >= Duration::max().ms() ? Duration::max() : Duration::millis(static_cast<std::int64_t>(total));
  }
  return wall;
}

Duration work_done_by(const AttemptPlan& p, Duration elapsed) {
  const std::int64_t t = elapsed.ms() - p.restart.ms();
  if (t <= 0) return Duration{};
  if (!checkpoints(p)) return Duration::millis(std::min(t, p.work.ms()));
  const std::int64_t period = p.interval.ms() + p.cost.ms();
  const std::int64_t k = t / period, into = t - k * period;
  return Duration::millis(std::min(k * p.interval.ms() + std::min(into, p.interval.ms()), p.work.ms()));
}

Duration work_saved_by(const AttemptPlan& p, Duration elapsed) {
  if (elapsed >= attempt_wall_time(p)) return p.work;  // finished: everything is kept
  const std::int64_t t = elapsed.ms() - p.restart.ms();
  if (t <= 0 || !checkpoints(p)) return Duration{};
  const std::int64_t period = p.interval.ms() + p.cost.ms();
  return Duration::millis(std::min((t / period) * p.interval.ms(), p.work.ms()));
}

Duration young_interval(Duration cost, Duration job_mtbf) {
  const double s = std::sqrt(2.0 * cost.seconds_f() * job_mtbf.seconds_f());
  return std::max(Duration::from_seconds(s), Duration::seconds(1));
}

}  // namespace gigasim
