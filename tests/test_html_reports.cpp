// The HTML reports as a reader meets them: every number readable (no e-notation), many
// factories in small panels, waits on a log axis, numeric sweeps as curves, bench with its
// unfinished jobs and verdicts. (Screenshots in headless Chromium at two widths were looked at
// by hand when these reports were written; these tests keep what was checked there.)
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "cli_helpers.hpp"
#include "helpers.hpp"

using namespace gigasim::test;

namespace {
// Six factories (more than one chart of lines stays readable for), one coming online late, and
// enough load that jobs wait.
const std::string kSix = R"(name: six
start: 2027-01-01
horizon: 30d
seed: 5
factories:
  - {name: fa, chip: H100, chips: 25000}
  - {name: fb, chip: H100, chips: 512}
  - {name: fc, chip: B200, chips: 1024}
  - {name: fd, chip: H100, chips: 256}
  - {name: fe, chip: H100, chips: 256}
  - {name: ff, chip: H100, chips: 256, online: 10d}
tenants: [{name: research, share: 1}, {name: industry, share: 1}]
workload:
  - {tenant: research, arrivals: {rate: 400/d}, chips: {dist: pow2, min: 8, max: 512}, duration: {dist: exponential, mean: 6h}}
  - {tenant: industry, arrivals: {rate: 100/d}, chips: {dist: pow2, min: 64, max: 1024}, duration: {dist: exponential, mean: 12h}}
)";

std::string section(const std::string& text, const std::string& from) {
  const auto a = text.find(from);
  REQUIRE(a != std::string::npos);
  return text.substr(a, text.find("</svg>", a) - a);
}

// The (x, y) pairs of each `<path d="M...">` of an SVG excerpt.
std::vector<std::vector<std::pair<double, double>>> paths(const std::string& svg) {
  std::vector<std::vector<std::pair<double, double>>> out;
  const std::regex point(R"(([-0-9.]+),([-0-9.]+))");
  for (std::size_t p = 0; (p = svg.find("<path d=\"M", p)) != std::string::npos; ++p) {
    const std::string d = svg.substr(p + 9, svg.find('"', p + 9) - p - 9);
    std::vector<std::pair<double, double>> pts;
    for (std::sregex_iterator it(d.begin(), d.end(), point), end; it != end; ++it)
      pts.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
    out.push_back(std::move(pts));
  }
  return out;
}

void no_e_notation(const std::string& html) {
  // "1.2e+05" or "3e-06" anywhere in the page (text or SVG), except inside colours like #1f77b4.
  std::smatch m;
  const bool found = std::regex_search(html, m, std::regex(R"([0-9]e[+-][0-9])"));
  CAPTURE(found ? html.substr(static_cast<std::size_t>(std::max<long>(0, m.position(0) - 60)), 100) : "");
  CHECK_FALSE(found);
}
}  // namespace

TEST_CASE("html: a run report of six factories draws small panels, stacked chips and waits on a log axis") {
  TempDir d;
  const auto file = d.write("six.yaml", kSix);
  const auto html = d.path() / "r.html";
  REQUIRE(cli("run '" + file.string() + "' -q --interval 1d --report '" + html.string() + "'", d).code == 0);
  const std::string text = slurp(html);
  no_e_notation(text);
  CHECK_THAT(text, Catch::Contains("Installed chips, stacked by factory"));
  // One panel per factory, each its own SVG titled by the factory, all with the same 0-100 axis.
  for (const char* f : {"fa", "fb", "fc", "fd", "fe", "ff"})
    CHECK_THAT(text, Catch::Contains(std::string("<title>") + f + "</title>"));
  CHECK_THAT(text, Catch::Contains(">25,000</text>") || Catch::Contains(">30,000</text>"));  // chips axis, grouped

  const std::string waits = section(text, "Waits of the jobs that waited");
  CHECK_THAT(waits, Catch::Contains(">1 h</text>") && Catch::Contains(">1 d</text>"));  // durations, not seconds
  const auto curves = paths(waits);
  REQUIRE_FALSE(curves.empty());
  for (const auto& c : curves) {  // a distribution function: never back left, never down
    REQUIRE(c.size() >= 2);
    for (std::size_t i = 1; i < c.size(); ++i) {
      CHECK(c[i].first >= c[i - 1].first - 1e-9);
      CHECK(c[i].second <= c[i - 1].second + 1e-9);  // SVG y grows downwards
    }
    CHECK(c.front().second > c.back().second);  // from 0% to 100% of the jobs that waited
  }
  CHECK_THAT(text, Catch::Contains("waited at all: research"));
}

TEST_CASE("html: a sweep over a number draws curves with error bars, one per value of a second parameter") {
  TempDir d;
  const auto file = d.write("six.yaml", kSix);
  const auto html = d.path() / "s.html";
  REQUIRE(cli("sweep '" + file.string() + "' -q --replicas 2 --horizon 10d --set 'factories[fb].chips=256,512,1024' "
              "--set policy.backfill=none,easy --report '" + html.string() + "'", d)
              .code == 0);
  const std::string text = slurp(html);
  no_e_notation(text);
  const std::string util = section(text, "Utilisation against factories[fb].chips");
  CHECK(paths(util).size() >= 2);  // one curve per backfill (plus error bars)
  CHECK_THAT(util, Catch::Contains("policy.backfill = none") && Catch::Contains("policy.backfill = easy"));
  CHECK_THAT(util, Catch::Contains("<circle"));
  CHECK_THAT(text, Catch::Contains("<th>unfinished</th>") && Catch::Contains("<th>delivered EFLOP-days</th>"));

  // A parameter that is not a number: bars, one per point.
  const auto bars = d.path() / "b.html";
  REQUIRE(cli("sweep '" + file.string() + "' -q --horizon 5d --set policy.backfill=none,easy --report '" + bars.string() + "'", d).code == 0);
  CHECK_THAT(slurp(bars), Catch::Contains("Utilisation by point"));
}

TEST_CASE("html: a bench report carries verdicts, unfinished and unschedulable jobs, and per-tenant waits") {
  TempDir d;
  const auto file = d.write("six.yaml", kSix);
  const auto html = d.path() / "b.html";
  REQUIRE(cli("bench '" + file.string() + "' -q --horizon 10d --replicas 3 --policies fifo,easy --report '" + html.string() + "'", d)
              .code == 0);
  const std::string text = slurp(html);
  no_e_notation(text);
  CHECK_THAT(text, Catch::Contains("Verdicts vs fifo+none+first-fit"));
  CHECK_THAT(text, Catch::Contains("<th>unfinished</th>") && Catch::Contains("<th>unschedulable</th>"));
  CHECK_THAT(text, Catch::Contains("<h2>Per tenant</h2>") && Catch::Contains("<td>research</td>") &&
                       Catch::Contains("<td>industry</td>") && Catch::Contains("<th>backlog</th>"));
  CHECK_THAT(text, Catch::Contains("Jobs unfinished at the end"));
}

TEST_CASE("html: a run report lists inference services with their served and unmet demand") {
  // The hand-computed day of tests/test_services.cpp: 560 chip-hours wanted, 16 unmet.
  TempDir d;
  const auto file =
      d.write("day.yaml", kServiceDayWorkload + "factories: [{name: site, chip: H100, chips: 80, node_size: 8}]\n");
  const auto html = d.path() / "r.html";
  REQUIRE(cli("run '" + file.string() + "' -q --report '" + html.string() + "'", d).code == 0);
  const std::string text = slurp(html);
  no_e_notation(text);
  const auto at = text.find("<h2>Inference services</h2>");
  REQUIRE(at != std::string::npos);
  const std::string table = text.substr(at, text.find("</table>", at) - at);
  CHECK_THAT(table, Catch::Contains(">assistant<") && Catch::Contains(">560") && Catch::Contains(">16"));
  // A run without services has no such section.
  const auto plain = d.write("plain.yaml", "horizon: 1d\nfactories: [{name: site, chip: H100, chips: 80}]\n"
                                           "workload: [{jobs: [{chips: 8, duration: 1h}]}]\n");
  REQUIRE(cli("run '" + plain.string() + "' -q --report '" + html.string() + "'", d).code == 0);
  CHECK_THAT(slurp(html), !Catch::Contains("Inference services"));
}
