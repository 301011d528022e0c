#include "group_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gigasim/output/compare_report.hpp"
#include "html_page.hpp"

namespace gigasim {

namespace {
std::vector<std::string> group_names(const std::vector<GroupAlternative>& alternatives) {
  std::vector<std::string> names;
  for (const auto& a : alternatives)
    for (const auto& g : *a.groups)
      if (std::find(names.begin(), names.end(), g.name) == names.end()) names.push_back(g.name);
  return names;
}

// Calls line(group name or "" after its first line, alternative, its figures as text) in order.
template <class Line>
void each_line(const std::vector<GroupAlternative>& alternatives, Line line) {
  using U = CompareMetric::Unit;
  for (const auto& name : group_names(alternatives)) {
    bool first = true;
    for (const auto& a : alternatives) {
      const auto g = std::find_if(a.groups->begin(), a.groups->end(), [&](const GroupEstimates& x) { return x.name == name; });
      if (g == a.groups->end()) continue;
      line(first ? name : std::string(), a.label, format_estimate(U::Seconds, g->wait_mean_s),
           format_estimate(U::Number, g->busy_chip_hours), format_estimate(U::Number, g->unmet_eflop_days));
      first = false;
    }
  }
}
}  // namespace

std::string format_group_table(const std::string& group, const std::string& alternative,
                               const std::vector<GroupAlternative>& alternatives) {
  std::size_t name_w = group.size(), alt_w = alternative.size();
  for (const auto& a : alternatives) {
    alt_w = std::max(alt_w, a.label.size());
    for (const auto& g : *a.groups) name_w = std::max(name_w, g.name.size());
  }
  if (group_names(alternatives).empty()) return "";
  const int nw = static_cast<int>(name_w) + 2, aw = static_cast<int>(alt_w) + 2, w = 22;
  std::string s = fmt::format("  {:<{}}{:<{}}{:>{}}{:>{}}{:>{}}\n", group, nw, alternative, aw, "wait mean", w,
                              "chip-hours", w, "unmet EFLOP-days", w);
  each_line(alternatives, [&](const std::string& name, const std::string& label, const std::string& wait,
                              const std::string& busy, const std::string& unmet) {
    s += fmt::format("  {:<{}}{:<{}}{:>{}}{:>{}}{:>{}}\n", name, nw, label, aw, wait, w, busy, w, unmet, w);
  });
  return s;
}

std::string group_table_html(const std::string& group, const std::string& alternative,
                             const std::vector<GroupAlternative>& alternatives) {
  std::string b = html::row({group, alternative, "wait mean", "chip-hours", "unmet EFLOP-days"}, true);
  each_line(alternatives, [&](const std::string& name, const std::string& label, const std::string& wait,
                              const std::string& busy, const std::string& unmet) {
    b += html::row({name, label, wait, busy, unmet});
  });
  return b;
}

}  // namespace gigasim
