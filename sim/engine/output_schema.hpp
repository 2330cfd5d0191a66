#pragma once
// The output schema: every array a run produces and every variable and
// dimension of the result file, described once. The engine allocates the
// arrays from it, the HDF5 writer and the Python bindings iterate over it, the
// memory and file-size estimates count it, and docs/output.md's variable
// tables are generated from it (`licsim schema --markdown`).
//
// Adding an output: a slot in a metric table (engine/metrics.hpp) when it
// belongs to an existing array, or one ArraySpec in output_schema.cpp (and
// its std::vector in Result) when it has dimensions of its own.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "engine/metrics.hpp"
#include "engine/result.hpp"

namespace licsim {

/// What an axis of an array indexes.
enum class Axis {
  replicate,
  day,
  month,
  quarter,
  half_year,
  year,
  jurisdiction,  ///< the US jurisdictions (USPS codes)
  place,         ///< the US jurisdictions, then the foreign locations
  payer,
  area,
  specialty,
  modality,
  authority,
  pathway,
  outcome,
  cause,
  wait_quantile,
};

/// How many values every axis has in one run. Doubles: the estimates use them
/// before a run, when the number of months may be approximate.
struct Extents {
  double replicates = 0, days = 0, months = 0, jurisdictions = 0, places = 0, specialties = 0;
  std::array<double, user_period_count> periods{};  ///< months (= months), quarters, half-years, years
  double of(Axis axis) const;
  /// The extents of a run's results (every coordinate set; arrays may be empty).
  static Extents of(const Result& results);
};

/// One dimension of a group of the file: a dimension scale of that name over an axis.
struct DimensionSpec {
  std::string name;
  Axis axis;
  std::string long_name;
};

/// One variable of the file: one slot of an array.
struct VariableSpec {
  std::string name;
  std::string units;  ///< UDUNITS spelling ("1" for counts)
  std::string long_name;
  bool count = false;  ///< whole numbers, stored as integers
  /// When not empty, the variable is this slot divided by the sum of these
  /// slots of the same cell (a mean; NaN where that sum is 0).
  std::vector<std::size_t> per;
};

/// One of the engine's result arrays: row-major over `dims`, then its slots
/// (a variable each; one slot adds no axis).
struct ArraySpec {
  std::string name;   ///< the bindings' name for it (Run.array(name))
  std::string group;  ///< the file group its variables are written to
  std::vector<std::string> dims;  ///< names of the group's dimensions, one per axis
  std::vector<VariableSpec> slots;
  std::string description;
  /// The engine's storage of it in Result.
  std::vector<double>& (*storage)(Result&);
  const std::vector<double>& data(const Result& r) const { return storage(const_cast<Result&>(r)); }
};

struct GroupSpec {
  std::string name;
  std::string description;
  std::vector<DimensionSpec> dims;
  /// The first `dims_up_front` dimensions are created with the group, the
  /// others just before the first variable over them (the file's object order).
  std::size_t dims_up_front = 0;
  std::vector<std::size_t> arrays;  ///< indices into output_arrays(), in the file's order
  const DimensionSpec& dimension(const std::string& name) const;
};

const std::vector<ArraySpec>& output_arrays();
const std::vector<GroupSpec>& output_groups();

const ArraySpec& output_array(const std::string& name);
const GroupSpec& output_group(const std::string& name);

/// The axes of an array, one per dimension (without the slot axis).
std::vector<Axis> axes_of(const ArraySpec& array);
/// Cells of an array (the product of its dimensions' extents, without slots).
double cells_of(const ArraySpec& array, const Extents& extents);

/// Replicates and the time axes have integer coordinates (days since the start
/// date for time); the other axes have text labels.
bool is_numeric_axis(Axis axis);
bool is_time_axis(Axis axis);
std::vector<int> axis_numbers(const Result& results, Axis axis);
std::vector<std::string> axis_labels(const Result& results, Axis axis);

/// Sizes every array of `results` from its coordinates, zero-filled.
void allocate_results(Result& results);

/// Values of slots [first, first + count) of an array as the file stores them
/// (a `per` slot already divided), each a row-major [cells] vector.
std::vector<std::vector<double>> variable_values(const Result& results, const ArraySpec& array, std::size_t first,
                                                 std::size_t count);

/// Bytes of every array (doubles), for the memory estimate.
double results_bytes(const Extents& extents);
/// Values of the largest variable, for the writer's buffer in the memory estimate.
double largest_variable_values(const Extents& extents);
/// Bytes of every variable as stored (int32 counts, float64 otherwise) and of
/// the coordinates, for the output's size estimate (before compression).
double stored_bytes(const Extents& extents);

/// Every group's dimensions and variables as plain text (`licsim schema`), or one group's.
std::string output_schema_listing(const std::string& group = "");

/// The variable tables of docs/output.md, one section per group, or of one group.
std::string output_schema_markdown(const std::string& group = "");

}  // namespace licsim
