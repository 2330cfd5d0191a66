#pragma once
// The regime modules licsim ships. Each reads its own `<name>.*` keys.
#include <memory>

#include "engine/regimes/build_context.hpp"
#include "engine/regimes/regime.hpp"

namespace licsim {

std::unique_ptr<Regime> make_compact(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_telemed_act(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_registration(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_waiver(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_national_license(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_recognition(const RegimeBuildContext& ctx);
std::unique_ptr<Regime> make_exceptions(const RegimeBuildContext& ctx);

}  // namespace licsim
