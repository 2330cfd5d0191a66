#pragma once
// Reading scenarios from TOML (files, strings, --set overrides) and writing the
// resolved scenario back as TOML. The only place besides the HDF5 writer that
// sees a file format.
#include <filesystem>
#include <string>

#include "scenario/scenario.hpp"

namespace licsim {

/// Loads a scenario file (following `base = "other.toml"` chains), validates
/// every key, reads the data files it names, and checks it is complete only if
/// `complete` (overrides may still follow).
Scenario load_scenario_file(const std::filesystem::path& path);

/// Same as load_scenario_file for TOML text; `name` labels errors and `base_dir`
/// resolves relative paths.
Scenario load_scenario_string(const std::string& toml_text, const std::string& name,
                              const std::filesystem::path& base_dir);

/// Applies one "dotted.key=value" override (value in TOML syntax; bare words are
/// taken as strings). Same checks as the file, errors name "--set". Returns the key set.
std::string apply_override(Scenario& scenario, const std::string& assignment);

/// Applies a value to a key with the scenario's checks (used by the bindings).
void apply_value(Scenario& scenario, const std::string& key, const std::string& toml_value,
                 const std::string& origin_name);

/// Re-reads the data files named by world.*_file and checks completeness.
/// Call after the last override.
void finalize_scenario(Scenario& scenario);

/// The resolved scenario (every key, defaults included) as TOML text.
std::string to_toml(const Scenario& scenario);

}  // namespace licsim
