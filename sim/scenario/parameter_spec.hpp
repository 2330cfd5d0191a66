#pragma once
// The dictionary of every scenario key licsim accepts: type, bounds, unit,
// meaning and source. The loader validates against it, `licsim params` prints
// it, and docs/parameters.md is generated from it (a test keeps them in step).
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/value.hpp"

namespace licsim {

enum class Kind { boolean, integer, real, text, real_list, text_list };

/// One accepted key. A `*` segment stands for a name chosen by the scenario
/// (a specialty, a platform, a jurisdiction code).
struct ParamSpec {
  std::string pattern;
  Kind kind;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::size_t list_size = 0;          ///< required length of a list; 0 = any non-empty
  std::vector<std::string> choices;   ///< allowed texts (empty = any)
  bool required = true;               ///< optional keys are per-jurisdiction overrides
  std::string unit;
  std::string meaning;
  std::string source;
};

/// Every accepted key, in dictionary order.
const std::vector<ParamSpec>& parameter_specs();

/// The spec matching a concrete dotted key, or nullptr.
const ParamSpec* find_spec(std::string_view key);

/// The accepted key (or pattern) closest to `key`, for "did you mean" hints.
std::string nearest_key(std::string_view key);

/// The candidate closest to `word` by edit distance (empty when none).
std::string nearest_of(std::string_view word, const std::vector<std::string>& candidates);

/// "a number in [0, 1]" and the like.
std::string expected_text(const ParamSpec& spec);

/// Checks `value` against `spec`; returns the problem, or nullopt when valid.
/// Integers are accepted (and converted) where a real is expected.
std::optional<std::string> check_value(const ParamSpec& spec, Value& value);

std::string kind_name(Kind kind);

}  // namespace licsim
