// Each regime against the baseline with the same seed: it moves what it
// should, where and when it should, and leaves the rest within noise.
#include <doctest/doctest.h>

#include <array>

#include <cmath>

#include "core/errors.hpp"
#include "model/authority.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

Result run_scenario(const std::vector<std::string>& overrides, int days = 180, double scale = 0.001) {
  RunOptions o = test::small_run(days, scale, 11);
  return run(test::baseline(overrides), o);
}

/// Encounters (slot 0) or adverse events (slot 1) under an authority, over months in [m0, m1).
double by_authority(const Result& r, Authority a, int slot = 0, int m0 = 0, int m1 = -1) {
  if (m1 < 0) m1 = r.months;
  double sum = 0;
  for (int m = m0; m < m1; ++m)
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j)
      sum += r.by_authority[r.monthly_index(0, m, j, authority_count * 2) + static_cast<std::size_t>(a) * 2 + slot];
  return sum;
}

/// Pathway metric k (0 applications, 1 granted, 2 days sum) in jurisdiction j.
double by_pathway(const Result& r, std::size_t j, Pathway p, int k) {
  double sum = 0;
  for (int m = 0; m < r.months; ++m) sum += r.by_pathway[r.monthly_index(0, m, j, pathway_count * 4) + static_cast<std::size_t>(p) * 4 + k];
  return sum;
}

/// Telemedicine encounters across a state line (patient and clinician in different US places), months [m0, m1).
double cross_state(const Result& r, int m0 = 0, int m1 = -1) {
  if (m1 < 0) m1 = r.months;
  const std::size_t n = r.places.size(), n_us = r.jurisdictions.size();
  double sum = 0;
  for (int m = m0; m < m1; ++m)
    for (std::size_t p = 0; p < n_us; ++p)
      for (std::size_t c = 0; c < n_us; ++c)
        if (p != c) sum += r.flows[((static_cast<std::size_t>(m) * n + p) * n + c) * modality_count + 1];
  return sum;
}

/// Telemedicine encounters given by clinicians located in `place`.
double tele_from(const Result& r, std::size_t place) {
  const std::size_t n = r.places.size();
  double sum = 0;
  for (int m = 0; m < r.months; ++m)
    for (std::size_t p = 0; p < n; ++p) sum += r.flows[((static_cast<std::size_t>(m) * n + p) * n + place) * modality_count + 1];
  return sum;
}

/// Served telemedicine by payer from the breakdown.
double tele_for_payer(const Result& r, Payer payer) {
  const std::size_t S = r.specialties.size();
  double sum = 0;
  for (int m = 0; m < r.months; ++m)
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j)
      for (int a = 0; a < area_count; ++a)
        for (std::size_t s = 0; s < S; ++s) {
          std::size_t idx = static_cast<std::size_t>(m) * r.jurisdictions.size() + j;
          idx = ((idx * payer_count + static_cast<std::size_t>(payer)) * area_count + static_cast<std::size_t>(a)) * S + s;
          sum += r.breakdown[idx * breakdown_metric_count + b_served_telehealth];
        }
  return sum;
}

std::size_t code(const Result& r, const char* c) {
  return static_cast<std::size_t>(std::find(r.places.begin(), r.places.end(), c) - r.places.begin());
}

}  // namespace

TEST_CASE("compact: shorter days to license, for eligible physicians in member states only") {
  // Strong unmet demand (scarce telemedicine capacity) so that clinicians apply.
  const std::vector<std::string> demand = {"clinicians.telehealth_capacity_share=0.05", "licensing.response=2"};
  auto with = demand;
  with.push_back("compact.enabled=true");
  const Result base = run_scenario(demand, 300);
  const Result imlc = run_scenario(with, 300);
  double compact_grants = 0, compact_days = 0, full_grants = 0, full_days = 0;
  const Scenario sc = test::baseline();
  std::vector<bool> member(51, false);
  for (const auto& row : sc.tables.at("compact.members_file").rows) member[*sc.places.find(row[0])] = true;
  for (std::size_t j = 0; j < 51; ++j) {
    compact_grants += by_pathway(imlc, j, Pathway::compact, 1);
    compact_days += by_pathway(imlc, j, Pathway::compact, 2);
    full_grants += by_pathway(base, j, Pathway::full_license, 1);
    full_days += by_pathway(base, j, Pathway::full_license, 2);
    CAPTURE(imlc.jurisdictions[j]);
    if (!member[j]) CHECK(by_pathway(imlc, j, Pathway::compact, 0) == 0);  // only member boards issue them
  }
  REQUIRE(compact_grants > 0);
  REQUIRE(full_grants > 0);
  CHECK(compact_days / compact_grants < 60);          // 37-55 days
  CHECK(full_days / full_grants > 90);                // 90-180 days by the traditional route
  CHECK(by_authority(base, Authority::compact_license) == 0);
  CHECK(by_authority(imlc, Authority::compact_license) > 0);
}

TEST_CASE("compact member count: only the first N states of the file issue compact licenses, more with more") {
  const std::vector<std::string> common = {"clinicians.telehealth_capacity_share=0.05", "licensing.response=2",
                                           "compact.enabled=true"};
  const auto with_count = [&](int n) {
    auto o = common;
    o.push_back("compact.member_count=" + std::to_string(n));
    return run_scenario(o, 240);
  };
  const Scenario sc = test::baseline();
  const auto& rows = sc.tables.at("compact.members_file").rows;
  double previous = -1;
  for (int n : {0, 8, static_cast<int>(rows.size())}) {
    const Result r = with_count(n);
    double grants = 0;
    for (std::size_t j = 0; j < 51; ++j) {
      bool listed = false;
      for (int k = 0; k < n; ++k) listed = listed || *sc.places.find(rows[static_cast<std::size_t>(k)][0]) == j;
      CAPTURE(n);
      CAPTURE(r.jurisdictions[j]);
      if (!listed) CHECK(by_pathway(r, j, Pathway::compact, 0) == 0);
      grants += by_pathway(r, j, Pathway::compact, 1);
    }
    if (n == 0) CHECK(grants == 0);
    else CHECK(grants > previous);
    previous = grants;
  }
  CHECK_THROWS_WITH_AS(run(test::baseline({"compact.enabled=true", "compact.member_count=60"}), test::small_run(5)),
                       doctest::Contains("lists only"), ScenarioError);
}

TEST_CASE("TELE-MED: more cross-state telemedicine for Medicare patients, others within noise") {
  // The Act matters where Medicare pays for telemedicine.
  const std::vector<std::string> paid = {"coverage.medicare.telehealth_covered_urban=1",
                                         "coverage.medicare.telehealth_covered_rural=1"};
  auto with = paid;
  with.push_back("telemed_act.enabled=true");
  const Result base = run_scenario(paid);
  const Result act = run_scenario(with);
  CHECK(by_authority(act, Authority::telemed_act) > 0);
  CHECK(tele_for_payer(act, Payer::medicare) > 1.05 * tele_for_payer(base, Payer::medicare));
  for (Payer p : {Payer::medicaid, Payer::private_insurance}) {
    CAPTURE(static_cast<int>(p));
    const double b = tele_for_payer(base, p), a = tele_for_payer(act, p);
    CHECK(std::fabs(a - b) <= 4 * std::sqrt(b) + 0.03 * b);  // within noise
  }
}

TEST_CASE("waiver: more cross-state telemedicine inside its window only") {
  // Window: months 2-3 of a 6-month run (2019-03-01 to 2019-04-30).
  const std::vector<std::string> window = {"waiver.start_date=\"2019-03-01\"", "waiver.default_end_date=\"2019-04-30\"",
                                           "waiver.end_dates_file=\"\""};
  auto with = window;
  with.push_back("waiver.enabled=true");
  const Result base = run_scenario(window);
  const Result waiver = run_scenario(with);
  CHECK(by_authority(waiver, Authority::waiver, 0, 0, 2) == 0);
  CHECK(by_authority(waiver, Authority::waiver, 0, 2, 4) > 0);
  CHECK(by_authority(waiver, Authority::waiver, 0, 4, 6) == 0);
  CHECK(cross_state(waiver, 2, 4) > 1.2 * cross_state(base, 2, 4));
  // Before the window the two runs are identical: nothing differs until it opens.
  CHECK(cross_state(waiver, 0, 2) == cross_state(base, 0, 2));
}

TEST_CASE("waiver withdrawal: relationships it carried are traced to an outcome") {
  const Result r = run_scenario({"waiver.enabled=true", "waiver.start_date=\"2019-01-01\"",
                                  "waiver.default_end_date=\"2019-03-31\"", "waiver.end_dates_file=\"\"",
                                  "coverage.medicare.telehealth_covered_urban=1",
                                  "coverage.private.telehealth_covered_urban=1"},
                                 240);
  double traced = 0;
  for (double v : r.disruptions) traced += v;
  CHECK(traced > 0);
}

TEST_CASE("waiver withdrawal: a cut follow-up the patient cannot follow in person is forgone as often as its share says") {
  const std::vector<std::string> withdrawal = {"waiver.enabled=true", "waiver.start_date=\"2019-01-01\"",
                                               "waiver.default_end_date=\"2019-03-31\"", "waiver.end_dates_file=\"\"",
                                               "coverage.medicare.telehealth_covered_urban=1",
                                               "coverage.private.telehealth_covered_urban=1"};
  const auto outcomes = [&](const char* share) {
    auto o = withdrawal;
    for (const auto& s : test::for_every_specialty("disrupted_forgo_share", share)) o.push_back(s);
    const Result r = run_scenario(o, 240);
    std::array<double, disruption_outcome_count> sum{};
    for (std::size_t i = 0; i < r.disruptions.size(); ++i) sum[i % disruption_outcome_count] += r.disruptions[i];
    return sum;
  };
  const auto never = outcomes("0"), always = outcomes("1");
  const auto lost = static_cast<std::size_t>(DisruptionOutcome::lost);
  const auto elsewhere = [](const auto& o) {  // taken to another clinician, by telemedicine or in person
    return o[static_cast<std::size_t>(DisruptionOutcome::moved)] +
           o[static_cast<std::size_t>(DisruptionOutcome::switched_in_person)];
  };
  REQUIRE(elsewhere(never) > 0);  // without the choice, cut follow-ups fall through to other clinicians
  CHECK(always[lost] > never[lost]);
  CHECK(elsewhere(always) < elsewhere(never));
}

TEST_CASE("registration: registrations only in the states that offer them") {
  const std::vector<std::string> demand = {"clinicians.telehealth_capacity_share=0.05", "licensing.response=2"};
  auto with = demand;
  with.push_back("registration.enabled=true");
  const Result r = run_scenario(with, 300);
  const Scenario sc = test::baseline();
  std::vector<bool> offered(51, false);
  for (const auto& row : sc.tables.at("registration.pathways_file").rows) offered[*sc.places.find(row[0])] = true;
  double total = 0;
  for (std::size_t j = 0; j < 51; ++j) {
    CAPTURE(r.jurisdictions[j]);
    if (!offered[j]) CHECK(by_pathway(r, j, Pathway::registration, 0) == 0);
    total += by_pathway(r, j, Pathway::registration, 1);
  }
  CHECK(total > 0);
  CHECK(by_authority(r, Authority::registration) > 0);
}

TEST_CASE("national license: more cross-state telemedicine, in-person care within noise") {
  const Result base = run_scenario({});
  const Result national = run_scenario({"national_license.enabled=true"});
  CHECK(by_authority(national, Authority::national_license) > 0);
  CHECK(cross_state(national) > 1.3 * cross_state(base));
  const double b = test::total(base, m_served_in_person), n = test::total(national, m_served_in_person);
  CHECK(std::fabs(n - b) < 0.01 * b);
}

TEST_CASE("recognition: international encounters only with partner countries") {
  // Boards review quickly so that participants are authorized early, and few
  // US clinicians offer telemedicine, so that routing reaches the newcomers.
  const std::vector<std::string> fast = {"regulator.processing_capacity_per_1000_physicians_day=50",
                                         "clinicians.telehealth_active_share=0.02"};
  auto with = fast;
  for (const char* o : {"recognition.enabled=true", "recognition.partners=\"CAN\"", "recognition.processing_days_low=5",
                        "recognition.processing_days_high=10"})
    with.push_back(o);
  const Result base = run_scenario(fast, 180, 0.002);
  const Result rec = run_scenario(with, 180, 0.002);
  CHECK(by_authority(rec, Authority::supervised) + by_authority(rec, Authority::recognized) > 0);
  CHECK(tele_from(rec, code(rec, "CAN")) > tele_from(base, code(base, "CAN")));
  // Non-partner countries gain nothing beyond the reshuffling of routing that
  // any change to the pools brings.
  double b = 0, a = 0;
  for (const char* other : {"GBR", "AUS", "IND", "MEX", "PHL"}) {
    b += tele_from(base, code(base, other));
    a += tele_from(rec, code(rec, other));
  }
  CHECK(a <= 1.3 * b + 10);
  const double partner_gain = tele_from(rec, code(rec, "CAN")) - tele_from(base, code(base, "CAN"));
  CHECK(partner_gain > a - b);
  CHECK(by_authority(base, Authority::supervised) == 0);
}

TEST_CASE("consultation exception: consultations by out-of-state physicians become lawful") {
  const Result base = run_scenario({});
  const Result exc = run_scenario({"exceptions.consultation_enabled=true"});
  CHECK(by_authority(base, Authority::consultation_exception) == 0);
  CHECK(by_authority(exc, Authority::consultation_exception) > 0);
  CHECK(cross_state(exc) > cross_state(base));
}

TEST_CASE("a coverage change raises telemedicine from its start date, not before") {
  const std::vector<std::string> change = {"coverage_change.expand.start_date=\"2019-04-01\"",
                                           "coverage_change.expand.medicare.telehealth_covered_urban=1",
                                           "coverage_change.expand.private.telehealth_covered_urban=1"};
  const Result base = run_scenario({});
  const Result changed = run_scenario(change);
  const auto tele_months = [](const Result& r, int m0, int m1) {
    const std::size_t n = r.places.size();
    double sum = 0;
    for (int m = m0; m < m1; ++m)
      for (std::size_t i = 0; i < n * n; ++i) sum += r.flows[(static_cast<std::size_t>(m) * n * n + i) * modality_count + 1];
    return sum;
  };
  CHECK(tele_months(changed, 0, 3) == tele_months(base, 0, 3));
  CHECK(tele_months(changed, 3, 6) > 1.1 * tele_months(base, 3, 6));
}

TEST_CASE("emergency telepsychiatry exception: lawful out-of-state emergencies, mental health only") {
  const std::vector<std::string> emergencies = {"exceptions.emergency_share=0.3"};
  auto with = emergencies;
  with.push_back("exceptions.emergency_telepsychiatry_enabled=true");
  const Result base = run_scenario(emergencies);
  const Result exc = run_scenario(with);
  CHECK(by_authority(base, Authority::emergency_exception) == 0);
  CHECK(by_authority(exc, Authority::emergency_exception) > 0);
  CHECK(by_authority(exc, Authority::consultation_exception) == 0);
}
