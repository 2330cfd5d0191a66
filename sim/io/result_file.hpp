#pragma once
// Recognising a licsim result file before reading it: its seal (io/file_seal.hpp)
// of a format this build reads, a child process that read it all without
// crashing (io/hdf5_probe.hpp), the root attributes, the four groups and shapes
// that agree with their dimensions. Anything else is refused by name.
#include <filesystem>
#include <string>

namespace licsim {

/// Version of the result file layout (docs/output.md), stored in the root
/// attribute `licsim_format_version` (int32). Raise it when a reader of the
/// old layout would misread a new file.
inline constexpr int output_format_version = 2;
inline constexpr const char* output_format_attribute = "licsim_format_version";

struct ResultFileInfo {
  int format_version = 0;
  std::string licsim_version;
};

/// Checks that `path` is a complete licsim result file this build can read;
/// throws DataError naming the file and what is wrong (missing, not HDF5,
/// truncated or damaged, not written by licsim, written by a newer licsim,
/// a group missing).
ResultFileInfo check_result_file(const std::filesystem::path& path);

}  // namespace licsim
