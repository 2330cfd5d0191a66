#pragma once
// Care-seeking and matching for one specialty on one day: episodes arise,
// patients choose in person or telemedicine (or forgo), platforms route
// requests, clinicians' capacity is used in a fixed order, and each encounter's
// safety, malpractice and enforcement consequences are drawn.
//
// Specialties are independent partitions: a clinician belongs to one
// specialty, so partitions run in parallel and still give the same result for
// any thread count.
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/huge_pages.hpp"
#include "engine/calendar.hpp"
#include "engine/population.hpp"
#include "engine/regimes/regime_set.hpp"
#include "engine/result.hpp"
#include "engine/workforce.hpp"
#include "model/model_params.hpp"

namespace licsim {

/// Per-patient arrays: large at full scale and read at random, so on huge pages.
template <class T>
using PatientArray = std::vector<T, HugePageAllocator<T>>;

struct Episode {
  std::uint64_t uid;  ///< keys the episode's random streams
  PatientId patient;
  ClinicianId known;  ///< clinician of a follow-up, or no_clinician
  std::int32_t arrival;
  std::uint16_t stratum;
  std::uint16_t flags;           ///< EpisodeFlag bits
  Authority last_authority = Authority::none;  ///< under which the known clinician last acted
  std::uint8_t last_location = 0;              ///< where the patient was at that encounter
  std::uint16_t lead = 0;  ///< days from arrival to a booked new-patient appointment (0: none)
  /// The patient's usual clinician as of today, read when the episode joins
  /// the day (see CarePartition::run_day); with `lead` it fills the padding.
  ClinicianId usual = no_clinician;
};
static_assert(sizeof(Episode) == 32);

/// Sets each episode's `usual` from the per-patient array. These are random
/// reads into an array of one entry per patient (1.3 GB at full scale): they
/// are issued in a tight loop with prefetches well ahead so that many misses
/// are in flight at once, and the caller passes episodes in stratum order
/// (patients close together) so that the page walks hit the cache.
inline void read_usual_clinicians(Episode* first, Episode* last, const PatientArray<ClinicianId>& usual) {
  constexpr std::ptrdiff_t ahead = 32;
  const ClinicianId* u = usual.data();
  for (Episode* ep = first; ep < last; ++ep) {
    if (last - ep > ahead) __builtin_prefetch(u + ep[ahead].patient);
    ep->usual = u[ep->patient];
  }
}

/// Everything a partition reads but does not own.
struct CareContext {
  const ModelParams& params;
  const Places& places;
  const Population& population;
  const Calendar& calendar;
  std::uint64_t seed;
  std::uint32_t replicate;
  int days;
  const PatientArray<ClinicianId>& usual_clinician;  ///< read-only during the parallel phase
  Workforce& workforce;                             ///< each partition touches its own clinicians
  Result& results;                                 ///< not written in the parallel phase
  RegimeSet& regimes;                               ///< rules; per-clinician hooks only in parallel
};

/// State owned by one specialty for a replicate.
class alignas(64) CarePartition {  // no cache line shared with another partition
 public:
  CarePartition(std::size_t specialty, const CareContext& ctx);

  /// Runs the day for this specialty. Amounts go to the partition's ledgers,
  /// which the engine merges in a fixed order.
  void run_day(const CareContext& ctx, int day);

  std::vector<double>& ledger() { return ledger_; }  ///< [US jurisdiction][DailyMetric]
  std::size_t specialty() const { return specialty_; }
  std::vector<double>& flows() { return flows_; }    ///< [place][place][modality]
  /// [patient's home jurisdiction][payer][clinician place][modality]
  std::vector<double>& home_flows() { return home_flows_; }
  /// The day's telemedicine encounters, for the count of users (engine: in partition order).
  struct TelehealthUse {
    PatientId patient;
    std::uint16_t stratum;
    bool out_of_home_state;
  };
  std::vector<TelehealthUse>& telehealth_uses() { return telehealth_uses_; }
  /// Unmet telemedicine requests by US jurisdiction since the last licensing review.
  std::vector<double>& unmet_telehealth() { return unmet_telehealth_; }
  std::vector<std::pair<PatientId, ClinicianId>>& relationship_updates() { return relationships_; }
  /// Encounters and adverse events by [US jurisdiction][Authority][2].
  std::vector<double>& authority_ledger() { return authority_ledger_; }
  /// Rule-change disruptions by [US jurisdiction][DisruptionOutcome].
  std::vector<double>& disruption_ledger() { return disruption_ledger_; }
  /// Adverse events by [US jurisdiction][HarmCause].
  std::vector<double>& cause_ledger() { return cause_ledger_; }
  /// The day's breakdown by [US jurisdiction][payer][area][BreakdownMetric].
  std::vector<double>& breakdown_ledger() { return breakdown_; }
  /// Served episodes by [US jurisdiction][days waited] since the engine last cleared it.
  std::vector<double>& wait_histogram() { return wait_histogram_; }

 private:
  struct Match {
    ClinicianId clinician = no_clinician;
    Modality modality = Modality::in_person;
    Authority authority = Authority::none;
    bool known = false;
  };
  void add_arrivals(const CareContext& ctx, int day);
  void handle(const CareContext& ctx, Episode& ep, int day);
  Match try_known(const CareContext& ctx, Episode& ep, ClinicianId c, std::uint8_t loc, int day,
                  bool& disrupted);
  Match try_platform(const CareContext& ctx, Episode& ep, std::uint8_t loc, int day, Stream& rng);
  Match try_in_person(const CareContext& ctx, const Episode& ep, std::uint8_t loc, int day, Stream& rng);
  /// The neighbouring state whose line the episode's patient lives on (Population::interior: none).
  std::uint8_t border_state(const CareContext& ctx, const Episode& ep) const;
  /// Books a new patient's in-person appointment `lead` days ahead; false when
  /// the specialty books no lead time or the draw is today.
  bool book(const CareContext& ctx, Episode& ep, int day, Stream& rng);
  /// Whether the payer pays for telemedicine where the patient is today.
  bool covered_at(const CareContext& ctx, const Episode& ep, std::uint8_t loc) const;
  bool telehealth_permitted(const CareContext& ctx, const Episode& ep, bool with_known, int day) const;
  /// The authority for the encounter, none when a tier's limit is reached.
  Authority lawful_authority(const CareContext& ctx, ClinicianId c, const EncounterQuery& q) const;
  EncounterQuery query(const CareContext& ctx, const Episode& ep, std::uint8_t loc, Modality m, int day) const;
  void end_disruption(Episode& ep, std::size_t home, DisruptionOutcome outcome);
  /// Keeps the episode waiting, or counts it unmet after the longest wait.
  void wait_or_lose(const CareContext& ctx, Episode& ep, const Stratum& st, int day);
  /// Whether the patient will not be seen in person today (telemedicine take-up).
  bool avoids_in_person(const CareContext& ctx, const Episode& ep, int day) const;
  /// One encounter, by job: access and cost, harm, expected and drawn
  /// outcomes (claims), enforcement, then the follow-up it leads to.
  void serve(const CareContext& ctx, Episode& ep, const Match& m, std::uint8_t loc, int day,
             Stream& rng);
  /// What every part of serve() reads about the encounter.
  struct Encounter {
    const Stratum& st;
    ClinicianId c;
    std::uint8_t loc;           ///< where the patient is
    std::size_t clinician_place;
    bool tele;
    bool lawful;
    bool cross_border;          ///< the clinician abroad or in another jurisdiction
    bool insured;               ///< a policy covers this practice
    std::size_t forum;          ///< where a claim is adjudicated
  };
  /// Risk factors (by HarmCause) and the probability of an adverse event.
  struct HarmRisk {
    std::array<double, harm_cause_count> factor;
    double p;
  };
  void record_access(const CareContext& ctx, const Episode& ep, const Match& m, const Encounter& e, int day);
  HarmRisk harm_risk(const CareContext& ctx, const Episode& ep, const Match& m, const Encounter& e) const;
  void record_expected_outcomes(const CareContext& ctx, const Encounter& e, const HarmRisk& risk);
  void record_harm(const CareContext& ctx, const Match& m, const Encounter& e, int day, const HarmRisk& risk,
                   Stream& rng);
  void enforce(const CareContext& ctx, const Encounter& e, int day, bool harmed, Stream& rng);
  void continue_care(const CareContext& ctx, const Episode& ep, const Match& m, const Encounter& e, int day,
                     Stream& rng);
  /// First usable clinician of a pool from today's cursor; `usable` must not
  /// depend on the episode (see Pool).
  template <class Usable>
  ClinicianId scan(Pool& pool, std::uint64_t pool_key, int day, const CareContext& ctx, Usable usable);
  double& metric(std::size_t home, DailyMetric m) { return ledger_[home * daily_metric_count + m]; }
  double& breakdown(const CareContext& ctx, int day, const Stratum& st, BreakdownMetric m);

  std::size_t specialty_;
  const SpecialtyParams& sp_;
  std::vector<Episode> waiting_, next_waiting_, today_;
  std::vector<std::vector<Episode>> follow_ups_by_day_;
  std::vector<double> ledger_, flows_, home_flows_, unmet_telehealth_;
  std::vector<TelehealthUse> telehealth_uses_;
  std::size_t n_authorities_ = 0;
  std::vector<double> authority_ledger_, disruption_ledger_, cause_ledger_, breakdown_, wait_histogram_;
  std::vector<std::pair<PatientId, ClinicianId>> relationships_;
  std::vector<double> platform_cumulative_;
  std::vector<double> booked_;  ///< by US jurisdiction: booked appointments not yet due
};

}  // namespace licsim
