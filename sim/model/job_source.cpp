#include "gigasim/model/job_source.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <string>

namespace gigasim {

namespace {

// Synthetic stream. Separate streams for arrival times, sizes and durations mean that, e.g.,
// changing the size distribution leaves every arrival time unchanged.
class GeneratorSource final : public JobSource {
 public:
  GeneratorSource(const GeneratorSpec& spec, std::size_t index, std::uint64_t seed)
      : spec_(spec),
        arrivals_rng_(make_stream(seed, prefix(index) + "arrivals")),
        chips_rng_(make_stream(seed, prefix(index) + "chips")),
        duration_rng_(make_stream(seed, prefix(index) + "duration")),
        clock_s_(spec.arrivals.start.seconds_f()) {}

  std::optional<JobDraft> next() override {
    const ArrivalProcess& a = spec_.arrivals;
    if (a.count && emitted_ >= *a.count) return std::nullopt;
    SimTime t;
    if (a.kind == ArrivalProcess::Kind::Poisson) {
      // Accumulate in real seconds and round each arrival, so rounding never drifts the rate.
      clock_s_ += boost::random::exponential_distribution<double>(a.rate_per_s)(arrivals_rng_);
      t = SimTime::zero() + Duration::from_seconds(clock_s_);
    } else {
      t = a.start + Duration::millis(a.interval.ms() * static_cast<std::int64_t>(emitted_));
    }
    if (a.until && t >= *a.until) return std::nullopt;
    JobDraft d;
    d.submit = t;
    d.chips = spec_.chips.sample(chips_rng_);
    d.run = spec_.duration.sample(duration_rng_);
    d.tenant = spec_.tenant;
    d.row = static_cast<std::uint32_t>(emitted_);
    ++emitted_;
    return d;
  }

  std::string_view label(std::uint32_t) const override { return {}; }

 private:
  static std::string prefix(std::size_t index) { return "workload/" + std::to_string(index) + "/"; }

  const GeneratorSpec& spec_;
  RandomEngine arrivals_rng_, chips_rng_, duration_rng_;
  double clock_s_;
  std::uint64_t emitted_ = 0;
};

class TableSource final : public JobSource {
 public:
  explicit TableSource(const JobTableSpec& spec) : spec_(spec) {}

  std::optional<JobDraft> next() override {
    if (pos_ >= spec_.jobs.size()) return std::nullopt;
    const JobEntry& e = spec_.jobs[pos_];
    JobDraft d{e.submit, e.chips, e.duration, e.tenant, static_cast<std::uint32_t>(pos_)};
    ++pos_;
    return d;
  }

  std::string_view label(std::uint32_t row) const override { return spec_.jobs[row].id; }

 private:
  const JobTableSpec& spec_;
  std::size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<JobSource> make_job_source(const WorkloadSpec& spec, std::size_t index,
                                           std::uint64_t seed) {
  if (const auto* g = std::get_if<GeneratorSpec>(&spec.source))
    return std::make_unique<GeneratorSource>(*g, index, seed);
  return std::make_unique<TableSource>(std::get<JobTableSpec>(spec.source));
}

}  // namespace gigasim
