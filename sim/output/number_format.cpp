#include "gigasim/output/number_format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace gigasim {

std::string format_grouped(double v, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::abs(v), decimals);
  const std::size_t point = digits.find('.');
  std::string whole = digits.substr(0, point), rest = point == std::string::npos ? "" : digits.substr(point);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 && digits.find_first_not_of("0.,") != std::string::npos ? "-" : "") + whole + rest;
}

std::string format_label(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  const double a = std::abs(v);
  if (a < 1e-12) return "0";
  const char* suffix = "";
  double x = v;
  if (a >= 1e9) x = v / 1e9, suffix = " bn";
  else if (a >= 1e6) x = v / 1e6, suffix = " M";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(x))));
  const int decimals = std::max(0, digits - 1 - magnitude);
  // Round the whole part to the significant digits too: 107,234 reads 107,200 at four digits.
  if (magnitude >= digits) {
    const double unit = std::pow(10.0, magnitude - digits + 1);
    x = std::round(x / unit) * unit;
  }
  std::string text = format_grouped(x, decimals);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text + suffix;
}

}  // namespace gigasim
