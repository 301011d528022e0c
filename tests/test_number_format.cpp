// Numbers on chart axes, bar labels and report cells: grouped, a few significant digits,
// M / bn suffixes, never e-notation.
#include <catch2/catch.hpp>

#include "gigasim/output/number_format.hpp"

using gigasim::format_grouped;
using gigasim::format_label;

TEST_CASE("format_grouped groups thousands and keeps the sign") {
  CHECK(format_grouped(1234567.8, 0) == "1,234,568");
  CHECK(format_grouped(-1500, 1) == "-1,500.0");
  CHECK(format_grouped(999, 0) == "999");
  CHECK(format_grouped(-0.0004, 2) == "0.00");  // no "-0.00"
}

TEST_CASE("format_label writes four significant digits without e-notation") {
  CHECK(format_label(0) == "0");
  CHECK(format_label(0.0012) == "0.0012");
  CHECK(format_label(5.198) == "5.198");
  CHECK(format_label(60.0) == "60");  // trailing zeros dropped
  CHECK(format_label(2.5) == "2.5");
  CHECK(format_label(25000) == "25,000");
  CHECK(format_label(107234) == "107,200");
  CHECK(format_label(-1500) == "-1,500");
  CHECK(format_label(2.5e6) == "2.5 M");
  CHECK(format_label(12.5e6) == "12.5 M");
  CHECK(format_label(1.25e9) == "1.25 bn");
  CHECK(format_label(1.2346e12) == "1,235 bn");
  CHECK(format_label(107234, 3) == "107,000");
}
