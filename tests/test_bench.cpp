// `bench`: confidence intervals, Jain's index, common random numbers across policies, and
// results independent of the thread count.
#include <catch2/catch.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>

#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/engine/sweep.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/policy/registry.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {
const char* kScenario = R"(
horizon: 20d
warmup: 2d
seed: 11
factories:
  - {name: a, chip: H100, chips: 512}
  - {name: b, chip: B200, chips: 1024}
tenants: [{name: x, share: 2}, {name: y, share: 1, sites: [b], priority: 1}]
workload:
  - {tenant: x, arrivals: {dist: poisson, rate: 150/d}, chips: {dist: pow2, min: 8, max: 512},
     duration: {dist: lognormal, median: 2h, sigma: 1.1}}
  - {tenant: y, arrivals: {dist: poisson, rate: 60/d}, chips: {dist: pow2, min: 8, max: 256},
     duration: {dist: exponential, mean: 3h}}
)";
}  // namespace

TEST_CASE("mean_ci95 uses Student's t with n-1 degrees of freedom") {
  // {1, 2, 3}: mean 2, s = 1, t(0.975, 2) = 4.302653 -> half-width 4.302653 / sqrt(3) = 2.484138.
  const Estimate e = mean_ci95({1, 2, 3});
  CHECK(e.mean == Approx(2));
  CHECK(e.half_width == Approx(2.484138).epsilon(1e-6));
  CHECK(mean_ci95({5}).half_width == 0);
  // n = 30: t(0.975, 29) = 2.045230
  std::vector<double> v;
  for (int i = 0; i < 30; ++i) v.push_back(i % 2);  // s = sqrt(30/(4*29))
  CHECK(mean_ci95(v).half_width == Approx(2.045230 * std::sqrt(30.0 / 116.0) / std::sqrt(30.0)).epsilon(1e-6));
}

TEST_CASE("Jain's index is 1 for equal shares and 1/n when one gets everything") {
  CHECK(jain_index({3, 3, 3}) == Approx(1));
  CHECK(jain_index({1, 0, 0, 0}) == Approx(0.25));
  CHECK(jain_index({1, 2}) == Approx(9.0 / 10.0));  // (1+2)^2 / (2 (1+4))
  CHECK(jain_index({}) == 1);
}

TEST_CASE("every policy sees the identical job stream (common random numbers)") {
  Scenario sc = test::scenario_from(kScenario);
  std::vector<std::vector<std::tuple<std::uint64_t, SimTime, std::uint32_t, std::string>>> streams;
  for (const char* name : {"fifo+none", "sjf+easy", "fair-share+greedy+worst-fit", "priority+easy+best-fit"}) {
    sc.policy = parse_policy_name(name, PolicySpec{});
    test::RecordingSink sink;
    SimulationOptions o;
    o.job_sink = &sink;
    simulate(sc, o);
    std::vector<std::tuple<std::uint64_t, SimTime, std::uint32_t, std::string>> s;
    for (const auto& r : sink.records) s.emplace_back(r.id, r.submit, r.chips, r.tenant);
    std::sort(s.begin(), s.end());
    streams.push_back(std::move(s));
  }
  for (std::size_t i = 1; i < streams.size(); ++i) CHECK(streams[i] == streams[0]);
}

TEST_CASE("bench results do not depend on the thread count") {
  const Scenario sc = test::scenario_from(kScenario);
  BenchOptions o;
  for (const char* name : {"fifo", "easy", "sjf+easy", "fair-share+greedy"})
    o.policies.push_back(parse_policy_name(name, sc.policy));
  o.replicas = 3;
  o.threads = 1;
  const std::string one = to_json(run_policy_bench(sc, o)).dump();
  o.threads = 2;
  const std::string two = to_json(run_policy_bench(sc, o)).dump();
  o.threads = 5;
  CHECK(one == two);
  CHECK(one == to_json(run_policy_bench(sc, o)).dump());
}

TEST_CASE("bench replica r is the run with seed + r") {
  const Scenario sc = test::scenario_from(kScenario);
  BenchOptions o;
  o.policies.push_back(parse_policy_name("easy", sc.policy));
  o.replicas = 2;
  const BenchResult b = run_policy_bench(sc, o);
  Scenario easy = sc;
  easy.policy = o.policies[0].spec;
  const double u0 = simulate(easy, test::with_seed(11)).utilisation;
  const double u1 = simulate(easy, test::with_seed(12)).utilisation;
  CHECK(b.policies[0].utilisation.mean == Approx((u0 + u1) / 2));
}

TEST_CASE("policy names: parts joined by '+', the rest from the scenario") {
  PolicySpec base;
  base.placement = "best-fit";
  const PolicySpec p = parse_policy_name("sjf+easy", base);
  CHECK(policy_name(p) == "sjf+easy+best-fit");
  CHECK(policy_name(parse_policy_name("worst-fit", base)) == "fifo+none+worst-fit");
  CHECK_THROWS_WITH(parse_policy_name("fifo+sjf", base), Catch::Contains("names two queue orders"));
  CHECK_THROWS_WITH(parse_policy_name("easyy", base), Catch::Contains("unknown policy part 'easyy'"));
  const PolicySpec r = parse_policy_name("sjf+conservative+replan", base);
  CHECK(r.conservative_mode == "replan");
  CHECK(policy_name(r) == "sjf+conservative+best-fit+replan");
  CHECK(policy_name(parse_policy_name("conservative", base)) == "fifo+conservative+best-fit");
  CHECK_THROWS_WITH(parse_policy_name("easy+replan", base), Catch::Contains("applies only to conservative"));
  CHECK_THROWS_WITH(parse_policy_name("conservative+replan+guarantee", base),
                    Catch::Contains("names two conservative modes"));
}

TEST_CASE("bench verdicts: paired per replica against the first policy") {
  Scenario sc = test::scenario_from(kScenario);
  BenchOptions o;
  o.replicas = 4;
  for (const char* name : {"fifo+none", "fifo+none", "fifo+easy"}) o.policies.push_back(parse_policy_name(name, PolicySpec{}));
  const BenchResult r = run_policy_bench(sc, o);
  const auto& figures = bench_verdict_figures();
  auto k_of = [&](const char* key) {
    for (std::size_t k = 0; k < figures.size(); ++k)
      if (std::string_view(figures[k].key) == key) return k;
    FAIL("no figure " << key);
    return std::size_t{0};
  };
  for (std::size_t k = 0; k < figures.size(); ++k) {
    CAPTURE(figures[k].key);
    CHECK(r.policies[0].verdicts[k] == Verdict::NotApplicable);
    // The same policy twice: identical runs, no difference.
    CHECK((r.policies[1].verdicts[k] == Verdict::Same || r.policies[1].verdicts[k] == Verdict::NotApplicable));
  }
  // Backfilling shortens waits on the same jobs; the paired difference says so at 95%.
  const auto& easy = r.policies[2];
  CHECK(easy.diff[k_of("wait_mean_s")].mean < 0);
  CHECK(easy.verdicts[k_of("wait_mean_s")] == Verdict::Better);
  const auto lines = bench_verdict_lines(r);
  REQUIRE(lines.size() >= 2);  // then the flags of growing backlogs (next test case)
  CHECK_THAT(lines[1], Catch::StartsWith("fifo+easy") && Catch::Contains("better on") && Catch::Contains("wait mean"));
  CHECK(to_json(r)["policies"][2]["verdicts"]["wait_mean_s"] == "better");
  CHECK_THAT(format_bench_table(r), Catch::Contains("Verdicts vs fifo"));
}

TEST_CASE("bench flags a policy whose backlog grows, beside its figures") {
  // kScenario offers about twice what it can serve: tenant x alone asks 150/d x 145 chips x
  // 3.7 h (the lognormal's mean) = 80,000 chip-h a day of 1,536 x 24 = 36,864. Every policy's
  // backlog grows in every replica. At a tenth of the arrival rate (0.2 of capacity) none does.
  Scenario over = test::scenario_from(kScenario);
  BenchOptions o;
  o.replicas = 3;
  for (const char* name : {"fifo+none", "fifo+easy"}) o.policies.push_back(parse_policy_name(name, PolicySpec{}));
  const BenchResult r = run_policy_bench(over, o);
  for (const auto& p : r.policies) {
    CHECK(p.backlog_grows.n == 3);
    CHECK(p.backlog_grows.mean == 1);
    CHECK(format_backlog_flag(p.backlog_grows) == "GROWS");
  }
  const auto lines = bench_verdict_lines(r);
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[1], Catch::StartsWith("fifo+none+first-fit: the backlog grows through the run in every replica"));
  CHECK_THAT(lines[2], Catch::StartsWith("fifo+easy+first-fit: the backlog grows"));
  CHECK(to_json(r)["policies"][0]["backlog_grows"]["mean"] == 1.0);

  std::string light = kScenario;
  light.replace(light.find("rate: 150/d"), 11, "rate: 15/d");
  light.replace(light.find("rate: 60/d"), 10, "rate: 6/d");
  const BenchResult calm = run_policy_bench(test::scenario_from(light), o);
  for (const auto& p : calm.policies) {
    CHECK(p.backlog_grows.mean == 0);
    CHECK(format_backlog_flag(p.backlog_grows) == "stable");
  }
  CHECK(bench_verdict_lines(calm).size() == 1);
  CHECK(format_backlog_flag(Estimate{}) == "n/a");
  CHECK(format_backlog_flag(Estimate{1.0 / 3, 0.5, 3}) == "GROWS 1/3");
}

TEST_CASE("bench and sweep report each run's compute, cost and unmet demand") {
  const std::string text = std::string(kScenario) + R"(economics: {programme_years: 1}
)";
  std::string costed = text;
  for (const char* f : {"{name: a, chip: H100, chips: 512}", "{name: b, chip: B200, chips: 1024}"}) {
    const std::string with = std::string(f).substr(0, std::string(f).size() - 1) + ", cost: {capex_per_chip_eur: 30000, energy_eur_per_mwh: 90}}";
    costed.replace(costed.find(f), std::string(f).size(), with);
  }
  Scenario sc = test::scenario_from(costed);
  SimulationOptions so;
  so.seed = sc.seed;
  const RunResult run = simulate(sc, so);
  REQUIRE(run.economics.programme.eur_per_eflop_day.has_value());

  BenchOptions o;
  o.policies.push_back(sc.policy);
  const BenchResult b = run_policy_bench(sc, o);
  const auto& p = b.policies[0];
  CHECK(p.delivered_eflop_days.mean == run.economics.delivered_eflop_days);
  CHECK(p.energy_mwh.mean == run.economics.energy_mwh);
  CHECK(p.programme_cost_eur.mean == run.economics.programme.cost_eur);
  CHECK(p.programme_eur_per_eflop_day.mean == *run.economics.programme.eur_per_eflop_day);
  CHECK(p.unmet_eflop_days.mean == run.demand.unmet_eflop_days);

  const auto file = std::filesystem::temp_directory_path() / "gigasim-test-sweep-costs.yaml";
  std::ofstream(file) << costed;
  SweepOptions w;
  w.parameters = {parse_sweep_parameter("seed=" + std::to_string(sc.seed))};
  const SweepResult s = run_sweep(file, w);
  std::filesystem::remove(file);
  REQUIRE(s.rows.size() == 1);
  CHECK(s.rows[0].delivered_eflop_days.mean == run.economics.delivered_eflop_days);
  CHECK(s.rows[0].programme_cost_eur.mean == run.economics.programme.cost_eur);
  CHECK(s.rows[0].programme_eur_per_eflop_day.mean == *run.economics.programme.eur_per_eflop_day);
  CHECK(s.rows[0].unmet_eflop_days.mean == run.demand.unmet_eflop_days);
  CHECK(s.rows[0].energy_mwh.mean == run.economics.energy_mwh);
}

TEST_CASE("bench --precision adds replicas until met or says the limit came first, deterministically") {
  const Scenario sc = test::scenario_from(kScenario);
  BenchOptions o;
  o.policies = {parse_policy_name("fifo+none", PolicySpec{}), parse_policy_name("fifo+easy", PolicySpec{})};
  o.precision = 0.25;
  o.max_replicas = 64;
  o.threads = 1;
  o.horizon = SimTime::zero() + Duration::from_seconds(8 * 86400.0);
  const BenchResult met = run_policy_bench(sc, o);
  CHECK(met.precision_met);
  CHECK(met.replicas >= 3);
  // A power-of-two progression from 3: 3, 6, 12, ...
  CHECK((met.replicas == 3 || met.replicas == 6 || met.replicas == 12 || met.replicas == 24 || met.replicas == 48 ||
         met.replicas == 64));
  for (const auto& p : met.policies)
    for (const Estimate* e : {&p.utilisation, &p.wait_mean_s, &p.wait_p95_s, &p.slowdown_mean, &p.jobs_per_day})
      if (e->defined()) CHECK(e->half_width <= 0.25 * std::abs(e->mean));
  o.threads = 3;
  CHECK(to_json(run_policy_bench(sc, o)).dump() == to_json(met).dump());
  CHECK(to_json(met)["precision"]["target"] == 0.25);

  o.precision = 1e-6;  // unreachable: the limit comes first, and the report says so
  o.max_replicas = 4;
  const BenchResult capped = run_policy_bench(sc, o);
  CHECK_FALSE(capped.precision_met);
  CHECK(capped.replicas == 4);
  CHECK_THAT(bench_verdict_lines(capped).back(), Catch::Contains("NOT reached"));
  CHECK(to_json(capped)["precision"]["met"] == false);
  // Without --precision the replicas asked for are run, and the JSON has no precision.
  o.precision.reset();
  o.replicas = 2;
  const BenchResult fixed = run_policy_bench(sc, o);
  CHECK(fixed.replicas == 2);
  CHECK_FALSE(to_json(fixed).contains("precision"));
}
