#pragma once
// Parsing of the quantities written in scenario files. Each returns nullopt on malformed text;
// the caller turns that into an error that names the field and the expected form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gigasim/core/time.hpp"

namespace gigasim {

/// "90s", "15m", "6h", "3d", "52w", "250ms", compounds "1d12h", decimals "1.5h"; "0" alone.
/// Units: ms, s, m (minute), min, h, d, w, y (365 d). Negative values and values over
/// kMaxDurationSeconds are rejected.
std::optional<Duration> parse_duration(std::string_view text);

/// The same text read as real seconds, without the kMaxDurationSeconds limit.
std::optional<double> parse_duration_seconds(std::string_view text);

/// Events per second from "40/d", "2.5/h", "1/90s" (count / duration).
std::optional<double> parse_rate_per_second(std::string_view text);

/// Milliseconds since 1970-01-01 00:00 UTC of "YYYY-MM-DD", "YYYY-MM-DD hh:mm[:ss]" or
/// "YYYY-MM-DDThh:mm[:ss]"; calendar-checked (no 2027-02-30).
std::optional<std::int64_t> parse_datetime_ms(std::string_view text);

/// A whole number (also "1e5" if exactly integral); rejects fractions, signs other than '-'.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
/// surrogates and code points above U+10FFFF are not), or nullopt if the text is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/// A finite real number.
std::optional<double> parse_real(std::string_view text);

/// Bytes from "640GB", "1.5TB", "80GiB", "512MB", or a plain number of bytes. Decimal units
/// (kB, MB, GB, TB, PB: powers of 1000) and binary ones (KiB, MiB, GiB, TiB, PiB).
std::optional<double> parse_bytes(std::string_view text);

/// "1.50 TB"-style rendering (decimal units).
std::string format_bytes(double bytes);

/// "3d 04:05:06"-style rendering of seconds, for human-readable tables.
std::string format_duration(double seconds);

/// The calendar date "YYYY-MM-DD" of simulated time `t` in a scenario whose time 0 is
/// `start_date` ("YYYY-MM-DD"); nullopt when start_date is not a date.
std::optional<std::string> date_at(std::string_view start_date, SimTime t);

}  // namespace gigasim
