#pragma once
// The one way a run becomes a file: `licsim run`, each sweep point and
// `licsim.run_to_file` in Python all call run_to_file, so they store the same
// metadata and compress on the run's own threads.
#include <filesystem>
#include <string>

#include "engine/engine.hpp"
#include "engine/result.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// Where the file goes and what it records besides the run.
struct FileTarget {
  std::filesystem::path path;
  bool force = false;             ///< replace a regular file at `path` (check_output_path's rules)
  std::string scenario_file;      ///< as the file's `scenario_file` attribute names it
  std::string sweep_plan_hash;    ///< for a sweep's point file: the plan it belongs to
  int sweep_point = -1;
};

/// Runs `scenario` (finalized) and writes its HDF5 file atomically; returns the
/// results for the caller's summary. Call check_output (io/output_checks.hpp)
/// first: a refused output should fail before the run, not after it.
Result run_to_file(const Scenario& scenario, const RunOptions& options, const FileTarget& target);

}  // namespace licsim
