#pragma once
// Numbers as people read them in reports and on chart axes: thousands grouped, a few
// significant digits, large values with a word-like suffix (M, bn), never e-notation.
#include <string>

namespace gigasim {

/// 1234567.8 -> "1,234,568" with `decimals` digits after the point.
std::string format_grouped(double value, int decimals);

/// A label of about `digits` significant digits: "0.0012", "5.198", "25,000", "107,200",
/// "2.5 M", "1.25 bn"; trailing zeros after the point dropped ("2.5", not "2.500").
std::string format_label(double value, int digits = 4);

}  // namespace gigasim
