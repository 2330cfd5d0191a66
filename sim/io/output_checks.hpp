#pragma once
// Checks on the output side of a run, made before the work where they can be:
// the space the file will take against the space free, stale temporaries of
// killed runs, and the reason behind an HDF5 write error.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/run_settings.hpp"
#include "engine/result.hpp"
#include "io/hdf5_writer.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// An upper bound on the size of the file a run writes: every variable
/// uncompressed at its stored type, the attributes (scenario, data files) and
/// HDF5's own structures. Real files are smaller (gzip; see docs/reliability.md).
std::uint64_t estimate_output_bytes(const Scenario& scenario, const RunSettings& options);
std::uint64_t estimate_output_bytes(const Result& results, const OutputMetadata& meta);

/// Throws OutputError when the file system holding `path` has fewer than
/// `bytes` free (statvfs f_bavail: what an unprivileged writer may use).
void check_output_space(const std::filesystem::path& path, std::uint64_t bytes);

/// Everything `licsim run` checks about its output before the run:
/// check_output_path (folder, --force) and check_output_space with the estimate.
void check_output(const std::filesystem::path& path, bool force, const Scenario& scenario,
                  const RunSettings& options);

/// Removes temporaries `<path>.tmp-<pid>` that runs killed with SIGKILL (or a
/// crash) left beside `path`, and returns them. A file is removed only if all
/// hold: its name is exactly that pattern with a decimal pid, that process no
/// longer exists on this machine (kill(pid, 0) fails with ESRCH), it is a
/// regular file (not a link) owned by this user, and it is empty or starts
/// with the HDF5 signature or zero bytes. Anything else is left alone.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path);

/// Silences HDF5's error printing for this thread and records, instead, the
/// innermost message of each failed call for hdf5_error_detail().
void quiet_hdf5_errors();

/// Why the last HDF5 call failed since quiet_hdf5_errors(): the system's
/// reason when a write failed ("No space left on device", "File too large"),
/// else HDF5's innermost message; empty when none failed.
std::string hdf5_error_detail();

}  // namespace licsim
