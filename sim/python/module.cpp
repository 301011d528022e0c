// The `gigasim._gigasim` extension module: scenarios, runs, bench, compare and sweep, and the
// policy plug-in view. The public Python API (python/gigasim/__init__.py) wraps it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <string>

#include "gigasim/error.hpp"
#include "gigasim/version.hpp"
#include "python_policy.hpp"

namespace gigasim::python {
void bind_runs(py::module_& m);  // bindings_run.cpp
void bind_simulation(py::module_& m);  // bindings_simulation.cpp
}

namespace {
namespace py = pybind11;

// "file:line:col: rest" -> (file, line, column); the CLI prints the same message.
struct Position {
  py::object file = py::none(), line = py::none(), column = py::none();
};
Position position_of(const std::string& message) {
  // The first ":<digits>:<digits>: " -- file names may hold colons, messages hold few such runs.
  for (std::size_t at = message.find(':'); at != std::string::npos; at = message.find(':', at + 1)) {
    std::size_t i = at + 1, line_end, col_end;
    while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) ++i;
    if (i == at + 1 || i >= message.size() || message[i] != ':') continue;
    line_end = i++;
    while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) ++i;
    if (i == line_end + 1 || i + 1 >= message.size() || message[i] != ':' || message[i + 1] != ' ') continue;
    col_end = i;
    Position p;
    p.file = py::str(message.substr(0, at));
    p.line = py::int_(std::stol(message.substr(at + 1, line_end - at - 1)));
    p.column = py::int_(std::stol(message.substr(line_end + 1, col_end - line_end - 1)));
    return p;
  }
  return {};
}
}  // namespace

PYBIND11_MODULE(_gigasim, m) {
  m.doc() = "gigasim's engine (C++); use the `gigasim` package, which wraps it.";
  m.attr("__version__") = gigasim::kVersion;

  static py::exception<gigasim::Error> error(m, "Error", PyExc_RuntimeError);
  static py::exception<gigasim::InputError> scenario_error(m, "ScenarioError", error.ptr());
  static py::exception<gigasim::PolicyError> policy_error(m, "PolicyError", error.ptr());
  static py::exception<gigasim::OutputError> output_error(m, "OutputError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const gigasim::InputError& e) {
      // An instance with .file, .line, .column (None when the message has no position).
      const Position at = position_of(e.what());
      py::object instance = py::handle(scenario_error.ptr())(e.what());
      instance.attr("file") = at.file;
      instance.attr("line") = at.line;
      instance.attr("column") = at.column;
      PyErr_SetObject(scenario_error.ptr(), instance.ptr());
    } catch (const gigasim::PolicyError& e) {
      PyErr_SetString(policy_error.ptr(), e.what());
    } catch (const gigasim::OutputError& e) {
      PyErr_SetString(output_error.ptr(), e.what());
    } catch (const gigasim::Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });

  gigasim::python::bind_policy_view(m);
  gigasim::python::bind_runs(m);
  gigasim::python::bind_simulation(m);
}
