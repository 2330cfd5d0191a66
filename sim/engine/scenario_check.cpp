#include "engine/scenario_check.hpp"

#include "core/errors.hpp"
#include "engine/calendar.hpp"
#include "engine/regimes/build_context.hpp"
#include "engine/regimes/module.hpp"
#include "engine/regimes/regime_set.hpp"

namespace licsim {

std::vector<std::string> check_scenario(const Scenario& sc) {
  const ModelParams& params = sc.params();
  const auto start = parse_date(params.start_date);
  if (!start) {
    const auto o = sc.origin("simulation.start_date");
    throw ScenarioError(o.file, o.line, "simulation.start_date",
                        "expected a date YYYY-MM-DD, got \"" + printable(params.start_date) + "\"");
  }
  const int days = params.default_days;
  const Calendar calendar(*start, days);
  const RegimeSet regimes(sc, params, calendar, days);  // reads and checks every regime's data
  RegimeSet::check_modules(sc, params, calendar, days);  // and those of the modules switched off
  const RegimeBuildContext ctx(sc, params, *start, days);

  std::vector<std::string> notes;
  for (const auto& module : regime_modules())
    if (module.notes && regime_enabled(module, sc))
      for (auto& note : module.notes(ctx)) notes.push_back(std::move(note));
  for (const auto& name : sc.members("coverage_change"))
    if (ctx.day_of_key("coverage_change." + name + ".start_date").value_or(0) >= days)
      notes.push_back("coverage_change." + name + " starts after the simulated period: it has no effect");
  if (!sc.boolean("controlled_substances.in_person_rule") &&
      !sc.text("controlled_substances.flexibility_start_date").empty())
    notes.push_back("controlled_substances.in_person_rule is false, so the flexibility window changes nothing");
  return notes;
}

std::vector<std::string> ineffective_key_warnings(const Scenario& scenario, const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  for (const auto& key : keys) {
    const auto dot = key.find('.');
    if (dot == std::string::npos) continue;
    const std::string table = key.substr(0, dot);
    for (const auto& module : regime_modules()) {
      if (module.name != table || key == table + ".enabled" || regime_enabled(module, scenario)) continue;
      out.push_back(key + ": the " + table + " regime is switched off in this scenario" +
                    (module.enabled ? std::string() : " (" + table + ".enabled = false)") +
                    ", so this value changes nothing");
    }
  }
  return out;
}

}  // namespace licsim
