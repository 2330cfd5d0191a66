#pragma once
// The regimes a scenario switches on, and the dated policy context (telemedicine
// coverage, controlled-substance rule). The care and licensing code talk to
// this class only.
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/costs.hpp"
#include "engine/regimes/regime.hpp"
#include "engine/uptake.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// Which authorizations a clinician seeks: any (telemedicine included), or only
/// those that allow in-person practice (licenses, a national license).
enum class OfferScope : std::uint8_t { any, in_person };

class RegimeSet {
 public:
  RegimeSet(const Scenario& scenario, const ModelParams& params, const Calendar& calendar, int days);
  /// Builds every regime module, switched on or not, and drops them: a module's
  /// dates, windows and data files are checked even while it is off (a file
  /// fixed only when the module is switched on would fail then, far from here).
  /// A module switched off whose data file is "" (not named) is not built.
  static void check_modules(const Scenario& scenario, const ModelParams& params, const Calendar& calendar,
                            int days);

  // --- world ---------------------------------------------------------------
  std::vector<ExtraClinicianGroup> extra_clinicians() const;
  /// Regime traits on the clinicians and the national telemedicine pools.
  void prepare(Workforce& w, std::uint64_t seed, std::uint32_t replicate);

  // --- care (parallel phase: read-only except per-clinician hooks) --------
  /// The authority under which c may give this encounter (full or compact
  /// license first, then the regimes in order), or Authority::none.
  Authority authority(const Workforce& w, ClinicianId c, const EncounterQuery& q) const;
  /// Whether the state's register (what a verifying platform sees) shows c as
  /// able to give telemedicine in `loc` today.
  bool on_state_register(const Workforce& w, ClinicianId c, std::size_t loc, int day) const;
  std::size_t size() const { return regimes_.size(); }
  const Regime& regime(std::size_t i) const { return *regimes_[i]; }
  /// National pool of regime i for (platform, specialty).
  Pool& national_pool(std::size_t i, std::size_t platform, std::size_t specialty) {
    return national_pools_[i][platform * n_specialties_ + specialty];
  }
  bool within_limits(const Workforce& w, ClinicianId c, Authority a, int day) const;
  /// Whether a regime gave c a license valid in every jurisdiction.
  bool license_valid_everywhere(const Workforce& w, ClinicianId c) const;
  /// Every authorization the regimes have granted and c still holds, as (jurisdiction, pathway).
  void count_authorizations(const Workforce& w, const Regime::AuthorizationCount& add) const;
  double harm_multiplier(const Workforce& w, ClinicianId c, Authority a) const;
  void on_encounter(Workforce& w, ClinicianId c, Authority a, bool harmed, int day);
  void on_paid_claim(Workforce& w, ClinicianId c, Authority a, std::size_t location, int day);

  // --- licensing (serial phase) --------------------------------------------
  /// The cheapest route for c to an authorization in j, counting `daily_value`
  /// for each day of waiting. The traditional full license is open to every
  /// US-trained clinician (one holding a US license); nullopt when no route is.
  /// OfferScope::in_person keeps only routes that allow in-person practice.
  std::optional<PathwayOffer> best_offer(const Workforce& w, ClinicianId c, std::size_t j, int day,
                                         double daily_value, OfferScope scope = OfferScope::any) const;
  /// Applies a granted application: full/compact licenses here, others by the
  /// regime that offered them.
  void grant(Workforce& w, ClinicianId c, std::size_t j, const PathwayOffer& offer, int day);
  /// What an offer costs the clinician: fee, paperwork hours at their value, and
  /// the mean review time at `daily_value` a day of waiting.
  double offer_cost(const PathwayOffer& o, double daily_value) const {
    return licensure_cost_usd(params_, o.fee_usd, o.paperwork_hours) + 0.5 * (o.days_low + o.days_high) * daily_value;
  }
  void start_day(int day, RegimeServices& services);

  // --- dated context ---------------------------------------------------------
  const std::array<PayerCoverage, payer_count>& coverage(int day) const;
  bool controlled_in_person_rule(int day) const;
  /// The telemedicine take-up (clinicians' adoption, patients' avoidance of in-person care).
  const TelehealthUptake& uptake() const { return uptake_; }
  double consultation_share() const { return consultation_share_; }
  double emergency_share(std::size_t specialty) const {
    return specialty == emergency_specialty_ ? emergency_share_ : 0.0;
  }

 private:
  const ModelParams& params_;
  std::vector<std::unique_ptr<Regime>> regimes_;
  std::vector<std::vector<Pool>> national_pools_;
  std::size_t n_specialties_ = 0;
  std::vector<std::pair<int, std::array<PayerCoverage, payer_count>>> coverage_schedule_;
  Window controlled_flexibility_{0, 0};
  double consultation_share_ = 0, emergency_share_ = 0;
  std::size_t emergency_specialty_ = 0;
  TelehealthUptake uptake_;
  std::uint64_t seed_ = 0;
  std::uint32_t replicate_ = 0;
};

}  // namespace licsim
