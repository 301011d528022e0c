#include "reference_fifo.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <queue>
#include <stdexcept>
#include <vector>

#include "gigasim/model/job_source.hpp"

namespace gigasim::bench {

namespace {

struct Running {
  std::int64_t end_ms;
  std::uint64_t start_seq;  // completions at one instant in start order
  std::uint32_t factory, nodes;
  bool operator>(const Running& o) const { return end_ms != o.end_ms ? end_ms > o.end_ms : start_seq > o.start_seq; }
};

struct Waiting {
  std::uint32_t chips;
  std::int64_t run_ms;
};

}  // namespace

ReferenceResult run_reference_fifo(const Scenario& sc) {
  if (sc.workload.size() != 1) throw std::invalid_argument("reference: one workload source only");
  std::vector<std::uint32_t> free_nodes, node_size;
  std::uint64_t installed_chips = 0;
  for (const auto& f : sc.factories) {
    if (f.failures || f.online.ms() != 0 || !f.phases.empty() || f.maintenance || f.topology || f.spares)
      throw std::invalid_argument("reference: factories online from 0, without failures or phases");
    free_nodes.push_back(f.nodes());
    node_size.push_back(f.node_size);
    installed_chips += f.chips;
  }
  const std::int64_t horizon = sc.horizon ? sc.horizon->ms() : INT64_MAX;
  auto source = make_job_source(sc.workload[0], 0, sc.seed);

  ReferenceResult r;
  std::priority_queue<Running, std::vector<Running>, std::greater<>> running;
  std::deque<Waiting> queue;
  std::optional<JobDraft> next = source->next();
  if (next && next->submit.ms() >= horizon) next.reset();
  std::uint64_t seq = 0;
  __int128 busy_chip_ms = 0;
  std::int64_t end_ms = 0;
  while (next || !running.empty()) {
    const std::int64_t t_arrival = next ? next->submit.ms() : INT64_MAX;
    const std::int64_t t_done = running.empty() ? INT64_MAX : running.top().end_ms;
    const std::int64_t t = std::min(t_arrival, t_done);
    if (t > horizon) break;
    end_ms = t;
    while (!running.empty() && running.top().end_ms == t) {
      free_nodes[running.top().factory] += running.top().nodes;
      running.pop();
      ++r.completed;
    }
    while (next && next->submit.ms() == t) {
      // Jobs that fit no factory would be refused at arrival; the bench's sizes always fit one.
      queue.push_back({next->chips, next->run.ms()});
      ++r.submitted;
      next = source->next();
      if (next && next->submit.ms() >= horizon) next.reset();
    }
    if (t == horizon) continue;  // no job starts at the horizon
    while (!queue.empty()) {     // strict FIFO: the head blocks everything behind it
      const std::uint32_t chips = queue.front().chips;
      std::size_t f = 0;
      std::uint32_t nodes = 0;
      for (; f < free_nodes.size(); ++f) {
        nodes = (chips + node_size[f] - 1) / node_size[f];
        if (nodes <= free_nodes[f]) break;
      }
      if (f == free_nodes.size()) break;
      free_nodes[f] -= nodes;
      const std::int64_t run = queue.front().run_ms;
      const std::int64_t stop = std::min(t + run, horizon);
      busy_chip_ms += static_cast<__int128>(nodes) * node_size[f] * (stop - t);
      running.push({t + run, seq++, static_cast<std::uint32_t>(f), nodes});
      queue.pop_front();
      ++r.started;
    }
  }
  if (sc.horizon) end_ms = horizon;
  r.utilisation = end_ms > 0 ? static_cast<double>(busy_chip_ms) / (static_cast<double>(installed_chips) * static_cast<double>(end_ms)) : 0;
  return r;
}

}  // namespace gigasim::bench
