// licsim._core's runs: the run settings, the checks before a run (output path, room,
// memory), and running into memory or into the file `licsim run` writes, with the GIL
// released, progress callbacks and Ctrl-C between days.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "engine/resources.hpp"
#include "held_result.hpp"
#include "io/output_checks.hpp"
#include "io/run_to_file.hpp"

namespace py = pybind11;

namespace {

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

void bind_runs(py::module_& m) {
  bind_run_settings(m);
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
