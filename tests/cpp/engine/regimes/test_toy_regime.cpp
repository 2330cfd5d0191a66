// A regime licsim does not ship, added the way a contributor adds one: this
// file (its rule, keys, authority and per-clinician state) plus one registry
// line. Its own test program: the registration changes the dictionary and the
// output's authority labels for every run in the process.
//
// The toy rule, a "frontier permit": any clinician licensed in some US state
// may give telemedicine to patients located in the listed states, up to a
// number of encounters per clinician over the run.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "core/errors.hpp"
#include "engine/output_schema.hpp"
#include "engine/regimes/module.hpp"
#include "engine/scenario_check.hpp"
#include "scenario/spec_builders.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

class FrontierPermit final : public Regime {
 public:
  explicit FrontierPermit(const RegimeBuildContext& ctx)
      : authority_(authority_code("frontier_permit")),
        cap_(static_cast<std::uint32_t>(ctx.scenario.integer("frontier_permit.max_encounters_per_clinician"))) {
    for (const std::size_t j : ctx.codes("frontier_permit.states", true)) states_ |= std::uint64_t{1} << j;
  }
  std::string_view name() const override { return "frontier_permit"; }

  bool opens_national_pool(const EncounterQuery& q) const override {
    return q.modality == Modality::telehealth && q.location < 64 && ((states_ >> q.location) & 1u);
  }
  Authority national_grant(const Workforce& w, ClinicianId c, int) const override {
    return w.active[c] != 0 && !w.is_abroad(c) ? authority_ : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return opens_national_pool(q) ? national_grant(w, c, q.day) : Authority::none;
  }
  // Its own per-clinician state: encounters given under the permit.
  void prepare(Workforce& w, std::uint64_t, std::uint32_t) override { used_.assign(w.size(), 0); }
  void on_encounter(Workforce&, ClinicianId c, Authority a, bool, int) override {
    if (a == authority_) ++used_[c];
  }
  bool within_limits(const Workforce&, ClinicianId c, Authority a, int) const override {
    return a != authority_ || used_[c] < cap_;
  }

 private:
  Authority authority_;
  std::uint32_t cap_;
  std::uint64_t states_ = 0;
  std::vector<std::uint32_t> used_;
};

RegimeModule frontier_permit_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "frontier_permit";
  m.keys.push_back(flag("frontier_permit.enabled", "switch the frontier permit on", "test"));
  m.keys.push_back(text("frontier_permit.states", {}, "comma-separated USPS codes where the permit applies", "test"));
  m.keys.push_back(integer("frontier_permit.max_encounters_per_clinician", 0, 1e6, "encounters",
                           "permit encounters a clinician may give over the run", "test"));
  m.authorities = {"frontier_permit"};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<FrontierPermit>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) {
    std::vector<std::string> notes;
    if (ctx.scenario.integer("frontier_permit.max_encounters_per_clinician") == 0)
      notes.push_back("frontier_permit allows no encounters (max_encounters_per_clinician = 0)");
    return notes;
  };
  return m;
}

// The registry line.
const bool registered = (register_regime(frontier_permit_module()), true);

std::vector<std::string> with_permit(bool on, const std::string& states = "\"MT,WY,ND,SD\"", int cap = 1000) {
  return {std::string("frontier_permit.enabled=") + (on ? "true" : "false"), "frontier_permit.states=" + states,
          "frontier_permit.max_encounters_per_clinician=" + std::to_string(cap)};
}

/// Encounters under authority `a` by the patients' home jurisdiction.
std::vector<double> encounters_under(const Result& r, Authority a) {
  const std::size_t n_auth = authority_labels().size(), n_us = r.jurisdictions.size();
  std::vector<double> out(n_us, 0.0);
  for (std::size_t i = 0; i < r.by_authority.size(); i += 2)
    if ((i / 2) % n_auth == static_cast<std::size_t>(a)) out[(i / 2 / n_auth) % n_us] += r.by_authority[i];
  return out;
}

}  // namespace

TEST_CASE("a registered regime's keys join the dictionary and its authority the output's labels") {
  REQUIRE(registered);
  REQUIRE(find_spec("frontier_permit.states") != nullptr);
  CHECK(find_spec("frontier_permit.states")->kind == Kind::text);
  CHECK(nearest_key("frontier_permit.state") == "frontier_permit.states");
  // Shipped labels keep their codes; the new one comes after them.
  const auto& labels = authority_labels();
  REQUIRE(labels.size() == authority_count + 1);
  for (int a = 0; a < authority_count; ++a) CHECK(labels[static_cast<std::size_t>(a)] == authority_names[static_cast<std::size_t>(a)]);
  CHECK(labels.back() == "frontier_permit");
  CHECK(static_cast<int>(authority_code("frontier_permit")) == authority_count);
  // A second module of the same name, or with a key outside its table, is refused.
  CHECK_THROWS_AS(register_regime(frontier_permit_module()), std::invalid_argument);
  RegimeModule stray = frontier_permit_module();
  stray.name = "stray";
  CHECK_THROWS_AS(register_regime(stray), std::invalid_argument);
  // Its keys are checked like any other: a wrong type names the key.
  CHECK_THROWS_AS(test::baseline({"frontier_permit.enabled=true", "frontier_permit.states=\"MT\"",
                                  "frontier_permit.max_encounters_per_clinician=1.5"}),
                  ScenarioError);
}

TEST_CASE("the toy regime's rule: telemedicine in the listed states only, by US licensees, within its cap") {
  test::RegimeWorld w(with_permit(true, "\"MT\"", 2));
  const auto mt = w.code("MT"), wy = w.code("WY"), ny = w.code("NY");
  const ClinicianId c = w.licensed_only_in(ny);
  REQUIRE(c != no_clinician);
  const Authority permit = authority_code("frontier_permit");
  CHECK(w.regimes.authority(w.workforce, c, test::RegimeWorld::tele(mt, Payer::private_insurance, 5)) == permit);
  CHECK(w.regimes.authority(w.workforce, c, test::RegimeWorld::tele(wy, Payer::private_insurance, 5)) == Authority::none);
  EncounterQuery in_person = test::RegimeWorld::tele(mt, Payer::private_insurance, 5);
  in_person.modality = Modality::in_person;
  CHECK(w.regimes.authority(w.workforce, c, in_person) == Authority::none);
  // Its per-clinician state: two permit encounters, then the cap.
  CHECK(w.regimes.within_limits(w.workforce, c, permit, 5));
  w.regimes.on_encounter(w.workforce, c, permit, false, 5);
  w.regimes.on_encounter(w.workforce, c, Authority::full_license, false, 5);  // not counted
  CHECK(w.regimes.within_limits(w.workforce, c, permit, 6));
  w.regimes.on_encounter(w.workforce, c, permit, false, 6);
  CHECK_FALSE(w.regimes.within_limits(w.workforce, c, permit, 7));
  CHECK(w.regimes.within_limits(w.workforce, c, Authority::full_license, 7));
}

TEST_CASE("the toy regime in a run: care under it in its states, none when it is off") {
  const auto on = test::run_with(with_permit(true), 90, 0.002);
  const auto off = test::run_with(with_permit(false), 90, 0.002);
  const Authority permit = authority_code("frontier_permit");
  const auto under_on = encounters_under(on, permit), under_off = encounters_under(off, permit);
  const auto index = [&](const char* code) {
    return static_cast<std::size_t>(std::find(on.jurisdictions.begin(), on.jurisdictions.end(), code) -
                                    on.jurisdictions.begin());
  };
  double listed = 0, elsewhere = 0;
  for (std::size_t j = 0; j < under_on.size(); ++j) {
    const bool in_list = j == index("MT") || j == index("WY") || j == index("ND") || j == index("SD");
    (in_list ? listed : elsewhere) += under_on[j];
    CHECK(under_off[j] == 0);
  }
  CHECK(listed > 0);
  // Counted by the patient's home: only residents of other states travelling
  // into a listed one count elsewhere (a rule applied everywhere would put most
  // of its care in the 47 other jurisdictions).
  CHECK(elsewhere < 0.25 * listed);
  // The file's authority labels are the registry's.
  const auto labels = axis_labels(on, Axis::authority);
  CHECK(labels.back() == "frontier_permit");
  // A cap of zero turns it off, and validate says so.
  const auto capped = test::run_with(with_permit(true, "\"MT,WY,ND,SD\"", 0), 90, 0.002);
  for (const double e : encounters_under(capped, permit)) CHECK(e == 0);
  const auto notes = check_scenario(test::baseline(with_permit(true, "\"MT\"", 0)));
  CHECK(std::count(notes.begin(), notes.end(),
                   "frontier_permit allows no encounters (max_encounters_per_clinician = 0)") == 1);
  CHECK(check_scenario(test::baseline(with_permit(false, "\"MT\"", 0))).empty());
}
