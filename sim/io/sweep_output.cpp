#include "io/sweep_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "core/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/chunk_codec.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_probe.hpp"
#include "io/hdf5_util.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_checks.hpp"
#include "io/result_file.hpp"
#include "io/variable_batch.hpp"

namespace licsim {

namespace {

namespace fs = std::filesystem;

// netCDF's default fill values: what a failed point's cells hold.
constexpr std::int32_t fill_int32 = -2147483647;
constexpr std::int64_t fill_int64 = -9223372036854775806LL;
const std::vector<std::string> copied_attributes = {"units", "long_name", "calendar"};

// --- reading -----------------------------------------------------------------

void check_read(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: cannot read " + what + " (truncated or damaged file?)");
}

std::optional<std::string> read_attr_text(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
  Handle ftype(H5Aget_type(attr), H5Tclose, "type of " + name);
  if (H5Tget_class(ftype) != H5T_STRING) return std::nullopt;
  Handle mtype(vlen_string_type(), H5Tclose, "string type");
  if (H5Tis_variable_str(ftype) <= 0) return std::nullopt;
  char* value = nullptr;
  if (H5Aread(attr, mtype, &value) < 0) return std::nullopt;
  std::string out = value ? value : "";
  H5free_memory(value);
  return out;
}

std::optional<std::int64_t> read_attr_int(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return std::nullopt;
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute " + name);
  std::int64_t v = 0;
  if (H5Aread(attr, H5T_NATIVE_INT64, &v) < 0) return std::nullopt;
  return v;
}

std::vector<hsize_t> shape_of(hid_t dset) {
  Handle space(H5Dget_space(dset), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

/// Fails unless `dset` is one-dimensional (or scalar) of a type of `cls`:
/// a buffer sized from a wrong shape would be overrun by H5Dread.
void expect_vector(hid_t dset, H5T_class_t cls, const std::string& what) {
  Handle type(H5Dget_type(dset), H5Tclose, "type of " + what);
  if (shape_of(dset).size() > 1 || H5Tget_class(type) != cls)
    throw OutputError(what + ": not a " + (cls == H5T_STRING ? "list of texts" : "list of numbers") +
                      " (a damaged or foreign file)");
}

std::vector<std::string> read_texts(hid_t dset) {
  expect_vector(dset, H5T_STRING, "a text variable");
  const auto dims = shape_of(dset);
  const std::size_t n = dims.empty() ? 1 : dims[0];
  std::vector<char*> raw(n, nullptr);
  Handle mtype(vlen_string_type(), H5Tclose, "string type");
  check_read(H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), "strings");
  std::vector<std::string> out;
  for (char* s : raw) {
    out.emplace_back(s ? s : "");
    H5free_memory(s);
  }
  return out;
}

std::string text_at(hid_t dset, int slot) {
  const auto texts = read_texts(dset);
  if (slot < 0 || static_cast<std::size_t>(slot) >= texts.size())
    throw OutputError("a text variable has no row " + std::to_string(slot) + " (a damaged or foreign file)");
  return texts[static_cast<std::size_t>(slot)];
}

std::string base_name(hid_t obj) {
  char buf[512];
  const ssize_t n = H5Iget_name(obj, buf, sizeof buf);  // the full length, even when longer than buf
  const std::string full(buf, static_cast<std::size_t>(std::clamp<ssize_t>(n, 0, sizeof buf - 1)));
  return full.substr(full.rfind('/') + 1);
}

herr_t scale_name_visitor(hid_t, unsigned, hid_t scale, void* out) {
  *static_cast<std::string*>(out) = base_name(scale);
  return 1;  // the first attached scale names the dimension
}

std::vector<std::string> dimension_names(hid_t dset, std::size_t rank) {
  std::vector<std::string> names(rank);
  for (std::size_t d = 0; d < rank; ++d)
    H5DSiterate_scales(dset, static_cast<unsigned>(d), nullptr, scale_name_visitor, &names[d]);
  return names;
}

std::vector<std::pair<std::string, std::string>> text_attributes(hid_t obj) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& name : copied_attributes)
    if (auto v = read_attr_text(obj, name)) out.emplace_back(name, *v);
  return out;
}

bool is_group(hid_t parent, const std::string& name) {
  H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Oget_info_by_name3(parent, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
#else
  if (H5Oget_info_by_name(parent, name.c_str(), &info, H5P_DEFAULT) < 0) return false;
#endif
  return info.type == H5O_TYPE_GROUP;
}

// --- the layout of a results group -----------------------------------------------

struct ScaleSpec {
  std::string name;
  bool text = false;
  std::vector<std::int32_t> ints;
  std::vector<std::string> texts;
  std::vector<std::pair<std::string, std::string>> attrs;
};

struct VarSpec {
  std::string name;
  std::vector<std::string> dims;  ///< without `point`
  std::vector<hsize_t> shape;     ///< without `point`
  std::vector<hsize_t> chunk;     ///< without `point`
  bool integer = false;
  bool wide = false;  ///< int64 in at least one source
  std::vector<std::pair<std::string, std::string>> attrs;
};

struct GroupSpec {
  std::string name;
  std::string description;
  std::vector<ScaleSpec> scales;
  std::vector<VarSpec> vars;
};

/// The layout of every results group in a source, without the point dimension.
std::vector<GroupSpec> read_layout(hid_t file, bool stacked) {
  std::vector<GroupSpec> groups;
  for (const auto& gname : children(file)) {
    if (!is_group(file, gname) || gname == "points") continue;
    Handle group(H5Gopen2(file, gname.c_str(), H5P_DEFAULT), H5Gclose, "group " + gname);
    GroupSpec g{gname, read_attr_text(group, "description").value_or(""), {}, {}};
    const std::string stacked_suffix = ", stacked along point";
    if (stacked && g.description.size() >= stacked_suffix.size() &&
        g.description.compare(g.description.size() - stacked_suffix.size(), stacked_suffix.size(), stacked_suffix) == 0)
      g.description.resize(g.description.size() - stacked_suffix.size());
    for (const auto& name : children(group)) {
      Handle dset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "dataset " + name);
      auto shape = shape_of(dset);
      auto dims = dimension_names(dset, shape.size());
      if (H5DSis_scale(dset) > 0) {
        if (name == "point") continue;
        Handle type(H5Dget_type(dset), H5Tclose, "type");
        ScaleSpec s{name, H5Tget_class(type) == H5T_STRING, {}, {}, text_attributes(dset)};
        if (s.text) {
          s.texts = read_texts(dset);
        } else {
          expect_vector(dset, H5T_INTEGER, "dimension " + name);
          s.ints.resize(shape.empty() ? 1 : shape[0]);
          check_read(H5Dread(dset, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.ints.data()), name);
        }
        g.scales.push_back(std::move(s));
        continue;
      }
      if (stacked) {
        if (dims.empty() || dims[0] != "point" || shape.size() < 2) continue;  // a point coordinate
        dims.erase(dims.begin());
        shape.erase(shape.begin());
      }
      Handle type(H5Dget_type(dset), H5Tclose, "type");
      VarSpec v{name, dims, shape, shape, H5Tget_class(type) == H5T_INTEGER, H5Tget_size(type) > 4,
                text_attributes(dset)};
      // One chunk per point and leading step, as in run files.
      v.chunk[0] = 1;
      if (v.chunk.size() > 1) v.chunk[1] = std::min<hsize_t>(v.chunk[1], 32);
      g.vars.push_back(std::move(v));
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

/// Everything about one source point the sweep file records besides its arrays.
struct PointRecord {
  std::string scenario_toml;
  std::map<std::string, std::string> data_files;  ///< "<name>_csv" -> text
  int days = 0;
};

PointRecord read_record(hid_t file, int slot) {
  PointRecord r;
  for (const auto& name : [&] {
         std::vector<std::string> names;
         const auto n = H5Aget_num_attrs(file);
         for (int i = 0; i < n; ++i) {
           Handle attr(H5Aopen_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, static_cast<hsize_t>(i), H5P_DEFAULT,
                                      H5P_DEFAULT),
                       H5Aclose, "attribute");
           char buf[256];
           const ssize_t len = H5Aget_name(attr, sizeof buf, buf);
           if (len > 0) names.emplace_back(buf, static_cast<std::size_t>(std::min<ssize_t>(len, 255)));
         }
         return names;
       }()) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "_csv") == 0)
      r.data_files[name] = read_attr_text(file, name).value_or("");
  }
  r.days = static_cast<int>(read_attr_int(file, "days").value_or(0));
  if (slot < 0) {
    r.scenario_toml = read_attr_text(file, "scenario_toml").value_or("");
    return r;
  }
  Handle points(H5Gopen2(file, "points", H5P_DEFAULT), H5Gclose, "group points");
  Handle toml(H5Dopen2(points, "scenario_toml", H5P_DEFAULT), H5Dclose, "points/scenario_toml");
  r.scenario_toml = text_at(toml, slot);
  for (const auto& name : children(points)) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "_csv") == 0) {
      Handle d(H5Dopen2(points, name.c_str(), H5P_DEFAULT), H5Dclose, name);
      r.data_files[name] = text_at(d, slot);
    }
  }
  return r;
}

/// Whether a file may have been crafted: a shard or sweep file named by the
/// user may; a point file in the sweep's own work folder is licsim's (its seal
/// still catches damage), and a shard merge has just opened was probed then.
enum class FileOrigin { given_by_user, checked_or_own };

/// Opens a point file or shard after checking its seal (HDF5 never parses a
/// damaged or foreign file) and, for a file given by the user, after probing
/// it in a child process (io/hdf5_probe.hpp).
hid_t open_file(const fs::path& path, FileOrigin origin) {
  try {
    const Seal seal = verify_seal(path);
    if (seal.format != output_format_version)
      throw DataError(path.string() + ": result format version " + std::to_string(seal.format) + "; this licsim reads " +
                      std::to_string(output_format_version));
    // A forged file crashes or hangs a child, not this process; the child also
    // reads what merge reads of a shard (HDF5 on forged data depends on order).
    if (origin == FileOrigin::given_by_user)
      probe_hdf5_file(path, [&] {
        const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f < 0) return;
        Handle owner(f, H5Fclose, "file");
        (void)read_layout(f, true);
        (void)read_record(f, 0);
      });
  } catch (const DataError& e) {
    throw OutputError(e.what());
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) throw OutputError(path.string() + ": not a readable HDF5 file (missing, truncated or foreign)");
  return file;
}

// --- writing -------------------------------------------------------------------

hid_t create_stacked(hid_t group, const VarSpec& v, hsize_t points) {
  std::vector<hsize_t> dims{points}, chunk{1};
  dims.insert(dims.end(), v.shape.begin(), v.shape.end());
  chunk.insert(chunk.end(), v.chunk.begin(), v.chunk.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "space");
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  H5Pset_obj_track_times(dcpl, 0);
  H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
  H5Pset_shuffle(dcpl);
  H5Pset_deflate(dcpl, 1);
  const hid_t ftype = !v.integer ? H5T_IEEE_F64LE : v.wide ? H5T_STD_I64LE : H5T_STD_I32LE;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!v.integer) H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan);
  else if (v.wide) H5Pset_fill_value(dcpl, H5T_NATIVE_INT64, &fill_int64);
  else H5Pset_fill_value(dcpl, H5T_NATIVE_INT32, &fill_int32);
  const hid_t dset = H5Dcreate2(group, v.name.c_str(), ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (dset < 0) throw OutputError("HDF5: cannot create dataset " + v.name);
  if (!v.integer) attr_scalar(dset, "_FillValue", nan, H5T_IEEE_F64LE);
  else if (v.wide) attr_scalar(dset, "_FillValue", fill_int64, H5T_STD_I64LE);
  else attr_scalar(dset, "_FillValue", fill_int32, H5T_STD_I32LE);
  return dset;
}

/// A per-point variable (no chunking needed: one value per point).
hid_t point_text(hid_t group, hid_t point_dim, const std::string& name, const std::vector<std::string>& values,
                 const std::string& description) {
  Handle type(vlen_string_type(), H5Tclose, "string type");
  const hid_t dset = create_dataset(group, name, type, {values.size()});
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!values.empty()) check(H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), name);
  check(H5DSattach_scale(dset, point_dim, 0), "dimensions of " + name);
  describe(dset, "", description);
  return dset;
}

void point_reals(hid_t group, hid_t point_dim, const std::string& name, const std::vector<double>& values,
                 const std::string& units, const std::string& description) {
  Handle dset(create_dataset(group, name, H5T_IEEE_F64LE, {values.size()}), H5Dclose, name);
  if (!values.empty()) check(H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
  check(H5DSattach_scale(dset, point_dim, 0), "dimensions of " + name);
  describe(dset, units, description);
}

/// The varied keys as coordinates along `point` (numbers as float64, others as text).
void write_coordinates(hid_t group, hid_t point_dim, const SweepPlan& plan, const std::vector<PointSource>& sources) {
  std::vector<std::string> labels;
  for (const auto& s : sources) labels.push_back(plan.points.at(static_cast<std::size_t>(s.point)).label);
  Handle(point_text(group, point_dim, "scenario", labels, "base scenario of the point (file name)"), H5Dclose, "");
  for (std::size_t c = 0; c < plan.coordinates.size(); ++c) {
    const auto& key = plan.coordinates[c];
    std::vector<double> numbers;
    std::vector<std::string> texts;
    bool numeric = true;
    for (const auto& s : sources) {
      const auto& value = plan.points.at(static_cast<std::size_t>(s.point)).overrides.at(c).second;
      if (const auto* d = std::get_if<double>(&value)) numbers.push_back(*d);
      else if (const auto* i = std::get_if<std::int64_t>(&value)) numbers.push_back(static_cast<double>(*i));
      else if (const auto* b = std::get_if<bool>(&value)) numbers.push_back(*b ? 1 : 0);
      else numeric = false;
      texts.push_back(std::holds_alternative<std::string>(value) ? std::get<std::string>(value) : describe(value));
    }
    if (numeric) point_reals(group, point_dim, key, numbers, "", "value of scenario key " + key + " at the point");
    else Handle(point_text(group, point_dim, key, texts, "value of scenario key " + key + " at the point"), H5Dclose, "");
  }
}

std::string coordinates_attribute(const SweepPlan& plan) {
  std::string out = "scenario";
  for (const auto& key : plan.coordinates) out += " " + key;
  return out;
}

hid_t point_dimension(hid_t group, const std::vector<PointSource>& sources) {
  std::vector<std::int32_t> idx;
  for (const auto& s : sources) idx.push_back(s.point);
  return dimension_int(group, "point", idx, "", "index of the point in the sweep plan");
}

void write_points_group(hid_t file, const SweepPlan& plan, const std::vector<PointSource>& sources,
                        const std::vector<PointRecord>& records, const std::vector<std::string>& varying_files) {
  Handle gcpl(group_plist(), H5Pclose, "group properties");
  Handle group(H5Gcreate2(file, "points", H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose, "group points");
  attr_string(group, "description", "one row per point: its scenario, overrides, seed and outcome");
  Handle point(point_dimension(group, sources), H5Dclose, "point");
  write_coordinates(group, point, plan, sources);
  std::vector<std::string> files, status, errors, tomls;
  std::vector<std::uint64_t> seeds;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& p = plan.points.at(static_cast<std::size_t>(sources[i].point));
    files.push_back(p.scenario);
    seeds.push_back(p.seed);
    status.push_back(sources[i].ok ? "ok" : "failed");
    errors.push_back(sources[i].error);
    tomls.push_back(records[i].scenario_toml);
  }
  Handle(point_text(group, point, "scenario_file", files, "base scenario file of the point"), H5Dclose, "");
  Handle(point_text(group, point, "status", status, "ok, or failed (see error); a failed point's cells hold _FillValue"),
         H5Dclose, "");
  Handle(point_text(group, point, "error", errors, "why the point failed (empty when ok)"), H5Dclose, "");
  Handle(point_text(group, point, "scenario_toml", tomls, "the point's full resolved scenario (empty when failed)"),
         H5Dclose, "");
  for (const auto& name : varying_files) {
    std::vector<std::string> texts;
    for (const auto& r : records) texts.push_back(r.data_files.count(name) ? r.data_files.at(name) : "");
    Handle(point_text(group, point, name, texts, "data file used by the point, verbatim"), H5Dclose, "");
  }
  Handle seed(create_dataset(group, "seed", H5T_STD_U64LE, {seeds.size()}), H5Dclose, "seed");
  if (!seeds.empty()) check(H5Dwrite(seed, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, seeds.data()), "seed");
  check(H5DSattach_scale(seed, point, 0), "dimensions of seed");
  describe(seed, "", "random seed of the point");
}

void write_scale(hid_t group, const ScaleSpec& s, std::map<std::string, hid_t>& out) {
  const hid_t d = s.text ? dimension_text(group, s.name, s.texts, "") : dimension_int(group, s.name, s.ints, "", "");
  // dimension_* wrote a long_name of its own; keep the source's attributes instead.
  H5Adelete(d, "long_name");
  for (const auto& [k, v] : s.attrs)
    if (H5Aexists(d, k.c_str()) <= 0) attr_string(d, k, v);
  out[s.name] = d;
}

/// Whether a dataset is stored as create_stacked stores: chunks of `chunk`,
/// shuffle then deflate level 1, of `type`.
bool stored_like(hid_t dset, const std::vector<hsize_t>& chunk, hid_t type) {
  Handle dcpl(H5Dget_create_plist(dset), H5Pclose, "dataset properties");
  if (H5Pget_layout(dcpl) != H5D_CHUNKED || H5Pget_chunk(dcpl, 0, nullptr) != static_cast<int>(chunk.size())) return false;
  std::vector<hsize_t> c(chunk.size());
  H5Pget_chunk(dcpl, static_cast<int>(c.size()), c.data());
  if (c != chunk || H5Pget_nfilters(dcpl) != 2) return false;
  unsigned flags = 0, level = 0;
  std::size_t n = 1;
  if (H5Pget_filter2(dcpl, 0, &flags, &n, &level, 0, nullptr, nullptr) != H5Z_FILTER_SHUFFLE) return false;
  n = 1;
  if (H5Pget_filter2(dcpl, 1, &flags, &n, &level, 0, nullptr, nullptr) != H5Z_FILTER_DEFLATE || n != 1 || level != 1)
    return false;
  Handle own(H5Dget_type(dset), H5Tclose, "type");
  return H5Tequal(own, type) > 0;
}

/// Writes one point's values (`ints` or `reals`, row-major over v.shape) as
/// the stacked variable's chunks, compressed here and written in row-major
/// chunk order, as copy_chunks writes copied ones: a sweep file is then the
/// same whichever way its points arrive (point files or shards).
void write_point_chunks(hid_t out_dset, const VarSpec& v, hsize_t row, const std::vector<std::int64_t>& ints,
                        const std::vector<double>& reals) {
  const StoredAs type = !v.integer ? StoredAs::float64 : v.wide ? StoredAs::int64 : StoredAs::int32;
  ChunkCompressor compressor(1);
  std::vector<std::uint8_t> raw;
  for (auto run : chunk_runs(v.shape, v.chunk)) {  // one point's chunks
    raw.assign(chunk_values(v.chunk) * bytes_of(type), 0);  // an edge chunk is stored whole, padded
    if (v.integer)
      to_file_bytes(ints.data() + run.first, run.count, type, raw.data());
    else
      to_file_bytes(reals.data() + run.first, run.count, type, raw.data());
    const auto bytes = compressor.compress(raw, bytes_of(type));
    run.offset.insert(run.offset.begin(), row);
    check(H5Dwrite_chunk(out_dset, H5P_DEFAULT, 0, run.offset.data(), bytes.size(), bytes.data()), v.name);
  }
}

/// Copies a point's values as the compressed chunks they are stored in, when
/// the source stores them as the stacked variable does (a run file's chunks are
/// a point's chunks): no decompressing and compressing again. False, having
/// written nothing, when the layouts differ (then copy_slice copies values).
bool copy_chunks(hid_t src, int slot, const VarSpec& v, hid_t out_dset, hsize_t row) {
  const bool stacked = slot >= 0;
  std::vector<hsize_t> src_chunk = v.chunk, out_chunk = v.chunk;
  out_chunk.insert(out_chunk.begin(), 1);
  if (stacked) src_chunk.insert(src_chunk.begin(), 1);
  Handle out_type(H5Dget_type(out_dset), H5Tclose, "type");
  if (!stored_like(src, src_chunk, out_type) || !stored_like(out_dset, out_chunk, out_type)) return false;
  const auto runs = chunk_runs(v.shape, v.chunk);
  std::vector<std::vector<std::uint8_t>> chunks;
  for (auto run : runs) {
    if (stacked) run.offset.insert(run.offset.begin(), static_cast<hsize_t>(slot));
    hsize_t size = 0;
    if (H5Dget_chunk_storage_size(src, run.offset.data(), &size) < 0 || size == 0) return false;  // not written: copy values
    std::vector<std::uint8_t> bytes(size);
    std::uint32_t mask = 0;
    if (H5Dread_chunk(src, H5P_DEFAULT, run.offset.data(), &mask, bytes.data()) < 0 || mask != 0) return false;
    chunks.push_back(std::move(bytes));
  }
  for (std::size_t k = 0; k < runs.size(); ++k) {
    auto offset = runs[k].offset;
    offset.insert(offset.begin(), row);
    check(H5Dwrite_chunk(out_dset, H5P_DEFAULT, 0, offset.data(), chunks[k].size(), chunks[k].data()), v.name);
  }
  return true;
}

void copy_slice(hid_t src_file, int slot, const GroupSpec& g, const VarSpec& v, hid_t out_dset, hsize_t row) {
  Handle group(H5Gopen2(src_file, g.name.c_str(), H5P_DEFAULT), H5Gclose, "group " + g.name);
  Handle src(H5Dopen2(group, v.name.c_str(), H5P_DEFAULT), H5Dclose, g.name + "/" + v.name);
  std::size_t cells = 1;
  for (auto d : v.shape) cells *= d;
  const hid_t mtype = v.integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
  std::vector<std::int64_t> ints(v.integer ? cells : 0);
  std::vector<double> reals(v.integer ? 0 : cells);
  void* buf = v.integer ? static_cast<void*>(ints.data()) : static_cast<void*>(reals.data());
  std::vector<hsize_t> count{1}, start(v.shape.size() + 1, 0);
  count.insert(count.end(), v.shape.begin(), v.shape.end());
  Handle mspace(H5Screate_simple(static_cast<int>(v.shape.size()), v.shape.data(), nullptr), H5Sclose, "space");
  const auto src_shape = shape_of(src);
  const bool stacked = slot >= 0;
  if (src_shape.size() != v.shape.size() + (stacked ? 1 : 0) ||
      !std::equal(v.shape.begin(), v.shape.end(), src_shape.begin() + (stacked ? 1 : 0)))
    throw OutputError(g.name + "/" + v.name + ": points have different shapes (different scenarios' worlds?)");
  if (copy_chunks(src, slot, v, out_dset, row)) return;
  if (stacked) {
    Handle fspace(H5Dget_space(src), H5Sclose, "space");
    start[0] = static_cast<hsize_t>(slot);
    H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
    check_read(H5Dread(src, mtype, mspace, fspace, H5P_DEFAULT, buf), v.name);
  } else {
    check_read(H5Dread(src, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), v.name);
  }
  write_point_chunks(out_dset, v, row, ints, reals);
}

}  // namespace

std::string plan_hash(const std::string& plan_text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : plan_text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

bool is_point_file(const fs::path& path, const std::string& hash, int point) {
  try {
    if (verify_seal(path).format != output_format_version) return false;  // the work folder is licsim's: no probe
  } catch (const DataError&) {
    return false;  // damaged or foreign: the point runs again
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return false;
  Handle owner(file, H5Fclose, "file");
  return read_attr_text(file, "sweep_plan_hash") == hash && read_attr_int(file, "sweep_point") == point;
}

namespace {

/// The groups and variables of the finished points, from the first one, with the widest
/// integer type any point needs; `records` gets each point's record, `days` its length.
std::vector<GroupSpec> stacked_layout(const std::vector<PointSource>& sources, std::vector<PointRecord>& records,
                                      int& days) {
  std::vector<GroupSpec> layout;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].ok) continue;
    Handle file(open_file(sources[i].file, FileOrigin::checked_or_own), H5Fclose, sources[i].file.string());
    std::vector<GroupSpec> groups;
    try {
      records[i] = read_record(file, sources[i].slot);
      groups = read_layout(file, sources[i].slot >= 0);
    } catch (const OutputError& e) {
      throw OutputError(sources[i].file.string() + ": " + e.what());
    }
    if (layout.empty()) {
      layout = std::move(groups);
      days = records[i].days;
      continue;
    }
    for (auto& g : layout)
      for (auto& v : g.vars)
        for (const auto& og : groups)
          if (og.name == g.name)
            for (const auto& ov : og.vars)
              if (ov.name == v.name) v.wide = v.wide || ov.wide;
  }
  return layout;
}

/// Data files shared by every finished point (they go to the root) and the names of
/// those that differ between points (stored per point).
struct DataFileSplit {
  std::map<std::string, std::string> common;
  std::vector<std::string> varying;
};

DataFileSplit split_data_files(const std::vector<PointSource>& sources, const std::vector<PointRecord>& records) {
  DataFileSplit out;
  auto& common = out.common;
  auto& varying = out.varying;
  std::map<std::string, int> seen;
  int ok = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (!sources[i].ok) continue;
    ++ok;
    for (const auto& [name, text] : records[i].data_files) {
      if (!common.count(name) && !seen.count(name)) common[name] = text;
      else if (common.count(name) && common[name] != text) common.erase(name), varying.push_back(name);
      ++seen[name];
    }
  }
  for (const auto& [name, n] : seen)
    if (n != ok && common.erase(name)) varying.push_back(name);
  std::sort(varying.begin(), varying.end());
  varying.erase(std::unique(varying.begin(), varying.end()), varying.end());
  return out;
}

/// The root attributes: what the sweep is and the settings every point ran with.
void write_sweep_attributes(hid_t file, const SweepPlan& plan, const std::string& plan_text,
                            const std::string& sweep_file_text, const std::string& shard, int days,
                            const std::map<std::string, std::string>& common_data_files) {
  attr_string(file, "licsim_version", version);
  attr_string(file, "licsim_file", "sweep");
  attr_scalar(file, output_format_attribute, static_cast<std::int32_t>(output_format_version), H5T_STD_I32LE);
  attr_string(file, "sweep_plan_toml", plan_text);
  attr_string(file, "sweep_plan_hash", plan_hash(plan_text));
  attr_string(file, "sweep_file", plan.file);
  attr_string(file, "sweep_file_toml", sweep_file_text);
  attr_string(file, "sweep_name", plan.settings.name);
  attr_string(file, "shard", shard);
  attr_scalar(file, "seed", plan.settings.run.seed, H5T_STD_U64LE);
  attr_scalar(file, "replicates", static_cast<std::int32_t>(plan.settings.run.replicates), H5T_STD_I32LE);
  attr_scalar(file, "scale", plan.settings.run.scale, H5T_IEEE_F64LE);
  attr_scalar(file, "days", static_cast<std::int32_t>(days), H5T_STD_I32LE);
  attr_scalar(file, "points_in_plan", static_cast<std::int32_t>(plan.points.size()), H5T_STD_I32LE);
  attr_string(file, "created_utc", created_utc_now());
  attr_string(file, "Conventions", "CF-1.8");
  for (const auto& [name, text] : common_data_files) attr_string(file, name, text);
}

/// Every group of the layout with each variable stacked along `point`, then each finished
/// point's slice copied in. The datasets stay open until every point is copied.
void write_stacked_groups(hid_t file, const SweepPlan& plan, const std::vector<PointSource>& sources,
                          const std::vector<GroupSpec>& layout) {
  const std::string coords = coordinates_attribute(plan);
  std::vector<std::vector<hid_t>> datasets;  // [group][var]
  std::vector<hid_t> open_ids;
  const auto keep = [&](hid_t id) {
    open_ids.push_back(id);
    return id;
  };
  try {
    for (const auto& g : layout) {
      Handle gcpl(group_plist(), H5Pclose, "group properties");
      Handle group(H5Gcreate2(file, g.name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose, g.name);
      attr_string(group, "description", g.description + ", stacked along point");
      std::map<std::string, hid_t> scales;
      scales["point"] = keep(point_dimension(group, sources));
      for (const auto& sc : g.scales) {
        write_scale(group, sc, scales);
        keep(scales[sc.name]);
      }
      write_coordinates(group, scales["point"], plan, sources);
      datasets.emplace_back();
      for (const auto& v : g.vars) {
        const hid_t dset = keep(create_stacked(group, v, sources.size()));
        check(H5DSattach_scale(dset, scales.at("point"), 0), "dimensions of " + v.name);
        for (std::size_t d = 0; d < v.dims.size(); ++d) {
          if (!scales.count(v.dims[d])) throw OutputError(v.name + ": dimension " + v.dims[d] + " has no scale");
          check(H5DSattach_scale(dset, scales.at(v.dims[d]), static_cast<unsigned>(d + 1)),
                "dimensions of " + v.name);
        }
        for (const auto& [k, val] : v.attrs) attr_string(dset, k, val);
        attr_string(dset, "coordinates", coords);
        datasets.back().push_back(dset);
      }
    }
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (!sources[i].ok) continue;
      Handle src(open_file(sources[i].file, FileOrigin::checked_or_own), H5Fclose, sources[i].file.string());
      try {
        for (std::size_t g = 0; g < layout.size(); ++g)
          for (std::size_t v = 0; v < layout[g].vars.size(); ++v)
            copy_slice(src, sources[i].slot, layout[g], layout[g].vars[v], datasets[g][v], i);
      } catch (const OutputError& e) {
        throw OutputError(sources[i].file.string() + ": " + e.what());
      }
    }
  } catch (...) {
    for (hid_t id : open_ids) H5Dclose(id);
    throw;
  }
  for (hid_t id : open_ids) H5Dclose(id);
}

}  // namespace

void write_sweep_file(const fs::path& path, const SweepPlan& plan, const std::string& plan_text,
                      const std::string& sweep_file_text, const std::vector<PointSource>& sources,
                      const std::string& shard, bool force) {
  std::vector<fs::path> inputs;
  for (const auto& s : sources) inputs.push_back(s.file);
  check_output_path(path, force, inputs);
  remove_stale_temporaries(path);  // left by a killed merge or sweep
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

  std::vector<PointRecord> records(sources.size());
  int days = plan.settings.run.days;
  const std::vector<GroupSpec> layout = stacked_layout(sources, records, days);
  const DataFileSplit data_files = split_data_files(sources, records);

  const fs::path tmp = temporary_beside(path);
  try {
    {
      Handle fcpl(sealed_file_plist(), H5Pclose, "file properties");
      Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose, tmp.string());
      write_sweep_attributes(file, plan, plan_text, sweep_file_text, shard, days, data_files.common);
      write_points_group(file, plan, sources, records, data_files.varying);
      write_stacked_groups(file, plan, sources, layout);
      check(H5Fflush(file, H5F_SCOPE_GLOBAL), tmp.string());
    }
    seal_file(tmp, output_format_version);
    commit_file(tmp, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

SweepFileContents read_sweep_file(const fs::path& path) {
  Handle file(open_file(path, FileOrigin::given_by_user), H5Fclose, path.string());
  if (read_attr_text(file, "licsim_file") != "sweep")
    throw OutputError(path.string() + ": not a licsim sweep file (no licsim_file = \"sweep\" attribute)");
  const auto format = read_attr_int(file, output_format_attribute).value_or(0);
  if (format < 1 || format > output_format_version)
    throw OutputError(path.string() + ": sweep file format version " + std::to_string(format) + "; this licsim reads " +
                      std::to_string(output_format_version) + " and older");
  SweepFileContents out;
  out.plan_text = read_attr_text(file, "sweep_plan_toml").value_or("");
  out.sweep_file_text = read_attr_text(file, "sweep_file_toml").value_or("");
  if (!is_group(file, "points")) throw OutputError(path.string() + ": sweep file without a points group");
  Handle points(H5Gopen2(file, "points", H5P_DEFAULT), H5Gclose, "points");
  Handle idx(H5Dopen2(points, "point", H5P_DEFAULT), H5Dclose, "points/point");
  expect_vector(idx, H5T_INTEGER, path.string() + ": points/point");
  const auto idx_shape = shape_of(idx);
  std::vector<std::int32_t> indices(idx_shape.empty() ? 1 : idx_shape[0]);
  if (!indices.empty())
    check_read(H5Dread(idx, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, indices.data()), "points/point");
  Handle status(H5Dopen2(points, "status", H5P_DEFAULT), H5Dclose, "points/status");
  Handle error(H5Dopen2(points, "error", H5P_DEFAULT), H5Dclose, "points/error");
  const auto st = indices.empty() ? std::vector<std::string>{} : read_texts(status);
  const auto er = indices.empty() ? std::vector<std::string>{} : read_texts(error);
  if (st.size() != indices.size() || er.size() != indices.size())
    throw OutputError(path.string() + ": points/status or points/error does not have one row per point (damaged?)");
  for (std::size_t i = 0; i < indices.size(); ++i)
    out.points.push_back({indices[i], st.at(i) == "ok", er.at(i), path, static_cast<int>(i)});
  return out;
}

}  // namespace licsim
