#pragma once
// Clinicians in structure-of-arrays form, their authorizations (64-bit masks
// over US jurisdictions) and the pools through which patients find them.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "model/model_params.hpp"
#include "model/places.hpp"
#include "model/types.hpp"

namespace licsim {

enum ClinicianFlag : std::uint8_t {
  flag_telehealth = 1,          ///< offers telemedicine
  flag_non_compliant = 2,       ///< will treat where not authorized
  flag_speaks_lep = 4,          ///< speaks the language of LEP patients
  flag_insured_abroad = 8,      ///< (clinicians abroad) insurance covers US patients
  // 16 and 32 are free: regimes keep their own per-clinician state (engine/regimes/).
  flag_recognition = 64,        ///< foreign-trained, takes part through international recognition
  flag_disciplined = 128,       ///< has been sanctioned by a board (a disciplinary record)
};

/// A list of clinicians scanned with a per-day cursor. Within a day capacity only
/// falls and authorizations do not change, so a clinician passed over stays
/// unusable and the scan never goes back: a day's scans cost O(pool size).
struct alignas(64) Pool {  // own cache line: pools of different specialties sit side by side
  std::vector<ClinicianId> members;
  std::uint32_t start = 0;
  std::uint32_t scanned = 0;
  int day = -1;
};

struct Workforce {
  // Per clinician (index = ClinicianId).
  std::vector<std::uint8_t> location;   ///< place index (foreign ones live abroad)
  std::vector<std::uint8_t> specialty;
  std::vector<std::uint8_t> platform;
  std::vector<std::uint8_t> flags;
  std::vector<float> risk;              ///< adverse-event risk multiplier (latent skill)
  std::vector<std::uint64_t> active;    ///< full licenses in force (traditional or compact)
  std::vector<std::uint64_t> compact;   ///< of those, issued through the compact
  std::vector<std::uint64_t> pending;   ///< applications under way
  std::vector<std::int32_t> suspended_until;
  std::vector<std::int32_t> capacity_day;  ///< day the two counters below refer to
  std::vector<std::uint16_t> capacity_left;
  std::vector<std::uint16_t> telehealth_left;
  std::vector<std::uint16_t> daily_capacity;   ///< encounters per day, whole (see capacity_credit)
  std::vector<std::uint16_t> daily_telehealth;
  std::vector<std::uint16_t> reserved_telehealth;  ///< of daily_telehealth, slots kept for telemedicine
  /// Telemedicine encounters given since the last licensing review (saturating):
  /// what tells a clinician whether more patients elsewhere would fit.
  std::vector<std::uint16_t> period_telehealth;
  /// Encounters given under each license since it was granted or last renewed
  /// (saturating), by [clinician * n_us + jurisdiction]: what a renewal weighs.
  std::vector<std::uint8_t> license_use;

  /// In-person pools by [place][specialty] (clinicians located there).
  std::vector<Pool> in_person;
  /// Telemedicine clinicians practising in a US jurisdiction, by [jurisdiction][specialty]
  /// (every platform: a health system's own network).
  std::vector<Pool> telehealth_local;
  /// Telemedicine pools by [platform][US jurisdiction][specialty]: clinicians authorized
  /// there who practise elsewhere (out-of-state licensees, clinicians abroad).
  std::vector<Pool> telehealth;
  /// Every telemedicine clinician by [platform][specialty] (for unverified routing).
  std::vector<std::vector<ClinicianId>> telehealth_any;
  /// Every telemedicine clinician by specialty (candidates for new licenses).
  std::vector<std::vector<ClinicianId>> telehealth_by_specialty;

  std::size_t n_places = 0, n_us = 0, n_specialties = 0;

  std::size_t size() const { return location.size(); }
  std::size_t in_person_index(std::size_t place, std::size_t spec) const {
    return place * n_specialties + spec;
  }
  std::size_t telehealth_index(std::size_t platform, std::size_t jurisdiction, std::size_t spec) const {
    return (platform * n_us + jurisdiction) * n_specialties + spec;
  }
  std::size_t telehealth_local_index(std::size_t jurisdiction, std::size_t spec) const {
    return jurisdiction * n_specialties + spec;
  }
  bool authorized(ClinicianId c, std::size_t place) const {
    return place < n_us && ((active[c] >> place) & 1u);
  }
  bool available(ClinicianId c, int day) const { return suspended_until[c] <= day; }
  bool is_abroad(ClinicianId c) const { return location[c] >= n_us; }
  bool has(ClinicianId c, ClinicianFlag f) const { return (flags[c] & f) != 0; }

  /// Refreshes a clinician's daily counters on first use in a day.
  void touch(ClinicianId c, int day) {
    if (capacity_day[c] != day) {
      capacity_day[c] = day;
      capacity_left[c] = daily_capacity[c];
      telehealth_left[c] = daily_telehealth[c];
    }
  }
  bool can_see_in_person(ClinicianId c, int day) {
    if (!available(c, day) || is_abroad(c)) return false;
    touch(c, day);
    // Telemedicine sessions are booked in blocks: the reserved slots not yet
    // used for telemedicine are not open to in-person visits.
    const int tele_used = daily_telehealth[c] - telehealth_left[c];
    return capacity_left[c] > std::max(0, reserved_telehealth[c] - tele_used);
  }
  bool can_see_telehealth(ClinicianId c, int day) {
    if (!available(c, day) || !has(c, flag_telehealth)) return false;
    touch(c, day);
    return capacity_left[c] > 0 && telehealth_left[c] > 0;
  }
  void use(ClinicianId c, Modality m) {
    --capacity_left[c];
    if (m == Modality::telehealth) {
      --telehealth_left[c];
      if (period_telehealth[c] < 65535) ++period_telehealth[c];
    }
  }
  /// An encounter given under the clinician's license in US jurisdiction j.
  void record_license_use(ClinicianId c, std::size_t j) {
    auto& u = license_use[c * n_us + j];
    if (u < 255) ++u;
  }
  std::uint8_t& license_use_of(ClinicianId c, std::size_t j) { return license_use[c * n_us + j]; }
  /// Telemedicine slots the clinician left unused over the last `days` days.
  double idle_telehealth(ClinicianId c, double days) const {
    return std::max(0.0, daily_telehealth[c] * days - period_telehealth[c]);
  }
  /// c may give telemedicine in `share` of its slots from today (or keeps its
  /// own larger share), joining the telemedicine pools of its authorizations if
  /// it did not offer telemedicine before (`also_held`: the jurisdictions of
  /// its regime authorizations, beyond its licenses); returns whether it joined.
  bool open_telehealth(ClinicianId c, double share, Stream& rng, std::uint64_t also_held = 0);
  /// Adds a new authorization to the telemedicine pools.
  void enter_telehealth_pools(ClinicianId c, std::size_t jurisdiction) {
    if (!has(c, flag_telehealth)) return;
    if (location[c] == jurisdiction)
      telehealth_local[telehealth_local_index(jurisdiction, specialty[c])].members.push_back(c);
    else
      telehealth[telehealth_index(platform[c], jurisdiction, specialty[c])].members.push_back(c);
  }
};

/// Clinicians a regime adds to the world (e.g. foreign-trained clinicians under
/// international recognition): they hold no US license.
struct ExtraClinicianGroup {
  std::uint8_t place;
  double count_full_scale;
  std::uint8_t flags;
  double lep_concordance_share;
  double insured_share;
};

/// An authorization that expires on a given day unless renewed.
struct Expiry {
  ClinicianId clinician;
  std::uint8_t jurisdiction;
  std::int32_t counted_from = 0;  ///< day its use count started (grant, last renewal, day 0)
};

/// Where additional licenses are: a neighbour of the principal state with
/// `clinicians.extra_license_neighbour_share`, otherwise a state drawn by population.
/// Shared by the initial licenses and the locums' new ones, so both follow one rule.
class ExtraLicenseStates {
 public:
  ExtraLicenseStates(const Places& places, double neighbour_share);
  std::size_t draw(Stream& rng, std::size_t principal) const;
  /// A US jurisdiction drawn by population.
  std::size_t by_population(Stream& rng) const { return rng.choose(population_cumulative_); }

 private:
  double neighbour_share_;
  std::vector<double> population_cumulative_;
  std::vector<std::vector<std::uint8_t>> neighbours_;  ///< by US jurisdiction
};

/// Builds the replicate's clinicians: counts from the jurisdiction data at
/// `scale` (at least one per US jurisdiction), specialties by largest remainder,
/// home and additional licenses, traits. Initial license expiries are spread over
/// each board's renewal cycle and returned by day in `expiries`.
Workforce build_workforce(const Places& places, const ModelParams& params, double scale,
                          std::uint64_t seed, std::uint32_t replicate, int days,
                          std::vector<std::vector<Expiry>>& expiries,
                          const std::vector<ExtraClinicianGroup>& extras = {});

/// `mean` rounded at random to a whole number of encounters (expected value `mean`).
std::uint16_t whole_capacity(Stream& rng, double mean);

/// Renewal cycle of a board in days.
int renewal_cycle_days(const RegulatorParams& regulator);

}  // namespace licsim
