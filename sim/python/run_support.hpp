#pragma once
// What the run bindings share (bindings_run.cpp, bindings_simulation.cpp): the loaded scenario
// object, the choice of a plan and a horizon, the Ctrl-C check, and JSON as text.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

#include "gigasim/core/time.hpp"
#include "gigasim/engine/simulation.hpp"
#include "gigasim/model/scenario.hpp"
#include "gigasim/policy/scheduler.hpp"

namespace gigasim::python {

namespace py = pybind11;

/// What gigasim.load returns: a scenario, or the plans of a file with `plans:`.
struct ScenarioSet {
  std::vector<Scenario> plans;
  std::string path;         ///< the file, empty for loads()
  bool overridden = false;  ///< loaded with `set=`
};

/// The plan a run uses: `plan` by name, or the only one.
const Scenario& pick(const ScenarioSet& s, const std::optional<std::string>& plan);
/// A horizon given in seconds, checked against the scenario's warm-up; nullopt = the scenario's.
std::optional<SimTime> horizon_of(const Scenario& sc, std::optional<double> seconds);
/// A progress callback (every 2^16 events) that lets Ctrl-C, or any pending signal, stop a run.
std::function<void(const RunProgress&)> check_signals();
/// `policy` as run() takes it: a name applied to `sc` (returns nullptr), None (nullptr), or a
/// Python object with schedule(view) (returns its adapter).
std::unique_ptr<Scheduler> scheduler_for(const py::object& policy, Scenario& sc);
std::string dump(const nlohmann::ordered_json& j);
/// gigasim.run: one whole run (a Simulation taken to its end: bindings_simulation.cpp), as
/// {"summary": JSON text, "jobs": columns or None, "timeseries": columns or None}.
py::dict run_to_end(const ScenarioSet& set, const std::optional<std::string>& plan, std::optional<std::uint64_t> seed,
                    std::optional<double> horizon_s, const py::object& policy, bool jobs,
                    std::optional<double> interval_s);

}  // namespace gigasim::python
