// Values that are legal one by one but were able to break a run: overflowing products of time
// and chips, inputs that would fill the memory, jobs that can never start waiting forever, and
// errors reported at the wrong place. Each case here was found by trying (issue "Hostile
// inputs"); the sanitizer build runs them under UBSan, which turns an overflow into a failure.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

#include "cli_helpers.hpp"
#include "gigasim/error.hpp"
#include "gigasim/model/run_size.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

TEST_CASE("hostile: 10^6 chips over 15,700 weeks integrate exactly (no chip-ms overflow)") {
  // 10^6 chips x 9.5e12 ms = 9.5e18 chip-ms: beyond int64 (9.2e18). One job keeps it short.
  const auto r = run_yaml(R"(
horizon: 15700w
factories: [{name: f, chip: H100, chips: 1000000}]
workload: [{jobs: [{chips: 500000, duration: 1000d}]}]
)");
  const double hours = 15700.0 * 7 * 24;
  REQUIRE(r.result.factories.size() == 1);
  CHECK(r.result.factories[0].installed_chip_hours == Approx(1e6 * hours).epsilon(1e-12));
  CHECK(r.result.factories[0].busy_chip_hours == Approx(5e5 * 1000 * 24).epsilon(1e-12));
  CHECK(r.result.utilisation == Approx(5e5 * 1000 * 24 / (1e6 * hours)).epsilon(1e-9));
}

TEST_CASE("hostile: a checkpoint cost that would overflow the wall time makes an endless attempt") {
  // 1 ms interval, 10^12 s cost: C x (W / tau - 1) is ~10^27 ms. The attempt never ends in the
  // horizon; nothing overflows, and the job is reported running at the end.
  const auto r = run_yaml(R"(
horizon: 30d
factories: [{name: f, chip: H100, chips: 64}]
workload: [{jobs: [{id: j, chips: 8, duration: 1h}], checkpoint: {interval: 1ms, cost: 999999999999s}}]
)");
  CHECK(r.jobs.by_label("j").outcome == JobOutcome::Running);
  CHECK(r.result.jobs.completed == 0);
}

TEST_CASE("hostile: trace repeat copies beyond 10^12 s are refused at the repeat's shift") {
  CHECK_THROWS_WITH(scenario_from(R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: research}]
workload: [{trace: small-trace.csv, repeat: {times: 10000, shift: 999999999999s}}]
)"),
                    Catch::StartsWith("test.yaml:4:") &&
                        Catch::Contains("workload[0].repeat.shift: 10000 copies shifted by this much") &&
                        Catch::Contains("at most"));
}

TEST_CASE("hostile: a tenant quota smaller than its job makes the job unschedulable at arrival") {
  // quota 0.1 of 1,024 chips = 102.4 chips; the 512-chip job can never start. With failures on
  // the factory the open-ended run used never to end; now it ends once the other job is done.
  const auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 1024, failures: {node_mtbf: 50000h, repair: 4h}}]
tenants: [{name: small, quota: 0.1}, {name: other}]
workload:
  - {tenant: small, jobs: [{id: big, chips: 512, duration: 1h}, {id: fits, chips: 96, duration: 1h}]}
  - {tenant: other, jobs: [{id: o, chips: 8, duration: 2h}]}
)");
  CHECK(r.jobs.by_label("big").outcome == JobOutcome::Unschedulable);
  CHECK(r.jobs.by_label("fits").outcome == JobOutcome::Completed);
  CHECK(r.jobs.by_label("o").outcome == JobOutcome::Completed);
  REQUIRE(r.result.unschedulable.size() == 1);
  CHECK(r.result.unschedulable[0].kind == "quota");
  CHECK_THAT(r.result.unschedulable[0].reason,
             Catch::Contains("needs 512 chips in whole nodes") && Catch::Contains("quota of 0.1 x 1024"));
}

TEST_CASE("hostile: a quota is judged at the factories' peak capacity, not today's") {
  // 0.5 x 64 chips today is too small for 64 chips, but the factory grows to 256 at day 1.
  const auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 64, phases: [{at: 1d, chips: 192}]}]
tenants: [{name: t, quota: 0.5}]
workload: [{jobs: [{id: j, chips: 64, duration: 1h}]}]
)");
  CHECK(r.jobs.by_label("j").outcome == JobOutcome::Completed);
  CHECK(r.jobs.by_label("j").start->seconds_f() == 86400);
}

TEST_CASE("hostile: --set errors name the --set, not the scenario's first line") {
  const auto file = std::string(GIGASIM_SOURCE_DIR) + "/scenarios/default.yaml";
  CHECK_THROWS_WITH(load_scenario(file, {{"factories[0].chips", "-5"}}),
                    Catch::StartsWith("--set factories[0].chips=-5: factories[0].chips: expected"));
  CHECK_THROWS_WITH(load_scenario(file, {{"policy", "{queue: fifo, bakfill: easy}"}}),
                    Catch::StartsWith("--set policy={queue: fifo, bakfill: easy}: ") &&
                        Catch::Contains("unknown key 'bakfill'"));
}

TEST_CASE("hostile: structure yaml-cpp cannot walk is a located input error") {
  // Found by mutation: plans whose mappings and lists were swapped.
  for (const char* yaml : {"plans: {name: a, factories: []}\nworkload: []\n",
                           "plans: [[name, a]]\nworkload: []\n", "[plans, workload]\n",
                           "plans: [{name: a, factories: {name: f}}]\nworkload: {jobs: []}\n"}) {
    CAPTURE(yaml);
    CHECK_THROWS_AS(parse_plans(yaml, "m.yaml", "."), InputError);
    CHECK_THROWS_WITH(parse_plans(yaml, "m.yaml", "."), Catch::StartsWith("m.yaml:"));
  }
}

TEST_CASE("hostile: input files are bounded: devices refused, sizes and lines limited") {
  TempDir d;
  // A device would be read for ever.
  const auto dev = d.write("dev.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                       "workload: [{trace: /dev/zero}]\n");
  CHECK_THROWS_WITH(load_scenario(dev), Catch::Contains("/dev/zero' is not a regular file or a pipe"));
  CHECK_THROWS_WITH(load_scenario("/dev/zero"), Catch::Contains("is not a regular file or a pipe"));

  // Over the scenario limit: refused before it is parsed, naming the limit to raise.
  InputLimits small;
  small.scenario_bytes = 64;
  const auto big = d.write("big.yaml", std::string(200, '#') + "\n");
  CHECK_THROWS_WITH(load_scenario(big, {}, small),
                    Catch::Contains("larger than 64 bytes") && Catch::Contains("--limit scenario_bytes="));

  // A trace line longer than the limit, located at its line.
  d.write("long.csv", "submit,chips,duration\n0,8,60\n0,8," + std::string(100, '6') + "\n");
  const auto s = d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: long.csv}]\n");
  InputLimits lines;
  lines.trace_line_bytes = 64;
  CHECK_THROWS_WITH(load_scenario(s, {}, lines),
                    Catch::Contains("long.csv:3: line is longer than 64 bytes") &&
                        Catch::Contains("--limit trace_line_bytes="));

  // Jobs held in memory after repeat, over the limit: refused before the copies are made. (An
  // unsorted trace is held; a sorted one is streamed, and its length costs no memory.)
  d.write("unsorted.csv", "submit,chips,duration\n60,8,60\n0,8,60\n");
  const auto rep = d.write("r.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                     "workload: [{trace: unsorted.csv, repeat: {times: 100, shift: 1d}}]\n");
  InputLimits jobs;
  jobs.trace_jobs = 50;
  CHECK_THROWS_WITH(load_scenario(rep, {}, jobs),
                    Catch::Contains("2 jobs x repeat 100 would exceed the limit of 50 trace jobs held in memory"));
  CHECK_NOTHROW(load_scenario(rep));
  const auto streamed = d.write("st.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                           "workload: [{trace: long.csv, on_bad_row: skip, repeat: {times: 100, shift: 1d}}]\n");
  const Scenario st = load_scenario(streamed, {}, jobs);
  CHECK(std::get<TraceSpec>(st.workload[0].source).table->streamed());
  CHECK(std::get<TraceSpec>(st.workload[0].source).table->size() == 100);
}

namespace {
struct NullTimeseries final : TimeseriesSink {
  void row(const TimeseriesRow&) override {}
};
const std::string kOverloaded = R"(
horizon: 365d
factories: [{name: f, chip: H100, chips: 64}]
workload:
  - {arrivals: {rate: 100000/d}, chips: 8, duration: 1h}
)";
}  // namespace

TEST_CASE("hostile: a queue that grows without bound stops the run with the offered load") {
  // 100,000 jobs/d x 8 chip-h = 33,333 chips busy on average, on 64: ~520x the capacity.
  SimulationOptions o;
  o.limits.active_jobs = 5000;
  try {
    simulate(scenario_from(kOverloaded), o);
    FAIL("expected the run to stop");
  } catch (const InputError&) {
    FAIL("an overload is not an input error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("stopped at 1.2") && Catch::Contains("5000 jobs waiting or running") &&
                             Catch::Contains("--limit active_jobs=N"));
    // The printed ratio is the offered load: chips x run time submitted / chips x elapsed.
    const std::string msg = e.what();
    const auto at = msg.find("so far is ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(msg.substr(at + 10)) == Approx(100000.0 * 8 / 24 / 64).epsilon(0.02));
  }
}

TEST_CASE("hostile: a time series finer than the limit allows is refused before the run") {
  NullTimeseries sink;
  SimulationOptions o;
  o.timeseries = &sink;
  o.timeseries_interval = Duration::millis(1);
  CHECK_THROWS_WITH(simulate(scenario_from(kOverloaded), o),
                    Catch::Contains("a time series every 1ms over 365.00d gives 6.31e+10 rows") &&
                        Catch::Contains("--limit timeseries_rows=N"));
}

TEST_CASE("hostile: cli --limit raises and lowers bounds, an overloaded run leaves no output") {
  TempDir d;
  const auto s = d.write("s.yaml", kOverloaded);
  const auto r = cli("run '" + s.string() + "' --limit active_jobs=2k --json '" + (d.path() / "o.json").string() +
                         "' --jobs-csv '" + (d.path() / "j.csv").string() + "'",
                     d);
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("with 2000 jobs waiting or running"));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(d.path())) files += e.path().filename() != "s.yaml" &&
                                                                  e.path().filename() != "stdout.txt" &&
                                                                  e.path().filename() != "stderr.txt";
  CHECK(files == 0);  // neither the outputs nor their temporary files

  for (const char* bad : {"foo=1", "active_jobs=-1", "active_jobs=0", "trace_jobs=1.5", "active_jobs"}) {
    CAPTURE(bad);
    const auto b = cli(std::string("check '") + s.string() + "' --limit " + bad, d);
    CHECK(b.code == 2);
    CHECK_THAT(b.err, Catch::Contains("--limit"));
  }
  const auto small = cli("check '" + s.string() + "' --limit scenario_bytes=16", d);
  CHECK(small.code == 2);
  CHECK_THAT(small.err, Catch::Contains("larger than 16 bytes"));
}

TEST_CASE("hostile: failure and maintenance clocks far from any hardware are refused or warned about") {
  auto with = [](const std::string& factory_keys) {
    return scenario_from("horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, " + factory_keys +
                         "}]\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]\n");
  };
  CHECK_THROWS_WITH(with("failures: {node_mtbf: 1ms, repair: 1h}"),
                    Catch::Contains("failures.node_mtbf: a node MTBF of") && Catch::Contains("at least 1m"));
  CHECK_THROWS_WITH(with("failures: {chip_mtbf: 400s, repair: 1h}"), Catch::Contains("at least 1m"));
  CHECK_THROWS_WITH(with("maintenance: {every: 2ms, duration: 1ms, fraction: 0.5}"),
                    Catch::Contains("maintenance.every: expected a maintenance period of at least 1h"));
  const Scenario warned = with("failures: {node_mtbf: 2h, repair: 1h}");
  REQUIRE(warned.warnings.size() == 1);
  CHECK_THAT(warned.warnings[0], Catch::Contains("failures.node_mtbf: a node MTBF of 2.00h is far below real hardware"));
  CHECK(with("failures: {node_mtbf: 6335h, repair: 1h}").warnings.empty());
}

namespace {
// Starts `gigasim args...` with its output in `dir`, sends `sig` after `delay_ms`, returns the
// exit status as a shell reports it (128 + signal for a process killed by one).
int interrupted_run(const std::vector<std::string>& args, const fs::path& dir, int sig, int delay_ms) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    std::vector<char*> argv{const_cast<char*>(GIGASIM_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!::freopen("stderr.txt", "w", stderr)) ::_exit(126);
    ::signal(sig, SIG_DFL);
    ::execv(GIGASIM_BINARY, argv.data());
    ::_exit(127);
  }
  ::usleep(static_cast<useconds_t>(delay_ms) * 1000);
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
}  // namespace

TEST_CASE("hostile: SIGINT and SIGTERM stop a run with 130 and 143, leaving no file behind") {
  for (const int sig : {SIGINT, SIGTERM}) {
    CAPTURE(sig);
    TempDir d;
    // Years of 50,000 jobs a day: far longer than the signal's delay.
    d.write("long.yaml", "horizon: 3650d\nfactories: [{name: f, chip: H100, chips: 100000}]\n"
                         "workload: [{arrivals: {rate: 50000/d}, chips: {dist: pow2, min: 8, max: 1024},\n"
                         "            duration: {dist: lognormal, median: 2h, sigma: 1}}]\n");
    const int code = interrupted_run({"run", "long.yaml", "--json", "out.json", "--jobs-csv", "jobs.csv"}, d.path(),
                                     sig, 700);
    CHECK(code == 128 + sig);
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(d.path())) left.push_back(e.path().filename().string());
    CHECK(left.size() == 2);  // the scenario and the captured stderr, nothing else
    CHECK(fs::exists(d.path() / "long.yaml"));
    CHECK(fs::exists(d.path() / "stderr.txt"));
  }
}

TEST_CASE("hostile: bytes that are not UTF-8 are refused where they are, not at the JSON") {
  const std::string yaml = "factories: [{name: \"f\xE9\", chip: H100, chips: 64}]\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]\n";
  CHECK_THROWS_WITH(parse_scenario(yaml, "u.yaml", "."),
                    Catch::StartsWith("u.yaml:1:22: invalid UTF-8 (byte 0xE9)"));
  // Well-formed UTF-8 names pass, and so do their bytes into the outputs.
  CHECK_NOTHROW(parse_scenario("factories: [{name: \"f\xC3\xA9\", chip: H100, chips: 64}]\n"
                               "workload: [{jobs: [{chips: 8, duration: 1h}]}]\n", "u.yaml", "."));
  // The validator itself, against the cases RFC 3629 names.
  CHECK(!first_invalid_utf8("plain ASCII, \xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80"));
  CHECK(first_invalid_utf8("ab\xC0\xAF") == 2u);      // overlong '/'
  CHECK(first_invalid_utf8("\xED\xA0\x80") == 0u);     // a surrogate
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0u); // above U+10FFFF
  CHECK(first_invalid_utf8("x\xE2\x82") == 1u);        // truncated
  TempDir d;
  d.write("t.csv", "id,submit,chips,duration\nok,0,8,60\nbad\xFF,0,8,60\n");
  const auto s = d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: t.csv}]\n");
  CHECK_THROWS_WITH(load_scenario(s), Catch::Contains("t.csv:3: invalid UTF-8 at byte 4 of the line"));
}

TEST_CASE("hostile: --seed takes only whole numbers from 0 (a negative one used to wrap)") {
  TempDir d;
  const auto s = d.write("s.yaml", "horizon: 1d\nfactories: [{name: f, chip: H100, chips: 64}]\n"
                                   "workload: [{jobs: [{chips: 8, duration: 1h}]}]\n");
  for (const char* seed : {"-1", "1.5", "x", "99999999999999999999"}) {
    CAPTURE(seed);
    const auto r = cli("run '" + s.string() + "' --seed " + seed, d);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--seed: expected a whole number"));
  }
  CHECK(cli("run '" + s.string() + "' --seed 9223372036854775807", d).code == 0);
}

TEST_CASE("hostile: the expected size of a run is estimated from rates and horizon") {
  // 1,000 nodes failing every 100 h over 1,000 h: 10,000 failures and as many repairs; 2 x 365
  // jobs; a maintenance window (start, end) every 10 d over 41.67 d: 8.33 events.
  const Scenario sc = scenario_from(R"(
horizon: 1000h
factories:
  - {name: f, chip: H100, chips: 8000, failures: {node_mtbf: 100h, repair: 1h},
     maintenance: {every: 10d, duration: 4h, fraction: 0.1}}
workload:
  - {arrivals: {rate: 365/d, until: 24h}, chips: 8, duration: 1h}
  - {jobs: [{chips: 8, duration: 1h}, {chips: 8, duration: 2h}]}
)");
  const RunSize s = estimate_run_size(sc);
  CHECK(s.jobs == Approx(365 + 2));
  CHECK(s.failure_events == Approx(2 * 1000 * 10.0));
  CHECK(s.maintenance_events == Approx(2 * 1000.0 / 240));
  CHECK(s.events() == Approx(2 * 367 + 20000 + 2000.0 / 240));
  CHECK(estimate_run_size(sc, hours(100)).failure_events == Approx(2000));
}

TEST_CASE("hostile: a run expected to be long says so before it starts") {
  TempDir d;
  const auto s = d.write("s.yaml", "horizon: 365d\nfactories: [{name: f, chip: H100, chips: 800000, "
                                   "failures: {node_mtbf: 1h, repair: 1h}}]\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]\n");
  // Over 2 h the same factory makes ~4e5 events: no note.
  const auto r = cli("run '" + s.string() + "' --horizon 2h", d);
  CHECK(r.code == 0);
  CHECK(r.err.find("note:") == std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("a node MTBF of 1.00h is far below real hardware"));
  // Over the year, 1.75e9: announced at once (the run is then stopped).
  CHECK(interrupted_run({"run", "s.yaml"}, d.path(), SIGTERM, 800) == 128 + SIGTERM);
  std::ifstream err(d.path() / "stderr.txt");
  const std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("note: about 1.8e+09 events expected (1 jobs, 1.8e+09 failure and 0 maintenance"));
}

#if !defined(__SANITIZE_ADDRESS__)  // ASan reserves terabytes of address space: no ulimit -v
TEST_CASE("hostile: under ulimit -v 1 GB, bounded inputs fail with a message, never a crash") {
  TempDir d;
  d.write("over.yaml", kOverloaded);
  d.write("zero.yaml", "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: /dev/zero}]\n");
  auto limited = [&](const std::string& args) {
    const std::string cmd = "cd '" + d.path().string() + "' && ulimit -v 1000000 && '" + GIGASIM_BINARY + "' " + args +
                            " >out.txt 2>err.txt";
    const int status = std::system(("sh -c \"" + cmd + "\"").c_str());
    std::ifstream err(d.path() / "err.txt");
    return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                     std::string((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>())};
  };
  // The queue stops at its limit (500,000 jobs, ~100 MB) well inside the 1 GB.
  const auto [over, over_err] = limited("run over.yaml --limit active_jobs=500k");
  CHECK(over == 1);
  CHECK_THAT(over_err, Catch::Contains("with 500000 jobs waiting or running"));
  // Allowed more than the process may hold: out of memory, said as such.
  const auto [oom, oom_err] = limited("run over.yaml --limit active_jobs=100M");
  CHECK(oom == 1);
  CHECK_THAT(oom_err, Catch::Contains("out of memory"));
  const auto [zero, zero_err] = limited("check zero.yaml");
  CHECK(zero == 2);
  CHECK_THAT(zero_err, Catch::Contains("not a regular file or a pipe"));
}
#endif

TEST_CASE("hostile: a uniform range with min == max is its one value (it used to loop for ever)") {
  // Found by the fuzzer: Boost's uniform_real_distribution redraws until below max.
  const auto r = run_yaml(R"(
horizon: 2d
factories: [{name: f, chip: H100, chips: 64}]
policy: {backfill: easy, estimate: {dist: uniform, min: 2, max: 2}}
workload: [{arrivals: {rate: 10/d, count: 5}, chips: 8, duration: {dist: uniform, min: 1h, max: 1h}}]
)");
  REQUIRE(r.result.jobs.completed == 5);
  for (const auto& j : r.jobs.records) CHECK((*j.end - *j.start).ms() == 3'600'000);
}
