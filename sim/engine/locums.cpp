#include "engine/locums.hpp"

namespace licsim {

LocumLicensing::LocumLicensing(const ModelParams& params, const Places& places, const Workforce& w,
                               std::uint64_t seed, std::uint32_t replicate)
    : params_(params), seed_(seed), replicate_(replicate),
      destinations_(places, params.extra_license_neighbour_share) {
  for (ClinicianId c = 0; c < w.size(); ++c) {
    if (w.is_abroad(c)) continue;
    // Own stream: the clinician's other traits keep their draws.
    Stream rng(seed, replicate, Purpose::world_clinicians, 2, c);
    if (rng.bernoulli(params.locum_share)) locums_.push_back(c);
  }
}

void LocumLicensing::assign(int day, Workforce& w, Boards& boards, const RegimeSet& regimes) const {
  if (locums_.empty() || params_.locum_assignments_per_year <= 0) return;
  Stream rng(seed_, replicate_, Purpose::locum_assignment, static_cast<std::uint64_t>(day), 0);
  // An accelerated spin-up speeds assignments up with the rest of licensing.
  const auto assignments = rng.poisson(static_cast<double>(locums_.size()) * params_.locum_assignments_per_year *
                                       boards.speedup(day) / 365.0);
  for (std::uint64_t a = 0; a < assignments; ++a) {
    const ClinicianId c = locums_[rng.below(locums_.size())];
    const std::size_t j = destinations_.draw(rng, w.location[c]);
    const std::uint64_t bit = std::uint64_t{1} << j;
    // Weeks of in-person work there: worth far more than the license's renewal.
    if (w.active[c] & bit) w.license_use_of(c, j) = 255;
    // Already licensed there (or applying, or holding a national license): no application.
    if (((w.active[c] | w.pending[c]) & bit) || regimes.license_valid_everywhere(w, c) || !w.available(c, day)) continue;
    // A day sooner is a day of in-person work: what makes a faster pathway worth its fee.
    const auto& sp = params_.specialties[w.specialty[c]];
    const double daily_value = sp.capacity_per_clinician_day * sp.price_in_person_usd;
    if (const auto offer = regimes.best_offer(w, c, j, day, daily_value, OfferScope::in_person))
      boards.submit(c, j, day, *offer, w);
  }
}

}  // namespace licsim
