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

std::vector<std::uint8_t> ChunkCompressor::compress(std::span<const std::uint8_t> raw, std::size_t element_size) {
  shuffled_.resize(raw.size());
  shuffle_bytes(raw, element_size, shuffled_.data());
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::uint8_t> out(size);
  const int status = compress2(out.data(), &size, shuffled_.data(), static_cast<uLong>(shuffled_.size()), level_);
  if (status != Z_OK)
    throw OutputError("deflate: cannot compress a chunk of " + std::to_string(raw.size()) + " bytes (zlib status " +
                      std::to_string(status) + ")");
  out.resize(size);
  return out;
}

}  // namespace licsim
