#include "io/result_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/errors.hpp"
#include "engine/output_schema.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_probe.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_checks.hpp"

namespace licsim {

namespace {

struct Closer {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Closer() {
    if (id >= 0) close(id);
  }
};

std::string read_string_attribute(hid_t obj, const char* name) {
  if (H5Aexists(obj, name) <= 0) return {};
  Closer attr{H5Aopen(obj, name, H5P_DEFAULT), H5Aclose};
  if (attr.id < 0) return {};
  Closer type{H5Aget_type(attr.id), H5Tclose};
  if (type.id < 0 || H5Tget_class(type.id) != H5T_STRING || H5Tis_variable_str(type.id) <= 0) return {};
  Closer mem{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(mem.id, H5T_VARIABLE);
  H5Tset_cset(mem.id, H5Tget_cset(type.id));  // HDF5 does not convert between ASCII and UTF-8
  char* value = nullptr;
  if (H5Aread(attr.id, mem.id, &value) < 0 || !value) return {};
  std::string out(value);
  H5free_memory(value);
  return out;
}

/// The length of dimension scale `scale` (rank 1), or -1.
herr_t scale_length_visitor(hid_t, unsigned, hid_t scale, void* out) {
  Closer space{H5Dget_space(scale), H5Sclose};
  hsize_t n = 0;
  const bool ok = space.id >= 0 && H5Sget_simple_extent_ndims(space.id) == 1 &&
                  H5Sget_simple_extent_dims(space.id, &n, nullptr) == 1;
  *static_cast<long long*>(out) = ok ? static_cast<long long>(n) : -1;
  return 1;  // the first attached scale names the dimension
}

/// Why a variable of `group` is not what licsim writes (each dimension of each
/// variable has a dimension scale of its length; scales are one-dimensional;
/// values are numbers or strings), or nothing. A file forged or damaged into
/// inconsistent shapes is refused here rather than read as data.
std::optional<std::string> inconsistent_variable(hid_t group) {
  for (const auto& var : children(group)) {
    Closer dset{H5Dopen2(group, var.c_str(), H5P_DEFAULT), H5Dclose};
    if (dset.id < 0) return "'" + var + "' is not a readable variable";
    Closer type{H5Dget_type(dset.id), H5Tclose};
    const H5T_class_t cls = type.id >= 0 ? H5Tget_class(type.id) : H5T_NO_CLASS;
    if (cls != H5T_INTEGER && cls != H5T_FLOAT && cls != H5T_STRING)
      return "variable '" + var + "' holds neither numbers nor text";
    Closer space{H5Dget_space(dset.id), H5Sclose};
    const int rank = space.id >= 0 ? H5Sget_simple_extent_ndims(space.id) : -1;
    if (rank < 0 || rank > 8) return "variable '" + var + "' has an unreadable shape";
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.id, dims.data(), nullptr);
    if (H5DSis_scale(dset.id) > 0) {
      if (rank != 1) return "dimension '" + var + "' is not one-dimensional";
      continue;
    }
    for (int d = 0; d < rank; ++d) {
      long long length = -1;
      if (H5DSget_num_scales(dset.id, static_cast<unsigned>(d)) < 1 ||
          H5DSiterate_scales(dset.id, static_cast<unsigned>(d), nullptr, scale_length_visitor, &length) < 0 ||
          length != static_cast<long long>(dims[static_cast<std::size_t>(d)]))
        return "variable '" + var + "': dimension " + std::to_string(d) + " (length " +
               std::to_string(dims[static_cast<std::size_t>(d)]) + ") has no dimension of that length";
    }
  }
  return std::nullopt;
}

ResultFileInfo read_structure(const std::filesystem::path& path, const Seal& seal);

}  // namespace

ResultFileInfo check_result_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  // The seal first: HDF5 parses nothing that licsim did not write whole.
  const Seal seal = verify_seal(path);
  if (seal.format > output_format_version)
    throw DataError(name + ": written by a newer licsim (result format version " + std::to_string(seal.format) +
                    "); this licsim reads format " + std::to_string(output_format_version) + ": upgrade licsim");
  if (seal.format < output_format_version)
    throw DataError(name + ": written by an older licsim (result format version " + std::to_string(seal.format) +
                    "); run it again with this licsim");
  // A file forged past the seal crashes or hangs a child, not this process.
  probe_hdf5_file(path, [&] { (void)read_structure(path, seal); });
  return read_structure(path, seal);
}

namespace {

/// What check_result_file reads with HDF5, once the seal is good.
ResultFileInfo read_structure(const std::filesystem::path& path, const Seal& seal) {
  const std::string name = path.string();
  quiet_hdf5_errors();
  Closer file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (file.id < 0)
    throw DataError(name + ": cannot be read: the HDF5 file is damaged (" + hdf5_error_detail() + ")");
  ResultFileInfo info;
  info.licsim_version = read_string_attribute(file.id, "licsim_version");
  if (info.licsim_version.empty())
    throw DataError(name + ": not a licsim result file (no root attribute licsim_version)");
  {
    Closer attr{H5Aexists(file.id, output_format_attribute) > 0 ? H5Aopen(file.id, output_format_attribute, H5P_DEFAULT)
                                                                : -1,
                H5Aclose};
    Closer space{attr.id >= 0 ? H5Aget_space(attr.id) : -1, H5Sclose};
    std::int32_t version = 0;
    if (attr.id < 0 || space.id < 0 || H5Sget_simple_extent_npoints(space.id) != 1 ||
        H5Aread(attr.id, H5T_NATIVE_INT32, &version) < 0)
      throw DataError(name + ": the root attribute " + output_format_attribute + " is missing or not an integer");
    if (version != seal.format)
      throw DataError(name + ": the root attribute " + output_format_attribute + " (" + std::to_string(version) +
                      ") disagrees with the file's seal (format " + std::to_string(seal.format) + ")");
    info.format_version = version;
  }
  for (const GroupSpec& spec : output_groups()) {
    const char* group = spec.name.c_str();
    if (H5Lexists(file.id, group, H5P_DEFAULT) <= 0)
      throw DataError(name + ": incomplete licsim result file (no group '" + group + "')");
    Closer g{H5Gopen2(file.id, group, H5P_DEFAULT), H5Gclose};
    if (g.id < 0)
      throw DataError(name + ": cannot be read: group '" + group + "' is damaged (" + hdf5_error_detail() + ")");
    if (auto bad = inconsistent_variable(g.id)) throw DataError(name + ": group '" + group + "': " + *bad);
  }
  return info;
}

}  // namespace

}  // namespace licsim
