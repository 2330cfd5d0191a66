#pragma once
// The words licsim uses for a path that is not a regular file, in every
// message: "a folder", "a FIFO", "a character device"...
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace licsim {

/// What `type` is, as a noun phrase ("a folder", "a FIFO", "a symbolic link").
std::string file_kind(std::filesystem::file_type type);

/// The same for an st_mode from stat/fstat.
std::string file_kind_of_mode(mode_t mode);

}  // namespace licsim
