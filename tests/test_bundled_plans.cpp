// The bundled comparison files (scenarios/stargate-comparison.yaml, gigafactory-call.yaml) on a
// shortened horizon: every plan sees the identical job stream, and a job is refused as
// unschedulable exactly when it is larger than every factory of its plan (an independent count
// over the job records), never merely delayed.
#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gigasim;

namespace {

struct PlanRun {
  std::string name;
  std::uint32_t largest_factory = 0;
  RunResult result;
  test::RecordingSink jobs;
};

std::vector<PlanRun> run_plans(const std::string& file, const std::string& horizon) {
  std::vector<PlanRun> out;
  for (const Scenario& sc : load_plans(GIGASIM_SOURCE_DIR "/scenarios/" + file, {ScenarioOverride("horizon", horizon)})) {
    PlanRun& r = out.emplace_back();
    r.name = sc.name;
    for (const auto& f : sc.factories) r.largest_factory = std::max(r.largest_factory, f.peak_chips());
    SimulationOptions o;
    o.job_sink = &r.jobs;
    r.result = simulate(sc, o);
    // Records arrive as jobs finish; compare plans job by job in arrival order.
    std::sort(r.jobs.records.begin(), r.jobs.records.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  }
  return out;
}

}  // namespace

TEST_CASE("Stargate comparison: jobs larger than every site are refused, the rest run", "[bundled][plans]") {
  const auto plans = run_plans("stargate-comparison.yaml", "240d");
  REQUIRE(plans.size() == 3);
  const auto& reference = plans.front().jobs.records;
  REQUIRE(reference.size() > 100000);
  std::map<std::string, std::uint64_t> too_large;
  for (const PlanRun& p : plans) {
    CAPTURE(p.name);
    // Common random numbers: the same jobs, in the same order, of the same sizes.
    REQUIRE(p.jobs.records.size() == reference.size());
    std::uint64_t expected = 0, refused = 0;
    for (std::size_t i = 0; i < reference.size(); ++i) {
      const auto& j = p.jobs.records[i];
      REQUIRE(j.id == reference[i].id);
      REQUIRE(j.submit == reference[i].submit);
      REQUIRE(j.chips == reference[i].chips);
      const bool larger = j.chips > p.largest_factory;
      expected += larger;
      refused += j.outcome == JobOutcome::Unschedulable;
      if (larger) CHECK(j.outcome == JobOutcome::Unschedulable);
      else CHECK(j.outcome != JobOutcome::Unschedulable);
    }
    CHECK(refused == expected);
    too_large[p.name] = expected;
  }
  // One campus of 400,000 fits every run (at most 131,072 chips); 100,000-chip sites refuse the
  // 131,072-chip runs only; 25,000-chip sites every run above 16,384.
  CHECK(too_large["stargate-abilene"] == 0);
  CHECK(too_large["four-gigafactories"] > 0);
  CHECK(too_large["sixteen-ai-factories"] > too_large["four-gigafactories"]);
}

TEST_CASE("Gigafactory call: nothing starts before the first site of each timeline is online", "[bundled][plans]") {
  const auto plans = run_plans("gigafactory-call.yaml", "2028-09-30");
  REQUIRE(plans.size() == 2);
  // First sites: 2027-07-01 as announced, 2028-07-01 as funded: 181 and 547 days after 2027-01-01.
  const std::map<std::string, double> first_online_days = {{"as-announced", 181}, {"as-funded", 547}};
  for (const PlanRun& p : plans) {
    CAPTURE(p.name);
    const SimTime first = test::hours(24 * first_online_days.at(p.name));
    std::uint64_t started = 0;
    for (const auto& j : p.jobs.records) {
      if (!j.start) continue;
      ++started;
      CHECK(*j.start >= first);
    }
    CHECK(started > 10000);
  }
}
