#include "gigasim/output/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace gigasim::svg {

namespace {
constexpr double kW = 720, kH = 300, kLeft = 70, kRight = 160, kTop = 36, kBottom = 48;
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

// Three to four significant digits: labels, not data.
std::string num(double v) {
  if (std::fabs(v) < 1e-9) return "0";
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-2)) return fmt::format("{:.2g}", v);
  return fmt::format("{:.4g}", v);
}

std::string frame(const std::string& title, const std::string& x_label, const std::string& y_label, double y_max,
                  double y_step) {
  const double ph = kH - kTop - kBottom;
  std::string s = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img">)"
      R"(<title>{2}</title><rect width="{0}" height="{1}" fill="white"/>)"
      R"(<text x="{3}" y="22" font-size="15" font-weight="bold">{2}</text>)",
      kW, kH, escape(title), kLeft);
  for (double t = 0; t <= y_max + 1e-9; t += y_step) {
    const double y = kTop + ph * (1 - t / y_max);
    s += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="#ddd"/>)"
                     R"(<text x="{3}" y="{4:.1f}" font-size="11" text-anchor="end">{5}</text>)",
                     kLeft, kW - kRight, y, kLeft - 6, y + 4, num(t));
  }
  s += fmt::format(R"(<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#333"/>)"
                   R"(<line x1="{0}" x2="{3}" y1="{2}" y2="{2}" stroke="#333"/>)",
                   kLeft, kTop, kH - kBottom, kW - kRight);
  s += fmt::format(R"(<text x="{0}" y="{1}" font-size="12" text-anchor="middle">{2}</text>)",
                   (kLeft + kW - kRight) / 2, kH - 10, escape(x_label));
  s += fmt::format(R"svg(<text x="16" y="{0}" font-size="12" text-anchor="middle" transform="rotate(-90 16 {0})">{1}</text>)svg",
                   (kTop + kH - kBottom) / 2, escape(y_label));
  return s;
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

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, const std::function<std::string(double)>& x_tick) {
  double x_min = 0, x_max = 0, y_max = 0;
  bool first = true;
  for (const auto& s : series)
    for (auto [x, y] : s.points) {
      if (first) x_min = x_max = x, first = false;
      x_min = std::min(x_min, x), x_max = std::max(x_max, x), y_max = std::max(y_max, y);
    }
  if (x_max <= x_min) x_max = x_min + 1;
  const auto [top, step] = nice_scale(y_max);
  std::string s = frame(title, x_label, y_label, top, step);
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  // x ticks at round values inside [x_min, x_max]
  double x_step = nice_scale(x_max - x_min).second;
  if (x_tick)  // labels such as dates are wide: at most 6 of them, so that they never collide
    while ((x_max - x_min) / x_step > 6) x_step *= 2;
  for (double x = std::ceil(x_min / x_step - 1e-9) * x_step; x <= x_max + 1e-9; x += x_step)
    s += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11" text-anchor="middle">{}</text>)",
                     kLeft + pw * (x - x_min) / (x_max - x_min), kH - kBottom + 16, x_tick ? escape(x_tick(x)) : num(x));
  for (std::size_t k = 0; k < series.size(); ++k) {
    const char* color = kColors[k % 10];
    std::string path;
    for (auto [x, y] : series[k].points)
      path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L", kLeft + pw * (x - x_min) / (x_max - x_min),
                          kTop + ph * (1 - y / top));
    s += fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="1.8"/>)", path, color);
    const double ly = kTop + 14 + 18.0 * static_cast<double>(k);
    s += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="{3}" stroke-width="3"/>)"
                     R"(<text x="{4}" y="{5:.1f}" font-size="12">{6}</text>)",
                     kW - kRight + 12, kW - kRight + 32, ly, color, kW - kRight + 38, ly + 4, escape(series[k].name));
  }
  return s + "</svg>";
}

std::string bar_chart(const std::string& title, const std::string& y_label, const std::vector<Bar>& bars) {
  if (bars.empty())  // every value undefined (e.g. no job waited in any run): said, not drawn as zeros
    return fmt::format("<p class=\"note\">{}: no values to draw (the metric is undefined in every run).</p>\n", title);
  double y_max = 0;
  for (const auto& b : bars) y_max = std::max(y_max, b.value + b.half_width);
  const auto [top, step] = nice_scale(y_max);
  std::string s = frame(title, "", y_label, top, step);
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  const double slot = pw / static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  for (std::size_t k = 0; k < bars.size(); ++k) {
    const Bar& b = bars[k];
    const double x = kLeft + slot * static_cast<double>(k) + slot * 0.15, w = slot * 0.7;
    const double y = kTop + ph * (1 - std::max(b.value, 0.0) / top);
    s += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"/>)", x, y, w,
                     kTop + ph - y, kColors[k % 10]);
    if (b.half_width > 0) {
      const double cx = x + w / 2;
      const double y1 = kTop + ph * (1 - std::max(b.value - b.half_width, 0.0) / top);
      const double y2 = kTop + ph * (1 - (b.value + b.half_width) / top);
      s += fmt::format(R"(<path d="M{0:.1f},{1:.1f} L{0:.1f},{2:.1f} M{3:.1f},{1:.1f} L{4:.1f},{1:.1f} M{3:.1f},{2:.1f} L{4:.1f},{2:.1f}" stroke="black" stroke-width="1.5"/>)",
                       cx, y1, y2, cx - 6, cx + 6);
    }
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>)", x + w / 2,
                     y - 4 - (b.half_width > 0 ? ph * b.half_width / top : 0), num(b.value));
    s += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle">{}</text>)", x + w / 2,
                     kH - kBottom + 14, escape(b.label));
  }
  return s + "</svg>";
}

}  // namespace gigasim::svg
