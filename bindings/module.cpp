// licsim._core: the Python face of the engine. The only place that sees pybind11.
// It calls the same load/run/write functions as the CLI, so both write the same file;
// the curated API is the pure-Python package around it (bindings/licsim).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/engine.hpp"
#include "engine/result.hpp"
#include "engine/scenario_check.hpp"
#include "engine/resources.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_checks.hpp"
#include "io/result_file.hpp"
#include "io/run_to_file.hpp"
#include "io/scenario_file.hpp"
#include "run.hpp"

namespace py = pybind11;

namespace {

/// (dotted key, value in TOML syntax) pairs, applied in order.
using Assignments = std::vector<std::pair<std::string, std::string>>;

licsim::Scenario load_file(const std::string& path) { return licsim::load_scenario_file(path); }

licsim::Scenario load_string(const std::string& text, const std::string& name, const std::string& base_dir) {
  return licsim::load_scenario_string(text, name, base_dir);
}

/// A scenario from key/value pairs (a dict flattened to dotted keys); `base_toml`, when not
/// empty, is the TOML spelling of the `base` file, resolved against `base_dir`.
licsim::Scenario load_assignments(const std::string& base_toml, const Assignments& values, const std::string& name,
                                  const std::string& base_dir) {
  licsim::Scenario scenario;
  if (!base_toml.empty()) {
    scenario = licsim::load_scenario_string("base = " + base_toml + "\n", name, base_dir);
  } else {
    scenario.source_name = name;
    scenario.base_dir = base_dir;
  }
  for (const auto& [key, value] : values) licsim::apply_value(scenario, key, value, name);
  return scenario;
}

/// A copy of `scenario` with `values` applied; errors name `origin` (e.g. "--set").
licsim::Scenario with_values(licsim::Scenario scenario, const Assignments& values, const std::string& origin) {
  for (const auto& [key, value] : values) licsim::apply_value(scenario, key, value, origin);
  return scenario;
}

/// Completes a scenario as the CLI does after its last override (data files, completeness,
/// whole-scenario checks); returns the notes `licsim validate` prints.
std::vector<std::string> finalize(licsim::Scenario& scenario) {
  licsim::finalize_scenario(scenario);
  return licsim::check_scenario(scenario);
}

/// What the progress and cancellation callbacks share during one run.
struct Callbacks {
  py::object progress;  // None, or called as progress(done, total)
  std::chrono::steady_clock::duration interval;
  std::chrono::steady_clock::time_point last{};
  std::optional<py::error_already_set> error;  // raised by a callback or a signal handler
};

/// Runs with the GIL released, into memory or (with `target`) into a file
/// through run_to_file, as `licsim run` does.
std::shared_ptr<HeldResult> run_with(const licsim::Scenario& scenario, const licsim::RunSettings& settings, int threads,
                              py::object progress, double progress_interval, const licsim::FileTarget* target) {
  licsim::validate_threads(threads);
  licsim::RunOptions options{settings};
  options.threads = threads;

  Callbacks callbacks{std::move(progress),
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(progress_interval)),
                      {},
                      std::nullopt};
  if (!callbacks.progress.is_none()) {
    // Called after every day with the GIL released: take it only to update, at most every interval.
    options.progress = [&callbacks](long done, long total) {
      const auto now = std::chrono::steady_clock::now();
      if (done < total && now - callbacks.last < callbacks.interval) return;
      callbacks.last = now;
      py::gil_scoped_acquire gil;
      if (callbacks.error) return;
      try {
        callbacks.progress(done, total);
      } catch (py::error_already_set& e) {
        callbacks.error.emplace(std::move(e));
      }
    };
  }
  // Ctrl-C (or any exception from a Python signal handler) stops the run between days.
  options.cancelled = [&callbacks] {
    py::gil_scoped_acquire gil;
    if (callbacks.error) return true;
    if (PyErr_CheckSignals() != 0) {
      callbacks.error.emplace();
      return true;
    }
    return false;
  };

  auto out = std::make_shared<HeldResult>();
  try {
    py::gil_scoped_release release;
    out->result = target ? licsim::run_to_file(scenario, options, *target) : licsim::run(scenario, options);
    out->meta = licsim::make_metadata(scenario, target ? target->scenario_file : scenario.source_name, settings,
                                      out->result.days);
  } catch (const licsim::Cancelled&) {
    if (callbacks.error) throw *callbacks.error;
    throw;
  }
  if (callbacks.error) throw *callbacks.error;  // a progress callback failed on the last day
  return out;
}

std::shared_ptr<HeldResult> run(const licsim::Scenario& scenario, const licsim::RunSettings& settings, int threads,
                         py::object progress, double progress_interval) {
  return run_with(scenario, settings, threads, std::move(progress), progress_interval, nullptr);
}

std::shared_ptr<HeldResult> run_to_file(const licsim::Scenario& scenario, const licsim::RunSettings& settings,
                                 const std::string& path, bool force, int threads, py::object progress,
                                 double progress_interval) {
  licsim::FileTarget target;
  target.path = path;
  target.force = force;
  target.scenario_file = scenario.source_name;
  return run_with(scenario, settings, threads, std::move(progress), progress_interval, &target);
}

/// licsim.RunSettings: made once, checked once (UsageError names the bad one).
void bind_run_settings(py::module_& m) {
  py::class_<licsim::RunSettings>(m, "RunSettings",
                                  "What a run's result depends on besides its scenario: seed, replicates, scale "
                                  "(agents per person), days (0: the scenario's simulation.days). Checked when "
                                  "made, with the bounds of `licsim run`.")
      .def(py::init([](std::uint64_t seed, int replicates, double scale, int days) {
             licsim::RunSettings s{seed, replicates, scale, days};
             licsim::validate(s);
             return s;
           }),
           py::kw_only(), py::arg("seed") = 1, py::arg("replicates") = 1, py::arg("scale") = 0.001,
           py::arg("days") = 0)
      .def_readonly("seed", &licsim::RunSettings::seed)
      .def_readonly("replicates", &licsim::RunSettings::replicates)
      .def_readonly("scale", &licsim::RunSettings::scale)
      .def_readonly("days", &licsim::RunSettings::days)
      .def("__eq__", [](const licsim::RunSettings& a, const licsim::RunSettings& b) {
        return a.seed == b.seed && a.replicates == b.replicates && a.scale == b.scale && a.days == b.days;
      })
      .def("__repr__", [](const licsim::RunSettings& s) {
        std::ostringstream out;
        out << "RunSettings(seed=" << s.seed << ", replicates=" << s.replicates << ", scale=" << s.scale
            << ", days=" << s.days << ")";
        return out.str();
      });
  py::dict bounds;  // {name: (low, high)} of the integer settings, threads included
  for (const auto& b : licsim::integer_setting_bounds()) bounds[b.name] = py::make_tuple(b.low, b.high);
  m.attr("integer_setting_bounds") = bounds;
}

}  // namespace

void bind_sweep(py::module_& m);  // sweep_bindings.cpp

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

  bind_sweep(m);
  bind_run_settings(m);

  py::class_<licsim::Scenario>(m, "Scenario", "A scenario: validated parameter values by dotted key.")
      .def("__copy__", [](const licsim::Scenario& s) { return licsim::Scenario(s); })
      .def("to_toml", &licsim::to_toml, "Every key with its value, as TOML text.")
      .def("values", &licsim::Scenario::values, "Every key set, with its value.")
      .def("has", &licsim::Scenario::has, py::arg("key"))
      .def_readonly("source_name", &licsim::Scenario::source_name)
      .def_property_readonly("base_dir", [](const licsim::Scenario& s) { return s.base_dir.string(); })
      .def_property_readonly("jurisdictions",
                             [](const licsim::Scenario& s) {
                               std::vector<std::string> codes;
                               for (const auto& j : s.places.us) codes.push_back(j.code);
                               return codes;
                             })
      .def("origin", [](const licsim::Scenario& s, const std::string& key) {
        const auto o = s.origin(key);
        return py::make_tuple(o.file, o.line);
      }, py::arg("key"));

  m.def("printable", [](const std::string& text, std::size_t max_chars) { return licsim::printable(text, max_chars); },
        py::arg("text"), py::arg("max_chars") = 100,
        "User input as licsim's messages quote it: control characters escaped, long text cut.");
  m.def("load_file", &load_file, py::arg("path"),
        "Read a scenario file (following `base`), validating every key; not yet finalized.");
  m.def("load_string", &load_string, py::arg("text"), py::arg("name"), py::arg("base_dir"),
        "Read scenario TOML text; `name` labels errors, `base_dir` resolves relative paths.");
  m.def("load_assignments", &load_assignments, py::arg("base_toml"), py::arg("values"), py::arg("name"),
        py::arg("base_dir"), "A scenario from (key, TOML value) pairs on an optional base file.");
  m.def("with_values", &with_values, py::arg("scenario"), py::arg("values"), py::arg("origin"),
        "A copy of the scenario with (key, TOML value) pairs applied, checked like --set.");
  m.def("finalize", &finalize, py::arg("scenario"),
        "Complete a scenario in place (data files, completeness, whole-scenario checks); returns notes.");
  m.def("check_output_path", [](const std::string& path, bool force) { licsim::check_output_path(path, force); },
        py::arg("path"), py::arg("force") = false, "Raise OutputError unless `path` may be written.");
  m.def("check_output",
        [](const std::string& path, bool force, const licsim::Scenario& scenario, const licsim::RunSettings& settings) {
          licsim::check_output(path, force, scenario, settings);
        },
        py::arg("path"), py::arg("force"), py::arg("scenario"),
        py::arg("settings"),
        "Raise OutputError unless `path` may be written and its file system has room for the estimated output.");
  m.def("days_run",
        [](const licsim::Scenario& scenario, const licsim::RunSettings& settings) {
          return licsim::days_run(settings, scenario.params());
        },
        py::arg("scenario"), py::arg("settings"), "The days a run records (settings.days, or simulation.days when 0).");
  m.def("estimate_memory",
        [](const licsim::Scenario& scenario, const licsim::RunSettings& settings) {
          const auto e = licsim::estimate_memory(scenario, settings);
          py::dict d;
          d["bytes"] = e.total();
          d["patients"] = e.patients;
          d["clinicians"] = e.clinicians;
          d["bytes_per_patient"] = e.bytes_per_patient;
          d["bytes_per_clinician"] = e.bytes_per_clinician;
          d["results_bytes"] = e.results_bytes;
          d["fixed_bytes"] = e.fixed_bytes;
          d["description"] = e.describe();
          return d;
        },
        py::arg("scenario"), py::arg("settings"),
        "The engine's estimate of a run's peak memory (what licsim.run checks against available memory).");
  m.def("check_result_file",
        [](const std::string& path) {
          const auto info = licsim::check_result_file(path);
          return py::make_tuple(info.format_version, info.licsim_version);
        },
        py::arg("path"),
        "Raise DataError unless `path` is a complete licsim result file of a format this build reads; "
        "return (format version, licsim version).");
  m.attr("output_format_version") = licsim::output_format_version;

  bind_run(m);

  m.def("run", &run, py::arg("scenario"), py::arg("settings"), py::arg("threads") = 0,
        py::arg("progress") = py::none(), py::arg("progress_interval") = 0.1,
        "Simulate a finalized scenario with the GIL released; `progress(done, total)` is called at most "
        "every `progress_interval` seconds (and after the last day).");
  m.def("run_to_file", &run_to_file, py::arg("scenario"), py::arg("settings"), py::arg("path"),
        py::arg("force") = false, py::arg("threads") = 0, py::arg("progress") = py::none(),
        py::arg("progress_interval") = 0.1,
        "As run, then write the file `licsim run` writes (run_to_file: chunks compressed on `threads`); "
        "call check_output first.");
}
