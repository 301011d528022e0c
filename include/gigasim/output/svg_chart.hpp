#pragma once
// Minimal SVG charts for the HTML reports: line charts (several series) and bar charts with
// error bars. Deterministic text output; numbers formatted with fixed precision.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace gigasim::svg {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  ///< (x, y)
};

struct Bar {
  std::string label;
  double value = 0;
  double half_width = 0;  ///< 95% CI half-width; 0 draws no error bar
};

/// A line chart; y axis from 0 (or min) to a "nice" maximum. `x_tick` writes the x axis's tick
/// labels (e.g. a day number as a calendar date); empty: the number.
std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, const std::function<std::string(double)>& x_tick = {});

/// A bar chart with optional error bars.
std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<Bar>& bars);

/// Escapes text for HTML/SVG.
std::string escape(const std::string& text);

}  // namespace gigasim::svg
