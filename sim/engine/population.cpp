#include "engine/population.hpp"

#include <cmath>
#include <limits>

#include "core/errors.hpp"

namespace licsim {

namespace {
std::vector<double> cumulative(const std::vector<double>& weights) {
  std::vector<double> out;
  double sum = 0;
  for (double w : weights) out.push_back(sum += w);
  return out;
}
}  // namespace

namespace {
/// Calls f(jurisdiction, band, payer, rural, lep, people at full scale) for every stratum.
template <class F>
void for_each_stratum(const Places& places, const ModelParams& params, F&& f) {
  for (std::size_t j = 0; j < places.us.size(); ++j) {
    const auto& data = places.us[j];
    // The 65+ share follows the state's Medicare share; younger bands keep
    // their national proportions.
    std::array<double, age_band_count> age = params.age_band_share;
    const double aged = std::min(0.95, data.medicare_share * params.medicare_aged_fraction);
    const double young_total = 1.0 - params.age_band_share[age_65_plus];
    for (int b = 0; b < age_band_count; ++b)
      age[b] = b == age_65_plus ? aged : params.age_band_share[b] / young_total * (1.0 - aged);
    for (int b = 0; b < age_band_count; ++b)
      for (int payer = 0; payer < payer_count; ++payer)
        for (int rural = 0; rural < area_count; ++rural)
          for (int lep = 0; lep < 2; ++lep) {
            const double share = age[b] * params.payer_share[b][payer] *
                                 (rural ? data.rural_share : 1.0 - data.rural_share) *
                                 (lep ? params.lep_share : 1.0 - params.lep_share);
            f(j, b, payer, rural, lep, share);
          }
  }
}
}  // namespace

double Population::largest_stratum(const Places& places, const ModelParams& params) {
  double largest = 0;
  for_each_stratum(places, params, [&](std::size_t j, int, int, int, int, double share) {
    largest = std::max(largest, places.us[j].population * share);
  });
  return largest;
}

Population::Population(const Places& places, const ModelParams& params, double scale)
    : places_(places), params_(params) {
  std::vector<double> pop;
  for (const auto& data : places.us) pop.push_back(data.population);
  for_each_stratum(places, params, [&](std::size_t j, int b, int payer, int rural, int lep, double share) {
    const auto& data = places.us[j];
    const double expected = data.population * scale * share;
    const auto count = static_cast<std::uint64_t>(std::llround(expected));
    if (count == 0) return;
    if (size_ + count > std::numeric_limits<PatientId>::max() - 1)
      throw UsageError("population too large for 32-bit patient ids at this scale");
    strata_.push_back({static_cast<std::uint8_t>(j), static_cast<std::uint8_t>(b),
                       static_cast<std::uint8_t>(payer), static_cast<std::uint8_t>(rural),
                       static_cast<std::uint8_t>(lep), static_cast<PatientId>(size_),
                       static_cast<std::uint32_t>(count)});
    size_ += count;
  });
  us_population_cumulative_ = cumulative(pop);
  std::vector<double> foreign;
  for (const auto& f : places.foreign) foreign.push_back(f.travel_destination_weight);
  foreign_cumulative_ = cumulative(foreign);
  std::vector<double> snow;
  for (const auto& [code, weight] : params.snowbird_destinations) {
    snowbird_places_.push_back(static_cast<std::uint8_t>(*places.find(code)));
    snow.push_back(weight);
  }
  snowbird_cumulative_ = cumulative(snow);
  for (const auto& data : places.us) {
    auto& sums = border_cumulative_.emplace_back();
    auto& where = border_places_.emplace_back();
    double sum = 0;
    for (const auto& [code, share] : data.border_shares) {
      sums.push_back(sum += share);
      where.push_back(static_cast<std::uint8_t>(*places.find(code)));
    }
  }
}

std::uint8_t Population::border_state(std::uint64_t seed, std::uint32_t replicate, const Stratum& stratum,
                                      PatientId patient) const {
  const auto& sums = border_cumulative_[stratum.home];
  if (sums.empty()) return interior;
  Stream trait(seed, replicate, Purpose::patient_trait, 0, patient, 2);
  const double u = trait.uniform();
  for (std::size_t k = 0; k < sums.size(); ++k)
    if (u < sums[k]) return border_places_[stratum.home][k];
  return interior;
}

std::uint8_t Population::travel_destination(Stream& rng, std::uint8_t home) const {
  const double u = rng.uniform();
  if (u < params_.away_abroad_share && !foreign_cumulative_.empty() &&
      foreign_cumulative_.back() > 0)
    return static_cast<std::uint8_t>(places_.us.size() + rng.choose(foreign_cumulative_));
  const auto& neighbours = places_.us[home].neighbours;
  if (u < params_.away_abroad_share + params_.away_neighbour_share && !neighbours.empty())
    return static_cast<std::uint8_t>(*places_.find(neighbours[rng.below(neighbours.size())]));
  return static_cast<std::uint8_t>(rng.choose(us_population_cumulative_));
}

std::uint8_t Population::location(std::uint64_t seed, std::uint32_t replicate,
                                  const Stratum& stratum, PatientId patient, int day,
                                  unsigned calendar_month) const {
  // Part-year residents (65+) spend December to March at a fixed destination.
  if (stratum.age_band == age_65_plus && params_.snowbird_share_65_plus > 0 &&
      !snowbird_cumulative_.empty() && (calendar_month == 12 || calendar_month <= 3)) {
    Stream trait(seed, replicate, Purpose::patient_trait, 0, patient, 1);
    if (trait.bernoulli(params_.snowbird_share_65_plus))
      return snowbird_places_[trait.choose(snowbird_cumulative_)];
  }
  Stream rng(seed, replicate, Purpose::patient_trait, static_cast<std::uint64_t>(day) + 1, patient);
  if (!rng.bernoulli(params_.away_share_of_days)) return stratum.home;
  return travel_destination(rng, stratum.home);
}

}  // namespace licsim
