#pragma once
// Small RAII and netCDF-4 helpers over the HDF5 C API, shared by the run and
// sweep writers and readers (io-internal: nothing outside io/ sees HDF5).
#include <hdf5.h>
#include <hdf5_hl.h>  // dimension scales (H5DS)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace licsim {

/// Owns an HDF5 identifier and closes it with the matching function.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw OutputError("HDF5: cannot create " + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what);
hid_t vlen_string_type();
void attr_string(hid_t obj, const std::string& name, const std::string& value);

template <class T>
void attr_scalar(hid_t obj, const std::string& name, T value, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "attribute " + name);
  check(H5Awrite(attr, type, &value), "attribute " + name);
}

hid_t group_plist();

/// The names of a group's links, in name order (empty if it cannot be read).
std::vector<std::string> children(hid_t group);

/// File creation properties of every licsim HDF5 file: a user block of
/// seal_bytes for the seal (io/file_seal.hpp).
hid_t sealed_file_plist();

/// The chunk shape of a variable of shape `dims` (empty: stored contiguous).
/// Only the first two dimensions are split: one replicate (or point) and up
/// to 32 days or months per chunk, so a chunk is a contiguous run of values.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims);

/// One chunk of a variable chunked as chunk_shape chunks (the first dimension
/// by one, the second by chunk[1], the others whole): a contiguous run of its
/// row-major values.
struct ChunkRun {
  std::vector<hsize_t> offset;  ///< of the chunk in the variable
  std::size_t first = 0;        ///< index of its first value
  std::size_t count = 0;        ///< values it holds: fewer than a chunk's at the end of the second dimension
};

/// Every chunk of a variable of shape `dims`, in row-major order of the chunk
/// grid (empty when `chunk` is: contiguous).
std::vector<ChunkRun> chunk_runs(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk);

/// Values in a chunk of shape `chunk` (an edge chunk is stored whole, padded).
std::size_t chunk_values(const std::vector<hsize_t>& chunk);

/// Creates a dataset; chunked as chunk_shape says and then compressed
/// (shuffle + gzip 1).
hid_t create_dataset(hid_t group, const std::string& name, hid_t type, const std::vector<hsize_t>& dims);

void describe(hid_t dset, std::string_view units, std::string_view description);

/// A netCDF dimension with a coordinate variable of the same name.
hid_t dimension_int(hid_t group, const std::string& name, const std::vector<std::int32_t>& values,
                    std::string_view units, std::string_view description);
hid_t dimension_text(hid_t group, const std::string& name, const std::vector<std::string>& values,
                     std::string_view description);

}  // namespace licsim
