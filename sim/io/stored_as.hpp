#pragma once
// How the result file stores a variable's values, and their conversion to
// its bytes: shared by the HDF5 writer and the Python bindings, which hand out
// the values the file would hold (no HDF5 here).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace licsim {

/// How a variable's values are stored.
enum class StoredAs { int32, int64, float64 };

/// How the writer stores a variable's values: counts as int32, int64 when one
/// would not fit; everything else as float64.
StoredAs stored_type(const std::vector<double>& values, bool count);

/// Bytes of one stored value.
inline std::size_t bytes_of(StoredAs type) { return type == StoredAs::int32 ? 4 : 8; }

/// `data` as the little-endian bytes of `type`: counts rounded to the nearest whole number.
void to_file_bytes(const double* data, std::size_t n, StoredAs type, std::uint8_t* out);
/// Whole numbers as the little-endian bytes of `type` (int32 or int64).
void to_file_bytes(const std::int64_t* data, std::size_t n, StoredAs type, std::uint8_t* out);

}  // namespace licsim
