// licsim._core's sweep functions: resolving a sweep file, running one point
// into a point file (locally or on a Dask worker), and the work folder that
// collects points and writes the sweep file. licsim/sweep.py drives them.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/hdf5_writer.hpp"
#include "io/sweep_file.hpp"
#include "io/sweep_output.hpp"
#include "sweep/plan.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"

#include "bindings.hpp"

namespace py = pybind11;

namespace {

/// A resolved sweep: the plan, its TOML identity and the sweep file it came from.
struct Plan {
  licsim::SweepPlan plan;
  std::string text;
  std::string hash;
  std::string sweep_file_text;

  static Plan of(const licsim::SweepSpec& spec) {
    Plan p{licsim::make_plan(spec), {}, {}, spec.text};
    p.text = licsim::plan_to_toml(p.plan);
    p.hash = licsim::plan_hash(p.text);
    return p;
  }
};

Plan plan_from_text(const std::string& plan_text, const std::string& sweep_file_text) {
  Plan p{licsim::plan_from_toml(plan_text, "<plan>"), plan_text, licsim::plan_hash(plan_text), sweep_file_text};
  return p;
}

py::object run_point(const Plan& p, int point, const std::string& path, int threads) {
  if (point < 0 || point >= static_cast<int>(p.plan.points.size())) throw py::index_error("no such point");
  licsim::SweepRunOptions options;
  options.threads = threads;
  bool interrupted = false;
  options.cancelled = [&interrupted] {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) interrupted = true;
    return interrupted;
  };
  std::optional<std::string> error;
  try {
    py::gil_scoped_release release;
    error = licsim::run_point_to_file(p.plan, p.hash, point, path, options);
  } catch (const licsim::Cancelled&) {
    if (interrupted) throw py::error_already_set();
    throw;
  }
  return error ? py::cast(*error) : py::none();
}

py::bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return py::bytes(s.str());
}

}  // namespace

void bind_sweep(py::module_& m) {
  py::class_<Plan>(m, "SweepPlan", "A resolved sweep: every point with its scenario, overrides and seed.")
      .def_property_readonly("text", [](const Plan& p) { return p.text; }, "the plan as TOML (its identity)")
      .def_property_readonly("sweep_file_text", [](const Plan& p) { return p.sweep_file_text; })
      .def_property_readonly("hash", [](const Plan& p) { return p.hash; })
      .def_property_readonly("coordinates", [](const Plan& p) { return p.plan.coordinates; })
      .def("__len__", [](const Plan& p) { return p.plan.points.size(); })
      .def("shard_points", [](const Plan& p, int shard, int shards) { return licsim::shard_points(p.plan, shard, shards); },
           py::arg("shard") = 0, py::arg("shards") = 1);
  m.def("load_sweep_file", [](const std::string& path) { return Plan::of(licsim::load_sweep_file(path)); },
        py::arg("path"), "Reads, checks and resolves a sweep file.");
  m.def("load_sweep_string",
        [](const std::string& text, const std::string& name, const std::string& base_dir) {
          return Plan::of(licsim::load_sweep_string(text, name, base_dir));
        },
        py::arg("text"), py::arg("name"), py::arg("base_dir"), "Same for TOML text (scenario paths from base_dir).");
  m.def("sweep_plan_from_text", &plan_from_text, py::arg("plan_text"), py::arg("sweep_file_text") = "",
        "A plan from its TOML identity (what a Dask worker receives).");
  m.def("run_sweep_point", &run_point, py::arg("plan"), py::arg("point"), py::arg("path"), py::arg("threads") = 0,
        "Runs one point into a point file at path; returns None, or the error when the point fails.");
  m.def("read_bytes", &read_bytes, py::arg("path"));
  m.def("check_sweep_space",
        [](const Plan& p, const std::string& output, std::size_t points) {
          licsim::check_sweep_space(p.plan, output, points, points);
        },
        py::arg("plan"), py::arg("output"), py::arg("points"),
        "Raises OutputError when the points' files would not fit beside output.");

  py::class_<licsim::SweepStore>(m, "SweepStore", "The work folder OUT.h5.parts of a sweep.")
      .def(py::init([](const std::string& output, const Plan& p, bool resume, bool force) {
             return std::make_unique<licsim::SweepStore>(output, p.text, resume, force);
           }),
           py::arg("output"), py::arg("plan"), py::arg("resume"), py::arg("force"))
      .def_property_readonly("folder", [](const licsim::SweepStore& s) { return s.folder().string(); })
      .def("point_file", [](const licsim::SweepStore& s, int point) { return s.point_file(point).string(); })
      .def("missing", &licsim::SweepStore::missing)
      .def("record_failure", &licsim::SweepStore::record_failure)
      .def("store_point_bytes",
           [](licsim::SweepStore& s, int point, const py::bytes& bytes) { s.store_point_bytes(point, bytes); })
      .def("finish",
           [](licsim::SweepStore& s, const std::string& output, const Plan& p, const std::vector<int>& points,
              const std::string& shard) {
             const auto sources = s.sources(points);
             {
               py::gil_scoped_release release;
               licsim::write_sweep_file(output, p.plan, p.text, p.sweep_file_text, sources, shard, true);
             }
             s.remove();
             py::dict failed;
             for (const auto& src : sources)
               if (!src.ok) failed[py::int_(src.point)] = src.error;
             return failed;
           },
           py::arg("output"), py::arg("plan"), py::arg("points"), py::arg("shard") = "",
           "Writes the sweep file over points, removes the folder; returns {point: error} of failed points.");
}
