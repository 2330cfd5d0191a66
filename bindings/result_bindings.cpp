// licsim._core.Result, _core.output_schema and check_result_file: a run's arrays, the file's
// variables and dimensions, all from the output schema, so Python labels
// everything exactly as the HDF5 writer does and nothing is listed twice.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "engine/metrics.hpp"
#include "engine/output_schema.hpp"
#include "engine/regimes/module.hpp"
#include "engine/summary.hpp"
#include "io/output_checks.hpp"
#include "io/stored_as.hpp"
#include "model/authority.hpp"
#include "model/types.hpp"
#include "bindings.hpp"
#include "held_result.hpp"
#include "io/result_file.hpp"

namespace py = pybind11;

namespace {

using licsim::ArraySpec;
using licsim::GroupSpec;
using licsim::VariableSpec;

void make_read_only(py::array& array) {
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
}

/// Row-major strides in bytes. Always passed explicitly: pybind11 2.10 (Debian's)
/// reads a dtype's item size from NumPy 1's struct layout, which NumPy 2 changed,
/// and computes zero strides for some types when left to itself.
std::vector<py::ssize_t> c_strides(const std::vector<py::ssize_t>& shape, py::ssize_t item_bytes) {
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = item_bytes;
  for (std::size_t d = shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/// A new array of `shape` of the NumPy type of T.
template <class T>
py::array new_array(const std::vector<py::ssize_t>& shape) {
  return py::array(py::dtype::of<T>(), shape, c_strides(shape, sizeof(T)));
}

/// A capsule that keeps `run` alive as long as a view of its memory.
py::capsule keeper(const std::shared_ptr<HeldResult>& run) {
  auto* keep = new std::shared_ptr<HeldResult>(run);
  return py::capsule(keep, [](void* p) { delete static_cast<std::shared_ptr<HeldResult>*>(p); });
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const ArraySpec& find_array(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& a : licsim::output_arrays()) {
    if (a.name == name) return a;
    names.push_back(a.name);
  }
  throw py::key_error("no result array '" + licsim::printable(name, 100) + "' (arrays: " + joined(names) + ")");
}

const GroupSpec& find_group(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& g : licsim::output_groups()) {
    if (g.name == name) return g;
    names.push_back(g.name);
  }
  throw py::key_error("no output group '" + licsim::printable(name, 100) + "' (groups: " + joined(names) + ")");
}

/// The array and slot of a variable of `group`.
std::pair<const ArraySpec*, std::size_t> find_variable(const GroupSpec& group, const std::string& name) {
  for (std::size_t a : group.arrays) {
    const ArraySpec& array = licsim::output_arrays()[a];
    for (std::size_t s = 0; s < array.slots.size(); ++s)
      if (array.slots[s].name == name) return {&array, s};
  }
  throw py::key_error("group " + group.name + " has no variable '" + licsim::printable(name, 100) + "'");
}

/// The extent of each of an array's dimensions in this run.
std::vector<py::ssize_t> cell_shape(const licsim::Result& results, const ArraySpec& array) {
  const licsim::Extents extents = licsim::Extents::of(results);
  std::vector<py::ssize_t> shape;
  for (licsim::Axis axis : licsim::axes_of(array)) shape.push_back(static_cast<py::ssize_t>(extents.of(axis)));
  return shape;
}

/// The engine's array, read-only and without a copy: its dimensions, then its
/// slots when it has more than one.
py::array array_view(const std::shared_ptr<HeldResult>& run, const std::string& name) {
  const ArraySpec& array = find_array(name);
  const std::vector<double>& data = array.data(run->result);
  std::vector<py::ssize_t> shape = cell_shape(run->result, array);
  if (array.slots.size() > 1) shape.push_back(static_cast<py::ssize_t>(array.slots.size()));
  py::ssize_t size = 1;
  for (auto n : shape) size *= n;
  if (static_cast<std::size_t>(size) != data.size())
    throw std::logic_error("licsim._core: array " + name + " does not match the output schema's shape");
  py::array view(py::dtype::of<double>(), shape, c_strides(shape, sizeof(double)), data.data(), keeper(run));
  make_read_only(view);
  return view;
}

/// One variable as the file stores it. A plain float slot is a read-only
/// strided view of the engine's array; counts are rounded to the file's
/// integer type and a mean (`per`) is divided, as the writer does.
py::array variable(const std::shared_ptr<HeldResult>& run, const std::string& group_name, const std::string& name) {
  const auto [array, slot] = find_variable(find_group(group_name), name);
  const VariableSpec& spec = array->slots[slot];
  const std::vector<py::ssize_t> shape = cell_shape(run->result, *array);
  if (!spec.count && spec.per.empty()) {
    const auto strides = c_strides(shape, static_cast<py::ssize_t>(sizeof(double) * array->slots.size()));
    py::array view(py::dtype::of<double>(), shape, strides, array->data(run->result).data() + slot, keeper(run));
    make_read_only(view);
    return view;
  }
  const std::vector<double> values = std::move(licsim::variable_values(run->result, *array, slot, 1)[0]);
  const licsim::StoredAs type = licsim::stored_type(values, spec.count);
  py::array out = type == licsim::StoredAs::int32   ? new_array<std::int32_t>(shape)
                  : type == licsim::StoredAs::int64 ? new_array<std::int64_t>(shape)
                                                    : new_array<double>(shape);
  licsim::to_file_bytes(values.data(), values.size(), type, static_cast<std::uint8_t*>(out.mutable_data()));
  return out;
}

/// A dimension's coordinate values and attributes, as the writer makes its scale.
py::tuple dimension(const HeldResult& run, const std::string& group_name, const std::string& name) {
  const GroupSpec& group = find_group(group_name);
  const licsim::DimensionSpec* dim = nullptr;
  for (const auto& d : group.dims)
    if (d.name == name) dim = &d;
  if (!dim) throw py::key_error("group " + group.name + " has no dimension '" + licsim::printable(name, 100) + "'");
  py::dict attrs;
  if (!licsim::is_numeric_axis(dim->axis)) {
    attrs["long_name"] = dim->long_name;
    py::object labels = py::module_::import("numpy").attr("array")(licsim::axis_labels(run.result, dim->axis),
                                                                   py::arg("dtype") = "O");
    return py::make_tuple(labels, attrs);
  }
  const std::vector<int> numbers = licsim::axis_numbers(run.result, dim->axis);
  py::array values = new_array<std::int32_t>({static_cast<py::ssize_t>(numbers.size())});
  auto* out = static_cast<std::int32_t*>(values.mutable_data());
  for (std::size_t i = 0; i < numbers.size(); ++i) out[i] = numbers[i];
  if (licsim::is_time_axis(dim->axis)) attrs["units"] = "days since " + run.result.start_date;
  attrs["long_name"] = dim->long_name;
  if (licsim::is_time_axis(dim->axis)) attrs["calendar"] = "proleptic_gregorian";
  return py::make_tuple(values, attrs);
}

std::string axis_kind(licsim::Axis axis) {
  return licsim::is_time_axis(axis) ? "time" : licsim::is_numeric_axis(axis) ? "index" : "label";
}

/// The schema as Python data: a tuple of groups, each a dict of its name,
/// description, dimensions (name, long_name, kind), arrays and variables.
py::tuple schema_as_python() {
  py::list groups;
  for (const GroupSpec& group : licsim::output_groups()) {
    py::list dims, arrays, variables;
    for (const auto& d : group.dims) dims.append(py::make_tuple(d.name, d.long_name, axis_kind(d.axis)));
    for (std::size_t a : group.arrays) {
      const ArraySpec& array = licsim::output_arrays()[a];
      py::list slot_names;
      for (std::size_t s = 0; s < array.slots.size(); ++s) {
        const VariableSpec& v = array.slots[s];
        slot_names.append(v.name);
        py::dict var;
        var["name"] = v.name;
        var["dims"] = py::tuple(py::cast(array.dims));
        var["units"] = v.units;
        var["long_name"] = v.long_name;
        var["count"] = v.count;
        var["array"] = array.name;
        var["slot"] = s;
        py::list per;  // a mean: the slots whose sum divides it
        for (std::size_t d : v.per) per.append(array.slots[d].name);
        var["per"] = py::tuple(per);
        variables.append(var);
      }
      py::dict arr;
      arr["name"] = array.name;
      arr["dims"] = py::tuple(py::cast(array.dims));
      arr["slots"] = py::tuple(slot_names);
      arr["description"] = array.description;
      arrays.append(arr);
    }
    py::dict g;
    g["name"] = group.name;
    g["description"] = group.description;
    g["dimensions"] = py::tuple(dims);
    g["arrays"] = py::tuple(arrays);
    g["variables"] = py::tuple(variables);
    groups.append(g);
  }
  return py::tuple(groups);
}

template <class Array>
py::tuple names(const Array& array) {
  py::list out;
  for (const auto& name : array) out.append(py::str(std::string(name)));
  return py::tuple(out);
}

template <class Array>
py::tuple metric_table(const Array& table) {
  py::list out;
  for (const auto& info : table)
    out.append(py::make_tuple(std::string(info.name), std::string(info.units),
                              info.basis == licsim::Basis::board ? "board" : "patient_home",
                              std::string(info.description), info.is_count()));
  return py::tuple(out);
}

py::list headline_rows(const licsim::Result& results, double national_factor) {
  static const char* const kinds[] = {"count", "usd", "days", "share"};
  py::list rows;
  for (const auto& row : licsim::headline(results, national_factor)) {
    py::dict d;
    d["metric"] = row.name;
    d["units"] = row.units;
    d["kind"] = kinds[static_cast<int>(row.kind)];
    d["mean"] = row.mean;
    d["low"] = row.low;
    d["high"] = row.high;
    rows.append(d);
  }
  return rows;
}

void save(const HeldResult& run, const std::string& path, bool force) {
  licsim::check_output_path(path, force);
  licsim::OutputMetadata meta = run.meta;
  meta.created_utc = licsim::created_utc_now();  // when written, as the CLI does
  py::gil_scoped_release release;
  licsim::write_results(path, run.result, meta, force);
}

}  // namespace

void bind_result(py::module_& m) {
  m.def("check_result_file",
        [](const std::string& path) {
          const auto info = licsim::check_result_file(path);
          return py::make_tuple(info.format_version, info.licsim_version);
        },
        py::arg("path"),
        "Raise DataError unless `path` is a complete licsim result file of a format this build reads; "
        "return (format version, licsim version).");
  m.attr("output_format_version") = licsim::output_format_version;

  py::class_<HeldResult, std::shared_ptr<HeldResult>>(m, "Result", "A finished run held in memory: its arrays and metadata (wrapped by licsim.Result).")
      .def_property_readonly("replicates", [](const HeldResult& r) { return r.result.replicates; })
      .def_property_readonly("days", [](const HeldResult& r) { return r.result.days; })
      .def_property_readonly("months", [](const HeldResult& r) { return r.result.months; })
      .def_property_readonly("patients", [](const HeldResult& r) { return r.result.patients; })
      .def_property_readonly("clinicians", [](const HeldResult& r) { return r.result.clinicians; })
      .def_property_readonly("licensed_clinicians", [](const HeldResult& r) { return r.result.licensed_clinicians; })
      .def_property_readonly("start_date", [](const HeldResult& r) { return r.result.start_date; })
      .def_property_readonly("jurisdictions", [](const HeldResult& r) { return r.result.jurisdictions; })
      .def_property_readonly("places", [](const HeldResult& r) { return r.result.places; })
      .def_property_readonly("specialties", [](const HeldResult& r) { return r.result.specialties; })
      .def_property_readonly("month_start_day", [](const HeldResult& r) { return r.result.month_start_day; })
      .def_property_readonly("settings", [](const HeldResult& r) { return r.meta.settings; },
                             "the RunSettings run, with days the days recorded")
      .def_property_readonly("seed", [](const HeldResult& r) { return r.meta.settings.seed; })
      .def_property_readonly("scale", [](const HeldResult& r) { return r.meta.settings.scale; })
      .def_property_readonly("scenario_file", [](const HeldResult& r) { return r.meta.scenario_file; })
      .def_property_readonly("scenario_toml", [](const HeldResult& r) { return r.meta.scenario_toml; })
      .def("array", &array_view, py::arg("name"),
           "One of the engine's result arrays (output_schema's arrays), read-only and without a copy: its "
           "dimensions, then its slots when it has several (a mean's slot holds the sum).")
      .def("variable", &variable, py::arg("group"), py::arg("name"),
           "One variable of a file group as the file stores it (counts as int32 or int64, means divided); a "
           "float slot is a read-only view.")
      .def("dimension", &dimension, py::arg("group"), py::arg("name"),
           "(values, attributes) of a group's dimension, as the file's dimension scale.")
      .def("headline", [](const HeldResult& r, double national_factor) { return headline_rows(r.result, national_factor); },
           py::arg("national_factor") = 1.0,
           "Headline rows (metric, units, kind, mean, low, high); counts and amounts times national_factor "
           "(1 / scale: the national figures `licsim run` prints).")
      .def("save", &save, py::arg("path"), py::arg("force") = false,
           "Write the HDF5 file `licsim run` writes (write_results with the run's metadata).");

  m.attr("output_schema") = schema_as_python();
  m.def("output_schema_markdown", &licsim::output_schema_markdown, py::arg("group") = "",
        "The variable tables of docs/output.md (`licsim schema --markdown`).");

  // Vocabularies and metric tables, so that Python labels arrays exactly as the file does.
  m.attr("daily_metrics") = metric_table(licsim::daily_metrics);
  m.attr("breakdown_metrics") = metric_table(licsim::breakdown_metrics);
  m.attr("user_metrics") = metric_table(licsim::user_metrics);
  m.attr("user_period_names") = names(licsim::user_period_names);
  m.attr("payer_names") = names(licsim::payer_names);
  m.attr("area_names") = names(licsim::area_names);
  m.attr("modality_names") = names(licsim::modality_names);
  m.attr("age_band_names") = names(licsim::age_band_names);
  m.attr("authority_names") = names(licsim::authority_labels());  // shipped regimes and any registered
  m.attr("pathway_names") = names(licsim::pathway_names);
  m.attr("wait_quantile_names") = names(licsim::wait_quantile_names);
  m.attr("disruption_outcome_names") = names(licsim::disruption_outcome_names);
  m.attr("harm_cause_names") = names(licsim::harm_cause_names);
}
