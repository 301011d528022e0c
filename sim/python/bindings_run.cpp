// Loading scenarios and running them from Python: run, bench, compare and sweep give the same
// JSON documents as the CLI's --json (as text, parsed by the Python wrapper), and runs give
// their per-job records and time series as columns. The GIL is released while the engine
// runs; a Python policy takes it back for its passes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gigasim/engine/plan_compare.hpp"
#include "gigasim/engine/policy_bench.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/engine/sweep.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/bench_report.hpp"
#include "gigasim/output/compare_report.hpp"
#include "gigasim/output/reports.hpp"
#include "gigasim/output/sweep_report.hpp"
#include "gigasim/policy/registry.hpp"
#include "gigasim/scenario/loader.hpp"
#include "gigasim/scenario/units.hpp"
#include "python_policy.hpp"
#include "result_tables.hpp"
#include "run_support.hpp"

namespace gigasim::python {

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

const Scenario& pick(const ScenarioSet& s, const std::optional<std::string>& plan) {
  std::string names;
  for (const Scenario& sc : s.plans) names += (names.empty() ? "" : ", ") + sc.name;
  if (!plan) {
    if (s.plans.size() == 1) return s.plans.front();
    throw InputError("this scenario has plans (" + names + "): pass plan=NAME");
  }
  for (const Scenario& sc : s.plans)
    if (sc.name == *plan) return sc;
  throw InputError("plan: no plan '" + *plan + "' (plans: " + names + ")");
}

std::optional<SimTime> horizon_of(const Scenario& sc, std::optional<double> seconds) {
  if (!seconds) return std::nullopt;
  if (!(*seconds > 0)) throw InputError("horizon: expected a positive duration, got " + std::to_string(*seconds) + " s");
  const SimTime h = SimTime::zero() + Duration::from_seconds(*seconds);
  if (sc.warmup >= h - SimTime::zero())
    throw InputError("horizon: expected more than the scenario's warm-up (" + format_duration(sc.warmup.seconds_f()) + ")");
  return h;
}

// Every 2^16 events: lets Ctrl-C (or any pending Python signal) stop a long run.
std::function<void(const RunProgress&)> check_signals() {
  return [](const RunProgress&) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  };
}

std::unique_ptr<Scheduler> scheduler_for(const py::object& policy, Scenario& sc) {
  if (py::isinstance<py::str>(policy)) {
    sc.policy = parse_policy_name(policy.cast<std::string>(), sc.policy);
    return nullptr;
  }
  if (policy.is_none()) return nullptr;
  return std::make_unique<PythonScheduler>(policy, sc);
}

namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

std::vector<ScenarioOverride> to_overrides(const Overrides& set) {
  std::vector<ScenarioOverride> out;
  for (const auto& [path, value] : set) out.push_back({path, value});
  return out;
}

std::string policy_row_name(const py::object& policy) {
  if (py::hasattr(policy, "name")) return py::str(policy.attr("name"));
  return py::str(py::type::of(policy).attr("__name__"));
}

std::string bench(const ScenarioSet& set, const std::optional<std::string>& plan, const py::list& policies, unsigned replicas,
                  std::optional<std::uint64_t> seed, std::optional<double> horizon_s, unsigned threads) {
  const Scenario& sc = pick(set, plan);
  BenchOptions o;
  o.replicas = replicas;
  o.threads = threads;
  o.seed = seed;
  o.horizon = horizon_of(sc, horizon_s);
  if (policies.empty()) throw InputError("policies: expected at least one policy");
  for (const py::handle p : policies) {
    if (py::isinstance<py::str>(p)) {
      o.policies.emplace_back(parse_policy_name(p.cast<std::string>(), sc.policy));
      continue;
    }
    // Each run gets its own copy of the policy object (copy.deepcopy), so that replicas on
    // different threads share no state and every run starts from the object as given.
    auto proto = std::make_shared<py::object>(py::reinterpret_borrow<py::object>(p));
    (void)PythonScheduler(*proto, sc);  // refuses an object without schedule() before anything runs
    auto deepcopy = std::make_shared<py::object>(py::module_::import("copy").attr("deepcopy"));
    o.policies.emplace_back(policy_row_name(*proto), sc.policy, [proto, deepcopy, &sc]() -> std::unique_ptr<Scheduler> {
      py::gil_scoped_acquire gil;
      return std::make_unique<PythonScheduler>((*deepcopy)(*proto), sc);
    });
  }
  std::string json;
  {
    py::gil_scoped_release release;
    json = dump(to_json(run_policy_bench(sc, o)));
  }
  return json;  // the makers' Python objects are released here, with the GIL held
}

std::string compare(const ScenarioSet& set, unsigned replicas, std::optional<std::uint64_t> seed,
                    std::optional<double> horizon_s, unsigned threads) {
  CompareOptions o;
  o.replicas = replicas;
  o.threads = threads;
  o.seed = seed;
  for (const Scenario& plan : set.plans) o.horizon = horizon_of(plan, horizon_s);  // against every plan's warm-up
  py::gil_scoped_release release;
  return dump(to_json(run_plan_compare(set.plans, o)));
}

std::string sweep(const std::string& path, const std::vector<std::pair<std::string, std::vector<std::string>>>& parameters,
                  unsigned replicas, std::optional<std::uint64_t> seed, std::optional<double> horizon_s, unsigned threads,
                  unsigned shard, unsigned shards) {
  SweepOptions o;
  for (const auto& [p, values] : parameters) {
    if (values.empty()) throw InputError("set: '" + p + "': expected at least one value");
    o.parameters.push_back({p, values});
  }
  o.replicas = replicas;
  o.threads = threads;
  o.seed = seed;
  if (horizon_s) {
    if (!(*horizon_s > 0)) throw InputError("horizon: expected a positive duration");
    o.horizon = SimTime::zero() + Duration::from_seconds(*horizon_s);
  }
  o.shard = shard;
  o.shards = shards;
  py::gil_scoped_release release;
  return dump(to_json(run_sweep(path, o)));
}

}  // namespace

void bind_runs(py::module_& m) {
  py::class_<ScenarioSet>(m, "ScenarioSet", "A loaded scenario (or the capacity plans of a file with `plans:`).")
      .def_property_readonly("name", [](const ScenarioSet& s) { return s.plans.front().name; })
      .def_property_readonly("plans", [](const ScenarioSet& s) {
        std::vector<std::string> names;
        if (s.plans.size() > 1 || !s.path.empty())
          for (const auto& sc : s.plans) names.push_back(sc.name);
        return names;
      })
      .def_property_readonly("path", [](const ScenarioSet& s) { return s.path; })
      .def_property_readonly("overridden", [](const ScenarioSet& s) { return s.overridden; })
      .def_property_readonly("seed", [](const ScenarioSet& s) { return s.plans.front().seed; })
      .def_property_readonly("horizon", [](const ScenarioSet& s) -> py::object {
        const auto& h = s.plans.front().horizon;
        return h ? py::cast(h->seconds_f()) : py::none();
      })
      .def_property_readonly("start", [](const ScenarioSet& s) -> py::object {
        const auto& d = s.plans.front().start_date;
        return d ? py::cast(*d) : py::none();
      })
      .def_property_readonly("warnings", [](const ScenarioSet& s) { return s.plans.front().warnings; })
      .def_property_readonly("factories", [](const ScenarioSet& s) {
        std::vector<std::string> names;
        for (const auto& f : s.plans.front().factories) names.push_back(f.name);
        return names;
      })
      .def_property_readonly("tenants", [](const ScenarioSet& s) {
        std::vector<std::string> names;
        for (const auto& t : s.plans.front().tenants) names.push_back(t.name);
        return names;
      })
      .def_property_readonly("policy", [](const ScenarioSet& s) { return policy_name(s.plans.front().policy); });

  m.def("load", [](const std::string& path, const Overrides& set) {
    ScenarioSet s;
    s.plans = load_plans(path, to_overrides(set));
    s.path = path;
    s.overridden = !set.empty();
    return s;
  }, py::arg("path"), py::arg("set"));
  m.def("loads", [](const std::string& text, const std::string& label, const std::string& base_dir, const Overrides& set) {
    ScenarioSet s;
    s.plans = parse_plans(text, label, base_dir.empty() ? std::filesystem::current_path() : std::filesystem::path(base_dir),
                          to_overrides(set));
    s.overridden = !set.empty();
    return s;
  }, py::arg("text"), py::arg("label"), py::arg("base_dir"), py::arg("set"));
  // A horizon as the scenario's `horizon` key takes it: a duration, or a date after `start`.
  m.def("parse_horizon", [](const std::string& text, const std::optional<std::string>& start) {
    if (const auto date = parse_datetime_ms(text)) {
      if (!start) throw InputError("a calendar date needs the scenario's `start` date, got '" + text + "'");
      const auto origin = parse_datetime_ms(*start);
      if (!origin || *date <= *origin) throw InputError("expected a date after the scenario's start " + *start + ", got '" + text + "'");
      return static_cast<double>(*date - *origin) / 1000.0;
    }
    const auto d = parse_duration(text);
    if (!d) throw InputError("expected a duration with a unit (e.g. 90d, 6h, 1y) or a date YYYY-MM-DD, got '" + text + "'");
    return d->seconds_f();
  });
  m.def("parse_duration", [](const std::string& text) {
    const auto d = parse_duration(text);
    if (!d) throw InputError("expected a duration with a unit (e.g. 90d, 6h, 30m), got '" + text + "'");
    return d->seconds_f();
  });
  m.def("run", &run_to_end, py::arg("scenario"), py::arg("plan"), py::arg("seed"), py::arg("horizon"), py::arg("policy"),
        py::arg("jobs"), py::arg("timeseries"));
  m.def("bench", &bench, py::arg("scenario"), py::arg("plan"), py::arg("policies"), py::arg("replicas"), py::arg("seed"),
        py::arg("horizon"), py::arg("threads"));
  m.def("compare", &compare, py::arg("scenario"), py::arg("replicas"), py::arg("seed"), py::arg("horizon"),
        py::arg("threads"));
  m.def("sweep", &sweep, py::arg("path"), py::arg("parameters"), py::arg("replicas"), py::arg("seed"), py::arg("horizon"),
        py::arg("threads"), py::arg("shard"), py::arg("shards"));
  m.def("sweep_values", [](const std::string& text) { return parse_sweep_parameter(text).values; },
        "the values of a sweep's PATH=VALUES text: 'a,b,c' or 'start:stop:step'");
  m.def("policy_names", [] {
    std::vector<std::string> out;
    for (const auto& g : policy_parts())
      for (const auto& p : g.parts) out.push_back(p.name);
    return out;
  }, "every queue order, backfill and placement name the registry knows");
}

}  // namespace gigasim::python
