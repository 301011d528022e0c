#include "gigasim/metrics/group_estimates.hpp"

#include <algorithm>
#include <utility>

namespace gigasim {

namespace {
// TenantResult and SourceResult name these fields alike.
template <class Group>
std::vector<GroupFigures> figures_of(const std::vector<Group>& groups) {
  std::vector<GroupFigures> out;
  out.reserve(groups.size());
  for (const Group& g : groups)
    out.push_back({g.name, g.wait_s.get(&Summary::mean), g.busy_chip_hours, g.demand.unmet_eflop_days});
  return out;
}
}  // namespace

std::vector<GroupFigures> tenant_figures(const RunResult& r) { return figures_of(r.tenants); }
std::vector<GroupFigures> source_figures(const RunResult& r) { return figures_of(r.sources); }

std::vector<GroupEstimates> estimate_groups(const std::vector<std::vector<GroupFigures>>& replicas) {
  // A group is its name and which of that name it is in its run (two sources may share a name).
  // Keys in order of first appearance; a handful of groups, so linear searches are cheapest.
  using Key = std::pair<std::string, std::size_t>;
  auto keys_of = [](const std::vector<GroupFigures>& run) {
    std::vector<Key> keys;
    for (std::size_t i = 0; i < run.size(); ++i) {
      std::size_t same = 0;
      for (std::size_t j = 0; j < i; ++j) same += run[j].name == run[i].name;
      keys.emplace_back(run[i].name, same);
    }
    return keys;
  };
  std::vector<Key> keys;
  std::vector<std::vector<Key>> run_keys;
  for (const auto& run : replicas) {
    run_keys.push_back(keys_of(run));
    for (const Key& k : run_keys.back())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  std::vector<GroupEstimates> out;
  for (const Key& key : keys) {
    std::vector<std::optional<double>> wait, busy, unmet;
    for (std::size_t r = 0; r < replicas.size(); ++r) {
      const auto at = std::find(run_keys[r].begin(), run_keys[r].end(), key);
      if (at == run_keys[r].end()) continue;
      const GroupFigures& g = replicas[r][static_cast<std::size_t>(at - run_keys[r].begin())];
      wait.push_back(g.wait_mean_s);
      busy.push_back(g.busy_chip_hours);
      unmet.push_back(g.unmet_eflop_days);
    }
    out.push_back({key.first, mean_ci95_defined(wait), mean_ci95_defined(busy), mean_ci95_defined(unmet)});
  }
  return out;
}

}  // namespace gigasim
