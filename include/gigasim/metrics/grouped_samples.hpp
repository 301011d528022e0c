#pragma once
// One metric's sample over a run's jobs (their waits, say), each value tagged with the job's
// tenant and workload source, so that the run's, every tenant's and every source's summary come
// from values kept once: 14 bytes per job rather than 8 per job and group it belongs to. The
// figures are those of a SampleSet per group -- exact while the run has at most
// SampleSet::kExactLimit values, then every group's histogram (docs/metrics.md, "Percentiles").
#include <cstdint>
#include <vector>

#include "gigasim/metrics/sample_stats.hpp"

namespace gigasim {

class GroupedSamples {
 public:
  GroupedSamples(std::size_t tenants, std::size_t sources);

  void add(double x, std::uint16_t tenant, std::uint32_t source) {
    if (histograms_) [[unlikely]] {
      add_to_histograms(x, tenant, source);
      return;
    }
    if (values_.size() == SampleSet::kExactLimit) [[unlikely]] {
      to_histograms();
      add_to_histograms(x, tenant, source);
      return;
    }
    values_.push_back(x);
    if (tenant_count_ > 1) tenant_of_.push_back(tenant);
    if (source_count_ > 1) source_of_.push_back(source);
  }
  std::size_t size() const { return histograms_ ? all_.size() : values_.size(); }

  struct Summaries {
    Summary all;
    std::vector<Summary> tenants, sources;
    std::vector<std::vector<SampleSet::CdfPoint>> tenant_cdfs;  ///< empty unless asked for
  };
  /// Every group's summary (and, with `tenant_cdf_points` > 0, every tenant's distribution
  /// function with that many points, SampleSet::cdf). The run's summary is that of the tenants'
  /// values end to end, in tenant order. Consumes the values: call once.
  Summaries summarize(int tenant_cdf_points);

 private:
  void to_histograms();
  void add_to_histograms(double x, std::uint16_t tenant, std::uint32_t source);

  std::size_t tenant_count_, source_count_;
  std::vector<double> values_;                    // arrival order
  std::vector<std::uint16_t> tenant_of_;  // beside values_, when there are several tenants
  std::vector<std::uint32_t> source_of_;  // and sources (ActiveJob's types)
  bool histograms_ = false;
  SampleSet all_;                                  // past the limit: a histogram per group
  std::vector<SampleSet> tenants_, sources_;
};

}  // namespace gigasim
