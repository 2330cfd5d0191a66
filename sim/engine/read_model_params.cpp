#include "engine/read_model_params.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "core/errors.hpp"

namespace licsim {

namespace {

void require_sum_one(const Scenario& sc, const std::string& key, double sum, double tol = 1e-6) {
  if (std::fabs(sum - 1.0) > tol) {
    const auto origin = sc.origin(key);
    std::ostringstream msg;
    msg << "expected shares summing to 1, got a sum of " << sum;
    throw ScenarioError(origin.file, origin.line, key, msg.str());
  }
}

template <std::size_t N>
std::array<double, N> array_of(const Scenario& sc, const std::string& key) {
  const auto& v = sc.reals(key);
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = v[i];
  return out;
}

std::vector<std::pair<std::string, double>> parse_weights(const Scenario& sc,
                                                          const std::string& key) {
  std::vector<std::pair<std::string, double>> out;
  std::istringstream in(sc.text(key));
  std::string item;
  const auto origin = sc.origin(key);
  int position = 0;
  while (std::getline(in, item, ',')) {
    ++position;
    const auto eq = item.find('=');
    const auto code = item.substr(0, eq);
    const auto idx = sc.places.find(code);
    double w = 0;
    bool ok = eq != std::string::npos && idx && sc.places.is_us(*idx);
    if (ok) {  // the whole rest is the number: no spaces, signs or trailing text
      const char* first = item.data() + eq + 1;
      const char* last = item.data() + item.size();
      const auto [end, ec] = std::from_chars(first, last, w);
      ok = first != last && ec == std::errc{} && end == last;
    }
    if (!ok || !(w >= 0) || !std::isfinite(w))
      throw ScenarioError(origin.file, origin.line, key,
                          "expected CODE=weight items with known jurisdiction codes, got '" + printable(item) +
                              "' (item " + std::to_string(position) + ")");
    for (std::size_t k = 0; k < out.size(); ++k)
      if (out[k].first == code)
        throw ScenarioError(origin.file, origin.line, key,
                            "'" + code + "' is listed twice (items " + std::to_string(k + 1) + " and " +
                                std::to_string(position) + ")");
    out.emplace_back(code, w);
  }
  return out;
}

/// simulation.*: the dates and the spin-up.
void read_simulation(const Scenario& sc, ModelParams& p) {
  p.start_date = sc.text("simulation.start_date");
  p.default_days = static_cast<int>(sc.integer("simulation.days"));
  p.spinup_days = static_cast<int>(sc.integer("simulation.spinup_days"));
  p.spinup_accelerated_days = static_cast<int>(sc.integer("simulation.spinup_accelerated_days"));
  p.spinup_licensing_speedup = sc.real("simulation.spinup_licensing_speedup");
}

/// population.* and demand.*: who the patients are and how often they need care.
void read_population(const Scenario& sc, ModelParams& p) {
  p.age_band_share = array_of<age_band_count>(sc, "population.age_band_share");
  double sum = 0;
  for (double x : p.age_band_share) sum += x;
  require_sum_one(sc, "population.age_band_share", sum);
  p.medicare_aged_fraction = sc.real("population.medicare_aged_fraction");
  for (int band = 0; band < age_band_count; ++band) {
    const std::string key = "population.payer_share_" + std::string(age_band_names[band]);
    p.payer_share[band] = array_of<payer_count>(sc, key);
    sum = 0;
    for (double x : p.payer_share[band]) sum += x;
    require_sum_one(sc, key, sum);
  }
  p.lep_share = sc.real("population.lep_share");
  p.away_share_of_days = sc.real("population.away_share_of_days");
  p.away_neighbour_share = sc.real("population.away_neighbour_share");
  p.away_abroad_share = sc.real("population.away_abroad_share");
  if (p.away_neighbour_share + p.away_abroad_share > 1.0) {
    const auto o = sc.origin("population.away_abroad_share");
    throw ScenarioError(o.file, o.line, "population.away_abroad_share",
                        "away_neighbour_share + away_abroad_share must not exceed 1");
  }
  p.snowbird_share_65_plus = sc.real("population.snowbird_share_65_plus");
  p.snowbird_destinations = parse_weights(sc, "population.snowbird_destinations");
  p.border_in_person_share = sc.real("population.border_in_person_share");

  p.visits_per_person_year = array_of<age_band_count>(sc, "demand.visits_per_person_year");
  p.rural_telehealth_preference_multiplier =
      sc.real("demand.rural_telehealth_preference_multiplier");
}

/// specialty.<name>.*: each specialty, its shares summing to one.
void read_specialties(const Scenario& sc, ModelParams& p) {
  double physician_sum = 0, visit_sum = 0;
  for (const auto& name : sc.members("specialty")) {
    const std::string k = "specialty." + name + ".";
    SpecialtyParams s;
    s.name = name;
    s.physician_share = sc.real(k + "physician_share");
    s.visit_share = sc.real(k + "visit_share");
    s.needs_exam_share = sc.real(k + "needs_exam_share");
    s.controlled_substance_share = sc.real(k + "controlled_substance_share");
    s.telehealth_preference = sc.real(k + "telehealth_preference");
    s.follow_up_prob = sc.real(k + "follow_up_prob");
    s.follow_up_interval_days = sc.real(k + "follow_up_interval_days");
    s.max_wait_days = sc.real(k + "max_wait_days");
    s.disrupted_forgo_share = sc.real(k + "disrupted_forgo_share");
    s.capacity_per_clinician_day = sc.real(k + "capacity_per_clinician_day");
    s.adverse_event_prob = sc.real(k + "adverse_event_prob");
    s.price_in_person_usd = sc.real(k + "price_in_person_usd");
    s.price_telehealth_usd = sc.real(k + "price_telehealth_usd");
    s.new_patient_lead_days = sc.real(k + "new_patient_lead_days");
    physician_sum += s.physician_share;
    visit_sum += s.visit_share;
    p.specialties.push_back(s);
  }
  const std::string first_specialty = "specialty." + p.specialties.front().name;
  require_sum_one(sc, first_specialty + ".physician_share", physician_sum);
  require_sum_one(sc, first_specialty + ".visit_share", visit_sum);
  if (p.specialties.size() > 64) {
    throw ScenarioError(sc.source_name, 0, "specialty", "at most 64 specialties are supported");
  }
}

/// platform.<name>.*: each telemedicine platform, its shares summing to one.
void read_platforms(const Scenario& sc, ModelParams& p) {
  double clinician_sum = 0, patient_sum = 0;
  for (const auto& name : sc.members("platform")) {
    const std::string k = "platform." + name + ".";
    PlatformParams pl{name, sc.real(k + "clinician_share"), sc.real(k + "patient_share"),
                      sc.real(k + "verification_strictness"), sc.real(k + "commission_share"),
                      sc.real(k + "local_network_share"), sc.real(k + "verification_cost_usd")};
    clinician_sum += pl.clinician_share;
    patient_sum += pl.patient_share;
    p.platforms.push_back(pl);
  }
  const std::string first_platform = "platform." + p.platforms.front().name;
  require_sum_one(sc, first_platform + ".clinician_share", clinician_sum);
  require_sum_one(sc, first_platform + ".patient_share", patient_sum);
  if (p.platforms.size() > 16)
    throw ScenarioError(sc.source_name, 0, "platform", "at most 16 platforms are supported");
}

/// clinicians.*: the workforce and the licenses it holds.
void read_clinicians(const Scenario& sc, ModelParams& p) {
  p.telehealth_active_share = sc.real("clinicians.telehealth_active_share");
  p.telehealth_capacity_share = sc.real("clinicians.telehealth_capacity_share");
  p.telehealth_reserved_share = sc.real("clinicians.telehealth_reserved_share");
  p.two_licenses_share = sc.real("clinicians.two_licenses_share");
  p.three_plus_licenses_share = sc.real("clinicians.three_plus_licenses_share");
  if (p.two_licenses_share + p.three_plus_licenses_share > 1.0) {
    const auto o = sc.origin("clinicians.three_plus_licenses_share");
    throw ScenarioError(o.file, o.line, "clinicians.three_plus_licenses_share",
                        "two_licenses_share + three_plus_licenses_share must not exceed 1");
  }
  p.extra_license_mean_beyond_two = sc.real("clinicians.extra_license_mean_beyond_two");
  p.extra_license_neighbour_share = sc.real("clinicians.extra_license_neighbour_share");
  p.non_compliant_share = sc.real("clinicians.non_compliant_share");
  p.skill_sigma = sc.real("clinicians.skill_sigma");
  p.lep_concordance_share = sc.real("clinicians.lep_concordance_share");
  p.abroad_malpractice_covered_share = sc.real("clinicians.abroad_malpractice_covered_share");
  p.hourly_value_usd = sc.real("clinicians.hourly_value_usd");
}

/// regulator.* with jurisdiction.<code>.* and the jurisdictions file: each board.
void read_regulators(const Scenario& sc, ModelParams& p) {
  for (const auto& j : sc.places.us) {
    const auto value = [&](const char* key, std::optional<double> from_file) {
      const std::string override_key = "jurisdiction." + j.code + "." + key;
      if (sc.has(override_key)) return sc.real(override_key);
      if (from_file) return *from_file;
      return sc.real(std::string("regulator.") + key);
    };
    RegulatorParams r;
    r.license_fee_usd = value("license_fee_usd", j.license_fee_usd);
    r.renewal_fee_usd = value("renewal_fee_usd", j.renewal_fee_usd);
    r.renewal_cycle_years = value("renewal_cycle_years", j.renewal_cycle_years);
    r.processing_days_low = value("processing_days_low", j.processing_days_low);
    r.processing_days_high = value("processing_days_high", j.processing_days_high);
    r.processing_capacity_per_1000_physicians_day =
        value("processing_capacity_per_1000_physicians_day", std::nullopt);
    r.approval_prob = value("approval_prob", std::nullopt);
    r.detection_prob = value("detection_prob", std::nullopt);
    r.detection_prob_after_harm = value("detection_prob_after_harm", std::nullopt);
    r.indemnity_multiplier = value("indemnity_multiplier", std::nullopt);
    if (r.processing_days_low > r.processing_days_high) {
      const std::string key = "jurisdiction." + j.code + ".processing_days_low";
      const auto o = sc.origin(sc.has(key) ? key : "regulator.processing_days_low");
      throw ScenarioError(o.file, o.line, key,
                          "processing_days_low exceeds processing_days_high for " + j.code);
    }
    p.regulators.push_back(r);
  }
  p.paperwork_hours = sc.real("regulator.paperwork_hours");
  p.renew_unused_prob = sc.real("regulator.renew_unused_prob");
  p.renewal_paperwork_hours = sc.real("regulator.renewal_paperwork_hours");
  p.sanction_days = sc.real("regulator.sanction_days");
  p.deterrence_prob = sc.real("regulator.deterrence_prob");
  p.review_cost_usd = sc.real("regulator.review_cost_usd");
}

/// licensing.*: how clinicians respond to unmet demand.
void read_licensing(const Scenario& sc, ModelParams& p) {
  p.review_interval_days = sc.real("licensing.review_interval_days");
  p.licensing_response = sc.real("licensing.response");
  p.licensing_horizon_years = sc.real("licensing.horizon_years");
  p.locum_share = sc.real("licensing.locum_share");
  p.locum_assignments_per_year = sc.real("licensing.locum_assignments_per_year");
}

/// malpractice.*, safety.* and controlled_substances.*: harm and its consequences.
void read_outcomes(const Scenario& sc, ModelParams& p) {
  p.claim_prob_per_adverse_event = sc.real("malpractice.claim_prob_per_adverse_event");
  p.paid_share = sc.real("malpractice.paid_share");
  p.mean_indemnity_usd = sc.real("malpractice.mean_indemnity_usd");
  p.indemnity_sigma = sc.real("malpractice.indemnity_sigma");

  p.tele_exam_needed_multiplier = sc.real("safety.telehealth_exam_needed_multiplier");
  p.language_discordance_multiplier = sc.real("safety.language_discordance_multiplier");
  p.record_gap_multiplier = sc.real("safety.cross_border_record_gap_multiplier");
  p.controlled_without_in_person_multiplier =
      sc.real("safety.controlled_without_in_person_multiplier");
  p.controlled_in_person_rule = sc.boolean("controlled_substances.in_person_rule");
}

/// travel.* and coverage.<payer>.*: what a visit costs the patient and who pays.
void read_travel_and_coverage(const Scenario& sc, ModelParams& p) {
  p.round_trip_km_urban = sc.real("travel.round_trip_km_urban");
  p.rural_distance_multiplier = sc.real("travel.rural_distance_multiplier");
  p.cost_per_km_usd = sc.real("travel.cost_per_km_usd");
  p.time_cost_per_visit_usd = sc.real("travel.time_cost_per_visit_usd");
  p.cross_border_distance_multiplier = sc.real("travel.cross_border_distance_multiplier");

  for (int payer = 0; payer < payer_count; ++payer) {
    const std::string k = "coverage." + std::string(payer_names[payer]) + ".";
    p.coverage[payer] = {sc.real(k + "telehealth_covered_urban"),
                         sc.real(k + "telehealth_covered_rural"), sc.real(k + "cost_share"),
                         sc.real(k + "forgo_prob"), sc.real(k + "telehealth_covered_away")};
  }
}

}  // namespace

ModelParams read_model_params(const Scenario& sc) {
  ModelParams p;
  read_simulation(sc, p);
  read_population(sc, p);
  read_specialties(sc, p);
  read_platforms(sc, p);
  read_clinicians(sc, p);
  read_regulators(sc, p);
  read_licensing(sc, p);
  read_outcomes(sc, p);
  read_travel_and_coverage(sc, p);
  return p;
}

}  // namespace licsim
