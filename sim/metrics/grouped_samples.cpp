#include "gigasim/metrics/grouped_samples.hpp"

#include <utility>

namespace gigasim {

namespace {
// The values regrouped by `group_of` (stable: arrival order within a group), and where each
// group starts (count + 1 offsets).
template <class Tag>
std::vector<double> grouped_by(const std::vector<double>& values, const std::vector<Tag>& group_of,
                               std::size_t count, std::vector<std::size_t>& starts) {
  starts.assign(count + 1, 0);
  for (Tag g : group_of) ++starts[std::size_t{g} + 1];
  for (std::size_t g = 0; g < count; ++g) starts[g + 1] += starts[g];
  std::vector<double> out(values.size());
  std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
  for (std::size_t i = 0; i < values.size(); ++i) out[next[group_of[i]]++] = values[i];
  return out;
}
}  // namespace

GroupedSamples::GroupedSamples(std::size_t tenants, std::size_t sources)
    : tenant_count_(tenants), source_count_(sources) {}

void GroupedSamples::to_histograms() {
  histograms_ = true;
  all_.to_histogram();
  tenants_.assign(tenant_count_, SampleSet());
  for (SampleSet& s : tenants_) s.to_histogram();
  if (source_count_ > 1) {
    sources_.assign(source_count_, SampleSet());
    for (SampleSet& s : sources_) s.to_histogram();
  }
  // In arrival order: the sums, hence the means, are those of the exact sets.
  for (std::size_t i = 0; i < values_.size(); ++i)
    add_to_histograms(values_[i], tenant_count_ > 1 ? tenant_of_[i] : 0, source_count_ > 1 ? source_of_[i] : 0);
  values_ = {};
  tenant_of_ = {};
  source_of_ = {};
}

void GroupedSamples::add_to_histograms(double x, std::uint16_t tenant, std::uint32_t source) {
  all_.add(x);
  if (!tenants_.empty()) tenants_[tenant].add(x);
  if (!sources_.empty()) sources_[source].add(x);
}

GroupedSamples::Summaries GroupedSamples::summarize(int tenant_cdf_points) {
  Summaries s;
  s.tenants.resize(tenant_count_);
  if (tenant_cdf_points > 0) s.tenant_cdfs.resize(tenant_count_);
  if (source_count_ > 1) s.sources.resize(source_count_);
  if (histograms_) {
    s.all = all_.summarize();
    for (std::size_t t = 0; t < tenant_count_; ++t) {
      s.tenants[t] = tenants_[t].summarize();
      if (tenant_cdf_points > 0) s.tenant_cdfs[t] = tenants_[t].cdf(tenant_cdf_points);
    }
    for (std::size_t i = 0; i < sources_.size(); ++i) s.sources[i] = sources_[i].summarize();
    return s;
  }
  std::vector<std::size_t> starts;
  const auto range = [](const std::vector<double>& v, std::size_t from, std::size_t to) {
    return SampleSet(std::vector<double>(v.begin() + static_cast<std::ptrdiff_t>(from),
                                         v.begin() + static_cast<std::ptrdiff_t>(to)));
  };
  if (source_count_ > 1) {
    const std::vector<double> by_source = grouped_by(values_, source_of_, source_count_, starts);
    for (std::size_t i = 0; i < source_count_; ++i) s.sources[i] = range(by_source, starts[i], starts[i + 1]).summarize();
  }
  source_of_ = {};
  std::vector<double> by_tenant;
  if (tenant_count_ > 1) {
    by_tenant = grouped_by(values_, tenant_of_, tenant_count_, starts);
    values_ = {};
  } else {
    by_tenant = std::move(values_);
    starts = {0, by_tenant.size()};
  }
  tenant_of_ = {};
  std::size_t with_values = 0;
  for (std::size_t t = 0; t < tenant_count_; ++t) with_values += starts[t + 1] > starts[t] ? 1 : 0;
  // With the values of one tenant only, its summary is the run's: computed once.
  const bool one = with_values <= 1;
  for (std::size_t t = 0; t < tenant_count_; ++t) {
    if (one && starts[t + 1] > starts[t]) continue;
    SampleSet set = range(by_tenant, starts[t], starts[t + 1]);
    s.tenants[t] = set.summarize();
    if (tenant_cdf_points > 0) s.tenant_cdfs[t] = set.cdf(tenant_cdf_points);
  }
  SampleSet all(std::move(by_tenant));
  s.all = all.summarize();
  if (one)
    for (std::size_t t = 0; t < tenant_count_; ++t)
      if (starts[t + 1] > starts[t]) {
        s.tenants[t] = s.all;
        if (tenant_cdf_points > 0) s.tenant_cdfs[t] = all.cdf(tenant_cdf_points);
      }
  return s;
}

}  // namespace gigasim
