#pragma once
// Short constructors of dictionary entries, used by the dictionary itself
// (parameters.cpp) and by every module that declares its own keys (a regime's
// file in engine/regimes/). One spelling for "a real in [lo, hi] with a unit,
// a meaning and a source", so every key reads alike in `licsim params`.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "scenario/parameter_spec.hpp"

namespace licsim::spec {

inline constexpr double inf = std::numeric_limits<double>::infinity();
/// Upper bound of money amounts (USD): finite, far above any fee or price.
inline constexpr double big = 1e12;
/// The source of a value no public figure supports.
inline constexpr const char* assumed = "assumption (no public figure found); vary it in sensitivity analysis";

inline ParamSpec real(std::string key, double lo, double hi, std::string unit, std::string meaning,
                      std::string source) {
  return {std::move(key), Kind::real, lo, hi, 0, {}, true, std::move(unit), std::move(meaning), std::move(source)};
}
inline ParamSpec integer(std::string key, double lo, double hi, std::string unit, std::string meaning,
                         std::string source) {
  return {std::move(key), Kind::integer, lo, hi, 0, {}, true, std::move(unit), std::move(meaning), std::move(source)};
}
inline ParamSpec reals(std::string key, std::size_t size, double lo, double hi, std::string unit,
                       std::string meaning, std::string source) {
  return {std::move(key), Kind::real_list, lo, hi, size, {}, true, std::move(unit), std::move(meaning),
          std::move(source)};
}
inline ParamSpec text(std::string key, std::vector<std::string> choices, std::string meaning, std::string source) {
  return {std::move(key), Kind::text, -inf, inf, 0, std::move(choices), true, "", std::move(meaning),
          std::move(source)};
}
inline ParamSpec flag(std::string key, std::string meaning, std::string source) {
  return {std::move(key), Kind::boolean, -inf, inf, 0, {}, true, "", std::move(meaning), std::move(source)};
}
/// A date key that may be "" (none).
inline ParamSpec date(std::string key, std::string meaning) {
  auto s = text(std::move(key), {}, std::move(meaning) + " (YYYY-MM-DD; \"\" = none)", "scenario-specific");
  s.date = s.date_optional = true;
  return s;
}
/// A per-jurisdiction override or another key a scenario may leave out.
inline ParamSpec optional(ParamSpec s) {
  s.required = false;
  return s;
}

/// `<module>.enabled`, `.start_date`, `.end_date`: a regime switched on for a window.
inline void add_window(std::vector<ParamSpec>& keys, const std::string& module, const std::string& what) {
  keys.push_back(flag(module + ".enabled", "switch the " + what + " on", "scenario-specific"));
  keys.push_back(date(module + ".start_date", "first day the " + what + " applies"));
  keys.push_back(date(module + ".end_date", "last day the " + what + " applies"));
}

/// `<module>.clinicians_abroad_eligible`: whether a rule that lets US-licensed
/// clinicians practise across state lines covers those living abroad.
inline ParamSpec abroad_flag(const std::string& module, const std::string& rule) {
  return flag(module + ".clinicians_abroad_eligible",
              "whether a US-licensed clinician living abroad may practise under the " + rule +
                  " (false: the rule covers practice from within the US, so a clinician abroad still "
                  "needs a license where the patient is)",
              "reading of the rule's text: it authorizes practice across state lines by US-based "
              "practitioners; scenario choice otherwise");
}

}  // namespace licsim::spec
