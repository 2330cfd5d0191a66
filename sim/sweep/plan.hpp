#pragma once
// Expanding a sweep file into its points, and building a point's scenario.
#include <cstdint>

#include "scenario/scenario.hpp"
#include "scenario/sweep_plan.hpp"

namespace licsim {

/// Every point of the sweep, in a fixed order: scenarios (outermost), then the
/// grid axes in file order (the last varies fastest), then the samples. The
/// same sample set is used for every scenario and grid cell. Seeds: each point
/// its own from Philox(sweep seed, point index), or all the sweep seed (common
/// random numbers). Throws ScenarioError if a base scenario is invalid or the
/// base scenarios disagree on what the output's shape depends on (start date,
/// days, jurisdictions, places, specialties).
/// Refuses (UsageError) a plan that would not fit in memory (check_plan_memory)
/// before building it.
SweepPlan make_plan(const SweepSpec& spec);

/// An upper bound on the memory the plan of `spec` takes (its points, their
/// overrides, the plan's TOML text held by the sweep), from the spec alone.
std::uint64_t estimate_plan_bytes(const SweepSpec& spec);

/// Throws UsageError naming the sweep file when estimate_plan_bytes exceeds
/// the memory available (engine/resources.hpp, LICSIM_MEMORY_LIMIT included).
void check_plan_memory(const SweepSpec& spec);

/// The point's scenario: its base file with its overrides, finalized and
/// checked. Throws ScenarioError/DataError when this combination is invalid:
/// the point fails, the sweep goes on.
Scenario point_scenario(const SweepPlan& plan, int point);

}  // namespace licsim
