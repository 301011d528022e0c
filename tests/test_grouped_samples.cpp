// GroupedSamples keeps a metric's values once and summarises them per tenant, per source and
// over the run; every summary must be the one a separate SampleSet of that group's values gives.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "gigasim/metrics/grouped_samples.hpp"

using namespace gigasim;

namespace {
struct Tagged {
  double x;
  std::uint16_t tenant;
  std::uint32_t source;
};

std::vector<Tagged> sample(std::size_t n, std::uint16_t tenants, std::uint32_t sources, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> value(std::log(600.0), 2.0);
  std::vector<Tagged> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = static_cast<std::uint16_t>(rng() % tenants);
    const auto s = static_cast<std::uint32_t>(rng() % sources);
    out.push_back({i % 4 == 0 ? 0.0 : value(rng), t, s});
  }
  return out;
}

void same(const Summary& a, const Summary& b) {
  CHECK(a.count == b.count);
  CHECK(a.mean == b.mean);
  CHECK(a.p50 == b.p50);
  CHECK(a.p95 == b.p95);
  CHECK(a.p99 == b.p99);
  CHECK(a.max == b.max);
}
}  // namespace

TEST_CASE("grouped samples: each group's summary is that of its own set, the run's in tenant order") {
  const auto values = sample(20'000, 3, 4, 11);
  GroupedSamples g(3, 4);
  std::vector<SampleSet> tenants(3), sources(4);
  for (const Tagged& v : values) {
    g.add(v.x, v.tenant, v.source);
    tenants[v.tenant].add(v.x);
    sources[v.source].add(v.x);
  }
  // The run's set: the tenants' values end to end, so its mean sums in that order.
  SampleSet all;
  for (const SampleSet& t : tenants) all.append(t);
  const auto cdfs_of = [](std::vector<SampleSet> sets) {
    std::vector<std::vector<SampleSet::CdfPoint>> out;
    for (SampleSet& s : sets) out.push_back(s.cdf(50));
    return out;
  };
  const auto expected_cdfs = cdfs_of(tenants);
  const GroupedSamples::Summaries s = g.summarize(50);
  same(s.all, all.summarize());
  REQUIRE(s.tenants.size() == 3);
  REQUIRE(s.sources.size() == 4);
  for (std::size_t t = 0; t < 3; ++t) {
    same(s.tenants[t], tenants[t].summarize());
    REQUIRE(s.tenant_cdfs[t].size() == expected_cdfs[t].size());
    for (std::size_t k = 0; k < expected_cdfs[t].size(); ++k) {
      CHECK(s.tenant_cdfs[t][k].x == expected_cdfs[t][k].x);
      CHECK(s.tenant_cdfs[t][k].share == expected_cdfs[t][k].share);
    }
  }
  for (std::size_t i = 0; i < 4; ++i) same(s.sources[i], sources[i].summarize());
}

TEST_CASE("grouped samples: one source lists none, one tenant with values is the run") {
  GroupedSamples g(3, 1);
  SampleSet only;
  for (int i = 1; i <= 101; ++i) {
    g.add(i * 10.0, 2, 0);
    only.add(i * 10.0);
  }
  const GroupedSamples::Summaries s = g.summarize(0);
  CHECK(s.sources.empty());
  CHECK(s.tenant_cdfs.empty());
  const Summary expected = only.summarize();
  same(s.all, expected);
  same(s.tenants[2], expected);
  CHECK(s.tenants[0].count == 0);
  CHECK(s.tenants[1].count == 0);
  CHECK(s.all.p50 == 510.0);  // the 51st of 10, 20, ..., 1010
}

TEST_CASE("grouped samples past 2^22 values: every group a histogram, counts, means and maxima exact") {
  const std::size_t n = SampleSet::kExactLimit + 100'000;
  const auto values = sample(n, 2, 3, 5);
  GroupedSamples g(2, 3);
  std::vector<double> tenant_sum(2, 0), source_sum(3, 0), tenant_max(2, 0);
  std::vector<std::vector<double>> tenant_values(2);
  std::vector<std::uint64_t> tenant_n(2, 0), source_n(3, 0);
  double sum = 0;
  for (const Tagged& v : values) {
    g.add(v.x, v.tenant, v.source);
    sum += v.x;  // arrival order, as the histograms sum
    tenant_sum[v.tenant] += v.x;
    tenant_max[v.tenant] = std::max(tenant_max[v.tenant], v.x);
    ++tenant_n[v.tenant];
    source_sum[v.source] += v.x;
    ++source_n[v.source];
    tenant_values[v.tenant].push_back(v.x);
  }
  CHECK(g.size() == n);
  const GroupedSamples::Summaries s = g.summarize(0);
  CHECK(s.all.count == n);
  CHECK(s.all.mean == sum / static_cast<double>(n));
  for (std::size_t t = 0; t < 2; ++t) {
    CHECK(s.tenants[t].count == tenant_n[t]);
    CHECK(s.tenants[t].mean == tenant_sum[t] / static_cast<double>(tenant_n[t]));
    CHECK(s.tenants[t].max == tenant_max[t]);
    // Within the histogram's 0.1% of the exact percentile.
    const Summary exact = SampleSet(tenant_values[t]).summarize();
    CHECK(s.tenants[t].p95 == Approx(exact.p95).epsilon(1e-3));
  }
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(s.sources[i].count == source_n[i]);
    CHECK(s.sources[i].mean == source_sum[i] / static_cast<double>(source_n[i]));
  }
}
