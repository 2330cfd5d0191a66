#pragma once
// What a run records. Each metric is described once here; the HDF5 writer and
// docs/output.md take names, units and descriptions from these tables.
#include <array>
#include <string_view>

namespace licsim {

/// How a daily metric is attributed to the `jurisdiction` dimension.
enum class Basis { patient_home, board };

/// A sampled tally counts what happened; an expected one sums, over the
/// encounters where an outcome could occur, its probability (or expected
/// amount), so that rare outcomes are resolved at any scale.
enum class Tally { sampled, expected };

struct MetricInfo {
  std::string_view name;
  std::string_view units;
  Basis basis;
  std::string_view description;
  Tally tally = Tally::sampled;
  /// Whole numbers (written as integers): sampled counts.
  constexpr bool is_count() const { return units == "1" && tally == Tally::sampled; }
};

/// Daily metrics by replicate x day x jurisdiction. `wait_days_sum` is kept
/// internally and written as `wait_days_mean`.
enum DailyMetric : int {
  m_episodes,
  m_served_in_person,
  m_served_telehealth_in_state,
  m_served_telehealth_cross_state,
  m_served_telehealth_international,
  m_unmet,
  m_waiting,
  m_wait_days_sum,
  m_travel_km_avoided,
  m_adverse_events,
  m_malpractice_claims,
  m_indemnity_usd,
  m_uncovered_exposure_usd,
  m_licensure_spend_usd,
  m_patient_cost_usd,
  m_authorizations_active,
  m_applications_pending,
  m_applications_submitted,
  m_unauthorized_encounters,
  m_unauthorized_detected,
  m_sanctions,
  m_continuity_encounters,
  m_relationships_disrupted,
  m_payer_cost_usd,
  m_board_processing_cost_usd,
  m_platform_compliance_cost_usd,
  m_malpractice_claims_cross_border,
  m_unauthorized_declined,
  m_adverse_events_expected,
  m_malpractice_claims_expected,
  m_malpractice_claims_cross_border_expected,
  m_indemnity_usd_expected,
  m_uncovered_exposure_usd_expected,
  m_unauthorized_detected_expected,
  m_sanctions_expected,
  m_adverse_events_averted_by_supervision_expected,
  daily_metric_count
};

inline constexpr std::array<MetricInfo, daily_metric_count> daily_metrics = {{
    {"episodes", "1", Basis::patient_home,
     "episodes of need that arose (new episodes and scheduled follow-ups)"},
    {"served_in_person", "1", Basis::patient_home, "episodes served in person"},
    {"served_telehealth_in_state", "1", Basis::patient_home,
     "episodes served by telemedicine with clinician and patient in the same jurisdiction"},
    {"served_telehealth_cross_state", "1", Basis::patient_home,
     "episodes served by telemedicine with the clinician in another US jurisdiction than the "
     "patient's location"},
    {"served_telehealth_international", "1", Basis::patient_home,
     "episodes served by telemedicine with the clinician or the patient outside the US"},
    {"unmet", "1", Basis::patient_home,
     "episodes forgone: given up for cost, or unserved after the specialty's maximum wait"},
    {"waiting", "1", Basis::patient_home,
     "episodes still waiting for care at the end of the day (for capacity or a booked appointment)"},
    {"wait_days_mean", "days", Basis::patient_home,
     "mean days from arrival to service of the episodes served that day (NaN when none)"},
    {"travel_km_avoided", "km", Basis::patient_home,
     "round-trip travel avoided by telemedicine encounters"},
    {"adverse_events", "1", Basis::patient_home, "adverse events in encounters"},
    {"malpractice_claims", "1", Basis::patient_home,
     "malpractice claims filed (adjudicated in the jurisdiction where the patient was)"},
    {"indemnity_usd", "USD", Basis::patient_home, "indemnity paid on malpractice claims"},
    {"uncovered_exposure_usd", "USD", Basis::patient_home,
     "indemnity on claims the clinician's malpractice insurance does not cover"},
    {"licensure_spend_usd", "USD", Basis::board,
     "clinicians' spending on applications and renewals (fees plus paperwork hours) at the board"},
    {"patient_cost_usd", "USD", Basis::patient_home,
     "patients' out-of-pocket cost: cost share of the visit price plus travel money and time"},
    {"authorizations_active", "1", Basis::board,
     "active authorizations issued by the board, at the end of the day"},
    {"applications_pending", "1", Basis::board,
     "applications queued or under review at the board, at the end of the day"},
    {"applications_submitted", "1", Basis::board, "applications submitted to the board"},
    {"unauthorized_encounters", "1", Basis::patient_home,
     "encounters by a clinician not authorized where the patient was"},
    {"unauthorized_detected", "1", Basis::patient_home,
     "unauthorized encounters detected by the board where the patient was"},
    {"sanctions", "1", Basis::patient_home,
     "sanctions (suspensions) imposed after detected unauthorized encounters"},
    {"continuity_encounters", "1", Basis::patient_home,
     "encounters with a clinician the patient already knew"},
    {"relationships_disrupted", "1", Basis::patient_home,
     "follow-ups the known clinician could not lawfully give where the patient was"},
    {"payer_cost_usd", "USD", Basis::patient_home,
     "payers' share of the visit price of encounters (1 - cost share; nothing for the uninsured)"},
    {"board_processing_cost_usd", "USD", Basis::board,
     "boards' cost of reviewing the applications they decided (regulator.review_cost_usd, in proportion to "
     "the pathway's paperwork)"},
    {"platform_compliance_cost_usd", "USD", Basis::patient_home,
     "platforms' cost of the license checks made on telemedicine requests (platform.<name>.verification_cost_usd)"},
    {"malpractice_claims_cross_border", "1", Basis::patient_home,
     "malpractice claims from encounters with a clinician located outside the jurisdiction where the patient was"},
    {"unauthorized_declined", "1", Basis::patient_home,
     "encounters a clinician declined because they were not authorized where the patient was (a compliant "
     "clinician routed an unchecked request, or a known clinician who may not follow the patient)"},
    {"adverse_events_expected", "1", Basis::patient_home,
     "expected adverse events: the adverse-event probability summed over encounters", Tally::expected},
    {"malpractice_claims_expected", "1", Basis::patient_home,
     "expected malpractice claims: adverse-event probability x claim probability, summed over encounters",
     Tally::expected},
    {"malpractice_claims_cross_border_expected", "1", Basis::patient_home,
     "expected malpractice claims from encounters with a clinician located outside the jurisdiction where the "
     "patient was", Tally::expected},
    {"indemnity_usd_expected", "USD", Basis::patient_home,
     "expected indemnity: claim probability x paid share x the forum's mean indemnity, summed over encounters",
     Tally::expected},
    {"uncovered_exposure_usd_expected", "USD", Basis::patient_home,
     "expected indemnity on claims the clinician's insurance does not cover", Tally::expected},
    {"unauthorized_detected_expected", "1", Basis::patient_home,
     "expected detections: the detection probability (higher after harm) summed over unauthorized encounters",
     Tally::expected},
    {"sanctions_expected", "1", Basis::patient_home,
     "expected sanctions: the detection probability summed over unauthorized encounters by US-based clinicians",
     Tally::expected},
    {"adverse_events_averted_by_supervision_expected", "1", Basis::patient_home,
     "expected adverse events that supervision of recognized clinicians averted (the risk without the "
     "supervision multiplier minus the risk with it; negative if supervision raised risk)", Tally::expected},
}};

/// Monthly breakdown by replicate x month x jurisdiction x payer x area x specialty.
enum BreakdownMetric : int {
  b_episodes,
  b_served_in_person,
  b_served_telehealth,
  b_unmet,
  b_adverse_events,
  b_malpractice_claims,
  b_unauthorized_encounters,
  b_served_telehealth_cross_state,
  b_served_telehealth_out_of_home_state,
  b_new_patient_in_person,
  b_new_patient_wait_days,
  b_served_telehealth_border_county,
  b_served_telehealth_out_of_home_state_border_county,
  breakdown_metric_count
};

inline constexpr std::array<MetricInfo, breakdown_metric_count> breakdown_metrics = {{
    {"episodes", "1", Basis::patient_home, "episodes of need that arose"},
    {"served_in_person", "1", Basis::patient_home, "episodes served in person"},
    {"served_telehealth", "1", Basis::patient_home, "episodes served by telemedicine"},
    {"unmet", "1", Basis::patient_home, "episodes forgone"},
    {"adverse_events", "1", Basis::patient_home, "adverse events"},
    {"malpractice_claims", "1", Basis::patient_home, "malpractice claims"},
    {"unauthorized_encounters", "1", Basis::patient_home, "unauthorized encounters"},
    {"served_telehealth_cross_state", "1", Basis::patient_home,
     "episodes served by telemedicine with the clinician in another US jurisdiction than the "
     "patient's location"},
    {"served_telehealth_out_of_home_state", "1", Basis::patient_home,
     "episodes served by telemedicine with the clinician practising in another US jurisdiction "
     "than the patient's home (the claims studies' measure)"},
    {"new_patient_in_person", "1", Basis::patient_home,
     "first in-person visits of new episodes with a clinician the patient did not know"},
    {"new_patient_wait_days", "days", Basis::patient_home,
     "days from the start of the episode to those visits, summed"},
    {"served_telehealth_border_county", "1", Basis::patient_home,
     "episodes served by telemedicine of patients living in a county on a state line (world.border_counties_file)"},
    {"served_telehealth_out_of_home_state_border_county", "1", Basis::patient_home,
     "of served_telehealth_out_of_home_state, those of patients living in a county on a state line"},
}};

/// Patients counted once per period (month, calendar quarter, calendar year):
/// the claims studies' "users" (Mehrotra et al. 2022 count patients, not visits).
enum UserKind : int {
  u_telehealth,                  ///< at least one telemedicine encounter
  u_telehealth_out_of_home_state,  ///< at least one with a clinician practising outside the home state
  user_kind_count
};

/// Calendar periods over which users are counted: months, quarters, half-years, years.
inline constexpr int user_period_count = 4;
inline constexpr std::array<std::string_view, user_period_count> user_period_names = {"month", "quarter", "half_year",
                                                                                      "year"};
inline constexpr std::array<int, user_period_count> user_period_months = {1, 3, 6, 12};

inline constexpr std::array<MetricInfo, user_kind_count> user_metrics = {{
    {"telehealth_users", "1", Basis::patient_home, "patients with at least one telemedicine encounter in the period"},
    {"telehealth_users_out_of_home_state", "1", Basis::patient_home,
     "patients with at least one telemedicine encounter in the period with a clinician practising in another US "
     "jurisdiction than the patient's home (Mehrotra et al. 2022's out-of-state users)"},
}};

}  // namespace licsim
