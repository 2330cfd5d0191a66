#pragma once
// The keys that modules of the engine declare for themselves (each regime in
// its own file under engine/regimes/). The dictionary (parameters.cpp) puts
// them between the world's keys and the dated context. Declared here, defined
// by the regime registry (engine/regimes/registry.cpp): the scenario layer
// never includes the engine, yet a regime's keys are written only in its file.
#include <cstdint>
#include <vector>

#include "scenario/parameter_spec.hpp"

namespace licsim {

/// Every key of every registered module, module by module in registry order.
std::vector<ParamSpec> module_parameter_specs();

/// Changes whenever a module is registered after start-up (a test's toy
/// regime): the dictionary is then built again.
std::uint64_t module_registry_generation();

}  // namespace licsim
