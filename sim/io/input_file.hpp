#pragma once
// Reading a scenario or data file whole, safely: whatever the path names, the
// reader neither hangs (a FIFO, a terminal, /dev/zero) nor reads without bound.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace licsim {

/// The largest scenario or data file read (real ones are a few kilobytes).
inline constexpr std::uintmax_t max_input_file_bytes = std::uintmax_t{16} << 20;

/// The bytes of a regular file of at most max_input_file_bytes; otherwise
/// nullopt with `problem` saying why ("cannot open the file: ...", "not a
/// regular file (a folder)", "too large: ...").
std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string& problem);

/// The most segments of any dotted key in TOML text (`[a.b.c]` and
/// `a.b.c = 1` have 3), with its line, found by a linear scan that skips
/// strings and comments. toml++ recurses once per segment, so deeper keys are
/// refused before parsing (max_toml_key_depth); no scenario key has more than 4.
struct KeyDepth {
  std::size_t segments = 0;
  int line = 0;
};
KeyDepth deepest_toml_key(std::string_view text);
inline constexpr std::size_t max_toml_key_depth = 32;

}  // namespace licsim
