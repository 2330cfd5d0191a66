// licsim._core's scenarios: reading scenario files, text and key/value pairs, applying
// overrides as --set does, and finalizing as the CLI does before a run.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "core/errors.hpp"
#include "engine/scenario_check.hpp"
#include "io/scenario_file.hpp"

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

}  // namespace

void bind_scenario(py::module_& m) {
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
  m.def("ineffective_key_warnings", &licsim::ineffective_key_warnings, py::arg("scenario"), py::arg("keys"),
        "For each of `keys` that belongs to a regime the finalized scenario leaves switched off: a warning "
        "that its value changes nothing.");
}
