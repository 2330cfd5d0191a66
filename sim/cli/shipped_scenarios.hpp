#pragma once
// Shipped scenarios by name: `licsim run imlc` as `licsim.run("imlc")`.
#include <filesystem>
#include <string>
#include <vector>

namespace licsim::cli {

/// Folders that may hold the shipped scenarios, in the order they are tried:
/// $LICSIM_SCENARIOS, the licsim package beside this executable (a virtual environment's
/// bin/ and lib/python3.X/site-packages/licsim/scenarios, as scripts/setup.sh and
/// `pip install` lay it out), then the source tree this binary was built from.
std::vector<std::filesystem::path> shipped_scenario_dirs();

/// Names of the shipped scenarios (file stems, sorted) in the first folder that exists.
std::vector<std::string> shipped_scenario_names();

/// The file a SCENARIO argument names: itself when it is a file, or when it looks like a
/// path (a '/' in it); otherwise the shipped scenario of that name ("imlc" or "imlc.toml").
/// Throws UsageError listing the shipped names when it is neither.
std::filesystem::path resolve_scenario_argument(const std::string& argument);

}  // namespace licsim::cli
