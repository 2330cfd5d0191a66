#pragma once
// Typed model parameters, read once from a scenario before a run so that the
// step loop never looks up a key. Every field mirrors a documented scenario key.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/places.hpp"
#include "model/types.hpp"

namespace licsim {

struct SpecialtyParams {
  std::string name;
  double physician_share, visit_share, needs_exam_share, controlled_substance_share;
  double telehealth_preference, follow_up_prob, follow_up_interval_days, max_wait_days;
  double capacity_per_clinician_day, adverse_event_prob, price_in_person_usd, price_telehealth_usd;
  double new_patient_lead_days = 0;  ///< mean days from booking to a new patient's in-person visit
  /// Of follow-ups cut by a rule change whose clinician the patient cannot reach in person, the
  /// share forgone rather than taken to another clinician (the value of continuity).
  double disrupted_forgo_share = 0;
};

struct PlatformParams {
  std::string name;
  double clinician_share, patient_share, verification_strictness, commission_share;
  double local_network_share = 0;  ///< requests a local network offers only to clinicians in the state
  double verification_cost_usd = 0;  ///< cost of one license check on a request
};

/// Board rules of one US jurisdiction (national defaults, file values, overrides).
struct RegulatorParams {
  double license_fee_usd, renewal_fee_usd, renewal_cycle_years;
  double processing_days_low, processing_days_high, processing_capacity_per_1000_physicians_day;
  double approval_prob, detection_prob, detection_prob_after_harm, indemnity_multiplier;
};

struct PayerCoverage {
  double telehealth_covered_urban, telehealth_covered_rural, cost_share, forgo_prob;
  double telehealth_covered_away = 1;  ///< of covered visits, paid also when the patient is away from home
};

struct ModelParams {
  std::string start_date;
  int default_days;
  int spinup_days = 0;  ///< simulated before start_date, not recorded
  int spinup_accelerated_days = 0;  ///< of those, the first days with faster licensing
  double spinup_licensing_speedup = 1;

  std::array<double, age_band_count> age_band_share;
  double medicare_aged_fraction;
  std::array<std::array<double, payer_count>, age_band_count> payer_share;
  double lep_share, away_share_of_days, away_neighbour_share, away_abroad_share;
  double snowbird_share_65_plus;
  std::vector<std::pair<std::string, double>> snowbird_destinations;
  double border_in_person_share;

  std::array<double, age_band_count> visits_per_person_year;
  double rural_telehealth_preference_multiplier;

  std::vector<SpecialtyParams> specialties;
  std::vector<PlatformParams> platforms;

  double telehealth_active_share, telehealth_capacity_share;
  double telehealth_reserved_share = 0;  ///< of the telemedicine slots, those in-person visits may not use
  double two_licenses_share, three_plus_licenses_share, extra_license_mean_beyond_two;
  double extra_license_neighbour_share, non_compliant_share, skill_sigma, lep_concordance_share;
  double abroad_malpractice_covered_share, hourly_value_usd;

  std::vector<RegulatorParams> regulators;  ///< one per US jurisdiction
  double paperwork_hours, renew_unused_prob, sanction_days, deterrence_prob;
  double renewal_paperwork_hours = 0;  ///< clinician hours to renew one license
  double review_cost_usd = 0;  ///< a board's cost of reviewing one full license application

  double review_interval_days, licensing_response, licensing_horizon_years;
  double locum_share = 0, locum_assignments_per_year = 0;  ///< in-person work in other states

  double claim_prob_per_adverse_event, paid_share, mean_indemnity_usd, indemnity_sigma;
  double tele_exam_needed_multiplier, language_discordance_multiplier;
  double record_gap_multiplier, controlled_without_in_person_multiplier;
  bool controlled_in_person_rule;

  double round_trip_km_urban, rural_distance_multiplier, cost_per_km_usd;
  double time_cost_per_visit_usd, cross_border_distance_multiplier;

  std::array<PayerCoverage, payer_count> coverage;
};

}  // namespace licsim
