// Direction tests of the care mechanisms: each changes one rule of the baseline
// and checks the outcome moves the way the mechanism says it must.
#include <doctest/doctest.h>

#include "model/types.hpp"
#include "support.hpp"

using namespace licsim;
using test::for_every_specialty;
using test::run_with;
using test::total;

namespace {
double new_patient_wait(const Result& r) {
  return test::breakdown_total(r, b_new_patient_wait_days) / test::breakdown_total(r, b_new_patient_in_person);
}
}  // namespace

TEST_CASE("no telemedicine coverage, no telemedicine") {
  std::vector<std::string> o;
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"}) {
    o.push_back(std::string("coverage.") + payer + ".telehealth_covered_urban=0");
    o.push_back(std::string("coverage.") + payer + ".telehealth_covered_rural=0");
  }
  // Consultations and emergencies are paid as part of the referring or emergency care.
  o.push_back("exceptions.consultation_share=0");
  o.push_back("exceptions.emergency_share=0");
  const Result r = run_with(o);
  CHECK(test::telehealth(r) == 0);
  CHECK(total(r, m_served_in_person) > 0);
  CHECK(total(r, m_travel_km_avoided) == 0);
}

TEST_CASE("with compliant clinicians and verifying platforms every encounter is lawful") {
  const Result r = run_with({"clinicians.non_compliant_share=0", "platform.lax.verification_strictness=1"}, 90);
  CHECK(total(r, m_unauthorized_encounters) == 0);
  CHECK(test::telehealth(r) > 0);
}

TEST_CASE("non-compliant clinicians and unverified routing create unauthorized encounters") {
  const Result r = run_with({"clinicians.non_compliant_share=1", "platform.lax.verification_strictness=0",
                              "platform.verified.verification_strictness=0"},
                             90);
  CHECK(total(r, m_unauthorized_encounters) > 0);
  CHECK(total(r, m_unauthorized_detected) <= total(r, m_unauthorized_encounters));
  CHECK(total(r, m_sanctions) <= total(r, m_unauthorized_detected));
}

TEST_CASE("certain detection catches every unauthorized encounter in the US") {
  const Result r = run_with({"clinicians.non_compliant_share=1", "platform.lax.verification_strictness=0",
                              "platform.verified.verification_strictness=0", "population.away_abroad_share=0",
                              "regulator.detection_prob=1", "regulator.detection_prob_after_harm=1"},
                             90);
  CHECK(total(r, m_unauthorized_encounters) > 0);
  CHECK(total(r, m_unauthorized_detected) == total(r, m_unauthorized_encounters));
  CHECK(total(r, m_sanctions) > 0);
}

TEST_CASE("less capacity means longer waits and more unmet need") {
  // Without booked lead times, so that waiting is waiting for capacity only.
  const auto no_lead = for_every_specialty("new_patient_lead_days", "0");
  const Result base = run_with(no_lead, 120);
  std::vector<std::string> halved = no_lead;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    halved.push_back(std::string("specialty.") + s + ".capacity_per_clinician_day=" +
                     std::to_string(test::baseline().real(std::string("specialty.") + s + ".capacity_per_clinician_day") / 2));
  const Result tight = run_with(halved, 120);
  const auto unserved = [](const Result& r) {
    double waiting = 0;
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) waiting += r.daily[r.daily_index(0, r.days - 1, j, m_waiting)];
    return total(r, m_unmet) + waiting;
  };
  CHECK(unserved(tight) > 3 * unserved(base));
  CHECK(total(tight, m_wait_days_sum) / test::served(tight) > total(base, m_wait_days_sum) / test::served(base));
}

TEST_CASE("clinicians abroad give international telemedicine, their uninsured claims are uncovered") {
  // Exaggerated harm and claims so that a short run has claims to look at.
  const std::vector<std::string> harm = {"specialty.primary_care.adverse_event_prob=0.5",
                                         "malpractice.claim_prob_per_adverse_event=1", "malpractice.paid_share=1",
                                         "clinicians.non_compliant_share=0", "platform.lax.verification_strictness=1",
                                         "population.away_abroad_share=0"};
  auto uninsured = harm;
  uninsured.push_back("clinicians.abroad_malpractice_covered_share=0");
  const Result r = run_with(uninsured, 60, 0.002);
  CHECK(total(r, m_served_telehealth_international) > 0);
  CHECK(total(r, m_uncovered_exposure_usd) > 0);
  auto insured = harm;
  insured.push_back("clinicians.abroad_malpractice_covered_share=1");
  const Result r2 = run_with(insured, 60, 0.002);
  CHECK(total(r2, m_uncovered_exposure_usd) == 0);  // all lawful, all insured
  CHECK(total(r2, m_indemnity_usd) > 0);
}

TEST_CASE("claims never exceed adverse events and nothing is paid when no claim is paid") {
  const Result r = run_with({"malpractice.paid_share=0", "malpractice.claim_prob_per_adverse_event=1"});
  CHECK(total(r, m_malpractice_claims) == total(r, m_adverse_events));
  CHECK(total(r, m_indemnity_usd) == 0);
  const Result none = run_with({"malpractice.claim_prob_per_adverse_event=0"});
  CHECK(total(none, m_malpractice_claims) == 0);
}

TEST_CASE("the in-person rule for controlled substances limits telemedicine") {
  std::vector<std::string> o;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"}) {
    o.push_back(std::string("specialty.") + s + ".controlled_substance_share=1");
    o.push_back(std::string("specialty.") + s + ".telehealth_preference=0.5");
  }
  auto with_rule = o;
  with_rule.push_back("controlled_substances.in_person_rule=true");
  auto without_rule = o;
  without_rule.push_back("controlled_substances.in_person_rule=false");
  const Result a = run_with(with_rule, 90);
  const Result b = run_with(without_rule, 90);
  CHECK(test::telehealth(b) > 2 * test::telehealth(a));
}

TEST_CASE("more language-concordant clinicians mean fewer adverse events for LEP patients") {
  const std::vector<std::string> lep = {"population.lep_share=1", "safety.language_discordance_multiplier=5"};
  auto none = lep;
  none.push_back("clinicians.lep_concordance_share=0");
  auto all = lep;
  all.push_back("clinicians.lep_concordance_share=1");
  CHECK(total(run_with(none), m_adverse_events) > 2 * total(run_with(all), m_adverse_events));
}

TEST_CASE("follow-ups carry continuing relationships") {
  std::vector<std::string> no_follow_up;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    no_follow_up.push_back(std::string("specialty.") + s + ".follow_up_prob=0");
  const Result base = run_with({}, 90);
  CHECK(total(base, m_continuity_encounters) > 0);
  // Without follow-ups, continuity can still come from usual clinicians, but is rarer.
  const Result r = run_with(no_follow_up, 90);
  CHECK(total(r, m_continuity_encounters) < total(base, m_continuity_encounters));
}

TEST_CASE("travelling patients lose follow-ups their clinician may not give where they are") {
  // At home, with no cross-border in-person care and no lapsing licenses, every
  // known clinician stays lawful.
  const Result home = run_with({"population.away_share_of_days=0", "population.snowbird_share_65_plus=0",
                                 "population.border_in_person_share=0", "regulator.renew_unused_prob=1"},
                                120);
  CHECK(total(home, m_relationships_disrupted) == 0);
  const Result away = run_with({"population.away_share_of_days=0.3", "clinicians.non_compliant_share=0"}, 120);
  CHECK(total(away, m_relationships_disrupted) > 0);
}

TEST_CASE("patients who forgo for cost leave their episodes unmet at once") {
  std::vector<std::string> o;
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"})
    o.push_back(std::string("coverage.") + payer + ".forgo_prob=1");
  o.push_back("exceptions.emergency_share=0");  // emergencies are never forgone for cost
  const Result r = run_with(o, 30);
  // Only follow-ups of nobody exist, so nothing at all is served.
  CHECK(test::served(r) == 0);
  CHECK(total(r, m_unmet) == total(r, m_episodes));
}

TEST_CASE("in-person care crosses a state line only from a county on it, where patients look across") {
  const auto crossings = [](const Result& r) {
    const std::size_t n = r.places.size();
    double off_diagonal = 0;
    for (int month = 0; month < r.months; ++month)
      for (std::size_t p = 0; p < n; ++p)
        for (std::size_t c = 0; c < n; ++c)
          if (p != c) off_diagonal += r.flows[((static_cast<std::size_t>(month) * n + p) * n + c) * modality_count + 0];
    return off_diagonal;
  };
  // Shortage everywhere, so local clinicians are often full.
  std::vector<std::string> tight;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    tight.push_back(std::string("specialty.") + s + ".capacity_per_clinician_day=1");
  auto always = tight;
  always.push_back("population.border_in_person_share=1");
  // Nobody looks across, and no relationship with a clinician over a line forms
  // by telemedicine or on a trip (whose follow-up may cross it): nobody crosses.
  auto never = tight;
  never.push_back("population.border_in_person_share=0");
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"})
    for (const char* area : {"urban", "rural"})
      never.push_back(std::string("coverage.") + payer + ".telehealth_covered_" + area + "=0");
  never.push_back("exceptions.consultation_share=0");
  never.push_back("exceptions.emergency_share=0");
  never.push_back("population.away_share_of_days=0");  // a follow-up with a clinician seen while away
  // Everyone would look across, but nobody lives on a line: nobody crosses either.
  auto interior = always;
  interior.push_back("world.border_counties_file=\"\"");
  CHECK(crossings(run_with(never, 30)) == 0);
  CHECK(crossings(run_with(interior, 30)) == 0);
  CHECK(crossings(run_with(always, 30)) > 0);
}

TEST_CASE("telemedicine for episodes that need an examination is riskier") {
  std::vector<std::string> o;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    o.push_back(std::string("specialty.") + s + ".needs_exam_share=1");
  // Everyone is away and in-person capacity is scarce, so much care is by telemedicine.
  o.push_back("population.away_share_of_days=1");
  o.push_back("population.away_abroad_share=0");
  o.push_back("clinicians.telehealth_active_share=1");
  o.push_back("clinicians.telehealth_capacity_share=1");
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    o.push_back(std::string("specialty.") + s + ".capacity_per_clinician_day=0.5");
  auto safe = o;
  safe.push_back("safety.telehealth_exam_needed_multiplier=1");
  auto risky = o;
  risky.push_back("safety.telehealth_exam_needed_multiplier=50");
  const Result a = run_with(safe, 45);
  const Result b = run_with(risky, 45);
  REQUIRE(test::telehealth(a) > 0);
  CHECK(total(b, m_adverse_events) > 1.5 * total(a, m_adverse_events));
}

TEST_CASE("new patients book in-person appointments ahead, their waits follow the lead time") {
  const Result none = run_with(for_every_specialty("new_patient_lead_days", "0"), 150);
  const Result booked = run_with(for_every_specialty("new_patient_lead_days", "20"), 150);
  CHECK(new_patient_wait(none) < 4);  // waiting for capacity only: a few days
  // Exponential leads of mean 20 days; those past the 150-day horizon are not yet served.
  CHECK(new_patient_wait(booked) > 14);
  CHECK(new_patient_wait(booked) < 24);
  // Follow-ups and a usual clinician's patients do not book: all waits are shorter.
  CHECK(total(booked, m_wait_days_sum) / test::served(booked) < new_patient_wait(booked));
  // Booked episodes are waiting, not lost: the unmet count does not grow.
  CHECK(total(booked, m_unmet) <= total(none, m_unmet) * 1.05);
}

TEST_CASE("without the originating-site rule Medicare pays for travellers' telemedicine, only theirs changes") {
  const std::vector<std::string> covered = {"coverage.medicare.telehealth_covered_urban=1",
                                            "coverage.medicare.telehealth_covered_rural=1"};
  auto home_only = covered, anywhere = covered;
  home_only.push_back("coverage.medicare.telehealth_covered_away=0");
  anywhere.push_back("coverage.medicare.telehealth_covered_away=1");
  const int medicare = static_cast<int>(Payer::medicare);
  const Result a = run_with(home_only, 120), b = run_with(anywhere, 120);
  CHECK(test::breakdown_total(a, b_served_telehealth, medicare) < test::breakdown_total(b, b_served_telehealth, medicare));
  // Scope: when nobody travels, the rule changes nothing at all.
  for (auto* o : {&home_only, &anywhere}) {
    o->push_back("population.away_share_of_days=0");
    o->push_back("population.snowbird_share_65_plus=0");
  }
  const Result c = run_with(home_only, 120), d = run_with(anywhere, 120);
  CHECK(c.daily == d.daily);
  CHECK(c.breakdown == d.breakdown);
}

TEST_CASE("local networks keep telemedicine in the state") {
  const auto share = [](const Result& r) {
    return test::breakdown_total(r, b_served_telehealth_out_of_home_state) / test::breakdown_total(r, b_served_telehealth);
  };
  const Result mixed = run_with({"platform.verified.local_network_share=0", "platform.lax.local_network_share=0"}, 120);
  const Result local = run_with({"platform.verified.local_network_share=1", "platform.lax.local_network_share=1"}, 120);
  CHECK(share(local) < share(mixed));
}

TEST_CASE("out of the home state is cross-state when nobody travels") {
  const Result r = run_with({"population.away_share_of_days=0", "population.snowbird_share_65_plus=0"}, 90);
  CHECK(test::breakdown_total(r, b_served_telehealth_out_of_home_state) ==
        test::breakdown_total(r, b_served_telehealth_cross_state));
  CHECK(test::breakdown_total(r, b_served_telehealth_cross_state) > 0);
}
