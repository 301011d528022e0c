// The `gigasim` executable as a user meets it: exit codes, messages, output files.
#include <catch2/catch.hpp>

#include <regex>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"
#include "gigasim/policy/registry.hpp"

namespace fs = std::filesystem;
using namespace gigasim::test;

namespace {

const std::string kScenario = R"(name: cli-test
horizon: 20d
warmup: 2d
seed: 3
factories: [{name: f, chip: H100, chips: 512}]
workload:
  - {arrivals: {dist: poisson, rate: 200/d}, chips: {dist: pow2, min: 8, max: 256},
     duration: {dist: lognormal, median: 2h, sigma: 1}}
  - {jobs: [{id: too-big, at: 1d, chips: 4096, duration: 1h}]}
)";

}  // namespace

TEST_CASE("cli: --version and --help succeed") {
  TempDir d;
  auto v = cli("--version", d);
  CHECK(v.code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("gigasim "));
  for (const char* cmd : {"--help", "run --help", "bench --help", "compare --help", "check --help", "chips --help"}) {
    CAPTURE(cmd);
    const auto h = cli(cmd, d);
    CHECK(h.code == 0);
    CHECK_FALSE(h.out.empty());
  }
}

TEST_CASE("cli: usage mistakes exit with code 2 and a message") {
  TempDir d;
  auto a = cli("", d);
  CHECK(a.code == 2);
  CHECK_THAT(a.err, Catch::Contains("usage"));
  auto b = cli("frobnicate", d);
  CHECK(b.code == 2);
  CHECK_THAT(b.err, Catch::Contains("unknown command 'frobnicate'"));
  auto c = cli("run", d);
  CHECK(c.code == 2);
  CHECK_THAT(c.err, Catch::Contains("missing scenario FILE"));
  auto e = cli("run x.yaml --sed 3", d);
  CHECK(e.code == 2);
  auto f = cli("run '" + d.write("s.yaml", kScenario).string() + "' --horizon 1day", d);
  CHECK(f.code == 2);
  CHECK_THAT(f.err, Catch::Contains("--horizon"));
  const std::string s_yaml = d.write("s.yaml", kScenario).string();
  // Two outputs in one file would interleave: refused before the run, nothing written.
  const auto same = cli("run '" + s_yaml + "' -q --json '" + (d.path() / "x").string() + "' --jobs-csv '" +
                            (d.path() / "sub/../x").string() + "'", d);
  CHECK(same.code == 2);
  CHECK_THAT(same.err, Catch::Contains("--json and --jobs-csv name the same file"));
  CHECK_FALSE(fs::exists(d.path() / "x"));
  for (const char* bad : {"-1", "4294967295", "two", "2000"}) {
    const auto t = cli("bench '" + s_yaml + "' -q --policies fifo --threads " + bad, d);
    CHECK(t.code == 2);
    CHECK_THAT(t.err, Catch::Contains("--threads: expected a number from 0 (all cores) to 1024"));
  }
  auto g = cli("run '" + s_yaml + "' --set policy.backfill", d);
  CHECK(g.code == 2);
  CHECK_THAT(g.err, Catch::Contains("--set policy.backfill: expected PATH=VALUE"));
}

TEST_CASE("cli: --horizon is seen by the loader's checks (endless generators, the job-count guard)") {
  TempDir d;
  const auto endless = d.write("e.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                         "workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n");
  const auto ok = cli("run '" + endless.string() + "' -q --horizon 5d --json '" + (d.path() / "e.json").string() + "'", d);
  REQUIRE(ok.code == 0);  // it used to ask for a `horizon` though --horizon was given
  CHECK(nlohmann::json::parse(slurp(d.path() / "e.json"))["end_s"] == 432000.0);
  const auto flood = cli("run '" + endless.string() + "' -q --horizon 5d --set 'workload[0].arrivals.rate=1000000000/s'", d);
  CHECK(flood.code == 2);
  CHECK_THAT(flood.err, Catch::Contains("would submit about 4.3e+14 jobs before the horizon"));
  const auto bench = cli("bench '" + endless.string() + "' -q --policies fifo,easy --horizon 2d", d);
  CHECK(bench.code == 0);
}

TEST_CASE("cli: --horizon takes what `horizon:` takes -- a year unit, a calendar date -- and names itself") {
  TempDir d;
  const auto dated = d.write("d.yaml", "start: 2027-01-01\nfactories: [{name: f, chip: H100, chips: 64}]\n"
                                       "workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n");
  const auto end_s = [&](const std::string& command, const std::string& horizon) {
    const auto out = d.path() / "h.json";
    const auto r = cli(command + " '" + dated.string() + "' -q --horizon " + horizon + " --json '" + out.string() + "'" +
                           (command == "bench" ? " --policies fifo" : ""), d);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(slurp(out));
  };
  CHECK(end_s("run", "1y")["end_s"] == 365 * 86400.0);
  CHECK(end_s("run", "2027-03-01")["end_s"] == (31 + 28) * 86400.0);  // January and February 2027
  CHECK(end_s("bench", "2027-03-01")["policies"][0]["throughput"]["jobs_per_day"]["mean"] > 0);
  const auto before = cli("run '" + dated.string() + "' -q --horizon 2026-12-31", d);
  CHECK(before.code == 2);
  CHECK_THAT(before.err, Catch::Contains("--horizon 2026-12-31: horizon: '2026-12-31' is before the scenario's start"));
  const auto undated = d.write("u.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                         "workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n");
  const auto no_start = cli("run '" + undated.string() + "' -q --horizon 2027-03-01", d);
  CHECK(no_start.code == 2);
  CHECK_THAT(no_start.err, Catch::Contains("--horizon 2027-03-01: horizon: a calendar date needs the scenario's `start` date"));
}

TEST_CASE("cli: run --policy takes bench's policy names, and bench --plan picks a plan") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario).string();
  const auto json = [&](const std::string& args) {
    const auto out = d.path() / "p.json";
    const auto r = cli(args + " -q --json '" + out.string() + "'", d);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(slurp(out));
  };
  auto by_name = json("run '" + file + "' --policy sjf+easy");
  auto by_set = json("run '" + file + "' --set policy.queue=sjf --set policy.backfill=easy");
  const auto plain = json("run '" + file + "'");
  // The same run; each records its own command line in the hash, as --set does.
  CHECK(by_name["scenario_hash"] != plain["scenario_hash"]);
  by_name.erase("scenario_hash");
  by_set.erase("scenario_hash");
  CHECK(by_name == by_set);
  CHECK(by_name["wait_s"] != plain["wait_s"]);
  const auto bad = cli("run '" + file + "' -q --policy sjf+bogus", d);
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("bogus"));

  const auto plans = d.write("plans.yaml", "horizon: 5d\nworkload: [{arrivals: {rate: 50/d}, chips: 64, duration: 6h}]\n"
                                           "plans:\n  - {name: small, factories: [{name: f, chip: H100, chips: 256}]}\n"
                                           "  - {name: large, factories: [{name: f, chip: H100, chips: 2048}]}\n").string();
  const auto small = json("bench '" + plans + "' --plan small --policies fifo,easy");
  const auto large = json("bench '" + plans + "' --plan large --policies fifo,easy");
  CHECK(small["policies"][0]["wait_s"]["mean"]["mean"].get<double>() >
        large["policies"][0]["wait_s"]["mean"]["mean"].get<double>());
  const auto none = cli("bench '" + plans + "' -q --policies fifo", d);
  CHECK(none.code == 2);
  CHECK_THAT(none.err, Catch::Contains("pick one with --plan NAME"));
}

TEST_CASE("cli: check refuses what run refuses (a trace scaled to 0-chip jobs)") {
  TempDir d;
  d.write("t.csv", "submit,chips,duration\n0,8,60\n");
  const auto file = d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                      "workload: [{trace: t.csv, chip_scale: 1e-12}]\n");
  for (const char* command : {"check", "run"}) {
    CAPTURE(command);
    const auto r = cli(std::string(command) + " '" + file.string() + "'", d);
    CHECK(r.code == 2);
    // Named at the trace's row, where the user can see the 8 chips that became 0.
    CHECK_THAT(r.err, Catch::Contains("workload[0].trace: in trace: ") && Catch::Contains("t.csv:2: column 'chips': 8 chips x "
                                                                                        "chip_scale 1e-12 rounds to 0 chips"));
  }
}

TEST_CASE("cli: run --set changes one value of the scenario, as the same edit of the file would") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  std::string edited = kScenario;
  const auto pos = edited.find("seed:");
  REQUIRE(pos != std::string::npos);
  edited.insert(pos, "policy: {backfill: easy}\n");
  const auto file2 = d.write("t.yaml", edited);
  const auto a = cli("run '" + file.string() + "' --set policy.backfill=easy --json '" + (d.path() / "a.json").string() + "' -q", d);
  const auto b = cli("run '" + file2.string() + "' --json '" + (d.path() / "b.json").string() + "' -q", d);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  auto strip_hash = [](std::string s) {  // the content hash is of the file, which differs
    const auto h = s.find("\"scenario_hash\"");
    return s.erase(h, s.find('\n', h) - h);
  };
  CHECK(strip_hash(slurp(d.path() / "a.json")) == strip_hash(slurp(d.path() / "b.json")));
  const auto c = cli("run '" + file.string() + "' --set policy.backfil=easy", d);
  CHECK(c.code == 2);
  // The error is the option's: the key is not in the file.
  CHECK_THAT(c.err, Catch::StartsWith("error: --set policy.backfil=easy: policy: unknown key 'backfil'"));
}

TEST_CASE("cli: --set paths name list elements by their `name`, and sweep --plan sweeps one plan") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const auto by_index = cli("run '" + file.string() + "' --set 'factories[0].chips=256' --json '" +
                                (d.path() / "a.json").string() + "' -q", d);
  const auto by_name = cli("run '" + file.string() + "' --set 'factories[f].chips=256' --json '" +
                               (d.path() / "b.json").string() + "' -q", d);
  REQUIRE(by_index.code == 0);
  REQUIRE(by_name.code == 0);
  const auto a = nlohmann::json::parse(slurp(d.path() / "a.json")), b = nlohmann::json::parse(slurp(d.path() / "b.json"));
  CHECK(b["factories"][0]["chips"] == 256);
  CHECK(a["end_s"] == b["end_s"]);
  CHECK(a["jobs"] == b["jobs"]);
  CHECK(a["utilisation"] == b["utilisation"]);
  const auto missing = cli("run '" + file.string() + "' --set 'factories[g].chips=256'", d);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("--set factories[g].chips=256: 'factories' has no element named 'g' (names: f)"));

  const auto plans = d.write("p.yaml", R"(horizon: 10d
seed: 2
workload: [{arrivals: {rate: 50/d}, chips: {dist: pow2, min: 8, max: 128}, duration: {dist: exponential, mean: 4h}}]
plans:
  - {name: small, factories: [{name: f, chip: H100, chips: 256}]}
  - {name: large, factories: [{name: f, chip: H100, chips: 1024}]}
)");
  const auto sweep = cli("sweep '" + plans.string() + "' --plan large --set 'plans[large].factories[f].chips=256,1024' -q --json '" +
                             (d.path() / "s.json").string() + "'", d);
  INFO(sweep.err);
  REQUIRE(sweep.code == 0);
  const auto s = nlohmann::json::parse(slurp(d.path() / "s.json"));
  CHECK(s["scenario"] == "large");
  REQUIRE(s["rows"].size() == 2);
  // 256 chips under 'large' is the 'small' plan: the same utilisation as running that plan.
  const auto small = cli("run '" + plans.string() + "' --plan small -q --json '" + (d.path() / "r.json").string() + "'", d);
  REQUIRE(small.code == 0);
  CHECK(s["rows"][0]["utilisation"]["mean"] == nlohmann::json::parse(slurp(d.path() / "r.json"))["utilisation"]);
  CHECK(s["rows"][1]["utilisation"]["mean"].get<double>() < s["rows"][0]["utilisation"]["mean"].get<double>());
  const auto no_plan = cli("sweep '" + plans.string() + "' --set 'seed=1,2' -q", d);
  CHECK(no_plan.code == 2);
  CHECK_THAT(no_plan.err, Catch::Contains("--plan NAME"));
}

TEST_CASE("cli: a bad scenario exits 2 with file:line:col on stderr and writes no output") {
  TempDir d;
  const auto file = d.write("bad.yaml", "horizon: 10d\nfactories: [{name: f, chip: H100, chips: -8}]\n");
  const auto json = d.path() / "out.json";
  auto r = cli("run '" + file.string() + "' --json '" + json.string() + "'", d);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.yaml:2:"));
  CHECK_THAT(r.err, Catch::Contains("factories[0].chips"));
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(json));
  auto m = cli("check '" + (d.path() / "missing.yaml").string() + "'", d);
  CHECK(m.code == 2);
  CHECK_THAT(m.err, Catch::Contains("cannot open scenario file"));
}

TEST_CASE("cli: run writes complete JSON and CSV, byte-identical for the same seed") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const auto j1 = d.path() / "a.json", j2 = d.path() / "b.json", j3 = d.path() / "c.json";
  const auto c1 = d.path() / "a.csv", c2 = d.path() / "b.csv";
  auto r1 = cli("run '" + file.string() + "' --json '" + j1.string() + "' --jobs-csv '" + c1.string() + "'", d);
  REQUIRE(r1.code == 0);
  CHECK_THAT(r1.out, Catch::Contains("utilisation"));
  CHECK_THAT(r1.out, Catch::Contains("too-big"));  // the unschedulable job is reported
  auto r2 = cli("run '" + file.string() + "' -q --json '" + j2.string() + "' --jobs-csv '" + c2.string() + "'", d);
  REQUIRE(r2.code == 0);
  CHECK(r2.out.empty());
  CHECK(slurp(j1) == slurp(j2));
  CHECK(slurp(c1) == slurp(c2));
  auto r3 = cli("run '" + file.string() + "' -q --seed 4 --json '" + j3.string() + "'", d);
  REQUIRE(r3.code == 0);
  CHECK(slurp(j1) != slurp(j3));

  const auto j = nlohmann::json::parse(slurp(j1));
  CHECK(j["scenario"] == "cli-test");
  CHECK(j["seed"] == 3);
  for (const char* k : {"submitted", "completed", "unfinished", "unschedulable"}) CHECK(j["jobs"].contains(k));
  for (const char* k : {"mean", "p50", "p95", "p99", "max"}) CHECK(j["wait_s"].contains(k));
  for (const char* k : {"mean", "p50", "p95", "p99"}) CHECK(j["jct_s"].contains(k));
  CHECK(j["bounded_slowdown"].contains("mean"));
  CHECK(j["throughput"].contains("jobs_per_day"));
  CHECK(j["utilisation"].get<double>() > 0);
  CHECK(j["factories"][0]["name"] == "f");
  CHECK(j["factories"][0].contains("utilisation"));
  CHECK(j["jobs"]["unschedulable"] == 1);
  CHECK(j["unschedulable"][0]["id"] == "too-big");

  // One CSV row per submitted job, plus the header.
  std::istringstream csv(slurp(c1));
  std::string line;
  std::getline(csv, line);
  CHECK(line == "id,tenant,submit,start,end,chips,factory,status,interruptions,reason,source,class,flops");
  std::size_t rows = 0;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == j["jobs"]["submitted"].get<std::size_t>());
}

TEST_CASE("cli: --timeseries writes interval means per factory and in total") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const auto ts = d.path() / "ts.csv";
  auto r = cli("run '" + file.string() + "' -q --timeseries '" + ts.string() + "' --interval 12h", d);
  REQUIRE(r.code == 0);
  std::istringstream csv(slurp(ts));
  std::string line;
  std::getline(csv, line);
  CHECK(line ==
        "time_s,factory,installed_chips,busy_chips,idle_chips,down_chips,maintenance_chips,queued_jobs,running_jobs,"
        "accelerator_power_mw,facility_power_mw,inference_chips");
  std::size_t rows = 0;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == 40 * 2);  // 20 days / 12 h intervals, a factory row and a totals row each
  auto bad = cli("run '" + file.string() + "' -q --timeseries '" + ts.string() + "' --interval 0s", d);
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--interval"));
}

TEST_CASE("cli: a sweep split into 3 shard processes and merged equals the unsharded sweep, byte for byte") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const std::string sets = " --set 'factories[0].chips=256:768:256' --set policy.backfill=none,easy --replicas 2";
  const auto full = d.path() / "full.csv";
  auto a = cli("sweep '" + file.string() + "'" + sets + " --threads 2 -q --csv '" + full.string() + "'", d);
  REQUIRE(a.code == 0);
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    const auto part = d.path() / ("part" + std::to_string(k) + ".csv");
    auto r = cli("sweep '" + file.string() + "'" + sets + " --threads 1 -q --shard " + std::to_string(k) +
                         "/3 --csv '" + part.string() + "'",
                     d);
    REQUIRE(r.code == 0);
    shards += " '" + part.string() + "'";
  }
  const auto merged = d.path() / "merged.csv";
  auto m = cli("merge '" + merged.string() + "'" + shards + " --points 6", d);
  REQUIRE(m.code == 0);
  CHECK(slurp(merged) == slurp(full));
  // Without --points the rows' points_total tells how many to expect.
  REQUIRE(cli("merge '" + merged.string() + "'" + shards, d).code == 0);
  CHECK(slurp(merged) == slurp(full));
  // 6 points (3 x 2) plus the header; the first --set varies slowest.
  std::istringstream csv(slurp(full));
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(csv, line)) lines.push_back(line);
  REQUIRE(lines.size() == 7);
  CHECK_THAT(lines[0], Catch::StartsWith("point,factories[0].chips,policy.backfill,utilisation,utilisation_ci95"));
  CHECK_THAT(lines[1], Catch::StartsWith("0,256,none,"));
  CHECK_THAT(lines[2], Catch::StartsWith("1,256,easy,"));
  CHECK_THAT(lines[6], Catch::StartsWith("5,768,easy,"));
  // A missing shard is detected.
  auto missing = cli("merge '" + (d.path() / "bad.csv").string() + "' '" + (d.path() / "part1.csv").string() +
                             "' '" + (d.path() / "part3.csv").string() + "'",
                         d);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("point 1 is missing"));
  // A shard of another sweep (another seed: same header, other numbers) is refused.
  const auto other = d.path() / "other3.csv";
  REQUIRE(cli("sweep '" + file.string() + "'" + sets + " --seed 99 -q --shard 3/3 --csv '" + other.string() + "'", d)
              .code == 0);
  auto mixed = cli("merge '" + (d.path() / "bad.csv").string() + "' '" + (d.path() / "part1.csv").string() + "' '" +
                       (d.path() / "part2.csv").string() + "' '" + other.string() + "'",
                   d);
  CHECK(mixed.code == 2);
  CHECK_THAT(mixed.err, Catch::Contains("other3.csv:2: a shard of another sweep"));
  CHECK(!fs::exists(d.path() / "bad.csv"));
  // A bad value names the point and the field.
  auto bad = cli("sweep '" + file.string() + "' --set 'factories[0].chips=128,-8' -q", d);
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("sweep point 1 (factories[0].chips=-8)"));
  CHECK_THAT(bad.err, Catch::Contains("factories[0].chips: expected a positive integer"));
  auto path = cli("sweep '" + file.string() + "' --set 'factories[3].chips=8' -q", d);
  CHECK(path.code == 2);
  CHECK_THAT(path.err, Catch::Contains("'factories' has no element [3]"));
}

TEST_CASE("cli: --report writes one self-contained HTML file with inline SVG charts") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  for (const std::string& cmd : {"run '" + file.string() + "' -q", "bench '" + file.string() + "' --policies fifo,easy -q",
                                "sweep '" + file.string() + "' --set policy.backfill=none,easy -q"}) {
    CAPTURE(cmd);
    const auto html = d.path() / "r.html";
    auto r = cli(cmd + " --report '" + html.string() + "'", d);
    REQUIRE(r.code == 0);
    const std::string text = slurp(html);
    CHECK_THAT(text, Catch::StartsWith("<!DOCTYPE html>"));
    CHECK_THAT(text, Catch::EndsWith("</html>\n"));
    CHECK_THAT(text, Catch::Contains("<svg"));
    // Self-contained: no scripts, stylesheets or images fetched from anywhere.
    CHECK_THAT(text, !Catch::Contains("<script"));
    CHECK_THAT(text, !Catch::Contains("src="));
    CHECK_THAT(text, !Catch::Contains("href="));
    std::size_t opened = 0, closed = 0;
    for (std::size_t p = 0; (p = text.find("<svg", p)) != std::string::npos; ++p) ++opened;
    for (std::size_t p = 0; (p = text.find("</svg>", p)) != std::string::npos; ++p) ++closed;
    CHECK(opened == closed);
    CHECK(opened >= 3);
  }
}

TEST_CASE("cli: a run report dates its time axes and draws no utilisation before a factory is online") {
  TempDir d;
  const auto file = d.write("s.yaml", R"(start: 2027-01-01
horizon: 60d
factories:
  - {name: early, chip: H100, chips: 256}
  - {name: late, chip: H100, chips: 256, online: 30d}
workload: [{arrivals: {rate: 40/d}, chips: {dist: pow2, min: 8, max: 128}, duration: {dist: exponential, mean: 4h}}]
)");
  const auto html = d.path() / "r.html";
  const auto r = cli("run '" + file.string() + "' -q --interval 1d --report '" + html.string() + "'", d);
  REQUIRE(r.code == 0);
  const std::string text = slurp(html);
  CHECK_THAT(text, Catch::Contains(">2027-02-10</text>") && Catch::Contains("Installed chips per factory"));  // day 40
  // The utilisation chart: the late factory's line starts at day 31 (its first interval online), not at 0.
  const auto chart = text.find("Utilisation per factory while installed");
  REQUIRE(chart != std::string::npos);
  const auto end = text.find("</svg>", chart);
  const std::string svg = text.substr(chart, end - chart);
  std::vector<std::string> paths;
  for (std::size_t p = 0; (p = svg.find("<path d=\"M", p)) != std::string::npos; ++p)
    paths.push_back(svg.substr(p + 10, svg.find('"', p + 10) - p - 10));
  REQUIRE(paths.size() == 2);
  const double early_x = std::stod(paths[0]), late_x = std::stod(paths[1]);
  CHECK(late_x > early_x + 100);  // half the axis later (the plot is 490 px wide)
  // The summary JSON carries the start date.
  const auto j = cli("run '" + file.string() + "' -q --json -", d);
  CHECK(nlohmann::json::parse(j.out)["start"] == "2027-01-01");
}

TEST_CASE("cli: an output that cannot be written fails with code 1 and leaves nothing behind") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const auto good = d.path() / "good.json";
  auto r = cli("run '" + file.string() + "' --jobs-csv '" + (d.path() / "no/such/dir.csv").string() +
                       "' --json '" + good.string() + "'",
                   d);
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("cannot write"));
  CHECK_FALSE(fs::exists(good));
  for (const auto& e : fs::directory_iterator(d.path()))
    CHECK_THAT(e.path().filename().string(), !Catch::Contains(".tmp."));
}

TEST_CASE("cli: outputs to standard output, through links and to devices are written, never replaced") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  // `-` is standard output: the JSON alone (no table, which would interleave), no file named `-`.
  const auto out = cli("run '" + file.string() + "' --json -", d);
  REQUIRE(out.code == 0);
  const auto doc = nlohmann::json::parse(out.out);
  CHECK(doc["scenario"] == "cli-test");
  CHECK_FALSE(fs::exists(d.path() / "-"));
  // A link stays a link; the file it points to gets the content.
  const auto real = d.path() / "real.json", link = d.path() / "link.json";
  std::ofstream(real) << "old";
  fs::create_symlink(real, link);
  REQUIRE(cli("run '" + file.string() + "' -q --json '" + link.string() + "'", d).code == 0);
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  CHECK(nlohmann::json::parse(slurp(real))["scenario"] == "cli-test");
  // A device is written to, not replaced by a regular file (as root, /dev/stdout once was).
  REQUIRE(cli("run '" + file.string() + "' -q --json /dev/null --jobs-csv /dev/null", d).code == 2);  // one file, twice
  REQUIRE(cli("run '" + file.string() + "' -q --json /dev/null", d).code == 0);
  CHECK(fs::is_character_file("/dev/null"));
  // A directory is refused, and nothing is left behind.
  const auto dir = cli("run '" + file.string() + "' -q --json '" + d.path().string() + "'", d);
  CHECK(dir.code == 1);
  CHECK_THAT(dir.err, Catch::Contains("it is a directory"));
  for (const auto& e : fs::directory_iterator(d.path()))
    CHECK_THAT(e.path().filename().string(), !Catch::Contains(".tmp."));
}

TEST_CASE("cli: every bundled scenario passes `check`") {
  TempDir d;
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(GIGASIM_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    CAPTURE(e.path().string());
    const auto r = cli("check '" + e.path().string() + "'", d);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains(": ok"));
    if (e.path().filename() == "inference-and-training.yaml")
      CHECK_THAT(r.out, Catch::Contains("4 workload sources, 1 inference services"));
  }
  CHECK(n >= 1);
}

TEST_CASE("cli: bench compares policies, output independent of --threads") {
  TempDir d;
  const auto file = d.write("s.yaml", kScenario);
  const auto j1 = d.path() / "t1.json", j2 = d.path() / "t2.json";
  auto a = cli("bench '" + file.string() + "' --policies fifo,easy,sjf+easy --replicas 2 --threads 1 --json '" +
                       j1.string() + "'",
                   d);
  REQUIRE(a.code == 0);
  CHECK_THAT(a.out, Catch::Contains("fifo+none+first-fit"));
  CHECK_THAT(a.out, Catch::Contains("fifo+easy+first-fit"));
  CHECK_THAT(a.out, Catch::Contains("sjf+easy+first-fit"));
  auto b = cli("bench '" + file.string() + "' --policies fifo,easy,sjf+easy --replicas 2 --threads 2 -q --json '" +
                       j2.string() + "'",
                   d);
  REQUIRE(b.code == 0);
  CHECK(slurp(j1) == slurp(j2));
  CHECK(a.err.empty());  // stderr is not a terminal here: no progress unless asked for
  auto prog = cli("bench '" + file.string() + "' --policies fifo,easy --progress", d);
  REQUIRE(prog.code == 0);
  CHECK_THAT(prog.err, Catch::Contains("bench: 2/2 runs (100%)"));
  auto quiet = cli("bench '" + file.string() + "' --policies fifo,easy --progress -q", d);
  CHECK(quiet.err.empty());
  const auto j = nlohmann::json::parse(slurp(j1));
  CHECK(j["policies"].size() == 3);
  CHECK(j["policies"][1]["wait_s"]["mean"].contains("ci95"));
  auto c = cli("bench '" + file.string() + "'", d);
  CHECK(c.code == 2);
  CHECK_THAT(c.err, Catch::Contains("--policies is required"));
  auto e = cli("bench '" + file.string() + "' --policies fifo,conservativ", d);
  CHECK(e.code == 2);
  CHECK_THAT(e.err, Catch::Contains("unknown policy part 'conservativ'"));
}

TEST_CASE("cli: chips lists the catalog") {
  TempDir d;
  const auto r = cli("chips", d);
  CHECK(r.code == 0);
  for (const char* c : {"A100", "H100", "B200", "GB200", "MI300X", "Gaudi3"}) CHECK_THAT(r.out, Catch::Contains(c));
}

TEST_CASE("cli: policies lists every name the scenario format and bench accept, with its help") {
  using namespace gigasim;
  TempDir d;
  const auto r = cli("policies", d);
  CHECK(r.code == 0);
  for (const auto& group : policy_parts())
    for (const auto& part : group.parts) {
      if (part.help.find("(test policy)") != std::string::npos) continue;  // registered by test_kernel, in-process only
      CAPTURE(part.name);
      CHECK_THAT(r.out, Catch::Contains("  " + part.name));
      CHECK_FALSE(part.help.empty());
      // Every listed name is one `bench --policies` accepts.
      CHECK_NOTHROW(parse_policy_name(part.name == "guarantee" || part.name == "replan" ? "conservative+" + part.name
                                                                                         : part.name,
                                      PolicySpec{}));
    }
  for (const auto& names : {known_queue_orders(), known_placements()})
    for (const auto& n : names) CHECK_THAT(r.out, Catch::Contains("  " + n));
}

TEST_CASE("cli: compare runs two scenario files side by side, with JSON and an HTML report") {
  TempDir d;
  const auto a = d.write("a.yaml", kScenario);
  std::string b_text = kScenario;
  b_text.replace(b_text.find("chip: H100, chips: 512"), 22, "chip: B200, chips: 512");
  b_text.replace(b_text.find("name: cli-test"), 14, "name: cli-b200");
  const auto b = d.write("b.yaml", b_text);
  auto r = cli("compare '" + a.string() + "' '" + b.string() + "' --replicas 2 --json '" +
                       (d.path() / "c.json").string() + "' --report '" + (d.path() / "c.html").string() + "'",
                   d);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("cli-test") && Catch::Contains("cli-b200") && Catch::Contains("vs cli-test") &&
                        Catch::Contains("cost per EFLOP-day (programme)") && Catch::Contains("Verdicts vs cli-test"));
  const auto j = nlohmann::json::parse(slurp(d.path() / "c.json"));
  CHECK(j["baseline"] == "cli-test");
  CHECK(j["common_workload"] == true);
  CHECK(j["plans"].size() == 2);
  CHECK(j["plans"][1]["metrics"]["utilisation"]["mean"].get<double>() > 0);
  CHECK_THAT(slurp(d.path() / "c.html"), Catch::Contains("<svg") && Catch::Contains("cli-b200"));
  // A plans file is refused by `run` with a hint, and runs one plan with --plan.
  const auto plans = d.write("p.yaml", R"(
workload: [{jobs: [{chips: 8, duration: 1h}]}]
plans:
  - {name: small, factories: [{name: f, chip: H100, chips: 64}]}
  - {name: large, factories: [{name: f, chip: H100, chips: 128}]}
)");
  r = cli("run '" + plans.string() + "'", d);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("small, large") && Catch::Contains("--plan"));
  r = cli("run '" + plans.string() + "' --plan large", d);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("'large'"));
  r = cli("run '" + plans.string() + "' --plan medium", d);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no plan 'medium'"));
  CHECK(cli("compare '" + a.string() + "'", d).code == 2);
}

TEST_CASE("cli: run --progress dates the simulated time and counts jobs done, active and per second") {
  TempDir d;
  // ~150,000 one-node jobs over 30 days: several progress reports (one per 2^16 events).
  const auto file = d.write("s.yaml", R"(
start: 2027-01-01
horizon: 30d
factories: [{name: f, chip: H100, chips: 8000}]
workload: [{arrivals: {dist: poisson, rate: 5000/d}, chips: 8, duration: {dist: exponential, mean: 1h}}]
)");
  const auto r = cli("run '" + file.string() + "' --progress", d);
  REQUIRE(r.code == 0);
  // The first report, e.g. "run: 2027-01-07 (day 6.6, 21% of the horizon); 32.6k jobs done, ...".
  const std::regex line(R"(run: (\d{4})-(\d\d)-(\d\d) \(day (\d+\.\d), (\d+)% of the horizon\); [0-9.]+k? jobs done, )"
                        R"([0-9.]+k? active, [0-9.]+[kM]? jobs/s; [0-9.]+ s so far)");
  std::smatch m;
  REQUIRE(std::regex_search(r.err, m, line));
  const double day = std::stod(m[4]);  // rounded to 0.1 day
  CHECK(m[1] == "2027");
  CHECK(m[2] == "01");
  const int date_day = std::stoi(m[3]);  // the start plus the whole days simulated
  CHECK((date_day == 1 + static_cast<int>(day) || date_day == static_cast<int>(day)));
  CHECK(std::abs(std::stoi(m[5]) - 100 * day / 30) <= 1);  // percent of the 30-day horizon
  // Without a horizon (a job list ends by itself) the fraction is of the jobs expected.
  const auto list = d.write("l.yaml", R"(
factories: [{name: f, chip: H100, chips: 8}]
workload: [{arrivals: {dist: poisson, rate: 1000/d, count: 60000}, chips: 8, duration: 1m}]
)");
  const auto l = cli("run '" + list.string() + "' --progress", d);
  REQUIRE(l.code == 0);
  CHECK(std::regex_search(l.err, std::regex(R"(run: day [0-9.]+ \(\d+% of the jobs\); [0-9.]+k? jobs done, )")));
}

TEST_CASE("cli: the per-job CSV names each job's workload source and class and gives its FLOPs") {
  TempDir d;
  const auto file = d.write("s.yaml", R"(
factories: [{name: f, chip: H100, chips: 64}]
workload:
  - name: listed
    jobs: [{id: by-time, chips: 8, duration: 1h}, {id: by-work, chips: 8, params: 1e9, tokens: 2e9}]
  - arrivals: {dist: fixed, interval: 1h, count: 2}
    classes:
      - {name: small, share: 1, chips: 8, duration: 10m}
)");
  const auto jobs = d.path() / "jobs.csv";
  REQUIRE(cli("run '" + file.string() + "' -q --jobs-csv '" + jobs.string() + "'", d).code == 0);
  std::istringstream csv(slurp(jobs));
  std::string line;
  std::getline(csv, line);
  std::map<std::string, std::string> tail;  // id -> "source,class,flops"
  while (std::getline(csv, line)) {
    const auto first = line.find(',');
    std::size_t at = line.size();
    for (int k = 0; k < 3; ++k) at = line.rfind(',', at - 1);  // the last three fields
    tail[line.substr(0, first)] = line.substr(at + 1);
  }
  REQUIRE(tail.size() == 4);
  CHECK(tail["by-time"] == "listed,,");
  CHECK(tail["by-work"] == "listed,," + fmt::format("{}", 6 * 1e9 * 2e9));  // 6 x params x tokens
  // The generator's jobs are numbered by arrival (the list's two come first, at time 0).
  CHECK(tail["2"] == "workload[1],small,");
  CHECK(tail["3"] == "workload[1],small,");
}
