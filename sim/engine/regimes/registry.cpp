// The registry of regime modules: the shipped list (one line per regime) and
// those registered later, their keys for the dictionary and their authority labels.
#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "engine/regimes/module.hpp"
#include "model/authority.hpp"
#include "scenario/module_keys.hpp"

namespace licsim {

// Every regime licsim ships, in the order their authorities are asked for (a
// national license before the TELE-MED Act, say: an encounter both allow is
// counted under the first). A regime is its file plus its line here.
#define LICSIM_SHIPPED_REGIMES(X) \
  X(compact)                      \
  X(registration)                 \
  X(national_license)             \
  X(telemed_act)                  \
  X(waiver)                       \
  X(recognition)                  \
  X(exceptions)

#define LICSIM_DECLARE_MODULE(name) RegimeModule name##_module();
LICSIM_SHIPPED_REGIMES(LICSIM_DECLARE_MODULE)
#undef LICSIM_DECLARE_MODULE

namespace {

std::atomic<std::uint64_t> generation{0};

std::vector<RegimeModule>& modules() {
#define LICSIM_LIST_MODULE(name) name##_module(),
  static std::vector<RegimeModule> list = {LICSIM_SHIPPED_REGIMES(LICSIM_LIST_MODULE)};
#undef LICSIM_LIST_MODULE
  return list;
}

std::vector<std::string>& labels() {
  static std::vector<std::string> list = [] {
    std::vector<std::string> out(authority_names.begin(), authority_names.end());
    for (const auto& m : modules())
      for (const auto& a : m.authorities)
        if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    return out;
  }();
  return list;
}

}  // namespace

const std::vector<RegimeModule>& regime_modules() { return modules(); }

void register_regime(RegimeModule module) {
  auto& list = modules();
  for (const auto& m : list)
    if (m.name == module.name) throw std::invalid_argument("a regime named '" + module.name + "' is registered");
  for (const auto& key : module.keys) {
    if (key.pattern.rfind(module.name + ".", 0) != 0)
      throw std::invalid_argument("regime '" + module.name + "': key '" + key.pattern + "' is outside its table");
  }
  auto& known = labels();
  for (const auto& a : module.authorities)
    if (std::find(known.begin(), known.end(), a) == known.end()) {
      if (known.size() >= 255) throw std::invalid_argument("at most 255 authorities are supported");
      known.push_back(a);
    }
  list.push_back(std::move(module));
  ++generation;
}

bool regime_enabled(const RegimeModule& module, const Scenario& scenario) {
  return module.enabled ? module.enabled(scenario) : scenario.boolean(module.name + ".enabled");
}

bool regime_enabled(std::string_view name, const Scenario& scenario) {
  for (const auto& m : modules())
    if (m.name == name) return regime_enabled(m, scenario);
  return false;
}

const std::vector<std::string>& authority_labels() { return labels(); }

Authority authority_code(std::string_view label) {
  const auto& known = labels();
  const auto it = std::find(known.begin(), known.end(), label);
  if (it == known.end()) throw std::out_of_range("unknown authority '" + std::string(label) + "'");
  return static_cast<Authority>(it - known.begin());
}

std::vector<std::string> window_notes(const RegimeBuildContext& ctx, const std::string& name) {
  const Window w = ctx.window(name);
  if ((w.end >= 0 && w.end <= 0) || w.start >= ctx.days())
    return {name + " is enabled but its window lies outside the simulated period (" + ctx.params.start_date +
            " + " + std::to_string(ctx.days()) + " days): it has no effect"};
  return {};
}

// The scenario layer's hooks (scenario/module_keys.hpp).
std::vector<ParamSpec> module_parameter_specs() {
  std::vector<ParamSpec> out;
  for (const auto& m : modules()) out.insert(out.end(), m.keys.begin(), m.keys.end());
  return out;
}

std::uint64_t module_registry_generation() { return generation.load(); }

}  // namespace licsim
