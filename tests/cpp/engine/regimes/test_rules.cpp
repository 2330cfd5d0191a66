// Unit tests of each regime's rule: who may treat whom, when, at what cost.
#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "engine/boards.hpp"
#include "engine/regimes/build_context.hpp"
#include "support.hpp"

using namespace licsim;
using test::RegimeWorld;

namespace {

/// The switched-on regime called `name` (its own state is seen through its hooks).
const Regime& regime_named(const RegimeSet& regimes, std::string_view name) {
  for (std::size_t i = 0; i < regimes.size(); ++i)
    if (regimes.regime(i).name() == name) return regimes.regime(i);
  FAIL("no regime " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("state-only: a license where the patient is, nothing else") {
  RegimeWorld w({});
  const auto ny = w.code("NY"), nj = w.code("NJ");
  const ClinicianId c = w.licensed_only_in(ny);
  REQUIRE(c != no_clinician);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(ny, Payer::private_insurance, 10)) == Authority::full_license);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(nj, Payer::medicare, 10)) == Authority::none);
  CHECK_FALSE(w.regimes.on_state_register(w.workforce, c, nj, 10));
}

TEST_CASE("compact: expedited licenses for eligible physicians between member states only") {
  RegimeWorld w({"compact.enabled=true"});
  const auto il = w.code("IL"), wi = w.code("WI"), ca = w.code("CA"), mi = w.code("MI");
  // Eligibility is the compact's own per-clinician trait: it shows as a compact route between members.
  const Regime& compact = regime_named(w.regimes, "compact");
  const auto compact_route = [&](const RegimeWorld& world, const Regime& r, ClinicianId c, std::size_t j) {
    return r.offer(world.workforce, c, j, 30).has_value();
  };
  const ClinicianId eligible = w.find([&](ClinicianId c) {
    return !w.workforce.is_abroad(c) && w.workforce.location[c] == il && compact_route(w, compact, c, wi);
  });
  const ClinicianId ineligible = w.find([&](ClinicianId c) {
    return !w.workforce.is_abroad(c) && w.workforce.location[c] == il && !compact_route(w, compact, c, wi);
  });
  // About the eligible share (80%) of Illinois clinicians are eligible.
  double il_clinicians = 0, il_eligible = 0;
  for (ClinicianId c = 0; c < w.workforce.size(); ++c)
    if (!w.workforce.is_abroad(c) && w.workforce.location[c] == il) {
      il_clinicians += 1;
      il_eligible += compact_route(w, compact, c, wi) ? 1 : 0;
    }
  CHECK(il_eligible / il_clinicians == doctest::Approx(0.8).epsilon(0.1));
  REQUIRE(eligible != no_clinician);
  REQUIRE(ineligible != no_clinician);
  const double daily_value = 10;
  const auto offer = *w.regimes.best_offer(w.workforce, eligible, wi, 30, daily_value);
  CHECK(offer.pathway == Pathway::compact);
  CHECK(offer.fee_usd == doctest::Approx(w.params.regulators[wi].license_fee_usd + 700));
  CHECK(offer.days_low == 37);
  CHECK(offer.days_high == 55);
  CHECK_FALSE(offer.board_queue);
  CHECK(w.regimes.best_offer(w.workforce, ineligible, wi, 30, daily_value)->pathway == Pathway::full_license);
  CHECK(w.regimes.best_offer(w.workforce, eligible, ca, 30, daily_value)->pathway == Pathway::full_license);  // CA not a member
  // Michigan left the compact on 2025-03-28 (data): no compact route after.
  RegimeWorld later({"compact.enabled=true", "simulation.start_date=\"2025-01-01\""});
  const Regime& later_compact = regime_named(later.regimes, "compact");
  const ClinicianId e2 = later.find([&](ClinicianId c) {
    return !later.workforce.is_abroad(c) && later.workforce.location[c] == il &&
           compact_route(later, later_compact, c, wi);
  });
  // (Michigan reviews in 90-120 days: at this value of time the compact is worth it.)
  CHECK(later.regimes.best_offer(later.workforce, e2, mi, 10, 100)->pathway == Pathway::compact);
  CHECK(later.regimes.best_offer(later.workforce, e2, mi, later.day("2025-04-01"), 100)->pathway == Pathway::full_license);
  // A granted compact license is a full license marked as compact; the LOQ is then held.
  w.regimes.grant(w.workforce, eligible, wi, offer, 60);
  CHECK(w.regimes.authority(w.workforce, eligible, RegimeWorld::tele(wi, Payer::private_insurance, 61)) ==
        Authority::compact_license);
  const ClinicianId other_state = w.code("MN");
  const auto second = *w.regimes.best_offer(w.workforce, eligible, other_state, 70, daily_value);
  CHECK(second.pathway == Pathway::compact);
  CHECK(second.fee_usd == doctest::Approx(w.params.regulators[other_state].license_fee_usd));  // no new LOQ fee
  CHECK(second.days_high == 10);
}

TEST_CASE("TELE-MED Act: Medicare patients, telemedicine, any US license, nobody else") {
  RegimeWorld w({"telemed_act.enabled=true", "telemed_act.start_date=\"2019-03-01\""});
  const auto ny = w.code("NY"), fl = w.code("FL");
  const ClinicianId c = w.licensed_only_in(ny);
  const int in_force = w.day("2019-03-01");
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(fl, Payer::medicare, in_force)) == Authority::telemed_act);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(fl, Payer::medicare, in_force - 1)) == Authority::none);
  for (Payer p : {Payer::medicaid, Payer::private_insurance, Payer::uninsured})
    CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(fl, p, in_force)) == Authority::none);
  EncounterQuery in_person = RegimeWorld::tele(fl, Payer::medicare, in_force);
  in_person.modality = Modality::in_person;
  CHECK(w.regimes.authority(w.workforce, c, in_person) == Authority::none);
}

TEST_CASE("registration: telemedicine only, in registration states, from their start dates") {
  RegimeWorld w({"registration.enabled=true"});
  const auto fl = w.code("FL"), tx = w.code("TX"), ca = w.code("CA"), ny = w.code("NY");
  const ClinicianId c = w.licensed_only_in(ny);
  // Florida: registration in force from 2019-07-01, no fee (data).
  CHECK(w.regimes.best_offer(w.workforce, c, fl, w.day("2019-06-30"), 0)->pathway == Pathway::full_license);
  const auto offer = *w.regimes.best_offer(w.workforce, c, fl, w.day("2019-07-01"), 0);
  CHECK(offer.pathway == Pathway::registration);
  CHECK(offer.fee_usd == 0);
  CHECK(w.regimes.best_offer(w.workforce, c, ca, 200, 0)->pathway == Pathway::full_license);  // no CA pathway
  w.regimes.grant(w.workforce, c, fl, offer, 200);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(fl, Payer::private_insurance, 201)) == Authority::registration);
  EncounterQuery in_person = RegimeWorld::tele(fl, Payer::private_insurance, 201);
  in_person.modality = Modality::in_person;
  CHECK(w.regimes.authority(w.workforce, c, in_person) == Authority::none);
  CHECK(w.regimes.on_state_register(w.workforce, c, fl, 201));
  // Texas issues no new special licenses after 2017 (data end date).
  CHECK(w.regimes.best_offer(w.workforce, c, tx, 200, 0)->pathway == Pathway::full_license);
}

TEST_CASE("registration: Texas' special license covers follow-ups only, and holders keep it after issuance ends") {
  RegimeWorld w({"registration.enabled=true", "simulation.start_date=\"2017-06-01\""});
  const auto tx = w.code("TX"), ny = w.code("NY");
  const ClinicianId c = w.licensed_only_in(ny);
  REQUIRE(c != no_clinician);
  const auto tx_offer = *w.regimes.best_offer(w.workforce, c, tx, w.day("2017-12-31"), 0);
  REQUIRE(tx_offer.pathway == Pathway::registration);
  CHECK(w.regimes.best_offer(w.workforce, c, tx, w.day("2018-01-01"), 0)->pathway == Pathway::full_license);
  w.regimes.grant(w.workforce, c, tx, tx_offer, w.day("2017-12-31"));
  const int later = w.day("2018-03-01");
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(tx, Payer::private_insurance, later)) == Authority::none);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(tx, Payer::private_insurance, later, ep_follow_up)) ==
        Authority::registration);
  CHECK_FALSE(w.regimes.on_state_register(w.workforce, c, tx, later));
}

namespace {

/// Files `offer` for clinician c in j on `day` and steps the boards until the
/// authorization is granted; the day of the grant, or -1.
int granted_on(RegimeWorld& w, Boards& boards, ClinicianId c, std::size_t j, const PathwayOffer& offer, int day,
               int until) {
  boards.submit(c, j, day, offer, w.workforce);
  for (int d = day; d <= until; ++d) {
    boards.step(d, w.workforce, w.expiries);
    // Registered: a follow-up by telemedicine is lawful there under the registration.
    if (w.regimes.authority(w.workforce, c, RegimeWorld::tele(j, Payer::private_insurance, d, ep_follow_up)) ==
        Authority::registration)
      return d;
  }
  return -1;
}

double pathway_granted(Boards& b, std::size_t j, Pathway p) {
  return b.pathway_ledger()[(j * pathway_count + static_cast<std::size_t>(p)) * pathway_metric_count + pm_granted];
}

const std::vector<std::string> pathway_rules = {
    "registration.enabled=true", "registration.special_license_processing_days_low=40",
    "registration.special_license_processing_days_high=50", "registration.special_license_approval_prob=1",
    "registration.registration_processing_days_low=20", "registration.registration_processing_days_high=25",
    "regulator.paperwork_hours=10"};

std::vector<std::string> with(std::vector<std::string> base, std::initializer_list<const char*> extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

}  // namespace

TEST_CASE("registration: a special license is reviewed in the board's queue, a registration is not") {
  const int days = 300;
  {  // Boards with spare capacity: each takes its own processing days.
    RegimeWorld w(with(pathway_rules, {"jurisdiction.AL.processing_capacity_per_1000_physicians_day=1000"}), days);
    Boards boards(w.params, w.scenario.places, w.workforce, w.regimes, 0.001, days, 1, 0);
    const auto al = w.code("AL"), fl = w.code("FL");
    const ClinicianId c = w.licensed_only_in(w.code("NY"));
    REQUIRE(c != no_clinician);
    const auto special = *w.regimes.best_offer(w.workforce, c, al, 0, 0);
    REQUIRE(special.pathway == Pathway::registration);
    CHECK(special.board_queue);
    CHECK(special.fee_usd == 250);  // Alabama's fee (data)
    CHECK(special.paperwork_hours == doctest::Approx(0.75 * 10));
    CHECK(special.approval_prob == 1);
    const int al_day = granted_on(w, boards, c, al, special, 0, days);
    CHECK(al_day >= 40);
    CHECK(al_day <= 51);
    const auto registration = *w.regimes.best_offer(w.workforce, c, fl, 200, 0);
    CHECK_FALSE(registration.board_queue);
    CHECK(registration.paperwork_hours == doctest::Approx(0.25 * 10));
    const int fl_day = granted_on(w, boards, c, fl, registration, 200, days);
    CHECK(fl_day >= 220);
    CHECK(fl_day <= 226);
    // Both are recorded as grants by the registration pathway.
    CHECK(pathway_granted(boards, al, Pathway::registration) == 1);
    CHECK(pathway_granted(boards, fl, Pathway::registration) == 1);
  }
  {  // Boards that review nothing: the special license waits, the registration does not.
    RegimeWorld w(with(pathway_rules, {"jurisdiction.AL.processing_capacity_per_1000_physicians_day=0",
                                       "jurisdiction.FL.processing_capacity_per_1000_physicians_day=0"}),
                  days);
    Boards boards(w.params, w.scenario.places, w.workforce, w.regimes, 0.001, days, 1, 0);
    const auto al = w.code("AL"), fl = w.code("FL");
    const ClinicianId c = w.licensed_only_in(w.code("NY"));
    CHECK(granted_on(w, boards, c, al, *w.regimes.best_offer(w.workforce, c, al, 0, 0), 0, days) == -1);
    CHECK(((w.workforce.pending[c] >> al) & 1u) == 1u);
    CHECK(granted_on(w, boards, c, fl, *w.regimes.best_offer(w.workforce, c, fl, 200, 0), 200, days) >= 0);
  }
  {  // The kind's board_review key decides: a registration reviewed by the board queues too.
    RegimeWorld w(with(pathway_rules, {"registration.registration_board_review=true",
                                       "jurisdiction.FL.processing_capacity_per_1000_physicians_day=0"}),
                  days);
    Boards boards(w.params, w.scenario.places, w.workforce, w.regimes, 0.001, days, 1, 0);
    const auto fl = w.code("FL");
    const ClinicianId c = w.licensed_only_in(w.code("NY"));
    CHECK(granted_on(w, boards, c, fl, *w.regimes.best_offer(w.workforce, c, fl, 200, 0), 200, days) == -1);
  }
}

TEST_CASE("registration: the kind's approval probability is applied") {
  const int days = 300;
  for (const double prob : {0.0, 1.0}) {
    CAPTURE(prob);
    RegimeWorld w(with(pathway_rules, {prob == 0 ? "registration.registration_approval_prob=0"
                                                 : "registration.registration_approval_prob=1"}),
                  days);
    Boards boards(w.params, w.scenario.places, w.workforce, w.regimes, 0.001, days, 1, 0);
    const auto fl = w.code("FL");
    int granted = 0, filed = 0;
    for (ClinicianId c = 0; c < w.workforce.size() && filed < 20; ++c) {
      if (w.workforce.is_abroad(c) || w.workforce.active[c] == 0 || w.workforce.authorized(c, fl)) continue;
      const auto offer = w.regimes.best_offer(w.workforce, c, fl, 200, 0);
      REQUIRE(offer->pathway == Pathway::registration);
      CHECK(offer->approval_prob == prob);
      ++filed;
      if (granted_on(w, boards, c, fl, *offer, 200, 230) >= 0) ++granted;
      CHECK(((w.workforce.pending[c] >> fl) & 1u) == 0u);  // decided either way
    }
    REQUIRE(filed == 20);
    CHECK(granted == (prob == 0 ? 0 : 20));
  }
}

TEST_CASE("registration: a disciplinary record bars special licenses, not registrations") {
  RegimeWorld w({"registration.enabled=true"});
  const auto al = w.code("AL"), fl = w.code("FL"), mn = w.code("MN");
  const ClinicianId c = w.licensed_only_in(w.code("NY"));
  REQUIRE(c != no_clinician);
  CHECK(w.regimes.best_offer(w.workforce, c, al, 200, 0)->pathway == Pathway::registration);
  CHECK(w.regimes.best_offer(w.workforce, c, mn, 200, 0)->fee_usd == 100);  // Minnesota's fee (data)
  w.workforce.flags[c] |= flag_disciplined;
  CHECK(w.regimes.best_offer(w.workforce, c, al, 200, 0)->pathway == Pathway::full_license);
  CHECK(w.regimes.best_offer(w.workforce, c, fl, 200, 0)->pathway == Pathway::registration);
  RegimeWorld lenient({"registration.enabled=true", "registration.special_license_requires_clean_record=false"});
  const ClinicianId d = lenient.licensed_only_in(lenient.code("NY"));
  lenient.workforce.flags[d] |= flag_disciplined;
  CHECK(lenient.regimes.best_offer(lenient.workforce, d, al, 200, 0)->pathway == Pathway::registration);
}

TEST_CASE("registration: an unknown pathway kind is refused, naming file, line and column") {
  Scenario s = test::baseline({"registration.enabled=true"});
  auto& t = s.tables.at("registration.pathways_file");
  REQUIRE(t.rows[2][0] == "FL");
  t.rows[2][RegimeBuildContext::column(t, "pathway")] = "permit";
  const ModelParams p = read_model_params(s);
  const Calendar calendar(*parse_date(p.start_date), 100);
  CHECK(t.path.ends_with("telehealth_pathways.csv"));
  CHECK_THROWS_WITH_AS(RegimeSet(s, p, calendar, 100),
                       (t.path + ":4: column 'pathway': expected registration or special_license, got 'permit'").c_str(),
                       DataError);
}

TEST_CASE("waiver: any US licensee by telemedicine, until each state's end date") {
  RegimeWorld w({"waiver.enabled=true", "simulation.start_date=\"2020-01-01\""}, 1200);
  const auto ks = w.code("KS"), wy = w.code("WY"), ny = w.code("NY");
  const ClinicianId c = w.licensed_only_in(ny);
  const auto tele = [&](std::size_t loc, const char* date) {
    return w.regimes.authority(w.workforce, c, RegimeWorld::tele(loc, Payer::private_insurance, w.day(date)));
  };
  CHECK(tele(ks, "2020-03-12") == Authority::none);
  CHECK(tele(ks, "2020-03-13") == Authority::waiver);
  CHECK(tele(ks, "2023-01-20") == Authority::waiver);  // Kansas: data end date, last day in force
  CHECK(tele(ks, "2023-01-21") == Authority::none);
  CHECK(tele(wy, "2021-06-30") == Authority::waiver);  // default end date
  CHECK(tele(wy, "2021-07-01") == Authority::none);
  // A clinician without any US license (a recognition participant) is not covered.
  RegimeWorld r({"waiver.enabled=true", "recognition.enabled=true", "simulation.start_date=\"2020-01-01\""}, 600);
  const ClinicianId foreign = r.find([&](ClinicianId c) { return r.workforce.has(c, flag_recognition); });
  REQUIRE(foreign != no_clinician);
  CHECK(r.regimes.authority(r.workforce, foreign, RegimeWorld::tele(ks, Payer::private_insurance, r.day("2020-06-01"))) ==
        Authority::none);
}

TEST_CASE("national license: once granted, valid in every jurisdiction") {
  RegimeWorld w({"national_license.enabled=true"});
  const auto ny = w.code("NY"), hi = w.code("HI");
  const ClinicianId c = w.licensed_only_in(ny);
  const auto offer = *w.regimes.best_offer(w.workforce, c, hi, 10, 1000);  // waiting is costly: the national route wins
  CHECK(offer.pathway == Pathway::national_license);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(hi, Payer::uninsured, 20)) == Authority::none);
  w.regimes.grant(w.workforce, c, ny, offer, 20);
  for (std::size_t j = 0; j < 51; ++j)
    if (j != ny) CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(j, Payer::uninsured, 21)) == Authority::national_license);
}

TEST_CASE("recognition: supervised with a cap, promoted after milestones, revoked after discipline") {
  RegimeWorld w({"recognition.enabled=true", "recognition.recognizing_states=\"NY,MA\"",
                 "recognition.supervised_daily_cap=2", "recognition.promotion_encounters=5",
                 "recognition.promotion_max_adverse_rate=0.5", "recognition.revocation_prob_per_paid_claim=1",
                 "recognition.shared_disciplinary_repository=false", "recognition.real_time_verification=false",
                 "recognition.verification_lag_days=30"},
                400, 0.01);
  const auto ny = w.code("NY"), ma = w.code("MA"), ct = w.code("CT");
  const ClinicianId c = w.find([&](ClinicianId c) { return w.workforce.has(c, flag_recognition); });
  REQUIRE(c != no_clinician);
  const auto partner = w.scenario.places.code(w.workforce.location[c]);
  CHECK((partner == "CAN" || partner == "GBR"));  // participants live in partner countries
  CHECK(w.workforce.active[c] == 0);              // and hold no US license
  CHECK(w.regimes.best_offer(w.workforce, c, ct, 0, 0)->pathway == Pathway::full_license);  // CT does not recognize
  const auto offer = *w.regimes.best_offer(w.workforce, c, ny, 0, 0);
  REQUIRE(offer.pathway == Pathway::recognition);
  CHECK(offer.grants == Authority::supervised);
  w.regimes.grant(w.workforce, c, ny, offer, 5);
  w.regimes.grant(w.workforce, c, ma, *w.regimes.best_offer(w.workforce, c, ma, 5, 0), 5);
  const auto q = RegimeWorld::tele(ny, Payer::private_insurance, 10);
  REQUIRE(w.regimes.authority(w.workforce, c, q) == Authority::supervised);
  CHECK(w.regimes.harm_multiplier(w.workforce, c, Authority::supervised) == doctest::Approx(0.8));
  // Volume cap: two a day.
  w.regimes.on_encounter(w.workforce, c, Authority::supervised, false, 10);
  CHECK(w.regimes.within_limits(w.workforce, c, Authority::supervised, 10));
  w.regimes.on_encounter(w.workforce, c, Authority::supervised, false, 10);
  CHECK_FALSE(w.regimes.within_limits(w.workforce, c, Authority::supervised, 10));
  CHECK_FALSE(w.regimes.on_state_register(w.workforce, c, ny, 10));
  CHECK(w.regimes.within_limits(w.workforce, c, Authority::supervised, 11));
  // Promotion after five encounters with few enough adverse events, in every state.
  for (int day = 11; day < 14; ++day) w.regimes.on_encounter(w.workforce, c, Authority::supervised, false, day);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(ny, Payer::private_insurance, 15)) == Authority::recognized);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(ma, Payer::private_insurance, 15)) == Authority::recognized);
  // Discipline in NY without a shared repository: revoked in NY only; platforms
  // without real-time verification still list the clinician for 30 days.
  w.regimes.on_paid_claim(w.workforce, c, Authority::recognized, ny, 20);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(ny, Payer::private_insurance, 21)) == Authority::none);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(ma, Payer::private_insurance, 21)) == Authority::recognized);
  CHECK(w.regimes.on_state_register(w.workforce, c, ny, 21));
  CHECK_FALSE(w.regimes.on_state_register(w.workforce, c, ny, 50));
}

TEST_CASE("recognition with a shared disciplinary repository revokes everywhere at once") {
  RegimeWorld w({"recognition.enabled=true", "recognition.revocation_prob_per_paid_claim=1",
                 "recognition.shared_disciplinary_repository=true", "recognition.real_time_verification=true"},
                400, 0.01);
  const ClinicianId c = w.find([&](ClinicianId c) { return w.workforce.has(c, flag_recognition); });
  const auto ny = w.code("NY"), tx = w.code("TX");
  w.regimes.grant(w.workforce, c, ny, *w.regimes.best_offer(w.workforce, c, ny, 0, 0), 1);
  w.regimes.grant(w.workforce, c, tx, *w.regimes.best_offer(w.workforce, c, tx, 0, 0), 1);
  w.regimes.on_paid_claim(w.workforce, c, Authority::supervised, ny, 5);
  CHECK(w.regimes.authority(w.workforce, c, RegimeWorld::tele(tx, Payer::private_insurance, 6)) == Authority::none);
  CHECK_FALSE(w.regimes.on_state_register(w.workforce, c, tx, 6));
}

TEST_CASE("exceptions: consultations and emergency telepsychiatry, only when enabled") {
  RegimeWorld off({});
  RegimeWorld on({"exceptions.consultation_enabled=true", "exceptions.emergency_telepsychiatry_enabled=true"});
  const auto fl = on.code("FL");
  const ClinicianId c = on.licensed_only_in(on.code("NY"));
  const ClinicianId c_off = off.licensed_only_in(off.code("NY"));
  CHECK(on.regimes.authority(on.workforce, c, RegimeWorld::tele(fl, Payer::private_insurance, 5, ep_consultation)) ==
        Authority::consultation_exception);
  CHECK(on.regimes.authority(on.workforce, c, RegimeWorld::tele(fl, Payer::private_insurance, 5, ep_emergency)) ==
        Authority::emergency_exception);
  CHECK(on.regimes.authority(on.workforce, c, RegimeWorld::tele(fl, Payer::private_insurance, 5)) == Authority::none);
  CHECK(off.regimes.authority(off.workforce, c_off, RegimeWorld::tele(fl, Payer::private_insurance, 5, ep_consultation)) ==
        Authority::none);
}

TEST_CASE("coverage changes and the controlled-substance flexibilities follow their dates") {
  RegimeWorld w({"simulation.start_date=\"2020-01-01\"", "coverage_change.phe.start_date=\"2020-03-06\"",
                 "coverage_change.phe.medicare.telehealth_covered_urban=1",
                 "controlled_substances.flexibility_start_date=\"2020-03-16\"",
                 "controlled_substances.flexibility_end_date=\"2020-12-31\""});
  const auto medicare = static_cast<std::size_t>(Payer::medicare);
  CHECK(w.regimes.coverage(w.day("2020-03-05"))[medicare].telehealth_covered_urban == 0);
  CHECK(w.regimes.coverage(w.day("2020-03-06"))[medicare].telehealth_covered_urban == 1);
  CHECK(w.regimes.coverage(w.day("2020-03-06"))[medicare].telehealth_covered_rural ==
        w.params.coverage[medicare].telehealth_covered_rural);  // unchanged keys stay
  CHECK(w.regimes.controlled_in_person_rule(w.day("2020-03-15")));
  CHECK_FALSE(w.regimes.controlled_in_person_rule(w.day("2020-03-16")));
  CHECK_FALSE(w.regimes.controlled_in_person_rule(w.day("2020-12-31")));
  CHECK(w.regimes.controlled_in_person_rule(w.day("2021-01-01")));
}
