#pragma once
// A regime as licsim knows it before any scenario switches it on: its scenario
// table and keys, the authorities it grants, how to build it, what `licsim
// validate` says about it and how many clinicians it may add. Each regime's
// file defines one `<name>_module()`; the registry (registry.cpp) lists them,
// one line each. Nothing else in licsim names a regime.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/regimes/build_context.hpp"
#include "engine/regimes/regime.hpp"
#include "scenario/parameter_spec.hpp"

namespace licsim {

struct RegimeModule {
  /// The scenario table holding its keys (`<name>.*`).
  std::string name;
  /// Its keys, documented like every other key (they reach `licsim params`,
  /// docs/parameters.md and the loader's checks).
  std::vector<ParamSpec> keys;
  /// Labels of the authorities it grants (the output's `authority` labels).
  /// A label licsim does not ship (model/authority.hpp) gets the next free
  /// code, after the shipped ones, so shipped files keep their layout.
  std::vector<std::string> authorities;
  /// Builds it for one replicate; throws ScenarioError or DataError on bad input.
  std::function<std::unique_ptr<Regime>(const RegimeBuildContext&)> make;
  /// Whether the scenario switches it on; empty: `<name>.enabled`.
  std::function<bool(const Scenario&)> enabled;
  /// Built (and so checked) while switched off too: its dates and data files
  /// fail where they are wrong, not once someone switches it on.
  bool checked_when_off = true;
  /// `licsim validate` notes while it is switched on (no effect, overlaps).
  std::function<std::vector<std::string>(const RegimeBuildContext&)> notes;
  /// An upper bound on the clinicians it adds at `scale`, for the memory
  /// estimate (the scenario is read without being built).
  std::function<double(const Scenario&, double scale)> added_clinicians;
  /// Bytes of its own state per clinician while switched on (memory estimate).
  double bytes_per_clinician = 0;
};

/// Every regime licsim knows, in the order their authorities are asked for.
/// Register only at start-up, before any scenario is loaded on another thread.
const std::vector<RegimeModule>& regime_modules();
/// Adds a regime not in the shipped list (a test's toy, a user's own build):
/// its keys join the dictionary and its authorities the output's labels.
/// Throws std::invalid_argument on a name or key already taken.
void register_regime(RegimeModule module);

bool regime_enabled(const RegimeModule& module, const Scenario& scenario);
/// Whether the module named `name` is registered and switched on.
bool regime_enabled(std::string_view name, const Scenario& scenario);

/// Every authority label, by code: the licenses, the shipped regimes' (fixed),
/// then those of regimes registered later.
const std::vector<std::string>& authority_labels();
/// The code of an authority label; throws std::out_of_range for an unknown one.
Authority authority_code(std::string_view label);

/// The note that a switched-on regime's window lies outside the simulated period.
std::vector<std::string> window_notes(const RegimeBuildContext& ctx, const std::string& name);

}  // namespace licsim
