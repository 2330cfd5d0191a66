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
  /// A text key holding a date YYYY-MM-DD (core/date.hpp); `date_optional`: "" (none) too.
  bool date = false;
  bool date_optional = false;
};

/// Every accepted key, in dictionary order.
const std::vector<ParamSpec>& parameter_specs();

/// The spec matching a concrete dotted key, or nullptr.
const ParamSpec* find_spec(std::string_view key);

/// The accepted key (or pattern) closest to `key`, for "did you mean" hints.
/// Linear in the key's length for any key (edit_distance_at_most).
std::string nearest_key(std::string_view key);

/// The candidate closest to `word` by edit distance (empty when none).
std::string nearest_of(std::string_view word, const std::vector<std::string>& candidates);

/// Levenshtein distance of `a` and `b` if it is at most `limit`, else some value
/// above `limit`. Common prefixes and suffixes are skipped, and of a longer
/// rest only its first and last edit_compare_chars / 2 characters are compared
/// (every character left out counts as one edit), so a call costs O(|a| + |b| +
/// edit_compare_chars^2) whatever the lengths: exact whenever both rests are at
/// most edit_compare_chars long (every accepted key is), an upper bound otherwise.
std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t limit);
constexpr std::size_t edit_compare_chars = 256;

/// A value as an error message shows it: control characters escaped, long
/// values cut, and a real that is a whole number written with its ".0" (so 36.0
/// for an integer key reads "got 36.0", not "got 36").
std::string describe_for_message(const Value& value);

/// "a number in [0, 1]" and the like.
std::string expected_text(const ParamSpec& spec);

/// Checks `value` against `spec`; returns the problem, or nullopt when valid.
/// Integers are accepted (and converted) where a real is expected.
std::optional<std::string> check_value(const ParamSpec& spec, Value& value);

std::string kind_name(Kind kind);

}  // namespace licsim
