// The parameter dictionary: every key a scenario may (or must) set.
// Values live in scenario files (scenarios/state_only.toml is the baseline);
// this table holds what a key means, its unit, its bounds and where its
// baseline value comes from. Sources abbreviated here are listed in full in
// docs/parameters.md and scenarios/data/README.md.
#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>
#include <sstream>

#include "scenario/parameter_spec.hpp"

#include "core/date.hpp"
#include "core/errors.hpp"
#include "scenario/module_keys.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

using namespace spec;

std::vector<ParamSpec> build_specs() {
  std::vector<ParamSpec> s;

  // --- meta and simulation --------------------------------------------------
  s.push_back(text("meta.name", {}, "short name of the scenario, stored with the output", "-"));
  s.push_back(text("meta.description", {}, "one-sentence description of the scenario", "-"));
  s.push_back(text("simulation.start_date", {},
                   "calendar date of day 0 (YYYY-MM-DD); output days count from it", "-"));
  s.back().date = true;
  s.push_back(integer("simulation.days", 1, 3650, "days",
                      "default simulated horizon (the CLI's --days overrides it)", "-"));
  s.push_back(integer("simulation.spinup_days", 0, 3650, "days",
                      "days simulated before start_date under the rules in force then and not written to "
                      "the output, so that the run starts from a steady state (relationships, follow-ups, "
                      "waiting lists, pending applications, authorizations obtained under earlier rules)",
                      "method choice: docs/regimes.md (steady state) measures month 12 against month 1"));
  s.push_back(integer("simulation.spinup_accelerated_days", 0, 3650, "days",
                      "days at the start of the spin-up in which licensing runs "
                      "simulation.spinup_licensing_speedup times as fast as care (accelerated spin-up: the "
                      "stock of licenses obtained for telemedicine takes a decade to settle otherwise); the "
                      "rest of the spin-up runs at the real rate",
                      "method choice: docs/regimes.md (steady state)"));
  s.push_back(real("simulation.spinup_licensing_speedup", 1, 50, "ratio",
                   "during the accelerated days, how many times licensing.response clinicians notice "
                   "unmet demand and the boards' review capacity, and by how much review times and "
                   "renewal cycles are shortened",
                   "method choice: docs/regimes.md (steady state)"));

  // --- world ----------------------------------------------------------------
  s.push_back(text("world.jurisdictions_file", {},
                   "CSV of the 50 states + DC (population, rurality, physicians, Medicare share, "
                   "neighbours, board fees and times), relative to the scenario file",
                   "scenarios/data/README.md"));
  s.push_back(text("world.border_counties_file", {},
                   "CSV of the residents of each state's counties that touch each neighbouring state "
                   "(geography below the state: who lives on a state line), relative to the scenario file; "
                   "\"\" = nobody does",
                   "scenarios/data/README.md (Census county estimates 2019 and county adjacency)"));
  s.push_back(text("world.foreign_locations_file", {},
                   "CSV of foreign countries where US-licensed clinicians may live and US patients "
                   "may travel, relative to the scenario file",
                   "scenarios/data/README.md"));

  // --- population -----------------------------------------------------------
  s.push_back(reals("population.age_band_share", 4, 0, 1, "fraction",
                    "national population share of the age bands 0-17, 18-44, 45-64, 65+ (the 65+ "
                    "share of each state is then set from its Medicare share)",
                    "US Census Bureau, 2019 population estimates by age (about 22.3/36.4/25.7/"
                    "16.5%); derived"));
  s.push_back(real("population.medicare_aged_fraction", 0, 1, "fraction",
                   "share of Medicare enrollees entitled by age (65+); the rest are under-65 "
                   "disabled enrollees",
                   "CMS Medicare enrollment: about 86% aged, 14% disabled/ESRD (2019); V2"));
  for (const char* band : {"0_17", "18_44", "45_64", "65_plus"}) {
    s.push_back(reals(std::string("population.payer_share_") + band, 4, 0, 1, "fraction",
                      std::string("payer mix [medicare, medicaid, private, uninsured] of age band ") +
                          band + " (sums to 1)",
                      "Berchick, Barnett & Upton, Health Insurance Coverage in the United States: "
                      "2018 (Census P60-267): uninsured 5.5% under 19, 11.7% aged 19-64; primary "
                      "payer split derived"));
  }
  s.push_back(real("population.lep_share", 0, 1, "fraction",
                   "share of patients with limited English proficiency",
                   "American Community Survey 2019: about 8% of residents aged 5+ speak English "
                   "less than 'very well' (via Migration Policy Institute); V2"));
  s.push_back(real("population.away_share_of_days", 0, 1, "fraction",
                   "probability that a patient is away from home (another state or abroad) on the "
                   "day an episode arises",
                   "derived: about 2.3 billion domestic person-trips a year (US Travel Association, "
                   "2019) x about 2 nights / (328 M residents x 365 days) ~ 4%; V3"));
  s.push_back(real("population.away_neighbour_share", 0, 1, "fraction",
                   "share of trips away that go to a neighbouring state", assumed));
  s.push_back(real("population.away_abroad_share", 0, 1, "fraction",
                   "share of trips away that go abroad (to the foreign locations file)",
                   "derived: about 93 M outbound US trips vs 2.3 billion domestic person-trips "
                   "(NTTO, US Travel Association, 2019) ~ 4%; V3"));
  s.push_back(real("population.snowbird_share_65_plus", 0, 1, "fraction",
                   "share of patients aged 65+ who live part of the year (December-March) in "
                   "another state",
                   assumed));
  s.push_back(text("population.snowbird_destinations", {},
                   "comma-separated destination=weight list for part-year residents (e.g. "
                   "\"FL=0.5,AZ=0.2\")",
                   assumed));
  s.push_back(real("population.border_in_person_share", 0, 1, "fraction",
                   "probability that a patient living in a border county (world.border_counties_file) who "
                   "finds no in-person clinician free at home looks across that state line",
                   assumed));

  // --- demand ---------------------------------------------------------------
  s.push_back(reals("demand.visits_per_person_year", 4, 0, 100, "visits/person/year",
                    "physician office and outpatient visits per person and year by age band "
                    "(0-17, 18-44, 45-64, 65+), follow-ups included",
                    "NCHS, Health, United States 2005, Fig. 22 data table (2003-2004): 2.66, 2.51, "
                    "~4.15 (45-54: 3.65, 55-64: 4.74), ~7.05 (65-74: 6.45, 75+: 7.77); V1"));
  s.push_back(real("demand.rural_telehealth_preference_multiplier", 0, 100, "ratio",
                   "multiplier on the telemedicine preference of rural patients (longer travel)",
                   assumed));

  // --- specialties (one table per specialty) --------------------------------
  s.push_back(real("specialty.*.physician_share", 0, 1, "fraction",
                   "share of physicians in the specialty group",
                   "AAMC Physician Specialty Data Report 2022 (grouped: primary care ~33%, "
                   "psychiatry ~4%, other medical ~45%, surgical ~18%); V2"));
  s.push_back(real("specialty.*.visit_share", 0, 1, "fraction",
                   "share of all visits demanded that belong to the specialty group",
                   "NAMCS national summary tables (visits by physician specialty type, about "
                   "half to primary care); V2"));
  s.push_back(real("specialty.*.needs_exam_share", 0, 1, "fraction",
                   "share of episodes that need a physical examination", assumed));
  s.push_back(real("specialty.*.controlled_substance_share", 0, 1, "fraction",
                   "share of episodes that involve prescribing a controlled substance",
                   assumed));
  s.push_back(real("specialty.*.telehealth_preference", 0, 1, "probability",
                   "probability that a patient with a covered episode not needing an examination "
                   "seeks it by telemedicine first",
                   "calibrated so that telemedicine is under 1% of visits before 2020 (Epic "
                   "Cosmos via KFF, 2019); calibration target T3"));
  s.push_back(real("specialty.*.follow_up_prob", 0, 0.95, "probability",
                   "probability that a served episode needs a follow-up with the same clinician",
                   assumed));
  s.push_back(real("specialty.*.follow_up_interval_days", 1, 365, "days",
                   "mean days from an encounter to its follow-up (exponential)", assumed));
  s.push_back(real("specialty.*.max_wait_days", 0, 365, "days",
                   "days a patient keeps trying before the episode is forgone",
                   "Merritt Hawkins 2017: 24.1 days mean wait for a new specialist appointment "
                   "(T15); primary care shorter; V2"));
  s.push_back(real("specialty.*.disrupted_forgo_share", 0, 1, "fraction",
                   "of follow-ups whose clinician may no longer see the patient by telemedicine after a rule "
                   "change (a waiver's expiry) and whom the patient cannot reach in person (not across the "
                   "state line the patient lives on), the share the patient forgoes rather than seek another "
                   "clinician",
                   "assumption: Bressman et al., JAMA Netw Open 2023 (commercial claims, 2021-22): where waivers "
                   "ended, patients with an out-of-state telemedicine relationship were less likely to have "
                   "any visit, most of all far from the clinician, and not where the clinician was licensed; no "
                   "share published; vary 0-1"));
  s.push_back(real("specialty.*.new_patient_lead_days", 0, 365, "days",
                   "mean days from booking to a new patient's in-person appointment (exponential; "
                   "the visit then competes for capacity on that day); telemedicine platforms "
                   "serve on demand, and follow-ups and a usual clinician's patients are not "
                   "booked this way",
                   "Merritt Hawkins 2017 survey, 15 major metros, new-patient waits: family "
                   "medicine 29.3 d; cardiology 21.1 and dermatology 32.3 (medical, mean 26.7); "
                   "orthopedics 11.4 and OB/GYN 26.6 (surgical, mean 19.0); all five 24.1 (T15), "
                   "used for mental health (not surveyed)"));
  s.push_back(real("specialty.*.capacity_per_clinician_day", 0, 1000, "encounters/day",
                   "encounters a clinician can give per calendar day (all modalities)",
                   "derived: visits demanded / physicians in the group / 365, over a target "
                   "utilisation of about 0.95"));
  s.push_back(real("specialty.*.adverse_event_prob", 0, 1, "probability",
                   "probability of an adverse event per encounter for a clinician of average "
                   "skill, before modality and language multipliers",
                   "derived: annual claim probability 7.4% per physician (Jena et al., NEJM "
                   "2011; specialty ratio from the same) / (~1,000 encounters per physician-year "
                   "x claims per adverse event)"));
  s.push_back(real("specialty.*.price_in_person_usd", 0, big, "USD", "allowed price of an office visit",
                   "Ashwood et al., Health Affairs 2017: $146 office visit (acute respiratory, "
                   "T16); other groups scaled; V2"));
  s.push_back(real("specialty.*.price_telehealth_usd", 0, big, "USD",
                   "allowed price of a telemedicine visit",
                   "Ashwood et al., Health Affairs 2017: $79 direct-to-consumer telemedicine "
                   "(T16); V2"));

  // --- clinicians -----------------------------------------------------------
  s.push_back(real("clinicians.telehealth_active_share", 0, 1, "fraction",
                   "share of clinicians who offer telemedicine at all",
                   "Kane & Gillis, Health Affairs 2018: 15.4% of physicians in practices using "
                   "telemedicine for patient interactions (2016); V2"));
  s.push_back(real("clinicians.telehealth_capacity_share", 0, 1, "fraction",
                   "share of a telemedicine-active clinician's daily capacity available for "
                   "telemedicine",
                   assumed));
  s.push_back(real("clinicians.telehealth_reserved_share", 0, 1, "fraction",
                   "share of a clinician's telemedicine slots held in scheduled telemedicine "
                   "blocks that in-person visits may not take (0: telemedicine only fills "
                   "capacity in-person visits left)",
                   "assumption: telemedicine programmes run scheduled sessions; fitted to the "
                   "pre-2020 calibration targets (docs/calibration.md)"));
  s.push_back(real("clinicians.two_licenses_share", 0, 1, "fraction",
                   "share of domestic clinicians holding exactly two state licenses at the start",
                   "FSMB census 2018 via AMA: 15.5% hold two licenses; V2 (T6)"));
  s.push_back(real("clinicians.three_plus_licenses_share", 0, 1, "fraction",
                   "share of domestic clinicians holding three or more state licenses at the start",
                   "FSMB census 2018 via AMA: 6.6% hold three or more; V2 (T6)"));
  s.push_back(real("clinicians.extra_license_mean_beyond_two", 1, 50, "licenses",
                   "mean number of licenses beyond two for clinicians with three or more "
                   "(geometric)",
                   assumed));
  s.push_back(real("clinicians.extra_license_neighbour_share", 0, 1, "fraction",
                   "probability that an additional license is in a neighbouring state (else "
                   "population-weighted)",
                   assumed));
  s.push_back(real("clinicians.non_compliant_share", 0, 1, "fraction",
                   "share of clinicians willing to treat patients located where they are not "
                   "authorized",
                   assumed));
  s.push_back(real("clinicians.skill_sigma", 0, 5, "log-scale sd",
                   "spread of latent skill: adverse-event risk multiplier is lognormal with mean 1",
                   "assumption shaped by Studdert et al., NEJM 2016 (1% of physicians account for "
                   "32% of paid claims)"));
  s.push_back(real("clinicians.lep_concordance_share", 0, 1, "fraction",
                   "probability that a clinician speaks the language of a patient with limited "
                   "English proficiency",
                   assumed));
  s.push_back(real("clinicians.abroad_malpractice_covered_share", 0, 1, "fraction",
                   "share of clinicians living abroad whose malpractice insurance covers US "
                   "patients in their licensed states",
                   assumed));
  s.push_back(real("clinicians.hourly_value_usd", 0, big, "USD/hour",
                   "value of a clinician's hour, used to cost application paperwork",
                   "assumption near median physician earnings (~$300k/year over ~2,500 hours)"));

  // --- platforms (one table per platform) -----------------------------------
  s.push_back(real("platform.*.clinician_share", 0, 1, "fraction",
                   "share of telemedicine-active clinicians affiliated with the platform "
                   "(shares sum to 1)",
                   assumed));
  s.push_back(real("platform.*.patient_share", 0, 1, "fraction",
                   "share of telemedicine requests that come through the platform (sum to 1)",
                   assumed));
  s.push_back(real("platform.*.verification_strictness", 0, 1, "probability",
                   "probability that the platform checks the clinician's authorization for the "
                   "patient's location before routing (1 = real-time verification)",
                   assumed));
  s.push_back(real("platform.*.commission_share", 0, 1, "fraction",
                   "share of the telemedicine price the platform keeps", assumed));
  s.push_back(real("platform.*.verification_cost_usd", 0, 1e6, "USD",
                   "platform's cost of one check of a clinician's authorization for the patient's location "
                   "(a primary-source license lookup)",
                   assumed));
  s.push_back(real("platform.*.local_network_share", 0, 1, "probability",
                   "probability that a request goes through a local network (a health system's "
                   "telemedicine), which offers it only to clinicians practising in the patient's "
                   "state (when they are busy the patient waits or goes in person); otherwise "
                   "the platform routes over the state's whole register, in-state clinicians and "
                   "out-of-state licensees first drawn in proportion to their numbers",
                   "assumption: pre-2020 telemedicine went mostly through local health systems; "
                   "us_2019.toml fits it to T1 (Andino et al. 2022, docs/calibration.md)"));

  // --- regulators (national defaults; jurisdiction.<XX>.* overrides) --------
  s.push_back(real("regulator.license_fee_usd", 0, big, "USD",
                   "fee for a full license where the jurisdictions file has none",
                   "Smith 2022 (IMLC): $60-$817 per state license; default 500 (regulatory-facts "
                   "6); V1/V3"));
  s.push_back(real("regulator.renewal_fee_usd", 0, big, "USD",
                   "fee for a license renewal where the jurisdictions file has none",
                   "examples: CA $1,194/2 y, MN $192/y, AZ $500/2 y (board rules); V1"));
  s.push_back(real("regulator.renewal_cycle_years", 0.25, 10, "years",
                   "years between renewals where the jurisdictions file has none",
                   "biennial renewal in most states (CA, AZ examples); V1"));
  s.push_back(real("regulator.processing_days_low", 0, 3650, "days",
                   "shortest review time of a complete application where the file has none",
                   "3-6 months by the traditional route (Smith 2022, T10); V1"));
  s.push_back(real("regulator.processing_days_high", 0, 3650, "days",
                   "longest review time of a complete application where the file has none",
                   "3-6 months by the traditional route (Smith 2022, T10); V1"));
  s.push_back(real("regulator.processing_capacity_per_1000_physicians_day", 0, 1000,
                   "applications/day",
                   "applications a board starts reviewing per day, per 1,000 physicians located "
                   "in the state; excess waits in a queue",
                   assumed));
  s.push_back(real("regulator.approval_prob", 0, 1, "probability",
                   "probability that a reviewed application is granted",
                   "IMLC: about 9-10% of applications found ineligible (Smith 2022, AMA 2019), "
                   "used for full licenses too; V1/V2"));
  s.push_back(real("regulator.paperwork_hours", 0, 10000, "hours",
                   "clinician hours to prepare one license application", assumed));
  s.push_back(real("regulator.renew_unused_prob", 0, 1, "probability",
                   "probability that a clinician renews a license outside their home state for "
                   "reasons outside the model (an unused license is renewed with it; a used one "
                   "also when what it earned over the cycle exceeds its renewal cost times an "
                   "Exp(1) factor; home licenses are always renewed)",
                   assumed));
  s.push_back(real("regulator.renewal_paperwork_hours", 0, 1000, "hours",
                   "clinician hours to renew one license (forms, attestations; CME counted once "
                   "for all states)",
                   assumed));
  s.push_back(real("regulator.detection_prob", 0, 1, "probability",
                   "probability that an unauthorized encounter without harm is detected "
                   "(audits, platform reports)",
                   assumed));
  s.push_back(real("regulator.detection_prob_after_harm", 0, 1, "probability",
                   "probability that an unauthorized encounter with an adverse event is detected "
                   "(complaints after harm)",
                   assumed));
  s.push_back(real("regulator.sanction_days", 0, 3650, "days",
                   "suspension imposed on a US-based clinician after a detected unauthorized "
                   "encounter",
                   assumed));
  s.push_back(real("regulator.review_cost_usd", 0, 1e7, "USD",
                   "a board's cost of reviewing one full license application; other pathways cost in proportion "
                   "to their paperwork hours",
                   "assumption: boards are fee-funded, so a review costs about the license fee (regulator.license_fee_usd)"));
  s.push_back(real("regulator.deterrence_prob", 0, 1, "probability",
                   "probability that a sanctioned clinician stops practising without authorization",
                   assumed));
  s.push_back(real("regulator.indemnity_multiplier", 0, 100, "ratio",
                   "jurisdiction multiplier on the mean indemnity (damages caps, juries); 1 = "
                   "national mean",
                   "1 for all states until per-state indemnity data are added"));
  for (const char* key : {"license_fee_usd", "renewal_fee_usd", "renewal_cycle_years",
                          "processing_days_low", "processing_days_high",
                          "processing_capacity_per_1000_physicians_day", "approval_prob",
                          "detection_prob", "detection_prob_after_harm", "indemnity_multiplier"}) {
    const auto* base = &*std::find_if(s.begin(), s.end(), [&](const ParamSpec& p) {
      return p.pattern == std::string("regulator.") + key;
    });
    ParamSpec spec = *base;
    spec.pattern = std::string("jurisdiction.*.") + key;
    spec.meaning = "override of regulator." + std::string(key) + " for one jurisdiction (code)";
    spec.source = "scenario-specific";
    s.push_back(optional(std::move(spec)));
  }

  // --- licensing behaviour --------------------------------------------------
  s.push_back(real("licensing.review_interval_days", 1, 365, "days",
                   "how often clinicians review unmet telemedicine demand reported by platforms",
                   assumed));
  s.push_back(real("licensing.response", 0, 10, "ratio",
                   "applications filed per clinician-equivalent of profitable unmet demand",
                   assumed));
  s.push_back(real("licensing.horizon_years", 0, 50, "years",
                   "years of income a clinician counts when valuing a new license", assumed));
  s.push_back(real("licensing.locum_share", 0, 1, "fraction",
                   "share of domestic physicians who take locum tenens (temporary in-person) "
                   "assignments in a year",
                   "Staff Care, 'Surveys show number of locum tenens physicians set to rise' "
                   "(2014): about 40,000 of about 740,000 physicians in active patient care "
                   "worked locum tenens in 2013 (5.4%); V2"));
  s.push_back(real("licensing.locum_assignments_per_year", 0, 50, "1/year",
                   "assignments a locum physician takes per year, each in a state drawn like an "
                   "extra license (neighbour or by population); one where the physician is not "
                   "licensed leads to an application by the cheapest route that allows in-person "
                   "practice",
                   "assumption (no published count of locums' assignments in new states); fitted "
                   "to the IMLC's licenses issued (target T8) in scenarios/us_2019.toml"));

  // --- malpractice ----------------------------------------------------------
  s.push_back(real("malpractice.claim_prob_per_adverse_event", 0, 1, "probability",
                   "probability that an adverse event leads to a malpractice claim",
                   "Localio et al., NEJM 1991 (Harvard Medical Practice Study): ~2% of negligent "
                   "injuries led to claims; assumption 3.7% over all adverse events, consistent "
                   "with 7.4% annual claim probability (Jena 2011)"));
  s.push_back(real("malpractice.paid_share", 0, 1, "fraction", "share of claims that are paid",
                   "MPL Association DSP 2016-2018: 5,305 of 18,724 closed claims paid (28%, T12)"));
  s.push_back(real("malpractice.mean_indemnity_usd", 0, big, "USD", "mean payment per paid claim",
                   "MPL Association DSP 2016-2018: $371,560 (T12)"));
  s.push_back(real("malpractice.indemnity_sigma", 0, 5, "log-scale sd",
                   "spread of indemnity (lognormal with the mean above)",
                   "Jena et al. 2011: mean $274,887 vs median $111,749 implies sigma ~1.34"));

  // --- safety multipliers ---------------------------------------------------
  s.push_back(real("safety.telehealth_exam_needed_multiplier", 0, 100, "ratio",
                   "adverse-event multiplier when an episode needing an examination is handled by "
                   "telemedicine",
                   assumed));
  s.push_back(real("safety.language_discordance_multiplier", 0, 100, "ratio",
                   "adverse-event multiplier when a patient with limited English proficiency is "
                   "seen by a clinician who does not speak their language",
                   "Divi et al., Int J Qual Health Care 2007: LEP patients more likely to suffer "
                   "adverse events with physical harm (49.1% vs 29.5%); assumption 1.5"));
  s.push_back(real("safety.cross_border_record_gap_multiplier", 0, 100, "ratio",
                   "adverse-event multiplier for encounters without the patient's home records "
                   "(clinician outside the patient's home state and no prior relationship)",
                   assumed));
  s.push_back(real("safety.controlled_without_in_person_multiplier", 0, 100, "ratio",
                   "adverse-event multiplier for controlled-substance prescribing by telemedicine "
                   "without a prior in-person relationship",
                   assumed));

  // --- controlled substances ------------------------------------------------
  s.push_back({"controlled_substances.in_person_rule", Kind::boolean, -inf, inf, 0, {}, true, "",
               "Ryan Haight Act: controlled-substance episodes need an in-person relationship "
               "before telemedicine prescribing",
               "21 U.S.C. 829(e); 90 FR 61301 (2025); V1"});

  // --- travel and cost ------------------------------------------------------
  s.push_back(real("travel.round_trip_km_urban", 0, 10000, "km",
                   "round-trip distance of an in-person visit for an urban patient",
                   "DEA 90 FR 6541 (2025) regulatory analysis: 19.8 miles round trip (T14); V1"));
  s.push_back(real("travel.rural_distance_multiplier", 0, 100, "ratio",
                   "multiplier on travel distance for rural patients", assumed));
  s.push_back(real("travel.cost_per_km_usd", 0, 1000, "USD/km",
                   "travel money cost per km",
                   "DEA 90 FR 6541: $13.27 for 19.8 miles (31.9 km) = $0.416/km (T14); V1"));
  s.push_back(real("travel.time_cost_per_visit_usd", 0, big, "USD",
                   "patient time cost of an urban in-person visit (travel and waiting)",
                   "DEA 90 FR 6541: $25.19 per visit (T14); V1"));
  s.push_back(real("travel.cross_border_distance_multiplier", 0, 100, "ratio",
                   "multiplier on travel distance when the in-person clinician is in a "
                   "neighbouring state",
                   assumed));

  // --- coverage (telemedicine coverage by payer) ----------------------------
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"}) {
    const std::string p = std::string("coverage.") + payer + ".";
    s.push_back(real(p + "telehealth_covered_urban", 0, 1, "probability",
                     std::string("probability that a telemedicine visit of an urban ") + payer +
                         " patient is paid by the payer",
                     std::string(payer) == std::string("medicare")
                         ? "pre-2020 Medicare: telehealth only for rural beneficiaries at "
                           "originating sites (42 CFR 410.78; MWE 2026 summary); V2"
                         : assumed));
    s.push_back(real(p + "telehealth_covered_rural", 0, 1, "probability",
                     std::string("probability that a telemedicine visit of a rural ") + payer +
                         " patient is paid by the payer",
                     std::string(payer) == std::string("medicare")
                         ? "pre-2020 Medicare: rural originating sites only (42 CFR 410.78); the "
                           "site-visit requirement is folded into this probability; V2"
                         : assumed));
    s.push_back(real(p + "telehealth_covered_away", 0, 1, "probability",
                     std::string("probability that a telemedicine visit the payer covers for a ") + payer +
                         " patient at home is paid also while the patient is away from home (another "
                         "state or abroad)",
                     std::string(payer) == std::string("medicare")
                         ? "pre-2020 Medicare: the beneficiary must be at an eligible originating site "
                           "(a clinic or hospital in a rural area, 42 CFR 410.78(b)(3)-(4)); a "
                           "traveller's telemedicine is not paid: 0"
                         : "assumption: plans pay wherever the member is: 1"));
    s.push_back(real(p + "cost_share", 0, 1, "fraction",
                     std::string("share of the visit price paid out of pocket by a ") + payer +
                         " patient",
                     std::string(payer) == std::string("uninsured")
                         ? "uninsured pay the full price"
                         : "Medicare Part B 20% coinsurance; others assumed"));
    s.push_back(real(p + "forgo_prob", 0, 1, "probability",
                     std::string("probability that a ") + payer +
                         " patient forgoes an episode at once because of cost",
                     "NHIS 2019: about 8% of adults did not get needed care due to cost, far more "
                     "among the uninsured; split by payer assumed"));
  }
  // --- regimes: each module declares its own keys (engine/regimes/<name>.cpp) -
  for (auto& spec : module_parameter_specs()) s.push_back(std::move(spec));

  // --- dated context ---------------------------------------------------------
  s.push_back(date("controlled_substances.flexibility_start_date",
                   "first day of the DEA telemedicine flexibilities (in-person rule lifted)"));
  s.push_back(date("controlled_substances.flexibility_end_date", "last day of the DEA flexibilities"));
  // Telemedicine take-up (engine/uptake.hpp): a dated, exogenous shift in who
  // offers and who uses telemedicine; its values in us_2020.toml, with sources.
  s.push_back(flag("uptake.enabled", "switch the telemedicine take-up on (clinicians adopt, patients avoid in-person care)",
                   "scenario-specific"));
  s.push_back(date("uptake.start_date", "first day of the take-up (clinicians start adopting)"));
  s.push_back(real("uptake.clinician_share", 0, 1, "fraction",
                   "share of US clinicians offering telemedicine once every adopter has adopted (at least "
                   "clinicians.telehealth_active_share)",
                   "AMA Physician Practice Benchmark Survey: 70.3% of physicians in practices using "
                   "videoconferencing for patient visits, September 2020 (14.3% in 2018; the definition of "
                   "clinicians.telehealth_active_share); V1"));
  s.push_back(real("uptake.adoption_days", 1, 3650, "days",
                   "mean delay from uptake.start_date to a clinician's adoption (exponential)",
                   "derived: 48% of physicians treating patients by telemedicine in mid-April 2020 (Merritt "
                   "Hawkins / Physicians Foundation survey, released 23 Apr 2020; non-probability sample; V2), "
                   "from 15.4% to 70.3%: 59% of adopters within about 31 days; vary 15-90 in sensitivity"));
  s.push_back(real("uptake.telehealth_capacity_share", 0, 1, "fraction",
                   "share of an adopter's slots in which it may give telemedicine (clinicians already offering it "
                   "keep their own share when larger; a new adopter keeps no slots from in-person patients)",
                   "assumption: 2020 practices turned whole schedules over to video and phone visits (in-person "
                   "visits fell 69% in April 2020 while total visits fell 60%, Phreesia); vary 0.2-1"));
  s.push_back(text("uptake.avoidance_file", {},
                   "CSV (date, in_person_avoidance, source): share of new episodes whose patient will not be seen "
                   "in person, linear between dates, 0 before the first, the last value after it",
                   "scenarios/data/README.md"));
  s.push_back(date("coverage_change.*.start_date", "day from which a coverage change applies"));
  for (const char* payer : {"medicare", "medicaid", "private", "uninsured"})
    for (const char* key :
         {"telehealth_covered_urban", "telehealth_covered_rural", "cost_share", "forgo_prob", "telehealth_covered_away"}) {
      ParamSpec spec = *std::find_if(s.begin(), s.end(), [&](const ParamSpec& p) {
        return p.pattern == std::string("coverage.") + payer + "." + key;
      });
      spec.pattern = std::string("coverage_change.*.") + payer + "." + key;
      spec.meaning = "new value of coverage." + std::string(payer) + "." + key + " from the change's start date";
      spec.source = "scenario-specific";
      s.push_back(optional(std::move(spec)));
    }

  return s;
}

bool matches(std::string_view pattern, std::string_view key) {
  // Segment-wise match; '*' matches exactly one non-empty segment.
  while (true) {
    const auto pd = pattern.find('.');
    const auto kd = key.find('.');
    const auto pseg = pattern.substr(0, pd);
    const auto kseg = key.substr(0, kd);
    if (pseg != "*" && pseg != kseg) return false;
    if (kseg.empty()) return false;
    if (pd == std::string_view::npos || kd == std::string_view::npos)
      return pd == std::string_view::npos && kd == std::string_view::npos;
    pattern.remove_prefix(pd + 1);
    key.remove_prefix(kd + 1);
  }
}

std::string fmt(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

const std::vector<ParamSpec>& parameter_specs() {
  // Built again when a module registers after start-up; earlier versions stay
  // alive (a deque never moves its elements), so a spec already handed out
  // stays valid.
  static std::mutex mutex;
  static std::deque<std::vector<ParamSpec>> versions;
  static std::uint64_t built_for = 0;
  const std::lock_guard lock(mutex);
  const std::uint64_t generation = module_registry_generation();
  if (versions.empty() || generation != built_for) {
    versions.push_back(build_specs());
    built_for = generation;
  }
  return versions.back();
}

const ParamSpec* find_spec(std::string_view key) {
  for (const auto& spec : parameter_specs())
    if (matches(spec.pattern, key)) return &spec;
  return nullptr;
}

std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t limit) {
  constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();
  const std::size_t over = limit == unbounded ? unbounded : limit + 1;
  // Edits never touch a common prefix or suffix.
  std::size_t p = 0;
  while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
  a.remove_prefix(p);
  b.remove_prefix(p);
  std::size_t q = 0;
  while (q < a.size() && q < b.size() && a[a.size() - 1 - q] == b[b.size() - 1 - q]) ++q;
  a.remove_suffix(q);
  b.remove_suffix(q);
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > limit) return over;  // at least that many insertions
  // Of a longer rest, its first and last edit_compare_chars / 2 characters are
  // compared (a word typed before or after junk is still found); each character
  // left out counts as one edit.
  std::size_t extra = 0;
  std::string a_window, b_window;
  const auto window = [&](std::string_view& s, std::string& kept) {
    if (s.size() <= edit_compare_chars) return;
    extra += s.size() - edit_compare_chars;
    kept.assign(s.substr(0, edit_compare_chars / 2));
    kept.append(s.substr(s.size() - edit_compare_chars / 2));
    s = kept;
  };
  window(a, a_window);
  window(b, b_window);
  if (extra > limit) return over;
  const std::size_t m = a.size(), n = b.size();
  if (m == 0) return n + extra <= limit ? n + extra : over;
  // Banded dynamic programme (Ukkonen): only cells within k of the diagonal can
  // lie on a path of cost <= k; stop as soon as a whole row exceeds k.
  const std::size_t k = std::min(limit - extra, m + n);
  const std::size_t inf = k + 1;
  std::vector<std::size_t> row(n + 1, inf), next(n + 1, inf);
  for (std::size_t j = 0; j <= std::min(n, k); ++j) row[j] = j;
  for (std::size_t i = 1; i <= m; ++i) {
    std::fill(next.begin(), next.end(), inf);
    const std::size_t lo = i > k ? i - k : 0;
    const std::size_t hi = std::min(n, i + k);
    std::size_t row_min = inf;
    if (lo == 0) row_min = next[0] = i;
    for (std::size_t j = std::max<std::size_t>(lo, 1); j <= hi; ++j) {
      const std::size_t cell =
          std::min({row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), inf});
      next[j] = cell;
      row_min = std::min(row_min, cell);
    }
    if (row_min > k) return over;
    std::swap(row, next);
  }
  return row[n] <= k ? row[n] + extra : over;
}

std::string nearest_of(std::string_view word, const std::vector<std::string>& candidates) {
  constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();
  std::string best;
  std::size_t best_distance = unbounded;
  for (const auto& c : candidates) {
    if (best_distance == 0) break;
    // Only a strictly closer candidate replaces the best: search below it.
    const auto d = edit_distance_at_most(c, word, best_distance == unbounded ? unbounded : best_distance - 1);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string nearest_key(std::string_view key) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& spec : parameter_specs()) {
    // Compare against the pattern with the key's own segment put in place of '*'.
    std::string candidate;
    std::string_view pattern = spec.pattern;
    std::string_view rest = key;
    while (!pattern.empty()) {
      const auto pd = pattern.find('.');
      const auto kd = rest.find('.');
      const auto pseg = pattern.substr(0, pd);
      const auto kseg = rest.substr(0, kd);
      if (!candidate.empty()) candidate += '.';
      candidate += (pseg == "*" && !kseg.empty()) ? std::string(kseg) : std::string(pseg);
      pattern = pd == std::string_view::npos ? std::string_view{} : pattern.substr(pd + 1);
      rest = kd == std::string_view::npos ? std::string_view{} : rest.substr(kd + 1);
    }
    if (best_distance == 0) break;
    const auto d = edit_distance_at_most(candidate, key,
                                         best_distance == std::numeric_limits<std::size_t>::max()
                                             ? best_distance
                                             : best_distance - 1);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::boolean: return "a boolean";
    case Kind::integer: return "an integer";
    case Kind::real: return "a number";
    case Kind::text: return "a string";
    case Kind::real_list: return "an array of numbers";
    case Kind::text_list: return "an array of strings";
  }
  return "a value";
}

std::string expected_text(const ParamSpec& spec) {
  if (spec.date)
    return "a date YYYY-MM-DD (" + std::to_string(min_date_year) + " to " + std::to_string(max_date_year) + ")" +
           (spec.date_optional ? " or \"\" (none)" : "");
  std::string text = kind_name(spec.kind);
  if (spec.kind == Kind::real_list && spec.list_size > 0)
    text = "an array of " + std::to_string(spec.list_size) + " numbers";
  const bool numeric =
      spec.kind == Kind::real || spec.kind == Kind::integer || spec.kind == Kind::real_list;
  if (numeric && (std::isfinite(spec.min) || std::isfinite(spec.max))) {
    text += spec.kind == Kind::real_list ? " each in [" : " in [";
    text += (std::isfinite(spec.min) ? fmt(spec.min) : "-inf") + ", " +
            (std::isfinite(spec.max) ? fmt(spec.max) : "inf") + "]";
  }
  if (!spec.choices.empty()) {
    text += " (one of";
    for (const auto& c : spec.choices) text += " '" + c + "'";
    text += ")";
  }
  return text;
}

std::optional<std::string> check_value(const ParamSpec& spec, Value& value) {
  const auto in_range = [&](double x) {
    return std::isfinite(x) && x >= spec.min && x <= spec.max;
  };
  const auto got = [&] { return "expected " + expected_text(spec) + ", got " + describe_for_message(value); };
  switch (spec.kind) {
    case Kind::boolean:
      if (!std::holds_alternative<bool>(value)) return got();
      return std::nullopt;
    case Kind::integer:
      if (!std::holds_alternative<std::int64_t>(value)) return got();
      if (!in_range(static_cast<double>(std::get<std::int64_t>(value)))) return got();
      return std::nullopt;
    case Kind::real:
      if (auto* i = std::get_if<std::int64_t>(&value)) {
        if (!in_range(static_cast<double>(*i))) return got();  // quoted as written: an integer
        value = static_cast<double>(*i);
      }
      if (!std::holds_alternative<double>(value) || !in_range(std::get<double>(value)))
        return got();
      return std::nullopt;
    case Kind::text: {
      const auto* s = std::get_if<std::string>(&value);
      if (!s) return got();
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end())
        return got();
      if (spec.date && !(spec.date_optional && s->empty()) && !parse_iso_date(*s)) return got();
      return std::nullopt;
    }
    case Kind::real_list: {
      const auto* v = std::get_if<std::vector<double>>(&value);
      if (!v || v->empty() || (spec.list_size && v->size() != spec.list_size)) return got();
      for (double x : *v)
        if (!in_range(x)) return got();
      return std::nullopt;
    }
    case Kind::text_list:
      if (!std::holds_alternative<std::vector<std::string>>(value)) return got();
      return std::nullopt;
  }
  return got();
}

std::string describe_for_message(const Value& value) {
  const auto real = [](double d) {
    std::string text = fmt(d);
    // As written: a whole number that came as a real keeps its ".0".
    if (std::isfinite(d) && text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
  };
  std::string text;
  std::size_t count = 0;
  if (const auto* s = std::get_if<std::string>(&value)) return "\"" + printable(*s) + "\"";
  if (const auto* d = std::get_if<double>(&value)) return real(*d);
  if (const auto* v = std::get_if<std::vector<double>>(&value)) {
    text = "[";
    for (std::size_t i = 0; i < v->size() && text.size() <= 120; ++i) text += (i ? ", " : "") + real((*v)[i]);
    text += "]";
    count = v->size();
  } else if (const auto* v = std::get_if<std::vector<std::string>>(&value)) {
    text = "[";
    for (std::size_t i = 0; i < v->size() && text.size() <= 120; ++i)
      text += (i ? ", \"" : "\"") + printable((*v)[i]) + "\"";
    text += "]";
    count = v->size();
  } else {
    return describe(value);
  }
  // Long values are cut: an error message stays readable.
  if (text.size() > 120) text = text.substr(0, 100) + "... (" + std::to_string(count) + " values)";
  return text;
}

std::string describe(const Value& value) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return fmt(d); }
    std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
    std::string operator()(const std::vector<double>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + fmt(v[i]);
      return out + "]";
    }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
      return out + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace licsim
