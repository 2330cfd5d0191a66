#pragma once
// Files that appear whole or not at all: write beside the target, flush to
// disk, rename into place, flush the folder. A crash, kill or power loss at
// any moment leaves either the old state or the complete new file.
#include <filesystem>
#include <string>

namespace licsim {

/// The file name of `path`'s temporaries up to the pid: `NAME.tmp-`, or for
/// a name too long to take the suffix, a prefix of it, `~`, a hash of the
/// whole name and `.tmp-`, so a temporary never exceeds 255 bytes.
std::string temporary_prefix(const std::filesystem::path& path);

/// A temporary name beside `path` unique to this process:
/// temporary_prefix(path) followed by the pid (`path.tmp-<pid>`).
std::filesystem::path temporary_beside(const std::filesystem::path& path);

/// fsync()s a file or folder; throws OutputError naming it on failure.
void sync_to_disk(const std::filesystem::path& path);

/// Renames `tmp` onto `path` after syncing it, then syncs the folder.
void commit_file(const std::filesystem::path& tmp, const std::filesystem::path& path);

/// Writes `bytes` to `path` atomically (temporary file, sync, rename).
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

}  // namespace licsim
