// The outcome tallies beside the sampled counts: expected values of rare
// outcomes, who pays, declined unauthorized encounters, waiting-time quantiles.
#include <doctest/doctest.h>

#include <cmath>

#include "model/types.hpp"
#include "support.hpp"

using namespace licsim;
using test::for_every_specialty;
using test::run_with;
using test::total;

namespace {
/// Served episodes of every payer over a run.
double served(const Result& r) { return test::served(r); }
}  // namespace

TEST_CASE("expected adverse events and claims agree with the sampled ones within sampling noise") {
  const Result r = run_with({}, 120, 0.001);
  const double sampled = total(r, m_adverse_events), expected = total(r, m_adverse_events_expected);
  REQUIRE(expected > 100);
  CHECK(std::fabs(sampled - expected) <= 4 * std::sqrt(expected));
  const double claims = total(r, m_malpractice_claims), claims_expected = total(r, m_malpractice_claims_expected);
  CHECK(std::fabs(claims - claims_expected) <= 4 * std::sqrt(claims_expected) + 1);
  // Claims are the adverse-event probability times the claim probability.
  CHECK(claims_expected == doctest::Approx(expected * 0.037).epsilon(1e-9));
  CHECK(total(r, m_malpractice_claims_cross_border_expected) <= claims_expected);
  CHECK(total(r, m_malpractice_claims_cross_border) <= claims);
  CHECK(total(r, m_indemnity_usd_expected) > 0);
}

TEST_CASE("rare outcomes have a resolved expected rate where the sampled count is zero") {
  // The shipped baseline at 1:2000 for two months: no sampled uncovered claim.
  const Result r = run_with({}, 60);
  CHECK(total(r, m_uncovered_exposure_usd) == 0);
  CHECK(total(r, m_uncovered_exposure_usd_expected) > 0);
  CHECK(total(r, m_uncovered_exposure_usd_expected) < total(r, m_indemnity_usd_expected));
}

TEST_CASE("expected detections and sanctions follow the unauthorized encounters and the boards' reach") {
  const std::vector<std::string> lax = {"clinicians.non_compliant_share=1", "platform.lax.verification_strictness=0",
                                        "platform.verified.verification_strictness=0"};
  const Result r = run_with(lax, 60);
  REQUIRE(total(r, m_unauthorized_encounters) > 0);
  const double detected = total(r, m_unauthorized_detected_expected);
  CHECK(detected > 0);
  CHECK(total(r, m_sanctions_expected) <= detected);
  // Certain detection: every unauthorized encounter in the US is expected to be
  // detected, as every one is.
  auto certain = lax;
  certain.push_back("regulator.detection_prob=1");
  certain.push_back("regulator.detection_prob_after_harm=1");
  const Result c = run_with(certain, 60);
  CHECK(total(c, m_unauthorized_detected_expected) == doctest::Approx(total(c, m_unauthorized_detected)));
}

TEST_CASE("supervision's effect shows as adverse events averted, with its sign") {
  // A year's spin-up: the partner-country applications are decided before the recorded days.
  const std::vector<std::string> recognition = {"recognition.enabled=true", "recognition.start_date=\"\"",
                                                "simulation.spinup_days=365"};
  const Result off = run_with({}, 60, 0.001);
  CHECK(total(off, m_adverse_events_averted_by_supervision_expected) == 0);
  auto safer = recognition;
  safer.push_back("recognition.supervised_adverse_multiplier=0.8");
  const Result a = run_with(safer, 60, 0.001);
  CHECK(total(a, m_adverse_events_averted_by_supervision_expected) > 0);
  auto riskier = recognition;
  riskier.push_back("recognition.supervised_adverse_multiplier=1.5");
  const Result b = run_with(riskier, 60, 0.001);
  CHECK(total(b, m_adverse_events_averted_by_supervision_expected) < 0);
}

TEST_CASE("payers pay the price less the patient's cost share") {
  std::vector<std::string> o = for_every_specialty("price_in_person_usd", "100");
  for (const auto& p : for_every_specialty("price_telehealth_usd", "100")) o.push_back(p);
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"})
    o.push_back(std::string("coverage.") + payer + ".cost_share=0.25");
  const Result r = run_with(o, 30);
  CHECK(total(r, m_payer_cost_usd) == doctest::Approx(75.0 * served(r)));
  std::vector<std::string> uninsured = o;
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"})
    uninsured.push_back(std::string("coverage.") + payer + ".cost_share=1");
  CHECK(total(run_with(uninsured, 30), m_payer_cost_usd) == 0);
}

TEST_CASE("boards' processing and platforms' compliance costs scale with their unit costs") {
  // With a spin-up: from an empty history no application is reviewed within 90 days.
  const Result one = run_with({"simulation.spinup_days=365"}, 90);
  const Result two = run_with({"simulation.spinup_days=365", "regulator.review_cost_usd=1000",
                                "platform.verified.verification_cost_usd=2", "platform.lax.verification_cost_usd=2"},
                               90);
  REQUIRE(total(one, m_board_processing_cost_usd) > 0);
  REQUIRE(total(one, m_platform_compliance_cost_usd) > 0);
  CHECK(total(two, m_board_processing_cost_usd) == doctest::Approx(2 * total(one, m_board_processing_cost_usd)));
  CHECK(total(two, m_platform_compliance_cost_usd) == doctest::Approx(2 * total(one, m_platform_compliance_cost_usd)));
}

TEST_CASE("compliant clinicians decline unchecked requests they may not take") {
  const Result r = run_with({"clinicians.non_compliant_share=0", "platform.lax.verification_strictness=0",
                              "platform.verified.verification_strictness=0"},
                             60);
  CHECK(total(r, m_unauthorized_encounters) == 0);
  CHECK(total(r, m_unauthorized_declined) > 0);
  const Result checked = run_with({"clinicians.non_compliant_share=0", "platform.lax.verification_strictness=1"}, 60);
  CHECK(total(checked, m_unauthorized_declined) < total(r, m_unauthorized_declined));
}

TEST_CASE("waiting-time quantiles: the median below the 90th percentile, both following the booking lead") {
  const auto national_quantile = [](const Result& r, std::size_t q) {
    double most = 0;
    for (int m = 0; m < r.months; ++m)
      for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) {
        const double lo = r.wait_quantiles[r.monthly_index(0, m, j, 2)];
        const double hi = r.wait_quantiles[r.monthly_index(0, m, j, 2) + 1];
        if (std::isnan(lo)) continue;
        CHECK(lo <= hi);
        most = std::max(most, q == 0 ? lo : hi);
      }
    return most;
  };
  const Result none = run_with(for_every_specialty("new_patient_lead_days", "0"), 90, 0.001);
  const Result booked = run_with(for_every_specialty("new_patient_lead_days", "30"), 90, 0.001);
  CHECK(national_quantile(booked, 1) > national_quantile(none, 1));
  CHECK(national_quantile(booked, 1) >= 30);  // a 90th percentile of waits that include 30-day bookings
}
