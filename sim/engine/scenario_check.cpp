#include "engine/scenario_check.hpp"

#include "core/errors.hpp"
#include "engine/calendar.hpp"
#include "engine/read_model_params.hpp"
#include "engine/regimes/build_context.hpp"
#include "engine/regimes/regime_set.hpp"

namespace licsim {

std::vector<std::string> check_scenario(const Scenario& sc) {
  const ModelParams params = read_model_params(sc);
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
  const auto on = [&](const char* regime) { return sc.boolean(std::string(regime) + ".enabled"); };
  for (const char* regime : {"compact", "telemed_act", "registration", "national_license", "recognition"}) {
    if (!on(regime)) continue;
    const Window w = ctx.window(regime);
    if ((w.end >= 0 && w.end <= 0) || w.start >= days)
      notes.push_back(std::string(regime) + " is enabled but its window lies outside the simulated period (" +
                      params.start_date + " + " + std::to_string(days) + " days): it has no effect");
  }
  if (on("waiver") && ctx.day_of_key("waiver.start_date").value_or(0) >= days)
    notes.push_back("waiver starts after the simulated period: it has no effect");
  if (on("national_license")) {
    for (const char* other : {"compact", "registration", "telemed_act", "waiver"})
      if (on(other))
        notes.push_back(std::string("national_license and ") + other +
                        " overlap: a national license holder needs no " + other +
                        " authorization, so " + other + " matters only for clinicians without one");
  }
  if (on("telemed_act") && on("waiver"))
    notes.push_back("telemed_act and waiver overlap for Medicare telemedicine while a state's waiver is in force; "
                    "encounters are counted under the first authority that applies (telemed_act)");
  if (on("recognition") && sc.real("recognition.clinicians_per_partner") == 0)
    notes.push_back("recognition is enabled with no participating clinicians (clinicians_per_partner = 0)");
  for (const auto& name : sc.members("coverage_change"))
    if (ctx.day_of_key("coverage_change." + name + ".start_date").value_or(0) >= days)
      notes.push_back("coverage_change." + name + " starts after the simulated period: it has no effect");
  if (!sc.boolean("controlled_substances.in_person_rule") &&
      !sc.text("controlled_substances.flexibility_start_date").empty())
    notes.push_back("controlled_substances.in_person_rule is false, so the flexibility window changes nothing");
  return notes;
}

}  // namespace licsim
