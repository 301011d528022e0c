#pragma once
// What every HTML report shares (internal to sim/output): the page, tables, cells, the scale a
// chart of times or money is drawn in.
#include <initializer_list>
#include <string>
#include <vector>

#include "gigasim/metrics/confidence.hpp"

namespace gigasim::html {

/// A whole self-contained page: no scripts, no stylesheets or images fetched.
std::string page(const std::string& title, const std::string& body);

/// One table row of escaped cells.
std::string row(const std::vector<std::string>& cells, bool header = false);
inline std::string row(std::initializer_list<std::string> cells, bool header = false) {
  return row(std::vector<std::string>(cells), header);
}
/// A table that scrolls sideways on a narrow screen instead of overflowing the page; `text`:
/// its cells are words (left-aligned, wrapped), not figures.
std::string table(const std::string& rows, bool text = false);

/// A list of verdict lines under a heading (nothing when there are none).
std::string verdicts(const std::string& heading, const std::vector<std::string>& lines);

std::string pct(double fraction);
/// "value ± hw" with replicas, "value" with one, "n/a" when undefined.
std::string ci(const Estimate& e, const std::string& value, const std::string& half_width);

/// The unit a chart of durations reads best in, from its largest value: minutes, hours or days.
struct Scale {
  double divisor = 1;
  std::string unit;
};
Scale time_scale(double max_seconds);
/// The same for amounts of money: EUR, thousand, million or billion EUR.
Scale money_scale(double max_eur);

}  // namespace gigasim::html
