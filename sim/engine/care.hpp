#pragma once
// Care-seeking and matching for one specialty on one day: episodes arise,
// patients choose in person or telemedicine (or forgo), platforms route
// requests, clinicians' capacity is used in a fixed order, and each encounter's
// safety, malpractice and enforcement consequences are drawn.
//
// Specialties are independent partitions: a clinician belongs to one
// specialty, so partitions run in parallel and still give the same result for
// any thread count.
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/population.hpp"
#include "engine/results.hpp"
#include "engine/workforce.hpp"
#include "model/model_params.hpp"

namespace licsim {

enum EpisodeFlag : std::uint8_t {
  ep_needs_exam = 1,
  ep_controlled = 2,
  ep_follow_up = 4,
  ep_prefers_telehealth = 8,
  ep_telehealth_covered = 16,
  ep_in_person_history = 32,  ///< the known clinician has seen the patient in person
  ep_signalled = 64,          ///< already reported as unmet telemedicine demand
};

struct Episode {
  std::uint64_t uid;  ///< keys the episode's random streams
  PatientId patient;
  ClinicianId known;  ///< clinician of a follow-up, or no_clinician
  std::int32_t arrival;
  std::uint16_t stratum;
  std::uint8_t flags;
};

/// Everything a partition reads but does not own.
struct CareContext {
  const ModelParams& params;
  const Places& places;
  const Population& population;
  const Calendar& calendar;
  std::uint64_t seed;
  std::uint32_t replicate;
  int days;
  const std::vector<ClinicianId>& usual_clinician;  ///< read-only during the parallel phase
  Workforce& workforce;                             ///< each partition touches its own clinicians
  Results& results;                                 ///< breakdown slice of the partition's specialty
};

/// State owned by one specialty for a replicate.
class CarePartition {
 public:
  CarePartition(std::size_t specialty, const CareContext& ctx);

  /// Runs the day for this specialty. Amounts go to ledger() and flows(); the
  /// breakdown is written straight into ctx.results (this specialty's slice).
  void run_day(const CareContext& ctx, int day);

  std::vector<double>& ledger() { return ledger_; }  ///< [US jurisdiction][DailyMetric]
  std::vector<double>& flows() { return flows_; }    ///< [place][place][modality]
  /// Unmet telemedicine requests by US jurisdiction since the last licensing review.
  std::vector<double>& unmet_telehealth() { return unmet_telehealth_; }
  std::vector<std::pair<PatientId, ClinicianId>>& relationship_updates() { return relationships_; }

 private:
  struct Match {
    ClinicianId clinician = no_clinician;
    Modality modality = Modality::in_person;
    bool lawful = true;
    bool known = false;
  };
  void add_arrivals(const CareContext& ctx, int day);
  void handle(const CareContext& ctx, Episode& ep, int day);
  Match try_known(const CareContext& ctx, Episode& ep, ClinicianId c, std::uint8_t loc, int day,
                  bool& disrupted);
  Match try_platform(const CareContext& ctx, Episode& ep, std::uint8_t loc, int day, Stream& rng);
  Match try_in_person(const CareContext& ctx, std::uint8_t loc, int day, Stream& rng);
  bool telehealth_permitted(const CareContext& ctx, const Episode& ep, bool with_known) const;
  void serve(const CareContext& ctx, Episode& ep, const Match& m, std::uint8_t loc, int day,
             Stream& rng);
  ClinicianId scan(Pool& pool, std::size_t pool_key, int day, const CareContext& ctx,
                   bool telehealth, std::uint8_t loc);
  double& metric(std::size_t home, DailyMetric m) { return ledger_[home * daily_metric_count + m]; }
  double& breakdown(const CareContext& ctx, int day, const Stratum& st, BreakdownMetric m);

  std::size_t specialty_;
  const SpecialtyParams& sp_;
  std::vector<Episode> waiting_, next_waiting_, today_;
  std::vector<std::vector<Episode>> follow_ups_by_day_;
  std::vector<double> ledger_, flows_, unmet_telehealth_;
  std::vector<std::pair<PatientId, ClinicianId>> relationships_;
  std::vector<double> platform_cumulative_;
};

}  // namespace licsim
