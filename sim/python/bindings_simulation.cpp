// gigasim.Simulation: one run driven step by step from Python (the engine's Simulation:
// step, run_until, inspect, fork, result), for what-if studies from a point in a run and for
// policies developed interactively. The GIL is released while the engine advances.
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "gigasim/engine/simulation.hpp"
#include "gigasim/error.hpp"
#include "gigasim/output/reports.hpp"
#include "result_tables.hpp"
#include "run_support.hpp"

namespace gigasim::python {

namespace {

/// A Simulation with what it needs to outlive it: its scenario (shared with its forks) and its
/// record sinks. Members are destroyed in reverse order, the Simulation first.
class SteppedRun {
 public:
  SteppedRun(const ScenarioSet& set, const std::optional<std::string>& plan, std::optional<std::uint64_t> seed,
             std::optional<double> horizon_s, const py::object& policy, bool jobs, std::optional<double> interval_s) {
    auto sc = std::make_shared<Scenario>(pick(set, plan));
    std::unique_ptr<Scheduler> scheduler = scheduler_for(policy, *sc);
    scenario_ = std::move(sc);
    options_.seed = seed;
    options_.horizon = horizon_of(*scenario_, horizon_s);
    options_.progress = check_signals();
    if (jobs) jobs_ = std::make_unique<JobColumns>();
    if (interval_s) {
      if (!(*interval_s > 0)) throw InputError("timeseries: expected an interval > 0 s");
      series_ = std::make_unique<TimeseriesColumns>();
      options_.timeseries_interval = std::max(Duration::from_seconds(*interval_s), Duration::millis(1));
    }
    wire();
    sim_ = std::make_unique<Simulation>(*scenario_, options_, std::move(scheduler));
  }

  /// The fork of `parent` at its current instant: the records so far are copied, so that the
  /// fork's tables describe its whole run, as a run that never forked would.
  explicit SteppedRun(const SteppedRun& parent) : scenario_(parent.scenario_), options_(parent.options_) {
    if (parent.jobs_) jobs_ = std::make_unique<JobColumns>(*parent.jobs_);
    if (parent.series_) series_ = std::make_unique<TimeseriesColumns>(*parent.series_);
    wire();
    sim_ = std::make_unique<Simulation>(parent.live().fork(options_));
  }

  Simulation& live() const {
    if (taken_) throw std::logic_error("this Simulation's result() was taken: it cannot go on");
    if (failed_) throw std::logic_error("this Simulation stopped with an error (" + *failed_ + "): it cannot go on");
    return *sim_;
  }
  bool step() {
    return guarded([&] { return live().step(); });
  }
  void run_until(double seconds) {
    if (!std::isfinite(seconds)) throw InputError("run_until: expected a finite time in seconds");
    const SimTime t = SimTime::zero() + Duration::from_seconds(seconds);
    guarded([&] { live().run_until(t); return true; });
  }
  py::dict result() {
    std::string summary;
    guarded([&] { summary = dump(to_json(live().result())); return true; });
    taken_ = true;
    py::dict out;
    out["summary"] = summary;
    out["jobs"] = jobs_ ? py::object(jobs_->take()) : py::none();
    out["timeseries"] = series_ ? py::object(series_->take()) : py::none();
    return out;
  }
  const Scenario& scenario() const { return *scenario_; }
  bool taken() const { return taken_; }

 private:
  /// Runs `advance` without the GIL. An error in the middle of an instant (a policy's refused
  /// decision, Ctrl-C) leaves that instant half done: the run refuses to go on after it.
  template <class F>
  bool guarded(F&& advance) {
    (void)live();  // refuses a finished or failed run before the GIL is released
    try {
      py::gil_scoped_release release;
      return advance();
    } catch (py::error_already_set& e) {
      failed_ = std::string(e.what());
      throw;
    } catch (const std::exception& e) {
      failed_ = std::string(e.what());
      throw;
    }
  }

  void wire() {
    options_.job_sink = jobs_.get();
    options_.timeseries = series_.get();
  }

  std::shared_ptr<const Scenario> scenario_;
  SimulationOptions options_;
  std::unique_ptr<JobColumns> jobs_;
  std::unique_ptr<TimeseriesColumns> series_;
  std::unique_ptr<Simulation> sim_;
  bool taken_ = false;
  std::optional<std::string> failed_;
};

py::dict factory_state(const FactoryPool& p, const FactorySpec& spec) {
  py::dict d;
  d["name"] = spec.name;
  d["online"] = p.online();
  d["installed_nodes"] = p.installed_nodes();
  d["free_nodes"] = p.free_nodes();
  d["busy_nodes"] = p.busy_nodes();
  d["serving_nodes"] = p.serving_nodes();
  d["down_nodes"] = p.down_nodes();
  d["maintenance_nodes"] = p.maintenance_nodes();
  d["node_size"] = spec.node_size;
  return d;
}

}  // namespace

py::dict run_to_end(const ScenarioSet& set, const std::optional<std::string>& plan, std::optional<std::uint64_t> seed,
                    std::optional<double> horizon_s, const py::object& policy, bool jobs,
                    std::optional<double> interval_s) {
  return SteppedRun(set, plan, seed, horizon_s, policy, jobs, interval_s).result();
}

void bind_simulation(py::module_& m) {
  py::class_<SteppedRun>(m, "Simulation", "One run, driven step by step (see gigasim.Simulation).")
      .def(py::init<const ScenarioSet&, const std::optional<std::string>&, std::optional<std::uint64_t>,
                    std::optional<double>, const py::object&, bool, std::optional<double>>(),
           py::arg("scenario"), py::arg("plan"), py::arg("seed"), py::arg("horizon"), py::arg("policy"), py::arg("jobs"),
           py::arg("timeseries"))
      .def("step", &SteppedRun::step)
      .def("run_until", &SteppedRun::run_until, py::arg("time"))
      .def("stop", [](SteppedRun& r) { r.live().stop(); })
      .def("result", &SteppedRun::result)
      .def("fork", [](const SteppedRun& r) { return std::make_unique<SteppedRun>(r); })
      .def_property_readonly("done", [](const SteppedRun& r) { return r.taken() || r.live().done(); })
      .def_property_readonly("now", [](const SteppedRun& r) { return r.live().now().seconds_f(); })
      .def_property_readonly("next_event_time", [](const SteppedRun& r) -> py::object {
        const auto t = r.live().next_event_time();
        return t ? py::cast(t->seconds_f()) : py::none();
      })
      .def_property_readonly("active_jobs", [](const SteppedRun& r) { return r.live().active_jobs(); })
      .def_property_readonly("queue_length", [](const SteppedRun& r) { return r.live().scheduler().queue_length(); })
      .def_property_readonly("factories", [](const SteppedRun& r) {
        py::list out;
        const auto pools = r.live().cluster().factories();
        for (std::size_t f = 0; f < pools.size(); ++f) out.append(factory_state(pools[f], r.scenario().factories[f]));
        return out;
      });
}

}  // namespace gigasim::python
