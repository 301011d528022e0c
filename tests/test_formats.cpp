// Workload formats other simulators and real clusters use: SWF (Parallel Workloads Archive),
// each against a small hand-written file whose schedule is computed by hand.
#include <catch2/catch.hpp>

#include "gigasim/error.hpp"
#include "gigasim/scenario/trace_swf.hpp"
#include "helpers.hpp"

using namespace gigasim;
using namespace gigasim::test;

namespace {
std::string swf_scenario(const std::string& backfill, const std::string& swf_keys) {
  return R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: a}, {name: b}]
policy: {backfill: )" + backfill + R"(}
workload: [{trace: small.swf, swf: {tenant_field: user, tenant_map: {1: a, 2: b})" + swf_keys + "}}]\n";
}
double start_of(const Run& r, const std::string& id) { return r.jobs.by_label(id).start->seconds_f(); }
}  // namespace

TEST_CASE("swf: a hand-made log replays as computed by hand, requested times as estimates") {
  // Jobs (submit, run, chips, requested): 1 (0, 3600, 32, 7200), 2 (60, 1800, 48, 1800),
  // 3 cancelled (120, 600, 16; dropped), 4 (180, 3600, 24, 3600) on 64 chips (8 nodes).
  SECTION("strict FIFO: 2 waits for 1's end; then 16 chips are free, too few for 4") {
    const auto r = run_yaml(swf_scenario("none", ""));
    CHECK(r.result.jobs.submitted == 3);
    CHECK(start_of(r, "1") == 0);
    CHECK(start_of(r, "2") == 3600);
    CHECK(start_of(r, "4") == 5400);
    CHECK(r.jobs.by_label("2").tenant == "b");
    CHECK(r.jobs.by_label("4").tenant == "a");
  }
  SECTION("EASY with requested times: 1 is expected until 7200, so 4 (ends 3780) backfills at 180 and delays 2") {
    const auto r = run_yaml(swf_scenario("easy", ""));
    CHECK(start_of(r, "4") == 180);
    CHECK(start_of(r, "2") == 3780);  // 1 really ended at 3600, but 4 holds 24 of the 64 until 3780
  }
  SECTION("EASY with exact estimates: 4 would end after 1 (3600) on nodes 2 needs, so it waits") {
    const auto r = run_yaml(swf_scenario("easy", ", estimates: none"));
    CHECK(start_of(r, "2") == 3600);
    CHECK(start_of(r, "4") == 5400);
  }
  SECTION("cancelled jobs are kept on request") {
    const auto r = run_yaml(swf_scenario("none", ", cancelled: keep"));
    CHECK(r.result.jobs.submitted == 4);
    CHECK(start_of(r, "3") == 3600);  // 16 chips beside 2
    CHECK(start_of(r, "4") == 5400);
  }
}

TEST_CASE("swf: header facts, processors to chips, memory, bad lines located by field") {
  std::vector<TenantSpec> tenants(1);
  tenants[0].name = "t";
  SwfOptions o;
  o.common.default_tenant = 0;
  SwfHeader h;
  const auto load = parse_swf("; MaxProcs: 1024\n; MaxNodes: 128\n; UnixStartTime: 1700000000\n"
                              "7 10 5 100.5 -1 -1 -1 12 200 2048 1 3 1 -1 1 -1 -1 -1\n",
                              "x.swf", tenants, o, &h);
  CHECK(h.max_procs == 1024);
  CHECK(h.max_nodes == 128);
  CHECK(h.unix_start_time == 1700000000);
  REQUIRE(load.table.jobs.size() == 1);
  const JobEntry& j = load.table.jobs[0];
  CHECK(j.id == "7");
  CHECK(j.submit.ms() == 10'000);
  CHECK(j.duration.ms() == 100'500);
  CHECK(j.chips == 12);           // requested processors, allocated unknown
  CHECK(j.estimate.ms() == 200'000);
  CHECK(j.memory_bytes == 2048.0 * 1024 * 12);
  o.chips_per_processor = 0.125;  // e.g. one GPU per 8 CPU cores
  CHECK(parse_swf("1 0 -1 60 12 -1 -1 12 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o).table.jobs[0].chips == 2);

  CHECK_THROWS_WITH(parse_swf("\n1 0 -1\n", "x.swf", tenants, o), "x.swf:2: expected 18 fields, got 3");
  CHECK_THROWS_WITH(parse_swf("1 0 -1 soon 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o),
                    "x.swf:1: field 4 (run time): expected a number, got 'soon'");
  CHECK_THROWS_WITH(parse_swf("1 0 -1 -1 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o),
                    "x.swf:1: field 4 (run time): expected a run time > 0, got -1");
  CHECK_THROWS_WITH(parse_swf("1 0 -1 5 -1 -1 -1 -1 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o),
                    Catch::Contains("fields 5 and 8 (allocated, requested processors)"));
  o.common.skip_bad_rows = true;
  const auto skipped = parse_swf("1 0 -1\n2 0 -1 5 1 -1 -1 1 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o);
  CHECK(skipped.skipped_rows == 1);
  CHECK(skipped.table.jobs.size() == 1);
}
