// Workload formats other simulators and real clusters use: SWF (Parallel Workloads Archive),
// each against a small hand-written file whose schedule is computed by hand.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_helpers.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/swf_writer.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/trace_sacct.hpp"
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
  REQUIRE(test::jobs_of(*load.table).size() == 1);
  const auto j = test::jobs_of(*load.table)[0];
  CHECK(j.id == "7");
  CHECK(j.submit.ms() == 10'000);
  CHECK(j.duration.ms() == 100'500);
  CHECK(j.chips == 12);           // requested processors, allocated unknown
  CHECK(j.estimate.ms() == 200'000);
  CHECK(j.memory_bytes == 2048.0 * 1024 * 12);
  o.chips_per_processor = 0.125;  // e.g. one GPU per 8 CPU cores
  CHECK(test::jobs_of(*parse_swf("1 0 -1 60 12 -1 -1 12 -1 -1 1 1 1 -1 1 -1 -1 -1\n", "x.swf", tenants, o).table)[0].chips == 2);

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
  CHECK(test::jobs_of(*skipped.table).size() == 1);
}

TEST_CASE("swf: export then import gives the identical schedule, job by job") {
  // Two tenants (one site-restricted), two generators with ties in submit time, estimates x2
  // under EASY: the replay must queue, estimate and place every job as the original did.
  const std::string factories = R"(
horizon: 20d
seed: 11
factories: [{name: a, chip: H100, chips: 512}, {name: b, chip: B200, chips: 256}]
tenants: [{name: x}, {name: y, sites: [b]}]
policy: {backfill: easy, estimate: 2}
)";
  const Scenario original = parse_scenario(factories + R"(
workload:
  - {tenant: x, arrivals: {dist: poisson, rate: 150/d}, chips: {dist: pow2, min: 8, max: 256},
     duration: {dist: lognormal, median: 2h, sigma: 1.2}}
  - {tenant: y, arrivals: {dist: fixed, rate: 24/d}, chips: 64, duration: {dist: exponential, mean: 3h}}
  - {tenant: x, jobs: [{chips: 32, duration: 1h}, {at: 1h, chips: 16, duration: 30m}]}
)", "rt.yaml", ".");
  TempDir d;
  std::uint64_t written = 0;
  {
    AtomicFile out(d.path() / "w.swf");
    written = write_workload_swf(original, std::nullopt, std::nullopt, out);
    out.commit();
  }
  const Scenario replay = parse_scenario(factories + R"(
workload: [{trace: w.swf, swf: {tenant_field: queue, tenant_map: {1: x, 2: y}}}]
)", "rt2.yaml", d.path());
  RecordingSink a, b;
  SimulationOptions oa, ob;
  oa.job_sink = &a;
  ob.job_sink = &b;
  const RunResult ra = simulate(original, oa), rb = simulate(replay, ob);
  CHECK(ra.jobs.submitted == written);
  CHECK(written > 3000);  // 20 d x (150 + 24) / d + 2
  REQUIRE(rb.jobs.submitted == ra.jobs.submitted);
  auto by_id = [](std::vector<Captured> v) {
    std::sort(v.begin(), v.end(), [](const Captured& p, const Captured& q) { return p.id < q.id; });
    return v;
  };
  const auto ja = by_id(a.records), jb = by_id(b.records);
  REQUIRE(ja.size() == jb.size());
  std::size_t same = 0;
  for (std::size_t i = 0; i < ja.size(); ++i) {
    CAPTURE(i);
    const bool eq = ja[i].submit == jb[i].submit && ja[i].chips == jb[i].chips && ja[i].tenant == jb[i].tenant &&
                    ja[i].start == jb[i].start && ja[i].end == jb[i].end && ja[i].factory == jb[i].factory &&
                    ja[i].outcome == jb[i].outcome;
    same += eq;
    if (!eq) {
      CHECK(ja[i].submit == jb[i].submit);
      CHECK(ja[i].start == jb[i].start);
      break;
    }
  }
  CHECK(same == ja.size());
  CHECK(rb.utilisation == ra.utilisation);
  CHECK(rb.wait_s.mean == ra.wait_s.mean);
}

TEST_CASE("swf: gigasim export writes the workload, whole or not at all") {
  TempDir d;
  const auto s = d.write("s.yaml", "horizon: 1d\nfactories: [{name: f, chip: H100, chips: 64}]\n"
                                   "workload: [{jobs: [{id: a, chips: 8, duration: 1h}, {at: 90s, chips: 16, duration: 1.5s, "
                                   "memory: 40GB}]}]\n");
  const auto r = cli("export '" + s.string() + "' --swf -", d);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("; Version: 2.2\n"));
  CHECK_THAT(r.out, Catch::Contains("\n1 0 -1 3600 8 -1 -1 8 3600 -1 1 1 -1 -1 1 -1 -1 -1\n"));
  // 40 GB over 16 chips = 2,441,406.25 KB per processor; 1.5 s keeps its decimals.
  CHECK_THAT(r.out, Catch::Contains("\n2 90 -1 1.5 16 -1 -1 16 1.5 2441406.25 1 1 -1 -1 1 -1 -1 -1\n"));
  CHECK(cli("export '" + s.string() + "'", d).code == 2);  // --swf is required
  const auto endless = d.write("e.yaml", "factories: [{name: f, chip: H100, chips: 64}]\n"
                                         "workload: [{arrivals: {rate: 10/d, count: 3}, chips: 8, duration: 1h}]\n");
  CHECK(cli("export '" + endless.string() + "' --swf '" + (d.path() / "e.swf").string() + "'", d).code == 0);
}

TEST_CASE("sacct: a hand-made Slurm log: steps, CPU jobs, pending arrays and never-run jobs left out") {
  // Kept: 100 (08:00, 32 GPUs, 1 h, limit 2 h), 101 (08:01, 48 typed GPUs, 30 min, TIMEOUT),
  // 104_1 (08:05, 16 GPUs, 15 min, FAILED, no limit). Left out: the steps of 100, 102 (no
  // GPU), 103 (cancelled before it ran), 104_[2-5] (a pending array). Tenant = Account.
  const std::string yaml = R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: physics}, {name: bio}]
policy: {backfill: BACKFILL}
workload: [{trace: small-sacct.txt, format: sacct}]
)";
  auto with = [&](const std::string& backfill) {
    std::string y = yaml;
    y.replace(y.find("BACKFILL"), 8, backfill);
    return run_yaml(y);
  };
  const auto fifo = with("none");
  CHECK(fifo.result.jobs.submitted == 3);
  CHECK(start_of(fifo, "100") == 0);
  CHECK(start_of(fifo, "101") == 3600);    // 48 GPUs: after 100
  CHECK(start_of(fifo, "104_1") == 3600);  // strict FIFO: behind 101, then beside it
  CHECK(fifo.jobs.by_label("101").tenant == "bio");
  CHECK(fifo.jobs.by_label("104_1").tenant == "physics");
  CHECK((*fifo.jobs.by_label("101").end - *fifo.jobs.by_label("101").start).ms() == 1'800'000);
  // EASY: 100's limit says 2 h, so 101 is reserved for 10:00 (t = 7200); 104_1 (15 min) fits before.
  const auto easy = with("easy");
  CHECK(start_of(easy, "104_1") == 300);
  CHECK(start_of(easy, "101") == 3600);

  const Scenario sc = scenario_from(R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: physics}, {name: bio}]
workload: [{trace: small-sacct.txt, format: sacct}]
)");
  REQUIRE(sc.warnings.size() == 2);
  // Accounts mapped to tenants of other names.
  const auto mapped = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: phys}, {name: life}]
workload: [{trace: small-sacct.txt, format: sacct, sacct: {tenant_map: {physics: phys, bio: life}}}]
)");
  CHECK(mapped.jobs.by_label("101").tenant == "life");
  CHECK(mapped.jobs.by_label("100").tenant == "phys");
  CHECK_THAT(sc.warnings[0], Catch::Contains("left out 1 job(s) without accelerators"));
  CHECK_THAT(sc.warnings[1], Catch::Contains("left out 2 job(s)") && Catch::Contains("cancelled or never ran"));
}

TEST_CASE("sacct: durations, TRES, states, tenant map and bad rows") {
  CHECK(parse_slurm_duration_s("1-02:03:04") == 86400 + 7384);
  CHECK(parse_slurm_duration_s("02:03:04") == 7384);
  CHECK(parse_slurm_duration_s("03:04") == 184);
  CHECK(parse_slurm_duration_s("30") == 1800);      // Timelimit in minutes
  CHECK(parse_slurm_duration_s("2-12") == 2 * 86400 + 12 * 3600);
  CHECK(parse_slurm_duration_s("00:00:01.500") == 1.5);
  CHECK(!parse_slurm_duration_s("UNLIMITED"));
  CHECK(!parse_slurm_duration_s("1:2:3:4"));

  std::vector<TenantSpec> tenants(2);
  tenants[0].name = "t0";
  tenants[1].name = "t1";
  SacctOptions o;
  o.common.default_tenant = 0;
  const std::string head = "JobID|Submit|Elapsed|State|AllocTRES|Account\n";
  o.states = {"COMPLETED"};
  o.tenant_map = {{"acct-b", 1}};
  const auto l = parse_sacct(head + "1|2025-01-01T00:00:00|00:10:00|COMPLETED|gres/gpu:a100=2,gres/gpu:h100=6|acct-b\n"
                                    "2|2025-01-01T00:01:00|00:10:00|FAILED|gres/gpu=8|acct-b\n",
                             "s.txt", tenants, o);
  REQUIRE(test::jobs_of(*l.table).size() == 1);
  CHECK(test::jobs_of(*l.table)[0].chips == 8);  // typed counts add up
  CHECK(test::jobs_of(*l.table)[0].tenant == 1);
  o.states.clear();
  CHECK_THROWS_WITH(parse_sacct(head + "1|yesterday|00:10:00|COMPLETED|gres/gpu=8|x\n", "s.txt", tenants, o),
                    "s.txt:2: Submit: expected a time YYYY-MM-DDThh:mm:ss, got 'yesterday'");
  CHECK_THROWS_WITH(parse_sacct(head + "1|2025-01-01T00:00:00|soon|COMPLETED|gres/gpu=8|x\n", "s.txt", tenants, o),
                    "s.txt:2: Elapsed: expected a duration [D-]HH:MM:SS, got 'soon'");
  CHECK_THROWS_WITH(parse_sacct("JobID|Elapsed\n", "s.txt", tenants, o), Catch::Contains("no 'Submit' field"));
  o.common.default_tenant = -1;
  CHECK_THROWS_WITH(parse_sacct(head + "1|2025-01-01T00:00:00|00:10:00|COMPLETED|gres/gpu=8|nobody\n", "s.txt", tenants, o),
                    Catch::Contains("Account 'nobody': not a tenant of the scenario"));
}

TEST_CASE("acme: the Acme (Seren, Kalos) columns preset, CPU-only and never-run jobs left out") {
  const auto r = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 64}]
workload: [{trace: small-acme.csv, format: acme}]
)");
  CHECK(r.result.jobs.submitted == 3);  // dlc3 has no GPU, dlc4 never ran
  CHECK(start_of(r, "dlc1") == 0);
  CHECK(start_of(r, "dlc2") == 3600);
  CHECK(start_of(r, "dlc5") == 3600);
  CHECK((*r.jobs.by_label("dlc5").end - *r.jobs.by_label("dlc5").start).ms() == 900'000);
  // The tenant from the `queue` column, through the scenario's tenant names.
  const auto t = run_yaml(R"(
factories: [{name: f, chip: H100, chips: 64}]
tenants: [{name: vc1}, {name: vc2}]
workload: [{trace: small-acme.csv, format: acme, columns: {tenant: queue}}]
)");
  CHECK(t.jobs.by_label("dlc2").tenant == "vc2");
}
