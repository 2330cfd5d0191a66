#pragma once
// `licsim sweep` and `licsim merge`. Exit codes as for `run`, plus 3: the
// sweep file was written but some points failed (listed on stderr and in
// points/status).
#include <atomic>
#include <string>
#include <functional>
#include <iosfwd>
#include <vector>

#include "scenario/sweep_plan.hpp"

namespace licsim::cli {

/// Builds every point's scenario as a run would; writes to `err` why each failing one
/// fails (the first 10) and, once per warning, the overrides that change nothing (a key
/// of a regime a point's scenario leaves off) with the points concerned. Returns the
/// number of failing points.
int check_sweep_points(const SweepPlan& plan, std::ostream& err);

/// `catch_signals` is called when the sweep starts making work worth keeping
/// (its work folder): from then on SIGINT and SIGTERM set `interrupted` and the
/// sweep stops between points, keeping them. Before (reading, planning,
/// --dry-run: nothing written yet) the signals end the process at once.
int cmd_sweep(const std::vector<std::string>& args, const std::atomic<bool>& interrupted,
              const std::function<void()>& catch_signals);
int cmd_merge(const std::vector<std::string>& args);

}  // namespace licsim::cli
