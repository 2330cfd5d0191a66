#pragma once
// HDF5's shuffle + deflate filter pipeline, applied by licsim itself so that a
// file's chunks can be compressed on several threads (HDF5 runs its pipeline
// serially inside H5Dwrite). It uses zlib's compress2, as HDF5's deflate filter
// does, so a chunk's bytes are exactly those HDF5 would have stored, and every
// HDF5 reader decompresses them with its own filters.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace licsim {

/// The shuffle filter: byte `b` of element `i` goes to `b * n + i` (n whole
/// elements; trailing bytes that make no whole element stay at the end).
void shuffle_bytes(std::span<const std::uint8_t> raw, std::size_t element_size, std::uint8_t* out);

/// Reusable buffers for compressing chunks on one thread.
class ChunkCompressor {
 public:
  /// `level`: deflate level (1 fastest), as in H5Pset_deflate.
  explicit ChunkCompressor(int level) : level_(level) {}

  /// The chunk `raw` (elements of `element_size` bytes, in file byte order)
  /// after the shuffle and then the deflate filter: the bytes HDF5 stores.
  std::vector<std::uint8_t> compress(std::span<const std::uint8_t> raw, std::size_t element_size);

 private:
  int level_;
  std::vector<std::uint8_t> shuffled_;
};

}  // namespace licsim
