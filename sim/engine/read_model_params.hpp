#pragma once
// read_model_params: the scenario's keys into the engine's typed ModelParams (model/model_params.hpp).
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// Reads every model parameter from a complete scenario, applying per-jurisdiction
/// data and overrides, and checks cross-key constraints (shares that must sum
/// to 1, low <= high); throws ScenarioError naming the key.
ModelParams read_model_params(const Scenario& scenario);

}  // namespace licsim
