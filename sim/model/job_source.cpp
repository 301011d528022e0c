#include "gigasim/model/job_source.hpp"

#include <unordered_map>

#include <boost/random/discrete_distribution.hpp>
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
        class_rng_(make_stream(seed, prefix(index) + "class")),
        work_rng_(make_stream(seed, prefix(index) + "work")),
        tokens_rng_(make_stream(seed, prefix(index) + "tokens")),
        clock_s_(spec.arrivals.start.seconds_f()) {
    for (const auto& c : spec.classes) shares_.push_back(c.share);
  }

  std::optional<JobDraft> next() override {
    const ArrivalProcess& a = spec_.arrivals;
    if (a.count && emitted_ >= *a.count) return std::nullopt;
    SimTime t;
    if (a.kind == ArrivalProcess::Kind::Poisson) {
      // Accumulate in real seconds and round each arrival, so rounding never drifts the rate.
      clock_s_ += boost::random::exponential_distribution<double>(a.rate_per_s)(arrivals_rng_);
      t = SimTime::zero() + Duration::from_seconds(clock_s_);
    } else if (a.rate_per_s > 0) {  // a fixed rate: exact on average, each arrival rounded
      t = a.start + Duration::from_seconds(static_cast<double>(emitted_) / a.rate_per_s);
    } else {
      t = a.start + Duration::millis(a.interval.ms() * static_cast<std::int64_t>(emitted_));
    }
    if (a.until && t >= *a.until) return std::nullopt;
    JobDraft d;
    d.submit = t;
    // A generator without classes draws nothing for the class: its job stream is unchanged.
    std::size_t k = 0;
    if (shares_.size() > 1)
      k = boost::random::discrete_distribution<std::size_t, double>(shares_.begin(), shares_.end())(class_rng_);
    const JobClassSpec& c = spec_.classes[k];
    d.job_class = static_cast<std::uint16_t>(k);
    d.chips = c.chips.sample(chips_rng_);
    d.max_chips = c.max_chips;
    switch (c.length) {
      case JobClassSpec::Length::Duration:
        d.run = c.duration.sample(duration_rng_);
        break;
      case JobClassSpec::Length::Flops:
        d.work = {c.flops.sample(work_rng_), c.mfu, c.precision};
        break;
      case JobClassSpec::Length::ParamsTokens: {
        const double params = c.params.sample(work_rng_);
        d.work = {training_flops(params, c.tokens.sample(tokens_rng_)), c.mfu, c.precision};
        d.memory_bytes = params * c.memory.bytes_per_param;
        break;
      }
    }
    d.memory_bytes += c.memory.bytes;
    d.tenant = spec_.tenant;
    d.row = static_cast<std::uint32_t>(emitted_);
    ++emitted_;
    return d;
  }

  std::string_view label(std::uint32_t) const override { return {}; }
  std::unique_ptr<JobSource> clone() const override { return std::make_unique<GeneratorSource>(*this); }

 private:
  static std::string prefix(std::size_t index) { return "workload/" + std::to_string(index) + "/"; }

  const GeneratorSpec& spec_;
  RandomEngine arrivals_rng_, chips_rng_, duration_rng_, class_rng_, work_rng_, tokens_rng_;
  std::vector<double> shares_;
  double clock_s_;
  std::uint64_t emitted_ = 0;
};

class TableSource final : public JobSource {
 public:
  explicit TableSource(const JobTableSpec& spec) : spec_(spec) {}

  std::optional<JobDraft> next() override {
    if (pos_ >= spec_.jobs.size()) return std::nullopt;
    const JobEntry& e = spec_.jobs[pos_];
    JobDraft d;
    d.submit = e.submit;
    d.chips = e.chips;
    d.max_chips = e.max_chips;
    d.run = e.duration;
    d.work = e.work;
    d.memory_bytes = e.memory_bytes;
    d.tenant = e.tenant;
    d.estimate = e.estimate;
    d.row = static_cast<std::uint32_t>(pos_);
    ++pos_;
    return d;
  }

  std::string_view label(std::uint32_t row) const override { return spec_.jobs[row].id; }
  std::unique_ptr<JobSource> clone() const override { return std::make_unique<TableSource>(*this); }

 private:
  const JobTableSpec& spec_;
  std::size_t pos_ = 0;
};

// A trace's jobs through its cursor. Ids are kept only while their job is in the run (the
// engine forgets a job when it leaves), so that a streamed trace's memory stays independent of
// its length.
class TraceSource final : public JobSource {
 public:
  explicit TraceSource(const TraceSpec& spec) : table_(spec.table), cursor_(table_->open()) {}
  TraceSource(const TraceSource& o)
      : table_(o.table_), cursor_(o.cursor_->clone()), row_(o.row_), live_ids_(o.live_ids_) {}

  std::optional<JobDraft> next() override {
    if (!cursor_->next(job_, id_)) return std::nullopt;
    JobDraft d;
    d.submit = job_.submit;
    d.chips = job_.chips;
    d.run = job_.duration;
    d.memory_bytes = job_.memory_bytes;
    d.tenant = job_.tenant;
    d.estimate = job_.estimate;
    d.row = row_++;
    if (!id_.empty()) live_ids_.emplace(d.row, id_);
    return d;
  }

  std::string_view label(std::uint32_t row) const override {
    const auto it = live_ids_.find(row);
    return it == live_ids_.end() ? std::string_view{} : std::string_view(it->second);
  }
  void forget(std::uint32_t row) override { live_ids_.erase(row); }
  std::unique_ptr<JobSource> clone() const override { return std::make_unique<TraceSource>(*this); }

 private:
  std::shared_ptr<const TraceTable> table_;
  std::unique_ptr<TraceCursor> cursor_;
  std::uint32_t row_ = 0;  // the loader keeps a source under 2^32 jobs
  std::unordered_map<std::uint32_t, std::string> live_ids_;  // looked up by row only: order never matters
  TraceJob job_;
  std::string id_;
};

}  // namespace

std::unique_ptr<JobSource> make_job_source(const WorkloadSpec& spec, std::size_t index,
                                           std::uint64_t seed) {
  if (const auto* g = std::get_if<GeneratorSpec>(&spec.source))
    return std::make_unique<GeneratorSource>(*g, index, seed);
  if (const auto* t = std::get_if<TraceSpec>(&spec.source)) return std::make_unique<TraceSource>(*t);
  return std::make_unique<TableSource>(std::get<JobTableSpec>(spec.source));
}

}  // namespace gigasim
