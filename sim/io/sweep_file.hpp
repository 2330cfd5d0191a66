#pragma once
// Reading sweep files (TOML) and writing/reading the resolved plan as TOML.
// Every key and value is checked here, before any point runs; errors name the
// file, line and key (ScenarioError). See docs/sweeps.md for the format.
#include <filesystem>
#include <string>

#include "scenario/sweep_plan.hpp"

namespace licsim {

/// Most points a sweep may have: a guard against a grid typed by mistake.
inline constexpr long max_sweep_points = 1'000'000;

/// Reads and checks a sweep file. Scenario paths are resolved against the
/// sweep file's folder; varied keys and values are checked against the
/// parameter dictionary.
SweepSpec load_sweep_file(const std::filesystem::path& path);

/// Whether `path` reads as a sweep file (TOML with a [sweep] table) rather than a
/// scenario; false for anything unreadable, which the scenario loader then explains.
bool is_sweep_file(const std::filesystem::path& path);

/// Same for TOML text; `name` labels errors, `base_dir` resolves scenario paths.
SweepSpec load_sweep_string(const std::string& toml_text, const std::string& name,
                            const std::filesystem::path& base_dir);

/// The plan as TOML: settings, varied keys and every point with its scenario,
/// seed and overrides. Two plans are the same sweep iff their texts are equal.
std::string plan_to_toml(const SweepPlan& plan);

/// Reads a plan written by plan_to_toml (stored in sweep outputs and work folders).
SweepPlan plan_from_toml(const std::string& text, const std::string& name);

}  // namespace licsim
