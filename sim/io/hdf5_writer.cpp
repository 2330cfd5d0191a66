#include "io/hdf5_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <list>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/output_schema.hpp"
#include "io/data_files.hpp"
#include "io/file_kind.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_checks.hpp"
#include "io/result_file.hpp"
#include "io/variable_batch.hpp"
#include "io/scenario_file.hpp"
#include "model/authority.hpp"
#include "model/types.hpp"

namespace licsim {

namespace {

/// A group with its description (no timestamps).
hid_t make_group(hid_t file, const char* name, const char* description) {
  Handle gcpl(group_plist(), H5Pclose, "group properties");
  const hid_t group = H5Gcreate2(file, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (group < 0) throw OutputError(std::string("HDF5: cannot create group ") + name);
  attr_string(group, "description", description);
  return group;
}

/// A group's dimension scale: integers (days since the start date for time) or labels.
hid_t make_dimension(hid_t group, const DimensionSpec& dim, const Result& r) {
  if (!is_numeric_axis(dim.axis)) return dimension_text(group, dim.name, axis_labels(r, dim.axis), dim.long_name);
  const std::vector<int> numbers = axis_numbers(r, dim.axis);
  const std::vector<std::int32_t> values(numbers.begin(), numbers.end());
  const bool time = is_time_axis(dim.axis);
  const hid_t scale = dimension_int(group, dim.name, values, time ? "days since " + r.start_date : "", dim.long_name);
  if (time) attr_string(scale, "calendar", "proleptic_gregorian");
  return scale;
}

/// How many slots of `cells` values to split out at once: as many as the
/// writer holds at once (at least one).
std::size_t slots_per_pass(std::size_t cells, std::size_t width) {
  return std::clamp<std::size_t>(writer_batch_values / std::max<std::size_t>(cells, 1), 1, width);
}

/// One group of the output schema: its dimensions, then each array's variables.
void write_group(hid_t file, const GroupSpec& spec, const Result& r, int threads) {
  Handle group(make_group(file, spec.name.c_str(), spec.description.c_str()), H5Gclose, spec.name);
  std::list<Handle> scales;  // Handles do not move
  std::vector<hid_t> scale_of(spec.dims.size(), -1);
  const auto make = [&](std::size_t d) {
    if (scale_of[d] >= 0) return;
    scales.emplace_back(make_dimension(group, spec.dims[d], r), H5Dclose, spec.dims[d].name);
    scale_of[d] = scales.back();
  };
  for (std::size_t d = 0; d < spec.dims_up_front; ++d) make(d);
  const Extents extents = Extents::of(r);
  VariableBatch batch(group, threads);
  for (std::size_t a : spec.arrays) {
    const ArraySpec& array = output_arrays()[a];
    std::vector<hid_t> over;
    std::vector<hsize_t> dims;
    for (std::size_t d = 0; d < spec.dims.size(); ++d)  // created in the group's order
      if (std::find(array.dims.begin(), array.dims.end(), spec.dims[d].name) != array.dims.end()) make(d);
    for (const auto& name : array.dims) {
      const auto d = static_cast<std::size_t>(
          std::find_if(spec.dims.begin(), spec.dims.end(), [&](const auto& x) { return x.name == name; }) -
          spec.dims.begin());
      over.push_back(scale_of[d]);
      dims.push_back(static_cast<hsize_t>(extents.of(spec.dims[d].axis)));
    }
    const std::size_t width = array.slots.size();
    const std::size_t per_pass = slots_per_pass(array.data(r).size() / width, width);
    for (std::size_t first = 0; first < width; first += per_pass) {
      const std::size_t n = std::min(per_pass, width - first);
      auto values = variable_values(r, array, first, n);
      for (std::size_t k = 0; k < n; ++k) {
        const VariableSpec& v = array.slots[first + k];
        batch.add(v.name, over, dims, std::move(values[k]), v.count, v.units, v.long_name);
      }
    }
  }
  batch.write();
}

/// What the recorded days start from, in words (the file's `spinup` attribute).
std::string spinup_text(const Result& r) {
  if (r.spinup_days <= 0)
    return "none: the run starts from an empty history (no relationships, follow-ups, waiting lists or pending "
           "applications)";
  std::ostringstream text;
  text << "the " << r.spinup_days
       << " days before start_date were simulated under the rules in force then and not written: the recorded "
          "days start from that state";
  if (r.spinup_accelerated_days > 0 && r.spinup_licensing_speedup != 1)
    text << " (in the first " << r.spinup_accelerated_days << " of them clinicians' licensing responded "
         << r.spinup_licensing_speedup << " times as fast, to fill the licenses held for telemedicine)";
  return text.str();
}

}  // namespace

OutputMetadata make_metadata(const Scenario& scenario, const std::string& scenario_file, const RunSettings& settings,
                             int days) {
  // The stored scenario records the horizon actually run.
  Scenario resolved = scenario;
  resolved.set("simulation.days", static_cast<std::int64_t>(days), Origin{"--days", 0});
  OutputMetadata meta;
  meta.scenario_toml = to_toml(resolved);
  meta.scenario_file = scenario_file;
  meta.jurisdictions_csv = scenario.jurisdictions_csv;
  meta.foreign_locations_csv = scenario.foreign_locations_csv;
  meta.settings = settings;
  meta.settings.days = days;
  meta.created_utc = created_utc_now();
  for (const auto& [key, table] : scenario.tables) {
    std::string name = key.substr(0, key.size() - 5) + "_csv";  // "compact.members_file" -> "compact_members_csv"
    for (char& ch : name)
      if (ch == '.') ch = '_';
    meta.data_files.emplace_back(name, table.text);
  }
  meta.inputs = input_files(scenario);
  return meta;
}

std::string created_utc_now() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::atoll(epoch));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void check_output_path(const std::filesystem::path& path, bool force, const std::vector<std::filesystem::path>& inputs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status own = fs::symlink_status(path, ec);
  // A link is never replaced (the rename would replace the link, not what it
  // names), and --force replaces only a regular file: never a device, a FIFO,
  // a folder or one of the run's own inputs.
  if (own.type() == fs::file_type::symlink) {
    std::error_code lec;
    const auto target = fs::read_symlink(path, lec);
    throw OutputError(path.string() + ": is a symbolic link" + (lec ? "" : " to " + target.string()) +
                      (fs::exists(path, lec) ? "" : " that names nothing") +
                      "; licsim does not replace links: name the file itself");
  }
  if (own.type() == fs::file_type::directory) throw OutputError(path.string() + ": is " + file_kind(own.type()));
  if (fs::exists(own)) {
    if (own.type() != fs::file_type::regular)
      throw OutputError(path.string() + ": is " + file_kind(own.type()) +
                        "; licsim writes only to a new path or, with --force, over a regular file");
    for (const auto& input : inputs)
      if (fs::equivalent(path, input, ec))
        throw OutputError(path.string() + ": is one of the run's inputs (" + input.string() +
                          "); write the output elsewhere");
    if (!force) throw OutputError(path.string() + ": already exists (use --force to overwrite)");
  }
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    throw OutputError(path.string() + ": folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(path.string() + ": folder " + dir.string() + " is not writable");
  const auto name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  if (name_max > 0 && path.filename().string().size() > static_cast<std::size_t>(name_max))
    throw OutputError(path.string() + ": the file name is longer than " + std::to_string(name_max) +
                      " bytes, the most the folder's file system allows");
}

void write_results(const std::filesystem::path& path, const Result& r, const OutputMetadata& meta,
                   bool force, int threads) {
  check_output_path(path, force, meta.inputs);
  check_output_space(path, estimate_output_bytes(r, meta));
  remove_stale_temporaries(path);  // left by killed runs (see io/output_checks.hpp)
  quiet_hdf5_errors();  // errors become OutputError with the system's reason, not stderr noise
  const std::filesystem::path tmp = temporary_beside(path);
  try {
    {
      Handle fcpl(sealed_file_plist(), H5Pclose, "file properties");
      Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose, tmp.string());
      attr_scalar(file, output_format_attribute, static_cast<std::int32_t>(output_format_version), H5T_STD_I32LE);
      attr_string(file, "licsim_version", version);
      attr_string(file, "scenario_toml", meta.scenario_toml);
      attr_string(file, "scenario_file", meta.scenario_file);
      attr_string(file, "jurisdictions_csv", meta.jurisdictions_csv);
      attr_string(file, "foreign_locations_csv", meta.foreign_locations_csv);
      attr_scalar(file, "seed", meta.settings.seed, H5T_STD_U64LE);
      attr_scalar(file, "replicates", static_cast<std::int32_t>(meta.settings.replicates), H5T_STD_I32LE);
      attr_scalar(file, "scale", meta.settings.scale, H5T_IEEE_F64LE);
      attr_scalar(file, "days", static_cast<std::int32_t>(meta.settings.days), H5T_STD_I32LE);
      attr_scalar(file, "spinup_days", static_cast<std::int32_t>(r.spinup_days), H5T_STD_I32LE);
      attr_string(file, "spinup", spinup_text(r));
      attr_string(file, "created_utc", meta.created_utc);
      attr_string(file, "Conventions", "CF-1.8");
      for (const GroupSpec& group : output_groups()) write_group(file, group, r, threads);
      for (const auto& [key, text] : meta.data_files) attr_string(file, key, text);
      if (meta.sweep_point >= 0) {
        attr_string(file, "sweep_plan_hash", meta.sweep_plan_hash);
        attr_scalar(file, "sweep_point", static_cast<std::int32_t>(meta.sweep_point), H5T_STD_I32LE);
      }
      check(H5Fflush(file, H5F_SCOPE_GLOBAL), tmp.string());
    }
    seal_file(tmp, output_format_version);
    commit_file(tmp, path);
  } catch (const OutputError& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    const std::string why = hdf5_error_detail();
    throw OutputError(path.string() + ": writing the output failed (" + e.what() + (why.empty() ? "" : ": " + why) +
                      "); nothing was written at " + path.string());
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace licsim
