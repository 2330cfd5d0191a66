#include "io/hdf5_util.hpp"

#include <algorithm>

#include "io/file_seal.hpp"

namespace licsim {

void check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError("HDF5: cannot write " + what);
}

hid_t vlen_string_type() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

void attr_string(hid_t obj, const std::string& name, const std::string& value) {
  Handle type(vlen_string_type(), H5Tclose, "string type");
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  const char* data = value.c_str();
  check(H5Awrite(attr, type, &data), "attribute " + name);
}

hid_t group_plist() {
  const hid_t plist = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_obj_track_times(plist, 0);  // no timestamps: identical runs give identical files
  return plist;
}

std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  hsize_t total = 1;
  for (auto d : dims) total *= d;
  if (dims.size() < 2 || total <= 4096) return {};
  // One chunk per replicate and leading step (day or month): a reader of one
  // day or one month touches one chunk.
  std::vector<hsize_t> chunk = dims;
  chunk[0] = 1;
  if (dims.size() > 2) chunk[1] = std::min<hsize_t>(dims[1], 32);
  return chunk;
}

std::vector<ChunkRun> chunk_runs(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
  std::vector<ChunkRun> runs;
  if (chunk.empty() || dims.empty()) return runs;
  if (dims.size() == 1) {
    for (hsize_t at = 0; at < dims[0]; at += chunk[0]) runs.push_back({{at}, at, std::min(chunk[0], dims[0] - at)});
    return runs;
  }
  std::size_t inner = 1;
  for (std::size_t d = 2; d < dims.size(); ++d) inner *= dims[d];
  for (hsize_t r = 0; r < dims[0]; ++r)
    for (hsize_t at = 0; at < dims[1]; at += chunk[1]) {
      std::vector<hsize_t> offset(dims.size(), 0);
      offset[0] = r;
      offset[1] = at;
      runs.push_back({std::move(offset), (r * dims[1] + at) * inner, std::min(chunk[1], dims[1] - at) * inner});
    }
  return runs;
}

std::size_t chunk_values(const std::vector<hsize_t>& chunk) {
  std::size_t n = 1;
  for (auto c : chunk) n *= c;
  return n;
}

/// Creates a dataset; chunked and compressed (shuffle + gzip 1) when large.
hid_t create_dataset(hid_t group, const std::string& name, hid_t type,
                     const std::vector<hsize_t>& dims) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "dataspace of " + name);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  H5Pset_obj_track_times(dcpl, 0);
  if (const auto chunk = chunk_shape(dims); !chunk.empty()) {
    H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 1);
  }
  const hid_t dset = H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (dset < 0) throw OutputError("HDF5: cannot create dataset " + name);
  return dset;
}

void describe(hid_t dset, std::string_view units, std::string_view description) {
  if (!units.empty()) attr_string(dset, "units", std::string(units));
  attr_string(dset, "long_name", std::string(description));
}

/// A netCDF dimension with a coordinate variable of the same name.
hid_t dimension_int(hid_t group, const std::string& name, const std::vector<std::int32_t>& values,
                    std::string_view units, std::string_view description) {
  const hid_t dset = create_dataset(group, name, H5T_STD_I32LE, {values.size()});
  check(H5Dwrite(dset, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), name);
  check(H5DSset_scale(dset, name.c_str()), "dimension " + name);
  describe(dset, units, description);
  return dset;
}

hid_t dimension_text(hid_t group, const std::string& name, const std::vector<std::string>& values,
                     std::string_view description) {
  Handle type(vlen_string_type(), H5Tclose, "string type");
  const hid_t dset = create_dataset(group, name, type, {values.size()});
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  check(H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), name);
  check(H5DSset_scale(dset, name.c_str()), "dimension " + name);
  describe(dset, "", description);
  return dset;
}

std::vector<std::string> children(hid_t group) {
  std::vector<std::string> names;
  H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
             [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
               static_cast<std::vector<std::string>*>(out)->push_back(name);
               return 0;
             },
             &names);
  return names;
}

hid_t sealed_file_plist() {
  const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  if (fcpl < 0 || H5Pset_userblock(fcpl, seal_bytes) < 0) throw OutputError("HDF5: cannot reserve the file's seal");
  return fcpl;
}

}  // namespace licsim
