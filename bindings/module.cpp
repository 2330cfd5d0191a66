// licsim._core: the Python face of the engine. The only place that sees pybind11.
// It calls the same load/run/write functions as the CLI, so both write the same file.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/engine.hpp"
#include "engine/scenario_check.hpp"
#include "engine/summary.hpp"
#include "io/hdf5_writer.hpp"
#include "io/scenario_file.hpp"

namespace py = pybind11;

namespace {

licsim::Scenario load(const std::string& path, const std::map<std::string, std::string>& overrides) {
  auto scenario = licsim::load_scenario_file(path);
  for (const auto& [key, value] : overrides) licsim::apply_value(scenario, key, value, "<overrides>");
  licsim::finalize_scenario(scenario);
  (void)licsim::check_scenario(scenario);
  return scenario;
}

py::list run_to_file(const std::string& scenario_path, const std::string& output, std::uint64_t seed,
                     int replicates, int threads, double scale, int days,
                     const std::map<std::string, std::string>& overrides, bool force) {
  licsim::RunOptions options;
  options.seed = seed;
  options.replicates = replicates;
  options.threads = threads;
  options.scale = scale;
  options.days = days;
  licsim::validate(options);
  const auto scenario = load(scenario_path, overrides);
  licsim::check_output_path(output, force);
  // Ctrl-C in Python stops the run between days.
  options.cancelled = [] {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      return true;
    }
    return false;
  };
  licsim::Results results;
  {
    py::gil_scoped_release release;
    results = licsim::run(scenario, options);
    const auto meta = licsim::make_metadata(scenario, scenario_path, seed, replicates, scale, results.days);
    licsim::write_results(output, results, meta, force);
  }
  py::list rows;
  for (const auto& row : licsim::headline(results)) {
    py::dict d;
    d["metric"] = row.name;
    d["units"] = row.units;
    d["mean"] = row.mean;
    d["low"] = row.low;
    d["high"] = row.high;
    rows.append(d);
  }
  return rows;
}

std::string resolved_scenario(const std::string& path, const std::map<std::string, std::string>& overrides) {
  return licsim::to_toml(load(path, overrides));
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "licsim compiled core (use the licsim package, not this module)";
  m.attr("__version__") = licsim::version;

  static py::exception<licsim::Error> error(m, "LicsimError");
  static py::exception<licsim::ScenarioError> scenario_error(m, "ScenarioError", error.ptr());
  static py::exception<licsim::DataError> data_error(m, "DataError", error.ptr());
  static py::exception<licsim::OutputError> output_error(m, "OutputError", error.ptr());
  static py::exception<licsim::UsageError> usage_error(m, "UsageError", error.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const licsim::Cancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const licsim::ScenarioError& e) {
      scenario_error(e.what());
    } catch (const licsim::DataError& e) {
      data_error(e.what());
    } catch (const licsim::OutputError& e) {
      output_error(e.what());
    } catch (const licsim::UsageError& e) {
      usage_error(e.what());
    } catch (const licsim::Error& e) {
      error(e.what());
    }
  });

  m.def("run_to_file", &run_to_file, py::arg("scenario"), py::arg("output"), py::arg("seed") = 1,
        py::arg("replicates") = 1, py::arg("threads") = 0, py::arg("scale") = 0.001,
        py::arg("days") = 0, py::arg("overrides") = std::map<std::string, std::string>{},
        py::arg("force") = false,
        "Run a scenario file and write the HDF5 result (same file as `licsim run`); returns the "
        "headline rows.");
  m.def("resolved_scenario", &resolved_scenario, py::arg("scenario"),
        py::arg("overrides") = std::map<std::string, std::string>{},
        "Validate a scenario (with overrides) and return it fully resolved as TOML text.");
}
