#include "io/chunk_codec.hpp"

#include <zlib.h>

#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace licsim {

void shuffle_bytes(std::span<const std::uint8_t> raw, std::size_t element_size, std::uint8_t* out) {
  const std::size_t n = element_size > 0 ? raw.size() / element_size : 0;
  if (element_size <= 1 || n <= 1) {
    std::memcpy(out, raw.data(), raw.size());
    return;
  }
  const std::uint8_t* in = raw.data();
  for (std::size_t b = 0; b < element_size; ++b) {
    std::uint8_t* plane = out + b * n;
    for (std::size_t i = 0; i < n; ++i) plane[i] = in[i * element_size + b];
  }
  std::memcpy(out + n * element_size, in + n * element_size, raw.size() - n * element_size);
}

ChunkCompressor::ChunkCompressor(int level) : stream_(std::make_unique<z_stream>()) {
  // compress2's settings (deflateInit: 32 KiB window, memory level 8, default strategy).
  const int status = deflateInit(stream_.get(), level);
  if (status != Z_OK) {
    stream_.reset();
    throw OutputError("deflate: cannot start zlib (status " + std::to_string(status) + ")");
  }
}

ChunkCompressor::~ChunkCompressor() {
  if (stream_) deflateEnd(stream_.get());
}

std::vector<std::uint8_t> ChunkCompressor::compress(std::span<const std::uint8_t> raw, std::size_t element_size) {
  shuffled_.resize(raw.size());
  shuffle_bytes(raw, element_size, shuffled_.data());
  z_stream& z = *stream_;
  deflated_.resize(deflateBound(&z, static_cast<uLong>(raw.size())));
  int status = deflateReset(&z);
  z.next_in = shuffled_.data();
  z.avail_in = static_cast<uInt>(shuffled_.size());
  z.next_out = deflated_.data();
  z.avail_out = static_cast<uInt>(deflated_.size());
  if (status == Z_OK) status = deflate(&z, Z_FINISH);  // the bound fits the whole stream in one call
  if (status != Z_STREAM_END)
    throw OutputError("deflate: cannot compress a chunk of " + std::to_string(raw.size()) + " bytes (zlib status " +
                      std::to_string(status) + ")");
  return {deflated_.begin(), deflated_.begin() + static_cast<std::ptrdiff_t>(z.total_out)};
}

}  // namespace licsim
