// Scenario quantities: durations with units, rates, calendar dates, integers.
#include <catch2/catch.hpp>

#include "gigasim/scenario/units.hpp"

using namespace gigasim;

TEST_CASE("durations carry units and convert exactly to milliseconds") {
  CHECK(parse_duration("90s")->ms() == 90'000);
  CHECK(parse_duration("15m")->ms() == 900'000);
  CHECK(parse_duration("15min")->ms() == 900'000);
  CHECK(parse_duration("6h")->ms() == 21'600'000);
  CHECK(parse_duration("3d")->ms() == 259'200'000);
  CHECK(parse_duration("1y")->ms() == 365LL * 86'400'000);  // a year of 365 days
  CHECK(parse_duration("1y6w")->ms() == (365LL + 42) * 86'400'000);
  CHECK(parse_duration("52w")->ms() == 52LL * 7 * 86'400'000);
  CHECK(parse_duration("250ms")->ms() == 250);
  CHECK(parse_duration("1.5h")->ms() == 5'400'000);
  CHECK(parse_duration("1d12h")->ms() == 129'600'000);
  CHECK(parse_duration("0")->ms() == 0);
  CHECK(parse_duration(" 2h ")->ms() == 7'200'000);
}

TEST_CASE("durations without a unit or with junk are rejected") {
  for (const char* bad : {"", "90", "6 hours", "-5h", "h", "3x", "1.2.3s", "5h-", "1e3s"})
    CHECK_FALSE(parse_duration(bad).has_value());
}

TEST_CASE("rates are a count per duration") {
  CHECK(*parse_rate_per_second("40/d") == Approx(40.0 / 86400));
  CHECK(*parse_rate_per_second("2.5/h") == Approx(2.5 / 3600));
  CHECK(*parse_rate_per_second("1/90s") == Approx(1.0 / 90));
  CHECK(*parse_rate_per_second("3/2d") == Approx(1.5 / 86400));
  for (const char* bad : {"40", "40/", "/d", "x/d", "40/0s", "40/q"})
    CHECK_FALSE(parse_rate_per_second(bad).has_value());
}

TEST_CASE("dates are calendar-checked and count from the Unix epoch") {
  CHECK(*parse_datetime_ms("1970-01-01") == 0);
  CHECK(*parse_datetime_ms("1970-01-02") == 86'400'000);
  // 2027-01-01 is 20819 days after 1970-01-01 (57 years, 14 leap days).
  CHECK(*parse_datetime_ms("2027-01-01") == 20819LL * 86'400'000);
  CHECK(*parse_datetime_ms("2028-03-01") - *parse_datetime_ms("2028-02-28") == 2 * 86'400'000LL);  // leap year
  CHECK(*parse_datetime_ms("2027-01-01 06:30") - *parse_datetime_ms("2027-01-01") == 23'400'000);
  CHECK(*parse_datetime_ms("2027-01-01T00:00:10") - *parse_datetime_ms("2027-01-01") == 10'000);
  for (const char* bad : {"2027-02-30", "2027-13-01", "27-01-01", "2027/01/01", "2027-01-01 25:00",
                          "2027-01-01x", "tomorrow"})
    CHECK_FALSE(parse_datetime_ms(bad).has_value());
}

TEST_CASE("integers accept exact scientific notation only") {
  CHECK(*parse_integer("25000") == 25000);
  CHECK(*parse_integer("1e5") == 100000);
  CHECK(*parse_integer("-3") == -3);
  CHECK_FALSE(parse_integer("2.5").has_value());
  CHECK_FALSE(parse_integer("ten").has_value());
  CHECK_FALSE(parse_integer("").has_value());
}

TEST_CASE("date_at: the calendar date of a simulated time, leap days included") {
  CHECK(date_at("2027-01-01", SimTime::zero()) == "2027-01-01");
  CHECK(date_at("2027-01-01", SimTime::zero() + Duration::days(365)) == "2028-01-01");
  CHECK(date_at("2028-02-28", SimTime::zero() + Duration::days(1)) == "2028-02-29");   // 2028 is a leap year
  CHECK(date_at("2100-02-28", SimTime::zero() + Duration::days(1)) == "2100-03-01");   // 2100 is not
  CHECK(date_at("2027-01-01", SimTime::zero() + Duration::hours(23)) == "2027-01-01");  // whole days only
  CHECK(!date_at("soon", SimTime::zero()));
}
