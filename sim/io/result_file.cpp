#include "io/result_file.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <vector>

#include "core/errors.hpp"
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

}  // namespace

ResultFileInfo check_result_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    if (!std::filesystem::exists(path, ec)) throw DataError(name + ": no such file");
    throw DataError(name + ": not a licsim result file (not a regular file)");
  }
  {
    // The HDF5 signature at offset 0 (licsim writes no user block).
    static constexpr unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8] = {};
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(head), sizeof head);
    if (in.gcount() != sizeof head || !std::equal(head, head + 8, signature))
      throw DataError(name + ": not a licsim result file (not an HDF5 file)");
  }
  quiet_hdf5_errors();
  Closer file{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  if (file.id < 0)
    throw DataError(name + ": cannot be read: the HDF5 file is truncated or damaged (" + hdf5_error_detail() + ")");
  ResultFileInfo info;
  info.licsim_version = read_string_attribute(file.id, "licsim_version");
  if (H5Aexists(file.id, output_format_attribute) <= 0) {
    if (!info.licsim_version.empty())
      throw DataError(name + ": written by licsim " + info.licsim_version + " before result files carried " +
                      output_format_attribute + "; run it again with this licsim");
    throw DataError(name + ": not a licsim result file (an HDF5 file without licsim's root attributes licsim_version, " +
                    output_format_attribute + ")");
  }
  {
    Closer attr{H5Aopen(file.id, output_format_attribute, H5P_DEFAULT), H5Aclose};
    Closer space{attr.id >= 0 ? H5Aget_space(attr.id) : -1, H5Sclose};
    std::int32_t version = 0;
    if (attr.id < 0 || space.id < 0 || H5Sget_simple_extent_npoints(space.id) != 1 ||
        H5Aread(attr.id, H5T_NATIVE_INT32, &version) < 0)
      throw DataError(name + ": the root attribute " + output_format_attribute + " cannot be read as an integer");
    info.format_version = version;
  }
  if (info.format_version > output_format_version)
    throw DataError(name + ": written by a newer licsim (" +
                    (info.licsim_version.empty() ? std::string("unknown version") : info.licsim_version) +
                    ", result format version " + std::to_string(info.format_version) + "); this licsim reads format " +
                    std::to_string(output_format_version) + " and older: upgrade licsim");
  if (info.format_version < 1)
    throw DataError(name + ": unknown result format version " + std::to_string(info.format_version));
  for (const char* group : {"metrics", "breakdown", "flows", "regimes"}) {
    if (H5Lexists(file.id, group, H5P_DEFAULT) <= 0)
      throw DataError(name + ": incomplete licsim result file (no group '" + group + "')");
    Closer g{H5Gopen2(file.id, group, H5P_DEFAULT), H5Gclose};
    if (g.id < 0)
      throw DataError(name + ": cannot be read: group '" + group + "' is damaged (" + hdf5_error_detail() + ")");
  }
  return info;
}

}  // namespace licsim
