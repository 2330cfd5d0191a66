#pragma once
// The seal of a licsim HDF5 file: its first 512 bytes (an HDF5 user block,
// which HDF5 and every reader built on it skip) hold a short text header with
// the file's format version, the length of the rest and its CRC-32. Readers
// check the seal before HDF5 parses a single byte, so a damaged, truncated or
// foreign file is refused by name and never reaches HDF5's parser (which
// trusts its input: damaged metadata can make it read out of bounds).
//
//   licsim sealed file\n
//   format 2\n
//   bytes 123456\n          (bytes after the seal)
//   crc32 89abcdef\n        (zlib's CRC-32 of those bytes)
//   zero bytes to offset 512
#include <cstdint>
#include <filesystem>
#include <string>

namespace licsim {

/// Bytes reserved at the start of every licsim HDF5 file for the seal
/// (HDF5's user block; a power of two of at least 512, as HDF5 requires).
inline constexpr std::uint64_t seal_bytes = 512;

/// The seal's first line: how a licsim file (or its temporary, once sealed) begins.
inline constexpr char seal_magic[] = "licsim sealed file\n";

/// Writes the seal of `path` (created with a user block of seal_bytes and
/// closed by HDF5) for result format `format`. Throws OutputError.
void seal_file(const std::filesystem::path& path, int format);

/// What a valid seal says.
struct Seal {
  int format = 0;
  std::uint64_t bytes = 0;
};

/// Checks the seal of `path` against its contents: a regular file (never a
/// FIFO or device, opened without blocking), a well-formed header with
/// nothing else in it, exactly the length it states, and the CRC-32 it
/// states. Throws DataError naming the file and what is wrong.
Seal verify_seal(const std::filesystem::path& path);

}  // namespace licsim
