#pragma once
// Recognising a licsim result file before reading it: an HDF5 file with the
// root attribute licsim_format_version of a version this build reads, and the
// four groups. Truncated, foreign and newer files are refused by name.
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
