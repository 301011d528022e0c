#include "gigasim/output/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gigasim/output/number_format.hpp"

namespace gigasim::svg {

namespace {
constexpr double kLeft = 70, kTop = 36, kBottom = 48, kLegend = 160, kNoLegend = 24;
const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// A round upper bound and tick step for [0, v].
std::pair<double, double> nice_scale(double v) {
  if (!(v > 0) || !std::isfinite(v)) return {1, 0.2};
  const double raw = v / 5;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  return {std::ceil(v / step - 1e-9) * step, step};
}

// Labels, not data: three to four significant digits, grouped, never e-notation.
std::string num(double v) { return format_label(v, 4); }

// The svg element: drawn at its natural size, shrunk (never grown) to the page's width.
std::string open_svg(double w, double h, const std::string& title) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(style="max-width:100%;height:auto" role="img"><title>{2}</title><rect width="{0}" height="{1}" fill="white"/>)"
      R"(<text x="{3}" y="22" font-size="15" font-weight="bold">{2}</text>)",
      w, h, escape(title), kLeft);
}

// Horizontal grid, y ticks, both axes and their labels.
std::string frame(double w, double h, double right, const std::string& x_label, const std::string& y_label,
                  double y_max, double y_step, const std::function<std::string(double)>& y_tick) {
  const double ph = h - kTop - kBottom;
  std::string s;
  for (double t = 0; t <= y_max + 1e-9 * y_max; t += y_step) {
    const double y = kTop + ph * (1 - t / y_max);
    s += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="#ddd"/>)"
                     R"(<text x="{3}" y="{4:.1f}" font-size="11" text-anchor="end">{5}</text>)",
                     kLeft, w - right, y, kLeft - 6, y + 4, escape(y_tick ? y_tick(t) : num(t)));
  }
  s += fmt::format(R"(<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#333"/>)"
                   R"(<line x1="{0}" x2="{3}" y1="{2}" y2="{2}" stroke="#333"/>)",
                   kLeft, kTop, h - kBottom, w - right);
  if (!x_label.empty())
    s += fmt::format(R"(<text x="{0}" y="{1}" font-size="12" text-anchor="middle">{2}</text>)", (kLeft + w - right) / 2,
                     h - 10, escape(x_label));
  s += fmt::format(R"svg(<text x="16" y="{0}" font-size="12" text-anchor="middle" transform="rotate(-90 16 {0})">{1}</text>)svg",
                   (kTop + h - kBottom) / 2, escape(y_label));
  return s;
}

struct Range {
  double lo = 0, hi = 1;
  bool log = false;
  double at(double v) const {  // position in [0, 1]
    return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
  }
};

bool drawn(const Axis& x, double v) { return std::isfinite(v) && (!x.log || v > 0); }

// The x range of every drawable point (the axis's own ends where set).
Range x_range(const LineChart& c) {
  Range r{0, 0, c.x.log};
  bool first = true;
  for (const auto& s : c.series)
    for (auto [x, y] : s.points)
      if (drawn(c.x, x)) {
        if (first) r.lo = r.hi = x, first = false;
        r.lo = std::min(r.lo, x), r.hi = std::max(r.hi, x);
      }
  if (c.x.min) r.lo = *c.x.min;
  if (c.x.max) r.hi = *c.x.max;
  if (r.log) {
    if (!(r.lo > 0)) r.lo = 1;
    if (r.hi <= r.lo) r.hi = r.lo * 10;
  } else if (r.hi <= r.lo) {
    r.hi = r.lo + 1;
  }
  return r;
}

double y_extent(const LineChart& c) {
  double y_max = 0;
  for (const auto& s : c.series)
    for (std::size_t i = 0; i < s.points.size(); ++i)
      if (drawn(c.x, s.points[i].first))
        y_max = std::max(y_max, s.points[i].second + (i < s.half_widths.size() ? s.half_widths[i] : 0.0));
  return y_max;
}

std::vector<double> x_ticks(const Axis& axis, const Range& r) {
  std::vector<double> out;
  const double eps = 1e-9 * std::max(std::abs(r.lo), std::abs(r.hi));
  if (!axis.ticks.empty()) {
    for (double t : axis.ticks)
      if (t >= r.lo - eps && t <= r.hi + eps) out.push_back(t);
  } else if (r.log) {
    for (double t = std::pow(10, std::ceil(std::log10(r.lo) - 1e-9)); t <= r.hi * (1 + 1e-9); t *= 10) out.push_back(t);
  } else {
    double step = nice_scale(r.hi - r.lo).second;
    if (axis.tick)  // labels such as dates are wide: at most 6 of them, so that they never collide
      while ((r.hi - r.lo) / step > 6) step *= 2;
    for (double t = std::ceil(r.lo / step - 1e-9) * step; t <= r.hi + eps; t += step) out.push_back(t);
  }
  // Never more than 8 labels on a 720 px axis (fewer on a small panel): keep every other one.
  const std::size_t most = axis.tick ? 6 : 8;
  while (out.size() > most) {
    std::vector<double> half;
    for (std::size_t i = 0; i < out.size(); i += 2) half.push_back(out[i]);
    out = std::move(half);
  }
  return out;
}

std::string said_instead(const std::string& title, const std::string& why) {
  return fmt::format("<p class=\"note\"><b>{}</b>: {}</p>\n", escape(title), escape(why));
}
}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string line_chart(const LineChart& chart) {
  // Stacked: each series' points become the running sum; its band lies above the one before.
  LineChart c = chart;
  if (c.stacked)
    for (std::size_t k = 1; k < c.series.size(); ++k)
      for (std::size_t i = 0; i < c.series[k].points.size() && i < c.series[k - 1].points.size(); ++i)
        c.series[k].points[i].second += c.series[k - 1].points[i].second;
  bool any = false, nonzero = false;
  for (const auto& s : c.series)
    for (auto [x, y] : s.points)
      if (drawn(c.x, x)) any = true, nonzero = nonzero || y != 0;
  if (!any) return said_instead(c.title, "no values to draw.");
  if (!nonzero) return said_instead(c.title, "every value is 0, not drawn.");
  const double w = c.width, right = c.legend ? kLegend : kNoLegend;
  // A long legend makes the chart taller rather than running off its bottom.
  const double h = c.legend ? std::max(c.height, kTop + 20 + 18.0 * static_cast<double>(c.series.size()) + kBottom) : c.height;
  const Range xr = x_range(c);
  // Plain variables, not a structured binding: the lambdas below capture them (clang 14 refuses bindings).
  const std::pair<double, double> scale = c.y.max ? std::pair{*c.y.max, nice_scale(*c.y.max).second} : nice_scale(y_extent(c));
  const double top = scale.first, step = scale.second;
  std::string s = open_svg(w, h, c.title) + frame(w, h, right, c.x.label, c.y.label, top, step, c.y.tick);
  const double pw = w - kLeft - right, ph = h - kTop - kBottom;
  const auto px = [&](double x) { return kLeft + pw * xr.at(x); };
  const auto py = [&](double y) { return kTop + ph * (1 - std::min(y, top) / top); };
  for (double t : x_ticks(c.x, xr))
    s += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle">{}</text>)", px(t), h - kBottom + 16,
                     escape(c.x.tick ? c.x.tick(t) : num(t)));
  for (std::size_t k = 0; k < c.series.size(); ++k) {
    const Series& series = c.series[k];
    const char* color = kColors[(c.first_color + k) % 10];
    std::string path;
    for (auto [x, y] : series.points)
      if (drawn(c.x, x) && x >= xr.lo && x <= xr.hi)
        path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", px(x), py(y));
    if (c.stacked && !path.empty()) {  // close the band along the top of the one below (or the axis)
      const auto& below = c.series[k].points;
      for (std::size_t i = below.size(); i-- > 0;) {
        const double x = below[i].first;
        if (!drawn(c.x, x) || x < xr.lo || x > xr.hi) continue;
        const double base = k > 0 && i < c.series[k - 1].points.size() ? c.series[k - 1].points[i].second : 0.0;
        path += fmt::format(" L{:.1f},{:.1f}", px(x), py(base));
      }
      s += fmt::format(R"(<path d="{} Z" fill="{}" fill-opacity="0.85" stroke="none"/>)", path, color);
      path.clear();
    }
    if (!path.empty()) s += fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="1.8"/>)", path, color);
    // Few points (a sweep): each one marked, with its error bar.
    const bool marked = c.markers && !c.stacked && series.points.size() <= 20;
    for (std::size_t i = 0; i < series.points.size(); ++i) {
      const auto [x, y] = series.points[i];
      if (!drawn(c.x, x) || x < xr.lo || x > xr.hi) continue;
      if (i < series.half_widths.size() && series.half_widths[i] > 0) {
        const double hw = series.half_widths[i];
        s += fmt::format(R"(<path d="M{0:.1f},{1:.1f} L{0:.1f},{2:.1f} M{3:.1f},{1:.1f} L{4:.1f},{1:.1f} M{3:.1f},{2:.1f} L{4:.1f},{2:.1f}" stroke="{5}" stroke-width="1.2"/>)",
                         px(x), py(std::max(y - hw, 0.0)), py(y + hw), px(x) - 4, px(x) + 4, color);
      }
      if (marked) s += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)", px(x), py(y), color);
    }
    if (c.legend) {  // stacked: listed top band first, as the bands lie
      const double row = static_cast<double>(c.stacked ? c.series.size() - 1 - k : k);
      const double ly = kTop + 14 + 18.0 * row;
      s += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="{3}" stroke-width="3"/>)"
                       R"(<text x="{4}" y="{5:.1f}" font-size="12">{6}</text>)",
                       w - right + 12, w - right + 32, ly, color, w - right + 38, ly + 4, escape(series.name));
    }
  }
  return s + "</svg>";
}

std::string small_multiples(const LineChart& c) {
  // Shared axes: the whole chart's x range and y top, so that equal heights mean equal values.
  LineChart panel = c;
  const Range xr = x_range(c);
  panel.x.min = xr.lo, panel.x.max = xr.hi;
  if (!panel.y.max) panel.y.max = nice_scale(y_extent(c)).first;
  panel.width = 350, panel.height = 190, panel.legend = false;
  std::string s = fmt::format("<h3>{}</h3>\n<div style=\"display:flex;flex-wrap:wrap;gap:0 16px\">\n", escape(c.title));
  for (std::size_t k = 0; k < c.series.size(); ++k) {
    panel.series = {c.series[k]};
    panel.title = c.series[k].name;
    panel.first_color = c.first_color + k;
    s += "<div style=\"flex:0 1 350px\">" + line_chart(panel) + "</div>\n";
  }
  return s + "</div>\n";
}

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, const std::function<std::string(double)>& x_tick) {
  LineChart c;
  c.title = title, c.x.label = x_label, c.y.label = y_label, c.series = series, c.x.tick = x_tick;
  return line_chart(c);
}

std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<Bar>& bars) {
  if (bars.empty())  // every value undefined (e.g. no job waited in any run): said, not drawn as zeros
    return said_instead(title, "no values to draw (the metric is undefined in every run).");
  double y_max = 0;
  for (const auto& b : bars) y_max = std::max(y_max, b.value + b.half_width);
  const double w = 720, h = 300, right = kNoLegend;
  const auto [top, step] = nice_scale(y_max);
  std::string s = open_svg(w, h, title) + frame(w, h, right, "", y_label, top, step, {});
  const double pw = w - kLeft - right, ph = h - kTop - kBottom;
  const double slot = pw / static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  for (std::size_t k = 0; k < bars.size(); ++k) {
    const Bar& b = bars[k];
    const double x = kLeft + slot * static_cast<double>(k) + slot * 0.15, bw = slot * 0.7;
    const double y = kTop + ph * (1 - std::max(b.value, 0.0) / top);
    s += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", x, y, bw,
                     kTop + ph - y, kColors[k % 10]);
    if (b.half_width > 0) {
      const double cx = x + bw / 2;
      const double y1 = kTop + ph * (1 - std::max(b.value - b.half_width, 0.0) / top);
      const double y2 = kTop + ph * (1 - (b.value + b.half_width) / top);
      s += fmt::format(R"(<path d="M{0:.1f},{1:.1f} L{0:.1f},{2:.1f} M{3:.1f},{1:.1f} L{4:.1f},{1:.1f} M{3:.1f},{2:.1f} L{4:.1f},{2:.1f}" stroke="black" stroke-width="1.5"/>)",
                       cx, y1, y2, cx - 6, cx + 6);
    }
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>)", x + bw / 2,
                     y - 4 - (b.half_width > 0 ? ph * b.half_width / top : 0), escape(b.text.empty() ? num(b.value) : b.text));
    s += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle">{}</text>)", x + bw / 2,
                     h - kBottom + 14, escape(b.label));
  }
  return s + "</svg>";
}

}  // namespace gigasim::svg
