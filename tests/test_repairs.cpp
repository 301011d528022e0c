// The repair pipeline: an automatic repair first, manual repairs after it fails (FailureSpec).
// Checked against hand-computed downtimes and the stationary availability of the two-stage
// process, and against the binomial/geometric counts its probabilities imply.
#include <catch2/catch.hpp>

#include <cmath>
#include <fmt/format.h>

#include "gigasim/engine/observer.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/output/html_report.hpp"
#include "gigasim/output/reports.hpp"
#include "helpers.hpp"

using namespace gigasim;

namespace {

// Every node failure and every repair as they happen, in hours (a one-node factory: they alternate).
struct RepairLog final : Observer {
  const Simulation* sim = nullptr;  // the clock: Simulation::now() is the instant being handled
  std::vector<double> failed_h, repaired_h;
  std::vector<std::pair<RepairStage, bool>> stages;
  std::uint32_t interests() const override {
    return EventBit::NodeFailed | EventBit::NodesRepaired | EventBit::RepairEnded;
  }
  void node_failed(std::uint32_t) override { failed_h.push_back(hours_now()); }
  void nodes_repaired(std::uint32_t, std::uint32_t) override { repaired_h.push_back(hours_now()); }
  void repair_ended(std::uint32_t, RepairStage s, bool ok) override { stages.emplace_back(s, ok); }
  double hours_now() const { return sim->now().seconds_f() / 3600; }
};

RunResult run_logged(const std::string& yaml, RepairLog& log) {
  const Scenario sc = test::scenario_from(yaml);
  SimulationOptions o;
  o.observers = {&log};
  Simulation sim(sc, o);
  log.sim = &sim;
  return sim.result();
}

RunResult simulate_yaml(const std::string& yaml) { return simulate(test::scenario_from(yaml), {}); }

// A one-node factory whose automatic repairs succeed with probability `p`.
std::string one_node(double p) {
  return fmt::format(R"(
horizon: 20000h
factories:
  - name: f
    chip: H100
    chips: 8
    failures: {{node_mtbf: 500h, repair: 2h, repair_success: {}, manual_repair: 10h, manual_success: 1}}
workload: [{{jobs: [{{at: 19999h, chips: 8, duration: 1m}}]}}]
)", p);
}

}  // namespace

TEST_CASE("repairs: a failed automatic repair escalates, and the node is down for both stages") {
  RepairLog log;
  // Every automatic repair fails: each failure keeps the node down 2h + 10h exactly.
  const RunResult r = run_logged(one_node(0), log);
  REQUIRE(log.failed_h.size() >= 20);  // ~20,000h / 512h
  REQUIRE(log.repaired_h.size() + 1 >= log.failed_h.size());
  for (std::size_t i = 0; i < log.repaired_h.size(); ++i) {
    CHECK(log.repaired_h[i] - log.failed_h[i] == Approx(12.0).margin(1e-6));
    if (i + 1 < log.failed_h.size()) CHECK(log.failed_h[i + 1] > log.repaired_h[i]);  // up nodes only fail
  }
  // Each failure: the automatic stage ends failed, then the manual one succeeds.
  for (std::size_t i = 0; i < log.stages.size(); ++i) {
    CHECK(log.stages[i].first == (i % 2 == 0 ? RepairStage::Automatic : RepairStage::Manual));
    CHECK(log.stages[i].second == (i % 2 == 1));
  }
  const auto& rep = r.factories[0].repairs;
  CHECK(rep.automatic_succeeded == 0);
  CHECK(rep.manual_failed == 0);
  CHECK(rep.manual_succeeded == log.repaired_h.size());
  CHECK(rep.automatic_failed == (log.stages.size() + 1) / 2);
  // The down chip-hours are the repairs' 12h each (the last one may be cut by the horizon).
  const double down_h = r.factories[0].down_chip_hours / 8;
  CHECK(down_h <= 12.0 * static_cast<double>(log.failed_h.size()) + 1e-6);
  CHECK(down_h >= 12.0 * static_cast<double>(log.repaired_h.size()) - 1e-6);
}

TEST_CASE("repairs: an automatic repair that always succeeds never escalates") {
  RepairLog log;
  const RunResult r = run_logged(one_node(1), log);
  REQUIRE(log.repaired_h.size() >= 20);
  for (std::size_t i = 0; i < log.repaired_h.size(); ++i)
    CHECK(log.repaired_h[i] - log.failed_h[i] == Approx(2.0).margin(1e-6));
  CHECK(r.factories[0].repairs.manual_succeeded + r.factories[0].repairs.manual_failed == 0);
  CHECK(r.factories[0].repairs.automatic_failed == 0);
  CHECK(r.factories[0].repairs.automatic_succeeded == log.repaired_h.size());
}

TEST_CASE("repairs: availability of the two-stage pipeline is MTBF / (MTBF + E[downtime])") {
  // 1000 nodes, MTBF 100h. Automatic repair 2h succeeds with p = 0.6; otherwise manual repairs
  // (exponential, mean 10h) each succeed with q = 0.8, so a failed node is down on average
  // 2 + 0.4 x 10 / 0.8 = 7h: each node is an alternating renewal process, up 100/107 of the time.
  const RunResult r = simulate_yaml(R"(
seed: 11
horizon: 4000h
warmup: 200h
factories:
  - name: f
    chip: H100
    chips: 8000
    failures:
      node_mtbf: 100h
      repair: 2h
      repair_success: 0.6
      manual_repair: {dist: exponential, mean: 10h}
      manual_success: 0.8
workload: [{jobs: [{at: 4000h, chips: 8, duration: 1h}]}]
)");
  CHECK(r.availability == Approx(100.0 / 107.0).epsilon(0.002));
  const auto& rep = r.factories[0].repairs;
  const double automatic = static_cast<double>(rep.automatic_succeeded + rep.automatic_failed);
  const double manual = static_cast<double>(rep.manual_succeeded + rep.manual_failed);
  REQUIRE(automatic > 30000);  // ~1000 x 4000 / 107
  // Binomial: the share of automatic repairs that fail is 0.4 (4 standard errors).
  const double sd_auto = std::sqrt(0.4 * 0.6 / automatic);
  CHECK(std::abs(static_cast<double>(rep.automatic_failed) / automatic - 0.4) < 4 * sd_auto);
  CHECK(std::abs(static_cast<double>(rep.manual_failed) / manual - 0.2) < 4 * std::sqrt(0.2 * 0.8 / manual));
  // Geometric: 1 / q manual repairs per escalation.
  CHECK(manual / static_cast<double>(rep.automatic_failed) == Approx(1.25).epsilon(0.02));
  // Every node that went down has a repair under way or was repaired: failures = successes +
  // the nodes down at the end (at most all of them).
  const std::uint64_t back = rep.automatic_succeeded + rep.manual_succeeded;
  CHECK(r.factories[0].failures >= back);
  CHECK(r.factories[0].failures - back <= 1000);
  // Conservation with the new stage: busy + idle + down = installed.
  CHECK(r.busy_chip_hours + r.idle_chip_hours + r.down_chip_hours == Approx(r.installed_chip_hours).epsilon(1e-13));
}

TEST_CASE("repairs: the report and JSON count repairs by stage") {
  const RunResult r = simulate_yaml(one_node(0.5));
  const auto& rep = r.factories[0].repairs;
  CHECK(rep.automatic_succeeded > 0);
  CHECK(rep.automatic_failed > 0);
  const std::string table = format_table(r);
  const auto line = table.find("  repairs ");
  REQUIRE(line != std::string::npos);
  CHECK(table.substr(line, table.find('\n', line) - line)
            .find(fmt::format(" {} automatic ({:.1f}% succeeded), {} manual", rep.automatic_succeeded + rep.automatic_failed,
                              100.0 * static_cast<double>(rep.automatic_succeeded) /
                                  static_cast<double>(rep.automatic_succeeded + rep.automatic_failed),
                              rep.manual_succeeded + rep.manual_failed)) != std::string::npos);
  const auto j = to_json(r);
  CHECK(j["factories"][0]["repairs"]["automatic"]["failed"] == rep.automatic_failed);
  CHECK(j["factories"][0]["repairs"]["manual"]["succeeded"] == rep.manual_succeeded);
  const std::string html = html_run_report(r, {});
  CHECK(html.find(fmt::format("{} of {} automatic, {} of {} manual", rep.automatic_succeeded, rep.automatic(),
                              rep.manual_succeeded, rep.manual())) != std::string::npos);
  // Without escalation the table keeps its single-stage form.
  CHECK(format_table(simulate_yaml(one_node(1))).find("repairs") == std::string::npos);
}
