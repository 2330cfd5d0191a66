#pragma once
// Running sweep points: one point into its point file, or a list of points
// into a work folder. Used alike by the CLI (one process, MPI ranks, shards)
// and the Python bindings (local or Dask).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scenario/sweep_plan.hpp"
#include "sweep/store.hpp"

namespace licsim {

struct SweepRunOptions {
  int threads = 0;  ///< OpenMP threads per point (0: OpenMP's default)
  /// Called after every simulated day: (points finished, points to run, day, days).
  std::function<void(int done, int total, long day, long days)> progress;
  std::function<bool()> cancelled;
  /// Called when a point finishes: (point, error; empty when it succeeded).
  std::function<void(int point, const std::string& error)> on_point;
};

/// Runs one point and writes its point file at `path`. Returns the error when
/// the point fails (an invalid combination, an engine error); throws Cancelled
/// when cancelled and OutputError when the file cannot be written (those stop
/// the sweep: they are not the point's fault).
std::optional<std::string> run_point_to_file(const SweepPlan& plan, const std::string& plan_hash, int point,
                                             const std::filesystem::path& path, const SweepRunOptions& options,
                                             int done_before = 0, int total = 1);

/// Runs `points` one after the other into `store`, recording failures.
void run_points(const SweepPlan& plan, const std::string& plan_hash, SweepStore& store,
                const std::vector<int>& points, const SweepRunOptions& options);

/// Refuses (OutputError) a sweep whose point files and final file would not fit
/// in the space free beside `output`: each point's file at its upper-bound
/// estimate, twice (the work folder, then the sweep file).
void check_sweep_space(const SweepPlan& plan, const std::filesystem::path& output, std::size_t points_to_run,
                       std::size_t points_in_file);

/// The points of shard `shard` of `shards` (index % shards == shard), or all.
std::vector<int> shard_points(const SweepPlan& plan, int shard, int shards);

}  // namespace licsim
