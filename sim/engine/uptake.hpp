#pragma once
// Telemedicine take-up: a dated shift in who offers and who uses telemedicine
// (the 2020 pandemic). Two exogenous inputs drive it, each from published data:
//
// - clinicians: the share offering telemedicine rises from its baseline
//   (clinicians.telehealth_active_share) to uptake.clinician_share, each
//   clinician adopting after an exponential delay of mean uptake.adoption_days
//   from uptake.start_date; from its adoption day each adopter (and each clinician
//   already offering it) may give telemedicine in uptake.telehealth_capacity_share
//   of its slots, as practices turned their schedules over to video and phone;
// - patients: on each day a share of new episodes (uptake.avoidance_file,
//   interpolated between its dates) will not be seen in person: they take
//   telemedicine where it is covered and possible, and otherwise defer.
//
// Where the telemedicine comes from (in state or across a state line) is not an
// input: it follows from who has adopted, who holds which license, and the rules.
#include <cstdint>
#include <vector>

#include "engine/regimes/build_context.hpp"
#include "engine/workforce.hpp"

namespace licsim {

class TelehealthUptake {
 public:
  /// Reads the uptake keys; inactive (no effect, no random draws) unless
  /// uptake.enabled.
  TelehealthUptake(const RegimeBuildContext& ctx, int days);

  bool enabled() const { return enabled_; }
  /// Draws each clinician's adoption day (own streams: nothing else changes).
  void prepare(const Workforce& w, std::uint64_t seed, std::uint32_t replicate);
  /// Share of an adopter's slots open to telemedicine.
  double capacity_share() const { return capacity_share_; }
  /// Clinicians who adopt (or widen their telemedicine) on `day`, in clinician order.
  const std::vector<ClinicianId>& adopting(int day) const;
  /// Share of new episodes on `day` whose patient will not be seen in person.
  double avoidance(int day) const {
    return avoidance_.empty() || day < 0 ? 0.0 : avoidance_[static_cast<std::size_t>(day)];
  }
  /// Share of clinicians offering telemedicine `days_since_start` into the shift
  /// (the expected value of the adoption draws, for tests and documentation).
  double expected_clinician_share(double days_since_start) const;

 private:
  bool enabled_ = false;
  int start_ = 0;
  double clinician_share_ = 0, adoption_days_ = 1, baseline_share_ = 0, capacity_share_ = 0;
  std::vector<double> avoidance_;                       ///< by day (empty when disabled)
  std::vector<std::vector<ClinicianId>> adopting_;      ///< by day
  std::vector<ClinicianId> none_;
};

}  // namespace licsim
