#pragma once
// Minimal SVG charts for the HTML reports: line charts (several series, optional error bars,
// linear or log x axis), small multiples of them, and bar charts with error bars.
// Deterministic text output; numbers on axes and bars as output/number_format.hpp writes them
// (never e-notation). Every chart scales down to the page's width (viewBox, max-width 100%).
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gigasim::svg {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  ///< (x, y)
  /// 95% half-widths of the points' y, drawn as error bars (empty: none; else one per point).
  std::vector<double> half_widths;
};

struct Axis {
  std::string label;
  /// Log10 scale (x only): points at x <= 0 are left out, ticks at decades unless `ticks`.
  bool log = false;
  /// A tick's label (e.g. a day number as a calendar date); empty: the number.
  std::function<std::string(double)> tick;
  /// Tick positions (those inside the range are drawn); empty: round values chosen from the data.
  std::vector<double> ticks;
  /// The axis's ends; empty: from the data (y from 0 to a round value above the largest).
  std::optional<double> min, max;
};

struct LineChart {
  std::string title;
  Axis x, y;
  std::vector<Series> series;
  double width = 720, height = 300;
  bool legend = true;
  /// Series drawn as filled bands stacked in order (the top is their sum); they share their x values.
  bool stacked = false;
  /// Each point of a series of at most 20 marked (a sweep's points); off for step curves.
  bool markers = true;
  std::size_t first_color = 0;  ///< the palette index of series[0] (keeps a factory's colour in small multiples)
};

/// A line chart. When no series has a point, or every y is 0, a sentence saying so instead.
std::string line_chart(const LineChart& chart);

/// One small panel per series, with the same axes (so that panels compare by eye), each titled
/// by its series: readable where a dozen overlapping lines are not.
std::string small_multiples(const LineChart& chart);

/// The old positional form of line_chart (linear axes, y from 0).
std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, const std::function<std::string(double)>& x_tick = {});

struct Bar {
  std::string label;
  double value = 0;
  double half_width = 0;  ///< 95% CI half-width; 0 draws no error bar
  std::string text;       ///< the value as printed above the bar ("17.8s"); empty: the number
};

/// A bar chart with optional error bars.
std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<Bar>& bars);

/// Escapes text for HTML/SVG.
std::string escape(const std::string& text);

}  // namespace gigasim::svg
