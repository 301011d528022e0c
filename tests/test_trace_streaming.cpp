// How traces are read: a sorted trace in a regular file is streamed during the run, anything
// else is held in a compact table; both give the same jobs, and a file changed after loading
// is refused rather than half-replayed.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "cli_helpers.hpp"
#include "gigasim/error.hpp"
#include "gigasim/scenario/trace_csv.hpp"
#include "helpers.hpp"

using namespace gigasim;
using test::TempDir;

namespace {
const std::vector<TenantSpec> kOneTenant = [] {
  std::vector<TenantSpec> t(1);
  t[0].name = "t";
  return t;
}();

TraceOptions one_tenant() {
  TraceOptions o;
  o.default_tenant = 0;
  return o;
}

bool same_jobs(const std::vector<test::TraceJobRow>& a, const std::vector<test::TraceJobRow>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].submit != b[i].submit || a[i].chips != b[i].chips ||
        a[i].duration != b[i].duration || a[i].tenant != b[i].tenant)
      return false;
  return true;
}
}  // namespace

TEST_CASE("trace streaming: a sorted file is streamed, an unsorted one held, with the same jobs") {
  TempDir d;
  const std::string sorted = "submit,chips,duration,id\n0,8,60,a\n10,16,30,b\n10,8,5,c\n25,4,90,d\n";
  const std::string unsorted = "submit,chips,duration,id\n10,16,30,b\n25,4,90,d\n0,8,60,a\n10,8,5,c\n";
  const auto sf = d.write("sorted.csv", sorted), uf = d.write("unsorted.csv", unsorted);
  TraceOptions o = one_tenant();
  const TraceLoad s = read_trace_csv(sf, kOneTenant, o), u = read_trace_csv(uf, kOneTenant, o);
  CHECK(s.table->streamed());
  CHECK(!u.table->streamed());
  const auto js = test::jobs_of(*s.table), ju = test::jobs_of(*u.table);
  REQUIRE(js.size() == 4);
  // Unsorted rows sorted by submit, ties in file order: a 0, b 10, c 10, d 25.
  CHECK(js[0].id == "a");
  CHECK(js[1].id == "b");
  CHECK(js[2].id == "c");
  CHECK(js[3].id == "d");
  CHECK(ju[1].id == "b");
  CHECK(ju[2].id == "c");
  CHECK(same_jobs(js, ju));
  // The text in memory (fuzzers, tests) is held and reads the same.
  CHECK(same_jobs(js, test::jobs_of(*parse_trace_csv(sorted, "mem.csv", kOneTenant, o).table)));

  // Transformations agree in both modes: keep every 2nd, chips x 2, submit x 2 + 100 s.
  o.every = 2;
  o.chip_scale = 2;
  o.time_scale = 2;
  o.shift = Duration::seconds(100);
  const auto ts = test::jobs_of(*read_trace_csv(sf, kOneTenant, o).table);
  CHECK(same_jobs(ts, test::jobs_of(*read_trace_csv(uf, kOneTenant, o).table)));
  REQUIRE(ts.size() == 2);
  CHECK(ts[0].id == "a");
  CHECK(ts[0].submit == SimTime::from_ms(100'000));
  CHECK(ts[0].chips == 16);
  CHECK(ts[1].id == "c");
  CHECK(ts[1].submit == SimTime::from_ms(120'000));
}

TEST_CASE("trace streaming: repeat copies are streamed in turn when they do not overlap, merged when they do") {
  TempDir d;
  const auto f = d.write("t.csv", "submit,chips,duration,id\n0,8,60,a\n100,8,60,b\n");
  TraceOptions o = one_tenant();
  o.repeat = 3;
  o.repeat_shift = Duration::seconds(100);  // copy k starts at 100k s, when copy k-1's last job arrives
  const TraceLoad apart = read_trace_csv(f, kOneTenant, o);
  CHECK(apart.table->streamed());
  const auto a = test::jobs_of(*apart.table);
  REQUIRE(a.size() == 6);
  const std::vector<std::pair<std::string, std::int64_t>> expect_apart = {
      {"a", 0}, {"b", 100}, {"a#1", 100}, {"b#1", 200}, {"a#2", 200}, {"b#2", 300}};
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == expect_apart[i].first);
    CHECK(a[i].submit == SimTime::from_ms(expect_apart[i].second * 1000));
  }
  o.repeat_shift = Duration::seconds(50);  // copies interleave: held and merged by submit time
  const TraceLoad overlap = read_trace_csv(f, kOneTenant, o);
  CHECK(!overlap.table->streamed());
  const auto b = test::jobs_of(*overlap.table);
  const std::vector<std::pair<std::string, std::int64_t>> expect_overlap = {
      {"a", 0}, {"a#1", 50}, {"b", 100}, {"a#2", 100}, {"b#1", 150}, {"b#2", 200}};
  REQUIRE(b.size() == 6);
  for (std::size_t i = 0; i < b.size(); ++i) {
    CHECK(b[i].id == expect_overlap[i].first);
    CHECK(b[i].submit == SimTime::from_ms(expect_overlap[i].second * 1000));
  }
}

TEST_CASE("trace streaming: a file changed after loading is refused, not half-replayed") {
  TempDir d;
  const auto f = d.write("t.csv", "submit,chips,duration,id\n0,8,60,a\n100,8,60,b\n");
  const auto s = d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: t.csv}]\n");
  const Scenario sc = load_scenario(s);
  REQUIRE(std::get<TraceSpec>(sc.workload[0].source).table->streamed());
  CHECK(simulate(sc).jobs.completed == 2);  // replays as often as asked
  CHECK(simulate(sc).jobs.completed == 2);
  d.write("t.csv", "submit,chips,duration,id\n0,8,60,a\n100,8,60,b\n200,8,60,c\n");
  CHECK_THROWS_WITH(simulate(sc), Catch::Contains("t.csv' changed since the scenario was loaded"));
}

TEST_CASE("trace streaming: a pipe is read once and held") {
  TempDir d;
  const auto fifo = d.path() / "pipe.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo) << "submit,chips,duration,id\n5,8,60,x\n0,8,60,y\n"; });
  const TraceLoad l = read_trace_csv(fifo, kOneTenant, one_tenant());
  writer.join();
  CHECK(!l.table->streamed());
  const auto j = test::jobs_of(*l.table);
  REQUIRE(j.size() == 2);
  CHECK(j[0].id == "y");
  CHECK(j[1].id == "x");
}

TEST_CASE("trace streaming: a fork mid-trace replays the rest as the original does") {
  TempDir d;
  std::string text = "submit,chips,duration,id\n";
  for (int i = 0; i < 400; ++i) text += std::to_string(i * 600) + "," + std::to_string(8 << (i % 4)) + ",3600,j" + std::to_string(i) + "\n";
  d.write("t.csv", text);
  const auto s = d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 64}]\nworkload: [{trace: t.csv}]\n");
  const Scenario sc = load_scenario(s);
  test::RecordingSink whole_sink, before_sink, after_sink;
  SimulationOptions whole_opt;
  whole_opt.job_sink = &whole_sink;
  const RunResult whole = simulate(sc, whole_opt);
  SimulationOptions before_opt;
  before_opt.job_sink = &before_sink;
  Simulation sim(sc, before_opt);
  sim.run_until(SimTime::zero() + Duration::hours(30));  // mid-trace: jobs up to j180 read
  SimulationOptions after_opt;
  after_opt.job_sink = &after_sink;
  Simulation fork = sim.fork(after_opt);
  const RunResult forked = fork.result();
  CHECK(forked.jobs.completed == whole.jobs.completed);
  CHECK(forked.wait_s.mean == whole.wait_s.mean);
  // Every job's record, ids included, is the whole run's: before the fork or after it.
  std::map<std::string, std::pair<SimTime, SimTime>> seen;
  for (const auto* sink : {&before_sink, &after_sink})
    for (const auto& r : sink->records) seen[r.label] = {*r.start, *r.end};
  REQUIRE(seen.size() == whole_sink.records.size());
  for (const auto& r : whole_sink.records) CHECK(seen.at(r.label) == std::pair{*r.start, *r.end});
}

#if !defined(__SANITIZE_ADDRESS__)  // ASan reserves terabytes of address space: no ulimit -v
TEST_CASE("trace streaming: a trace larger than the memory it may use still replays") {
  // 3 million jobs (~30 MB of CSV) under a 400 MB address-space limit. Loaded whole, as gigasim
  // did before streaming (the text, then ~230 bytes per row), this run peaked at 698 MB resident
  // and failed under 600 MB; streamed it peaks at ~170 MB (what its exact percentiles keep:
  // ~40 bytes per measured job) and runs under 300 MB.
  TempDir d;
  {
    std::FILE* f = std::fopen((d.path() / "big.csv").c_str(), "w");
    REQUIRE(f);
    std::fputs("submit,chips,duration\n", f);
    for (int i = 0; i < 3'000'000; ++i) std::fprintf(f, "%d,8,5\n", i * 10);  // one node, never two jobs at once
    std::fclose(f);
  }
  d.write("s.yaml", "factories: [{name: f, chip: H100, chips: 8}]\nworkload: [{trace: big.csv}]\n");
  const std::string cmd = "cd '" + d.path().string() + "' && ulimit -v 400000 && '" + GIGASIM_BINARY +
                          "' run s.yaml --json out.json >out.txt 2>err.txt";
  const int status = std::system(("sh -c \"" + cmd + "\"").c_str());
  INFO(test::slurp(d.path() / "err.txt"));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(test::slurp(d.path() / "out.json"), Catch::Contains("\"completed\": 3000000"));
}
#endif
