#pragma once
// Plain parameter values as they come from a scenario file, --set or a Python dict.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace licsim {

using Value = std::variant<bool, std::int64_t, double, std::string, std::vector<double>,
                           std::vector<std::string>>;

/// Human-readable rendering used in error messages and in the resolved scenario.
std::string describe(const Value& value);

}  // namespace licsim
