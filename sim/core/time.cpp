#include "gigasim/core/time.hpp"

#include <cmath>

namespace gigasim {

Duration Duration::from_seconds(double s) {
  return Duration::millis(static_cast<std::int64_t>(std::llround(s * 1000.0)));
}

}  // namespace gigasim
