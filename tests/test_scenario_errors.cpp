// Bad input gets a clear error: position (file:line:col), the field's path, what was expected.
// Each row is a malformed scenario and fragments its message must contain.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {

const std::string kFactories = "factories: [{name: f, chip: H100, chips: 64}]\n";
const std::string kWorkload = "workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n";

struct BadCase {
  std::string yaml;
  std::vector<std::string> fragments;
};

std::string error_of(const std::string& yaml) {
  try {
    test::scenario_from(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// The corpus of malformed scenarios: each with fragments its message must contain; all of the
// messages, exactly, are also recorded in tests/golden/scenario-errors.txt.
const std::vector<BadCase>& bad_cases() {
  static const std::vector<BadCase> cases = {
      // Syntax
      {"factories: [{name: f\n", {"test.yaml:", "invalid YAML"}},
      {"- just\n- a list\n", {"test.yaml:1:1", "expected a scenario"}},
      // Unknown and duplicate keys, with suggestions
      {"horizon: 10d\nfactorys: []\n" + kWorkload, {"test.yaml:2:1", "unknown key 'factorys'", "did you mean 'factories'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chip: B200, chips: 64}]\n" + kWorkload, {"duplicate key"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, nodesize: 8}]\n" + kWorkload,
       {"factories[0]", "unknown key 'nodesize'", "did you mean 'node_size'"}},
      // Missing keys
      {"horizon: 10d\n" + kWorkload, {"missing required key 'factories'"}},
      {"horizon: 10d\nfactories: [{name: f, chips: 64}]\n" + kWorkload, {"factories[0]", "missing required key 'chip'"}},
      {"horizon: 10d\n" + kFactories, {"missing required key 'workload'"}},
      // Wrong types and values
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: -5}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].chips", "expected a positive integer, got '-5'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 0}]\n" + kWorkload, {"factories[0].chips", "positive integer"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: lots}]\n" + kWorkload, {"got 'lots'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 100}]\n" + kWorkload,
       {"factories[0].chips", "a multiple of node_size (8), got '100'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, node_size: 0}]\n" + kWorkload, {"node_size", "positive integer"}},
      {"horizon: 10d\nfactories: {name: f}\n" + kWorkload, {"factories", "expected a list, got a mapping"}},
      {"horizon: 10d\nfactories: []\n" + kWorkload, {"factories", "at least one factory"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}, {name: f, chip: H100, chips: 8}]\n" + kWorkload,
       {"factories[1].name", "duplicate factory name 'f'"}},
      // Unknown names
      {"horizon: 10d\nfactories: [{name: f, chip: H1000, chips: 64}]\n" + kWorkload,
       {"factories[0].chip", "unknown chip 'H1000'", "H100", "gigasim chips"}},
      {"horizon: 10d\n" + kFactories + "tenants: [{name: t, sites: [g]}]\n" + kWorkload,
       {"tenants[0].sites[0]", "unknown factory 'g'", "factories: f"}},
      {"horizon: 10d\n" + kFactories + "tenants: [{name: t}]\nworkload: [{tenant: u, arrivals: {rate: 1/d}, chips: 8, duration: 1h}]\n",
       {"workload[0].tenant", "unknown tenant 'u'"}},
      {"horizon: 10d\n" + kFactories + "tenants: [{name: t}, {name: u}]\n" + kWorkload,
       {"workload[0]", "missing required key 'tenant'"}},
      // Durations, dates, horizon and warm-up
      {"horizon: 10\n" + kFactories + kWorkload, {"test.yaml:1:10", "horizon", "unit", "got '10'"}},
      {"horizon: 10d\nwarmup: 20d\n" + kFactories + kWorkload,
       {"test.yaml:2:9", "warmup", "shorter than the horizon"}},
      {"horizon: 10d\nwarmup: 10d\n" + kFactories + kWorkload, {"warmup", "shorter than the horizon"}},
      {"horizon: 2027-03-01\n" + kFactories + kWorkload, {"horizon", "needs the scenario's `start`"}},
      {"start: 2027-02-30\nhorizon: 10d\n" + kFactories + kWorkload, {"start", "a date YYYY-MM-DD", "2027-02-30"}},
      {"seed: -1\nhorizon: 10d\n" + kFactories + kWorkload, {"seed", "non-negative integer"}},
      // Workload
      {"horizon: 10d\n" + kFactories + "workload: []\n", {"workload", "at least one workload source"}},
      {"horizon: 10d\n" + kFactories + "workload: [{chips: 8, duration: 1h}]\n", {"workload[0]", "exactly one of"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 10}, chips: 8, duration: 1h}]\n",
       {"workload[0].arrivals.rate", "a rate like 40/d"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {dist: gamma, rate: 1/d}, chips: 8, duration: 1h}]\n",
       {"workload[0].arrivals.dist", "unknown arrival process 'gamma'"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: {dist: pow2, min: 8, max: 100}, duration: 1h}]\n",
       {"workload[0].chips.max", "a power of two"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: {dist: pow2, min: 64, max: 8}, duration: 1h}]\n",
       {"workload[0].chips.max", ">= min"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: {dist: choice, values: [8, 16], weights: [1]}, duration: 1h}]\n",
       {"workload[0].chips.weights", "one weight per value"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: 8, duration: {dist: lognormal, median: 1h}}]\n",
       {"workload[0].duration", "missing required key 'sigma'"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: 8, duration: {dist: weibull, mean: 1h}}]\n",
       {"workload[0].duration.dist", "unknown duration distribution 'weibull'"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, chips: 8, duration: 0s}]\n",
       {"workload[0].duration", "positive duration"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{at: 1h, chips: 8}]}]\n",
       {"workload[0].jobs[0]", "a job needs `duration`, or its work"}},
      {"start: 2027-01-01\nhorizon: 10d\n" + kFactories + "workload: [{jobs: [{at: 2026-12-01, chips: 8, duration: 1h}]}]\n",
       {"workload[0].jobs[0].at", "before the scenario's start"}},
      {kFactories + kWorkload, {"workload[0].arrivals", "never ends", "no `horizon`"}},
      {"horizon: 10d\n" + kFactories + "workload: [{trace: missing.csv}]\n", {"workload[0].trace", "cannot open trace file", "missing.csv"}},
      {"horizon: 365d\n" + kFactories + "workload: [{arrivals: {rate: 40/ms}, chips: 8, duration: 1h}]\n",
       {"workload[0].arrivals", "would submit about 1.3e+12 jobs"}},
      {kFactories + "workload: [{arrivals: {rate: 1/s, count: 1e12}, chips: 8, duration: 1h}]\n",
       {"workload[0].arrivals.count", "up to 10^10"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, duration: 40000000w}]}]\n",
       {"workload[0].jobs[0].duration", "at most 1e12 s"}},
      // Failures, spares, maintenance, checkpoints
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, spares: 8}]\n" + kWorkload,
       {"factories[0].spares", "fewer spare nodes than the factory's 8 nodes"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {repair: 6h}}]\n" + kWorkload,
       {"factories[0].failures", "exactly one of `node_mtbf` or `chip_mtbf`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h}}]\n" + kWorkload,
       {"factories[0].failures", "missing required key 'repair'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, mttr: 1h}}]\n" + kWorkload,
       {"factories[0].failures", "unknown key 'mttr'"}},
      // Repair pipelines: probabilities in range, a manual stage when automatic repairs can fail
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, repair_success: 1.5}}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].failures.repair_success", "expected a probability in [0, 1], got '1.5'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, repair_success: 0.8}}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].failures", "fail with probability 0.2", "give `manual_repair`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, repair_success: 0.8, "
       "manual_repair: 2d, manual_success: 0}}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].failures.manual_success", "expected a number in (0, 1], got '0'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, repair_success: 0.8, "
       "manual_repair: 2d, manual_success: 0.001}}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].failures.manual_success", "repeated 1000 times on average", "at least 0.01"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, failures: {node_mtbf: 100h, repair: 6h, repair_success: 0.8, "
       "manual_repair: {dist: lognormal, mean: -2d, cv: 1}}}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].failures.manual_repair"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, maintenance: {every: 1d, duration: 2d, fraction: 0.1}}]\n" + kWorkload,
       {"factories[0].maintenance.duration", "shorter than `every`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, maintenance: {every: 10d, duration: 1d, fraction: 1.5}}]\n" + kWorkload,
       {"factories[0].maintenance.fraction", "a number in (0, 1]"}},
      {"horizon: 10d\n" + kFactories + "checkpoint: {interval: often}\n" + kWorkload,
       {"checkpoint.interval", "`none`, `auto` or a positive duration"}},
      {"horizon: 10d\n" + kFactories + "checkpoint: {interval: auto}\n" + kWorkload,
       {"checkpoint", "needs a positive checkpoint `cost`"}},
      // Scenario-defined chips
      {"horizon: 10d\nchips: [{name: X1}]\n" + kFactories + kWorkload, {"chips[0]", "a new chip needs `bf16_tflops`"}},
      {"horizon: 10d\nchips: [{name: X1, base: H1000}]\n" + kFactories + kWorkload, {"chips[0].base", "unknown base chip 'H1000'"}},
      {"horizon: 10d\nchips: [{name: X1, bf16_tflops: -3}]\n" + kFactories + kWorkload, {"chips[0].bf16_tflops", "a positive number"}},
      {"horizon: 10d\nchips: [{name: X1, bf16_tflops: 100}, {name: X1, bf16_tflops: 200}]\n" + kFactories + kWorkload,
       {"chips[1].name", "duplicate chip name 'X1'"}},
      {"horizon: 10d\nchips: [{name: X1, bf16_tflops: 100, tdp: 5}]\n" + kFactories + kWorkload,
       {"chips[0]", "unknown key 'tdp'", "did you mean 'tdp_w'"}},
      // Work, compute, job classes, plans
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, duration: 1h, flops: 1e20}]}]\n",
       {"workload[0].jobs[0].duration", "either `duration` or work"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, params: 7e9}]}]\n",
       {"workload[0].jobs[0]", "`params` and `tokens` go together"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, flops: 1e20, mfu: 40}]}]\n",
       {"workload[0].jobs[0].mfu", "an MFU in (0, 1]"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, flops: 1e20, precision: fp4}]}]\n",
       {"workload[0].jobs[0].precision", "bf16 or fp8"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, duration: 1h, mfu: 0.4}]}]\n",
       {"workload[0].jobs[0].mfu", "only jobs given as work"}},
      {"horizon: 10d\n" + kFactories + "compute: {scaling: {model: gustafson}}\n" + kWorkload,
       {"compute.scaling.model", "none, amdahl or usl"}},
      {"horizon: 10d\n" + kFactories + "compute: {scaling: {model: usl, fit: [[1, 1.0]]}}\n" + kWorkload,
       {"compute.scaling.fit", "at least one point with more than one chip"}},
      {"horizon: 10d\n" + kFactories + "compute: {scaling: {model: usl, fit: [[64, 1.5]]}}\n" + kWorkload,
       {"compute.scaling.fit[0][1]", "an efficiency in (0, 1]"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, mix: llm-prod}]\n",
       {"workload[0].mix", "unknown workload mix 'llm-prod'", "llm-dev"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, mix: llm-dev, chips: 8}]\n",
       {"workload[0]", "exactly one of these"}},
      {"horizon: 10d\n" + kFactories + "workload: [{arrivals: {rate: 1/d}, classes: [{name: a, share: 1, chips: 8}]}]\n",
       {"workload[0].classes[0]", "exactly one length"}},
      {"horizon: 10d\n" + kFactories +
           "workload: [{arrivals: {rate: 1/d}, chips: {dist: empirical, percentiles: [[50, 8], [90, 1]]}, duration: 1h}]\n",
       {"workload[0].chips.percentiles", "do not decrease"}},
      {"horizon: 10d\n" + kFactories +
           "workload: [{arrivals: {rate: 1/d}, chips: 8, duration: {dist: empirical, percentiles: [[10, 1m], [100, 1h]]}}]\n",
       {"workload[0].duration.percentiles", "first percentile must be 0"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, phases: [{at: 2d, chips: 50}]}]\n" + kWorkload,
       {"factories[0].phases[0].chips", "a multiple of node_size"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, phases: [{at: 2d, chips: -64}]}]\n" + kWorkload,
       {"factories[0].phases[0].chips", "use `retire` to remove all"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, online: 3d, retire: 2d}]\n" + kWorkload,
       {"factories[0].retire", "after the factory's `online`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, power: {pue: 0.9}}]\n" + kWorkload,
       {"factories[0].power.pue", "a PUE in [1, 5]"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, power: {chip_kw: 1, cap_mw: 0.001}}]\n" + kWorkload,
       {"factories[0].power.cap_mw", "at least one node"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, cost: {capex_per_chip_eur: -1}}]\n" + kWorkload,
       {"factories[0].cost.capex_per_chip_eur", "an amount >= 0"}},
      {"horizon: 10d\n" + kFactories + "workload: [{jobs: [{chips: 8, duration: 1h, memory: lots}]}]\n",
       {"workload[0].jobs[0].memory", "a memory size, e.g. 640GB"}},
      {"horizon: 10d\n" + kFactories + "compute: {memory_per_param: -2}\n" + kWorkload,
       {"compute.memory_per_param", "bytes per parameter"}},
      {"horizon: 10d\nfactories: [{name: f, chip: GB200, chips: 144, node_size: 4, spares: 1, topology: {}}]\n" + kWorkload,
       {"factories[0].spares", "cannot be combined with `topology`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: GB200, chips: 100, node_size: 4, topology: {}}]\n" + kWorkload,
       {"factories[0].topology", "not whole domains of 18 nodes"}},
      // Policy
      {"horizon: 10d\n" + kFactories + "policy: {queue: fifoo}\n" + kWorkload,
       {"policy.queue", "unknown value 'fifoo'", "did you mean 'fifo'"}},
      {"horizon: 10d\n" + kFactories + "policy: {backfill: conservativ}\n" + kWorkload,
       {"policy.backfill", "unknown value 'conservativ'", "none, greedy, easy"}},
      {"horizon: 10d\n" + kFactories + "policy: {estimate: -2}\n" + kWorkload, {"policy.estimate", "a factor > 0"}},
      {"horizon: 10d\n" + kFactories + "policy: {backfill: conservative, conservative: strict}\n" + kWorkload,
       {"policy.conservative", "guarantee or replan"}},
      {"horizon: 10d\n" + kFactories + "policy: {allocations: strict}\n" + kWorkload,
       {"policy.allocations", "account or enforce"}},
      {"horizon: 10d\n" + kFactories + "policy: {estimate: {dist: uniform, min: 3, max: 2}}\n" + kWorkload,
       {"policy.estimate.max", "a factor >= min"}},
      // Economics
      {"horizon: 10d\n" + kFactories + "economics: {programme_years: 5, programme_end: 6y}\n" + kWorkload,
       {"economics.programme_end", "not both"}},
      {"horizon: 10d\n" + kFactories + "economics: {discount_rate: 4}\n" + kWorkload,
       {"economics.discount_rate", "[0, 1)", "0.04 for 4%"}},
      {"horizon: 10d\n" + kFactories + "economics: {programme_end: 2030-01-01}\n" + kWorkload,
       {"economics.programme_end", "needs the scenario's `start`"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, cost: {depreciation: linear}}]\n" + kWorkload,
       {"factories[0].cost.depreciation", "straight_line or declining_balance"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, cost: {opex_per_chip_eur_per_year: -1}}]\n" + kWorkload,
       {"factories[0].cost.opex_per_chip_eur_per_year", "an amount >= 0"}},
      // A source's name labels its row in the per-source tables
      {"horizon: 10d\n" + kFactories +
           "workload: [{name: dev, arrivals: {rate: 1/d}, chips: 8, duration: 1h}, {name: dev, arrivals: {rate: 2/d}, chips: 8, duration: 1h}]\n",
       {"workload[1].name", "'dev' names another workload source too"}},
      // Merge keys: `<<` needs a defined anchor whose value is a mapping
      {"horizon: 10d\nfactories: [{<<: [*x], name: f, chip: H100, chips: 64}]\n" + kWorkload, {"invalid YAML"}},
      {"horizon: 10d\nx-d: &d [1]\nfactories: [{<<: *d, name: f, chip: H100, chips: 64}]\n" + kWorkload,
       {"test.yaml:2:", "factories[0].<<", "expected a mapping to merge"}},
      // Elastic jobs: a range with max >= min, and work rather than a duration
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}]\n"
       "workload: [{jobs: [{chips: {min: 32, max: 8}, flops: 1e20}]}]\n",
       {"test.yaml:3:", "workload[0].jobs[0].chips.max", "a chip count >= min (32)"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}]\n"
       "workload: [{arrivals: {rate: 1/d}, classes: [{name: el, share: 1, chips: {min: 8, max: 64}, duration: 2h}]}]\n",
       {"test.yaml:3:", "workload[0].classes[0].duration", "needs its work"}},
      // Inference services: the demand curve's fields, where they may run, when they end
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}]\nworkload: [{service: {peak: 10, hourly: [1, 0.5]}}]\n",
       {"test.yaml:3:", "workload[0].service.hourly", "24 shares of the peak"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}]\nworkload: [{service: {peak: 10, weekly: [1, 1, 1, 1, 1, 1, -1]}}]\n",
       {"test.yaml:3:", "workload[0].service.weekly[6]", "a factor in [0, 100]"}},
      {"factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{service: {peak: 10}}]\n",
       {"test.yaml:2:", "workload[0].service", "never ends"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}]\n"
       "tenants: [{name: t, sites: [f]}]\nworkload: [{service: {peak: 10, sites: [g]}}]\n",
       {"test.yaml:4:", "workload[0].service.sites[0]", "unknown factory 'g'"}},
      {"horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64}, {name: g, chip: H100, chips: 64}]\n"
       "tenants: [{name: t, sites: [f]}]\nworkload: [{service: {peak: 10, sites: [g]}}]\n",
       {"test.yaml:4:", "workload[0].service.sites[0]", "may not use factory 'g'"}},
  };
  return cases;
}

}  // namespace

TEST_CASE("malformed scenarios are rejected with the position, field and expectation") {
  for (const auto& c : bad_cases()) {
    CAPTURE(c.yaml);
    const std::string msg = error_of(c.yaml);
    CAPTURE(msg);
    for (const auto& f : c.fragments) CHECK_THAT(msg, Catch::Contains(f));
  }
}

// Exact messages, in the manner of fmt's tests: a change of wording shows up as a diff of the
// golden file (refreshed by scripts/update-golden.sh, or GIGASIM_UPDATE_GOLDEN=1).
TEST_CASE("every message of the scenario-error corpus is exactly the recorded one", "[golden]") {
  std::string all;
  for (std::size_t i = 0; i < bad_cases().size(); ++i) {
    const std::string& yaml = bad_cases()[i].yaml;
    all += "### case " + std::to_string(i + 1) + "\n" + yaml + (yaml.empty() || yaml.back() != '\n' ? "\n" : "");
    // Paths in messages are absolute: the checkout's own folder is written as <source>.
    std::string msg = error_of(yaml);
    for (std::size_t at; (at = msg.find(GIGASIM_SOURCE_DIR)) != std::string::npos;)
      msg.replace(at, std::string_view(GIGASIM_SOURCE_DIR).size(), "<source>");
    all += "--> " + msg + "\n\n";
  }
  const std::string path = GIGASIM_SOURCE_DIR "/tests/golden/scenario-errors.txt";
  if (const char* u = std::getenv("GIGASIM_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << all;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream recorded;
  recorded << in.rdbuf();
  // Compared case by case so that a failure names the case and shows both messages.
  const std::string want = recorded.str();
  CHECK(all.size() == want.size());
  std::size_t a = 0, w = 0;
  while (a < all.size() || w < want.size()) {
    const std::size_t ea = all.find("\n\n", a), ew = want.find("\n\n", w);
    const std::string got_case = all.substr(a, ea == std::string::npos ? std::string::npos : ea - a);
    const std::string want_case = want.substr(w, ew == std::string::npos ? std::string::npos : ew - w);
    CHECK(got_case == want_case);
    if (ea == std::string::npos || ew == std::string::npos) break;
    a = ea + 2;
    w = ew + 2;
  }
}

TEST_CASE("scenarios may define chips or override catalog figures") {
  const Scenario s = test::scenario_from(R"(
horizon: 10d
chips:
  - {name: H100, tdp_w: 650}                               # override one figure of a catalog chip
  - {name: H100-NVL, base: H100, hbm_gb: 94, tdp_w: 400}   # a variant of a catalog chip
  - {name: Accel-X, vendor: Acme, bf16_tflops: 1200, hbm_gb: 144, tdp_w: 800, scale_up: 16}
factories:
  - {name: a, chip: H100, chips: 8}
  - {name: b, chip: H100-NVL, chips: 8}
  - {name: c, chip: Accel-X, chips: 16}
workload: [{jobs: [{chips: 8, duration: 1h}]}]
)");
  CHECK(s.factories[0].chip.tdp_watts == 650);
  CHECK(s.factories[0].chip.bf16_flops == 989e12);  // the rest from the catalog
  CHECK(s.factories[1].chip.name == "H100-NVL");
  CHECK(s.factories[1].chip.hbm_bytes == 94e9);
  CHECK(s.factories[1].chip.bf16_flops == 989e12);
  CHECK(s.factories[2].chip.bf16_flops == 1200e12);
  CHECK(s.factories[2].chip.scale_up == 16);
  CHECK(s.factories[2].chip.vendor == "Acme");
}

TEST_CASE("a valid minimal scenario loads with documented defaults") {
  const Scenario s = test::scenario_from("horizon: 10d\n" + kFactories + kWorkload);
  CHECK(s.name == "test");
  CHECK(s.factories[0].node_size == 8);
  CHECK(s.factories[0].online == SimTime::zero());
  REQUIRE(s.tenants.size() == 1);
  CHECK(s.tenants[0].name == "default");
  CHECK(s.policy.queue == "fifo");
  CHECK(s.policy.backfill == "none");
  CHECK(s.policy.placement == "first-fit");
  CHECK(s.warmup == Duration{});
  CHECK(s.seed == 1);
}
