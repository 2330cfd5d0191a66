#pragma once
// Whole-scenario checks beyond single keys: builds everything a run would
// (parameters, regimes and their data) and explains combinations of modules
// that overlap, cancel out or fall outside the simulated period.
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace licsim {

/// Throws the first ScenarioError/DataError a run would meet; returns notes
/// about the combination of modules (empty when there is nothing to say).
std::vector<std::string> check_scenario(const Scenario& scenario);

/// One warning for each of `keys` (dotted keys set by --set, a dict or a sweep) that
/// belongs to a regime module the scenario leaves switched off: the value changes
/// nothing in the run. The module's own switch (`<name>.enabled`) is never warned of.
std::vector<std::string> ineffective_key_warnings(const Scenario& scenario, const std::vector<std::string>& keys);

}  // namespace licsim
