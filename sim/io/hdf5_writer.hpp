#pragma once
// Writes Result to HDF5 laid out as netCDF-4 (named dimensions via dimension
// scales, units and descriptions as attributes), readable with xarray's
// h5netcdf engine. See docs/output.md.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "engine/result.hpp"
#include "scenario/run_settings.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

struct OutputMetadata {
  std::string scenario_toml;   ///< the full resolved scenario
  std::string scenario_file;
  std::string jurisdictions_csv;
  std::string foreign_locations_csv;
  /// As run: `days` is the days recorded (never 0).
  RunSettings settings;
  std::string created_utc;     ///< ISO 8601; see created_utc_now()
  /// Other data files, as (root attribute name, verbatim text).
  std::vector<std::pair<std::string, std::string>> data_files;
  /// Set for a sweep's point files (io/sweep_output.hpp): the plan they belong to.
  std::string sweep_plan_hash;
  int sweep_point = -1;
  /// Files the run read (io/data_files.hpp input_files): never overwritten.
  std::vector<std::filesystem::path> inputs;
};

/// Metadata for a run of `scenario` (resolved TOML, data files, settings)
/// that recorded `days` days.
OutputMetadata make_metadata(const Scenario& scenario, const std::string& scenario_file, const RunSettings& settings,
                             int days);

/// Now in UTC as ISO 8601, or SOURCE_DATE_EPOCH when set (reproducible files).
std::string created_utc_now();

/// Throws OutputError unless `path` may be written: its folder exists and is
/// writable, its name fits the file system, and it does not exist yet, or
/// (with `force`) it is a regular file that is none of `inputs`. A symbolic
/// link, a folder, a device, a FIFO or a socket is never replaced. Call
/// before a long run.
void check_output_path(const std::filesystem::path& path, bool force,
                       const std::vector<std::filesystem::path>& inputs = {});

/// Writes to a temporary file beside `path` and renames it into place when
/// complete, so a failed or killed write leaves no file at `path`. Chunks
/// are compressed on `threads` threads (0: OpenMP's default); the file is the
/// same for any number. One thread starts no OpenMP team, so a forked child
/// (whose parent's OpenMP threads do not exist) can still write.
void write_results(const std::filesystem::path& path, const Result& results,
                   const OutputMetadata& meta, bool force, int threads = 1);

}  // namespace licsim
