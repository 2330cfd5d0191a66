// The regime registry: each shipped regime declares its keys and authorities
// once, and the fixed labels of the output match what the modules declare.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "engine/regimes/module.hpp"
#include "engine/scenario_check.hpp"
#include "model/authority.hpp"
#include "scenario/parameter_spec.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("every shipped regime authority is declared by exactly one module, and no module invents a shipped one") {
  std::map<std::string, int> declared;
  for (const auto& m : regime_modules())
    for (const auto& a : m.authorities) ++declared[a];
  for (int a = 0; a < authority_count; ++a) {
    const std::string label(authority_names[static_cast<std::size_t>(a)]);
    const bool license = a <= static_cast<int>(Authority::compact_license);  // none, full and compact licenses
    CAPTURE(label);
    CHECK(declared[label] == (license ? 0 : 1));
  }
  // Without a registered toy, the labels are exactly the shipped ones.
  CHECK(authority_labels().size() == static_cast<std::size_t>(authority_count));
  CHECK(authority_code("supervised") == Authority::supervised);
  CHECK_THROWS_AS(authority_code("no_such_authority"), std::out_of_range);
}

TEST_CASE("a regime's keys are in its own table and every key of a regime table belongs to its module") {
  std::map<std::string, const RegimeModule*> by_table;
  for (const auto& m : regime_modules()) {
    by_table[m.name] = &m;
    CHECK_FALSE(m.keys.empty());
    CHECK(m.make);
    for (const auto& k : m.keys) CHECK(k.pattern.rfind(m.name + ".", 0) == 0);
    if (!m.enabled) CHECK(find_spec(m.name + ".enabled") != nullptr);
  }
  for (const auto& spec : parameter_specs()) {
    const auto table = spec.pattern.substr(0, spec.pattern.find('.'));
    const auto it = by_table.find(table);
    if (it == by_table.end()) continue;
    const auto& keys = it->second->keys;
    CAPTURE(spec.pattern);
    CHECK(std::count_if(keys.begin(), keys.end(), [&](const ParamSpec& k) { return k.pattern == spec.pattern; }) == 1);
  }
}

TEST_CASE("a key of a regime the scenario leaves off is warned of, once, and no other key is") {
  const Scenario off = test::baseline();  // every regime off
  const auto warnings = ineffective_key_warnings(
      off, {"compact.loq_fee_usd", "compact.enabled", "regulator.approval_prob", "telemed_act.start_date", "compact"});
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] ==
        "compact.loq_fee_usd: the compact regime is switched off in this scenario (compact.enabled = false), so this "
        "value changes nothing");
  CHECK(warnings[1].starts_with("telemed_act.start_date: the telemed_act regime is switched off"));
  const Scenario on = test::baseline({"compact.enabled=true"});
  CHECK(ineffective_key_warnings(on, {"compact.loq_fee_usd"}).empty());
  CHECK(ineffective_key_warnings(on, {"telemed_act.start_date"}).size() == 1);
}
