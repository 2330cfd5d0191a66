#pragma once
// HDF5's shuffle + deflate filter pipeline, applied by licsim itself so that a
// file's chunks can be compressed on several threads (HDF5 runs its pipeline
// serially inside H5Dwrite). It uses zlib's compress2, as HDF5's deflate filter
// does, so a chunk's bytes are exactly those HDF5 would have stored, and every
// HDF5 reader decompresses them with its own filters.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct z_stream_s;

namespace licsim {

/// The shuffle filter: byte `b` of element `i` goes to `b * n + i` (n whole
/// elements; trailing bytes that make no whole element stay at the end).
void shuffle_bytes(std::span<const std::uint8_t> raw, std::size_t element_size, std::uint8_t* out);

/// Compresses chunks on one thread. Keeps one zlib stream and its buffers
/// across chunks (reset, not rebuilt: compress2 allocates about 256 KiB per
/// call, which glibc maps and the kernel zeroes afresh each time).
class ChunkCompressor {
 public:
  /// `level`: deflate level (1 fastest), as in H5Pset_deflate.
  explicit ChunkCompressor(int level);
  ~ChunkCompressor();
  ChunkCompressor(const ChunkCompressor&) = delete;
  ChunkCompressor& operator=(const ChunkCompressor&) = delete;

  /// The chunk `raw` (elements of `element_size` bytes, in file byte order)
  /// after the shuffle and then the deflate filter: the bytes HDF5 stores.
  std::vector<std::uint8_t> compress(std::span<const std::uint8_t> raw, std::size_t element_size);

 private:
  std::unique_ptr<z_stream_s> stream_;
  std::vector<std::uint8_t> shuffled_, deflated_;
};

}  // namespace licsim
