#include "scenario/scenario.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/errors.hpp"

namespace licsim {

namespace {
// Families whose '*' segment is a name the scenario chooses.
constexpr const char* required_families[] = {"specialty", "platform"};

std::string family_member(const std::string& key) {
  const auto first = key.find('.');
  if (first == std::string::npos) return {};
  const auto second = key.find('.', first + 1);
  if (second == std::string::npos) return {};
  return key.substr(0, second);
}
}  // namespace

const ModelParams& Scenario::params() const {
  if (!params_) throw std::logic_error("a scenario's parameters are read once it is finalized (finalize_scenario)");
  return *params_;
}

void Scenario::set(const std::string& key, Value value, const Origin& origin) {
  params_.reset();
  const ParamSpec* spec = find_spec(key);
  if (!spec) {
    throw ScenarioError(origin.file, origin.line, key,
                        "unknown key (did you mean '" + printable(nearest_key(key)) + "'?)");
  }
  if (auto problem = check_value(*spec, value))
    throw ScenarioError(origin.file, origin.line, key, *problem);
  if (spec->pattern.find('*') != std::string::npos) {
    auto member = family_member(key);
    if (member_seen_.insert(member).second) member_order_.push_back(std::move(member));
  }
  values_[key] = std::move(value);
  origins_[key] = origin;
}

void Scenario::check_complete() const {
  const std::string where = source_name.empty() ? "<scenario>" : source_name;
  for (const auto& spec : parameter_specs()) {
    if (!spec.required) continue;
    const auto star = spec.pattern.find('*');
    if (star == std::string::npos) {
      if (!has(spec.pattern))
        throw ScenarioError(where, 0, spec.pattern,
                            "missing; expected " + expected_text(spec) + " (" + spec.meaning + ")");
      continue;
    }
    const std::string family = spec.pattern.substr(0, star - 1);
    const std::string suffix = spec.pattern.substr(star + 1);
    const auto names = members(family);  // families other than the required ones may be empty
    for (const auto& name : names) {
      const std::string key = family + "." + name + suffix;
      if (!has(key))
        throw ScenarioError(where, 0, key,
                            "missing; expected " + expected_text(spec) + " (" + spec.meaning + ")");
    }
  }
  for (const char* family : required_families)
    if (members(family).empty())
      throw ScenarioError(where, 0, family,
                          std::string("missing; expected at least one [") + family +
                              ".<name>] table");
}

const Value& Scenario::at(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end())
    throw ScenarioError(source_name.empty() ? "<scenario>" : source_name, 0, key, "missing");
  return it->second;
}

double Scenario::real(const std::string& key) const { return std::get<double>(at(key)); }
std::int64_t Scenario::integer(const std::string& key) const {
  return std::get<std::int64_t>(at(key));
}
bool Scenario::boolean(const std::string& key) const { return std::get<bool>(at(key)); }
const std::string& Scenario::text(const std::string& key) const {
  return std::get<std::string>(at(key));
}
const std::vector<double>& Scenario::reals(const std::string& key) const {
  return std::get<std::vector<double>>(at(key));
}
double Scenario::real_or(const std::string& key, double fallback) const {
  return has(key) ? real(key) : fallback;
}

std::vector<std::string> Scenario::members(const std::string& family) const {
  std::vector<std::string> names;
  const std::string prefix = family + ".";
  for (const auto& member : member_order_)
    if (member.rfind(prefix, 0) == 0) names.push_back(member.substr(prefix.size()));
  return names;
}

Origin Scenario::origin(const std::string& key) const {
  const auto it = origins_.find(key);
  if (it != origins_.end()) return it->second;
  return {source_name.empty() ? "<scenario>" : source_name, 0};
}

}  // namespace licsim
