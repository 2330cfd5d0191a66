#pragma once
// Locum tenens: physicians who take temporary in-person assignments in other
// states and license there. This is the flow of new out-of-state licenses that
// does not come from telemedicine demand. Only the licensing is simulated: the
// assignments' own visits are not (the physician's capacity stays at home); an
// assignment where the physician holds a license counts as that license's use
// at its next renewal.
#include <cstdint>
#include <vector>

#include "engine/boards.hpp"
#include "engine/regimes/regime_set.hpp"
#include "engine/workforce.hpp"
#include "model/model_params.hpp"
#include "model/places.hpp"

namespace licsim {

class LocumLicensing {
 public:
  /// Draws which domestic physicians work as locums (`licensing.locum_share`).
  LocumLicensing(const ModelParams& params, const Places& places, const Workforce& w, std::uint64_t seed,
                 std::uint32_t replicate);

  /// Today's new assignments (`licensing.locum_assignments_per_year` per locum), each
  /// in a state drawn as extra licenses are (ExtraLicenseStates). Where the
  /// physician holds no license, they apply by the cheapest pathway that grants one.
  void assign(int day, Workforce& w, Boards& boards, const RegimeSet& regimes) const;

  const std::vector<ClinicianId>& locums() const { return locums_; }

 private:
  const ModelParams& params_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  std::vector<ClinicianId> locums_;
  ExtraLicenseStates destinations_;
};

}  // namespace licsim
