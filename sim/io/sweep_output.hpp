#pragma once
// Sweep output: point files (one run file per finished point, tagged with the
// plan it belongs to) and the sweep file that stacks them along a `point`
// dimension, with the varied keys as coordinates. See docs/sweeps.md.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/sweep_plan.hpp"

namespace licsim {

/// A short, stable fingerprint of a plan's TOML text (FNV-1a 64, hex).
std::string plan_hash(const std::string& plan_text);

/// Where a point's results are read from when a sweep file is assembled.
struct PointSource {
  int point = 0;          ///< global point index in the plan
  bool ok = false;        ///< false: the point failed; `error` says why
  std::string error;
  std::filesystem::path file;  ///< a point file, or a sweep file when slot >= 0
  int slot = -1;               ///< position along `point` in a sweep (shard) file
};

/// True when `path` is a complete point file of the plan with this hash and
/// index (a file left by an older plan or damaged is not). Point files are in
/// the sweep's own work folder: checked for damage (the seal), not probed for
/// forgery (io/hdf5_probe.hpp), nor are the sources write_sweep_file reads.
bool is_point_file(const std::filesystem::path& path, const std::string& hash, int point);

/// Writes the sweep file for `sources` (ordered by point; a subset for a
/// shard) atomically: temporary file, sync, rename. `shard` is "" or "i/N".
void write_sweep_file(const std::filesystem::path& path, const SweepPlan& plan, const std::string& plan_text,
                      const std::string& sweep_file_text, const std::vector<PointSource>& sources,
                      const std::string& shard, bool force);

/// What a sweep (or shard) file holds, read back for merging.
struct SweepFileContents {
  std::string plan_text;
  std::string sweep_file_text;
  std::vector<PointSource> points;  ///< file and slot set for each stored point
};

/// Reads a sweep file's plan and point list; throws OutputError naming the
/// file when it is not a complete licsim sweep file. The file is probed in a
/// child process first (a shard given to merge may be forged).
SweepFileContents read_sweep_file(const std::filesystem::path& path);

}  // namespace licsim
