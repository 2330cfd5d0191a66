// licsim._core: the Python face of the engine. The only place that sees pybind11.
// It calls the same load/run/write functions as the CLI, so both write the same file;
// the curated API is the pure-Python package around it (bindings/licsim).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "licsim compiled core (use the licsim package, not this module)";
  m.attr("__version__") = licsim::version;

  // Python exceptions of the same names as the C++ ones, with the same messages.
  // Messages may quote a path or what a file holds: printable() writes out control
  // bytes and terminal escapes, as the CLI does for everything it prints.
  static auto& error = py::register_exception<licsim::Error>(m, "LicsimError");
  static auto& scenario_error = py::register_exception<licsim::ScenarioError>(m, "ScenarioError", error.ptr());
  static auto& data_error = py::register_exception<licsim::DataError>(m, "DataError", error.ptr());
  static auto& output_error = py::register_exception<licsim::OutputError>(m, "OutputError", error.ptr());
  static auto& usage_error = py::register_exception<licsim::UsageError>(m, "UsageError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {  // tried first: registered last
    const auto raise = [](PyObject* type, const std::exception& e) {
      PyErr_SetString(type, licsim::printable(e.what(), 0).c_str());
    };
    try {
      if (p) std::rethrow_exception(p);
    } catch (const licsim::Cancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const licsim::ScenarioError& e) {
      raise(scenario_error.ptr(), e);
    } catch (const licsim::DataError& e) {
      raise(data_error.ptr(), e);
    } catch (const licsim::OutputError& e) {
      raise(output_error.ptr(), e);
    } catch (const licsim::UsageError& e) {
      raise(usage_error.ptr(), e);
    } catch (const licsim::Error& e) {
      raise(error.ptr(), e);
    }
  });

  bind_scenario(m);
  bind_result(m);
  bind_runs(m);
  bind_sweep(m);

}
