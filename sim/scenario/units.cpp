#include "gigasim/scenario/units.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace gigasim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads a non-negative decimal number (digits, optional fraction) at the front of s.
std::optional<double> take_number(std::string_view& s) {
  std::size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + i, v);
  if (res.ec != std::errc() || res.ptr != s.data() + i) return std::nullopt;
  s.remove_prefix(i);
  return v;
}

std::optional<double> unit_seconds(std::string_view u) {
  if (u == "ms") return 1e-3;
  if (u == "s") return 1.0;
  if (u == "m" || u == "min") return 60.0;
  if (u == "h") return 3600.0;
  if (u == "d") return 86400.0;
  if (u == "w") return 604800.0;
  if (u == "y") return 365 * 86400.0;  // a year of 365 days (docs/scenario-format.md), not 365.25
  return std::nullopt;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  const auto seconds = parse_duration_seconds(text);
  if (!seconds || *seconds > kMaxDurationSeconds) return std::nullopt;
  return Duration::from_seconds(*seconds);
}

std::optional<double> parse_duration_seconds(std::string_view text) {
  std::string_view s = trim(text);
  if (s == "0") return 0.0;
  if (s.empty()) return std::nullopt;
  double total = 0;
  while (!s.empty()) {
    auto n = take_number(s);
    if (!n) return std::nullopt;
    std::size_t i = 0;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    auto unit = unit_seconds(s.substr(0, i));
    if (!unit) return std::nullopt;
    s.remove_prefix(i);
    total += *n * *unit;
  }
  if (!std::isfinite(total)) return std::nullopt;
  return total;
}

std::optional<double> parse_rate_per_second(std::string_view text) {
  const std::string_view s = trim(text);
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view num = trim(s.substr(0, slash));
  const auto count = take_number(num);
  if (!count || !num.empty()) return std::nullopt;
  std::string_view per = trim(s.substr(slash + 1));
  // "40/d" means per one day: a bare unit is a duration of one.
  std::optional<double> per_s;
  if (auto u = unit_seconds(per)) {
    per_s = *u;
  } else if (auto d = parse_duration(per)) {
    per_s = d->seconds_f();
  }
  if (!per_s || *per_s <= 0) return std::nullopt;
  return *count / *per_s;
}

std::optional<std::int64_t> parse_datetime_ms(std::string_view text) {
  // Cheap rejection first: trace readers try every numeric field as a date (YYYY-MM-DD...).
  const std::string_view t = trim(text);
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  const std::string s(t);
  int y = 0, mo = 0, d = 0, hh = 0, mm = 0, ss = 0;
  char sep = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10)
    return std::nullopt;
  if (s.size() > 10) {
    sep = s[10];
    if (sep != ' ' && sep != 'T') return std::nullopt;
    int c2 = 0;
    const std::string rest = s.substr(11);
    const int n = std::sscanf(rest.c_str(), "%2d:%2d%n:%2d%n", &hh, &mm, &c2, &ss, &c2);
    if (n < 2 || static_cast<std::size_t>(c2) != rest.size()) return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0) return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
  return ((static_cast<std::int64_t>(days) * 24 + hh) * 60 + mm) * 60'000LL + ss * 1000LL;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec == std::errc() && res.ptr == s.data() + s.size()) return v;
  // Scientific notation for big round numbers: "1e5", "2.5e4".
  const auto r = parse_real(s);
  if (!r || std::fabs(*r) > 9e15 || std::floor(*r) != *r) return std::nullopt;
  return static_cast<std::int64_t>(*r);
}

std::optional<double> parse_real(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> parse_bytes(std::string_view text) {
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
      {"PiB", 1125899906842624.0}, {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
      {"PB", 1e15}, {"B", 1.0}};
  for (const auto& [unit, scale] : kUnits) {
    if (text.size() > unit.size() && text.substr(text.size() - unit.size()) == unit) {
      std::string_view number = text.substr(0, text.size() - unit.size());
      while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
      const auto v = parse_real(number);
      if (!v || *v < 0) return std::nullopt;
      return *v * scale;
    }
  }
  const auto v = parse_real(text);
  if (!v || *v < 0) return std::nullopt;
  return v;
}

std::string format_bytes(double bytes) {
  if (bytes >= 1e15) return fmt::format("{:.2f} PB", bytes / 1e15);
  if (bytes >= 1e12) return fmt::format("{:.2f} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  return fmt::format("{:.1f} MB", bytes / 1e6);
}

std::optional<std::string> date_at(std::string_view start_date, SimTime t) {
  const auto start_ms = parse_datetime_ms(start_date);
  if (!start_ms) return std::nullopt;
  const std::int64_t ms = *start_ms + t.ms();
  const std::int64_t day = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;  // floor
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string format_duration(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  if (seconds < 3600) return fmt::format("{:.1f}m", seconds / 60);
  if (seconds < 86400) return fmt::format("{:.2f}h", seconds / 3600);
  return fmt::format("{:.2f}d", seconds / 86400);
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: sequence length and the range of the second byte (RFC 3629, table 3-7).
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;  // no surrogates
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;  // at most U+10FFFF
    else return i;
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

}  // namespace gigasim
