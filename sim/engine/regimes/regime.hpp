#pragma once
// A licensure regime's behaviour. The care and licensing code asks the
// regimes, never names them: a regime is a class deriving from Regime in its
// own file, with a RegimeModule (module.hpp: its keys, authorities, notes)
// and one line in registry.cpp.
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/workforce.hpp"
#include "model/authority.hpp"
#include "model/types.hpp"

namespace licsim {

/// The encounter whose lawfulness is asked about.
struct EncounterQuery {
  std::uint8_t location;  ///< place where the patient is
  std::uint8_t payer;
  Modality modality;
  int day;
  std::uint16_t episode_flags;  ///< EpisodeFlag bits (follow-up, consultation, emergency...)
  std::uint8_t specialty;
};

/// An application route a regime offers a clinician for one jurisdiction.
struct PathwayOffer {
  Pathway pathway;
  Authority grants;
  double fee_usd;
  double paperwork_hours;
  double days_low, days_high;  ///< review time, uniform
  double approval_prob;
  bool board_queue;  ///< reviewed in the board's (capacity-limited) queue
  int regime = -1;   ///< index of the offering regime in the RegimeSet; -1 for the base license
  /// The authorization allows in-person practice (a license, not a telemedicine
  /// registration or rule): what a locum seeks (OfferScope::in_person).
  bool allows_in_person = false;
};

/// What a regime may do at the start of a day (serial phase).
struct RegimeServices {
  Workforce& workforce;
  /// Files an application by `pathway` of clinician c to jurisdiction j.
  std::function<void(ClinicianId c, std::size_t j, const PathwayOffer& offer)> apply;
};

class Regime {
 public:
  virtual ~Regime() = default;
  virtual std::string_view name() const = 0;

  /// The authority this regime gives clinician c for the encounter, or none.
  /// Called in the parallel phase: must only read shared state.
  virtual Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const = 0;

  /// True when, for this encounter, every clinician passing national_grant() is
  /// lawful: the platform then searches the regime's national pool.
  virtual bool opens_national_pool(const EncounterQuery&) const { return false; }
  /// The clinician-only part of the grant (never depends on the encounter).
  virtual Authority national_grant(const Workforce&, ClinicianId, int /*day*/) const {
    return Authority::none;
  }

  /// What a platform's state register shows for clinician c in US jurisdiction
  /// `loc` on `day` (clinician-level facts only: the engine relies on it not
  /// depending on the patient). Used to search the state's telemedicine pool.
  virtual Authority state_pool_grant(const Workforce&, ClinicianId, std::size_t /*loc*/,
                                     int /*day*/) const {
    return Authority::none;
  }

  /// Sets regime-specific clinician traits once the workforce is built.
  virtual void prepare(Workforce&, std::uint64_t /*seed*/, std::uint32_t /*replicate*/) {}
  /// Clinicians the regime brings into the world; none by default.
  virtual std::vector<ExtraClinicianGroup> extra_clinicians() const { return {}; }

  /// A route to an authorization in jurisdiction j, if this regime offers one.
  virtual std::optional<PathwayOffer> offer(const Workforce&, ClinicianId, std::size_t /*j*/,
                                            int /*day*/) const {
    return std::nullopt;
  }
  /// An application by this regime's pathway was granted.
  virtual void on_granted(Workforce&, ClinicianId, std::size_t /*j*/, Pathway, int /*day*/) {}
  /// Serial hook at the start of each day.
  virtual void start_day(int /*day*/, RegimeServices&) {}
  /// Parallel hooks for the clinician's own partition (per-clinician state only).
  virtual void on_encounter(Workforce&, ClinicianId, Authority, bool /*harmed*/, int /*day*/) {}
  virtual void on_paid_claim(Workforce&, ClinicianId, Authority, std::size_t /*location*/,
                             int /*day*/) {}
  /// Whether c holds a license of this regime valid in every jurisdiction (a
  /// national license): no state license is needed, not even to work as a locum.
  virtual bool license_valid_everywhere(const Workforce&, ClinicianId) const { return false; }
  /// Jurisdictions where c holds an authorization of this regime that puts it
  /// in their telemedicine pools (a registration, a recognition tier).
  virtual std::uint64_t held_in(ClinicianId) const { return 0; }
  /// Reports each authorization by this regime held now, as (jurisdiction,
  /// pathway), for the monthly stock of authorizations (by_pathway: active).
  using AuthorizationCount = std::function<void(std::size_t jurisdiction, Pathway pathway)>;
  virtual void count_authorizations(const Workforce&, const AuthorizationCount&) const {}
  /// An adverse-event multiplier this regime adds (e.g. supervision), 1 if none.
  virtual double harm_multiplier(const Workforce&, ClinicianId, Authority) const { return 1.0; }
  /// Extra capacity limit for the clinician today under this authority (e.g. a
  /// supervised volume cap); true when the clinician may still see a patient.
  virtual bool within_limits(const Workforce&, ClinicianId, Authority, int /*day*/) const { return true; }
};

/// A scheduled window [start, end) in day indices; end < 0 means open-ended.
struct Window {
  int start = 0;
  int end = -1;
  bool contains(int day) const { return day >= start && (end < 0 || day < end); }
};

}  // namespace licsim
