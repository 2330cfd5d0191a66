#include "engine/workforce.hpp"

#include <algorithm>
#include <cmath>

namespace licsim {

namespace {

// Splits n into parts proportional to shares (largest remainder; sums to n).
std::vector<std::uint32_t> apportion(std::uint32_t n, const std::vector<double>& shares) {
  std::vector<std::uint32_t> parts(shares.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::uint32_t assigned = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const double exact = n * shares[i];
    parts[i] = static_cast<std::uint32_t>(std::floor(exact));
    assigned += parts[i];
    remainders.emplace_back(exact - parts[i], i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < n && k < remainders.size(); ++k, ++assigned)
    ++parts[remainders[k].second];
  return parts;
}

}  // namespace

std::uint16_t whole_capacity(Stream& rng, double mean) {
  const double whole = std::floor(mean);
  const double value = whole + (rng.bernoulli(mean - whole) ? 1.0 : 0.0);
  return static_cast<std::uint16_t>(std::min(value, 65535.0));
}

bool Workforce::open_telehealth(ClinicianId c, double share, Stream& rng, std::uint64_t also_held) {
  const std::uint16_t tele = std::max<std::uint16_t>(1, whole_capacity(rng, daily_capacity[c] * share));
  daily_telehealth[c] = std::min(daily_capacity[c], std::max(daily_telehealth[c], tele));
  if (has(c, flag_telehealth)) return false;
  // A new adopter offers telemedicine within its usual schedule: no slots are
  // kept from in-person patients (reserved_telehealth stays 0).
  flags[c] |= flag_telehealth;
  const std::uint64_t held = active[c] | also_held;
  for (std::size_t j = 0; j < n_us; ++j)
    if ((held >> j) & 1u) enter_telehealth_pools(c, j);
  telehealth_any[platform[c] * n_specialties + specialty[c]].push_back(c);
  telehealth_by_specialty[specialty[c]].push_back(c);
  return true;
}

ExtraLicenseStates::ExtraLicenseStates(const Places& places, double neighbour_share)
    : neighbour_share_(neighbour_share) {
  double sum = 0;
  for (const auto& j : places.us) {
    population_cumulative_.push_back(sum += j.population);
    auto& near = neighbours_.emplace_back();
    for (const auto& code : j.neighbours) near.push_back(static_cast<std::uint8_t>(*places.find(code)));
  }
}

std::size_t ExtraLicenseStates::draw(Stream& rng, std::size_t principal) const {
  const auto& near = neighbours_[principal];
  if (!near.empty() && rng.bernoulli(neighbour_share_)) return near[rng.below(near.size())];
  return by_population(rng);
}

int renewal_cycle_days(const RegulatorParams& regulator) {
  return std::max(1, static_cast<int>(std::lround(regulator.renewal_cycle_years * 365.0)));
}

namespace {

/// Clinicians of one place and specialty (and, for added clinicians, their group).
struct ClinicianGroup {
  std::uint8_t place, specialty;
  std::uint32_t count;
  const ExtraClinicianGroup* extra;  ///< null for US-licensed clinicians
};

/// Clinician counts per place and specialty: the US-licensed ones by specialty, so that
/// the clinicians of one specialty are contiguous and the partitions (one per specialty)
/// write to different cache lines, then the regimes' added clinicians.
std::vector<ClinicianGroup> clinician_groups(const Places& places, const ModelParams& params, double scale,
                                             const std::vector<ExtraClinicianGroup>& extras) {
  std::vector<double> specialty_shares;
  for (const auto& s : params.specialties) specialty_shares.push_back(s.physician_share);
  std::vector<ClinicianGroup> groups;
  for (std::size_t place = 0; place < places.size(); ++place) {
    const double physicians = places.is_us(place) ? places.us[place].active_physicians
                                                  : places.foreign[place - places.us.size()].us_licensed_physicians;
    auto n = static_cast<std::uint32_t>(std::llround(physicians * scale));
    if (places.is_us(place)) n = std::max<std::uint32_t>(n, 1);
    const auto parts = apportion(n, specialty_shares);
    for (std::size_t s = 0; s < parts.size(); ++s)
      if (parts[s] > 0)
        groups.push_back({static_cast<std::uint8_t>(place), static_cast<std::uint8_t>(s), parts[s], nullptr});
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const ClinicianGroup& a, const ClinicianGroup& b) { return a.specialty < b.specialty; });
  for (const auto& e : extras) {
    const auto parts = apportion(static_cast<std::uint32_t>(std::llround(e.count_full_scale * scale)), specialty_shares);
    for (std::size_t s = 0; s < parts.size(); ++s)
      if (parts[s] > 0) groups.push_back({e.place, static_cast<std::uint8_t>(s), parts[s], &e});
  }
  return groups;
}

/// Draws a US-licensed clinician's state licenses and the day each first expires.
class LicenseDrawer {
 public:
  LicenseDrawer(Workforce& w, const Places& places, const ModelParams& params, int days,
                std::vector<std::vector<Expiry>>& expiries)
      : w_(w), params_(params), days_(days), expiries_(expiries),
        extra_states_(places, params.extra_license_neighbour_share) {
    expiries_.assign(static_cast<std::size_t>(days) + 1, {});
  }

  /// Principal license where the clinician lives (abroad: a state drawn by
  /// population), plus the census shares of second and further licenses.
  void draw(ClinicianId c, bool abroad, std::size_t place, Stream& rng) {
    const std::size_t principal = abroad ? extra_states_.by_population(rng) : place;
    add(c, principal, rng);
    const int extra = extra_count(rng);
    for (int e = 0; e < extra; ++e) {
      for (int attempt = 0; attempt < 16; ++attempt) {
        const std::size_t j = extra_states_.draw(rng, principal);
        if (!((w_.active[c] >> j) & 1u)) {
          add(c, j, rng);
          break;
        }
      }
    }
  }

 private:
  void add(ClinicianId c, std::size_t j, Stream& rng) {
    w_.active[c] |= std::uint64_t{1} << j;
    const int cycle = renewal_cycle_days(params_.regulators[j]);
    const auto first_expiry = static_cast<int>(1 + rng.below(static_cast<std::uint64_t>(cycle)));
    if (first_expiry <= days_)
      expiries_[static_cast<std::size_t>(first_expiry)].push_back({c, static_cast<std::uint8_t>(j)});
  }

  /// Licenses beyond the principal one: none, one, or two and a geometric number more.
  int extra_count(Stream& rng) const {
    const double u = rng.uniform();
    if (u < params_.two_licenses_share) return 1;
    if (u >= params_.two_licenses_share + params_.three_plus_licenses_share) return 0;
    const double m = params_.extra_license_mean_beyond_two - 1.0;  // mean beyond three
    const double q = m / (1.0 + m);
    int extra = 2;
    while (extra < static_cast<int>(w_.n_us) - 1 && rng.bernoulli(q)) ++extra;
    return extra;
  }

  Workforce& w_;
  const ModelParams& params_;
  int days_;
  std::vector<std::vector<Expiry>>& expiries_;
  ExtraLicenseStates extra_states_;
};

/// Appends clinician c of group g with its drawn attributes and capacities; the draws
/// come from `rng` in a fixed order (the licenses, drawn after, continue it).
void add_clinician(Workforce& w, const ModelParams& params, const ClinicianGroup& g,
                   const std::vector<double>& platform_cumulative, std::uint64_t seed, std::uint32_t replicate,
                   ClinicianId c, Stream& rng) {
  const bool abroad = g.place >= w.n_us;
  const auto& sp = params.specialties[g.specialty];
  std::uint8_t flags = g.extra ? g.extra->flags : 0;
  // Clinicians abroad can practise US medicine only by telemedicine.
  if (abroad || rng.bernoulli(params.telehealth_active_share)) flags |= flag_telehealth;
  if (rng.bernoulli(params.non_compliant_share)) flags |= flag_non_compliant;
  if (rng.bernoulli(g.extra ? g.extra->lep_concordance_share : params.lep_concordance_share))
    flags |= flag_speaks_lep;
  if (abroad && rng.bernoulli(g.extra ? g.extra->insured_share : params.abroad_malpractice_covered_share))
    flags |= flag_insured_abroad;
  w.location.push_back(g.place);
  w.specialty.push_back(g.specialty);
  w.platform.push_back(static_cast<std::uint8_t>(rng.choose(platform_cumulative)));
  w.flags.push_back(flags);
  w.risk.push_back(static_cast<float>(rng.lognormal_with_mean(1.0, params.skill_sigma)));
  w.active.push_back(0);
  w.compact.push_back(0);
  w.pending.push_back(0);
  w.suspended_until.push_back(0);
  w.capacity_day.push_back(-1);
  w.capacity_left.push_back(0);
  w.telehealth_left.push_back(0);
  w.period_telehealth.push_back(0);
  const std::uint16_t capacity = whole_capacity(rng, sp.capacity_per_clinician_day);
  const double telehealth_share = abroad ? 1.0 : params.telehealth_capacity_share;
  std::uint16_t tele = 0;
  if (flags & flag_telehealth) tele = std::max<std::uint16_t>(1, whole_capacity(rng, capacity * telehealth_share));
  w.daily_capacity.push_back(capacity);
  w.daily_telehealth.push_back(std::min(tele, capacity));
  // Reserved slots: the reserved share of the clinician's expected telemedicine
  // capacity, rounded at random (own stream: the draws above stay as they were).
  Stream reserve_rng(seed, replicate, Purpose::world_clinicians, 1, c);
  const double reserved =
      (flags & flag_telehealth) ? capacity * telehealth_share * params.telehealth_reserved_share : 0.0;
  w.reserved_telehealth.push_back(std::min(w.daily_telehealth.back(), whole_capacity(reserve_rng, reserved)));
}

/// Puts clinician c into the pools the platforms search: in person where it lives,
/// and, if it practises by telemedicine, every state it is licensed in.
void enter_pools(Workforce& w, ClinicianId c, const ClinicianGroup& g) {
  if (g.place < w.n_us) w.in_person[w.in_person_index(g.place, g.specialty)].members.push_back(c);
  if (!(w.flags[c] & flag_telehealth)) return;
  for (std::size_t j = 0; j < w.n_us; ++j)
    if ((w.active[c] >> j) & 1u) w.enter_telehealth_pools(c, j);
  w.telehealth_any[w.platform[c] * w.n_specialties + g.specialty].push_back(c);
  w.telehealth_by_specialty[g.specialty].push_back(c);
}

}  // namespace

Workforce build_workforce(const Places& places, const ModelParams& params, double scale,
                          std::uint64_t seed, std::uint32_t replicate, int days,
                          std::vector<std::vector<Expiry>>& expiries,
                          const std::vector<ExtraClinicianGroup>& extras) {
  Workforce w;
  w.n_places = places.size();
  w.n_us = places.us.size();
  w.n_specialties = params.specialties.size();
  const std::size_t n_platforms = params.platforms.size();
  std::vector<double> platform_cumulative;
  double sum = 0;
  for (const auto& p : params.platforms) platform_cumulative.push_back(sum += p.clinician_share);

  w.in_person.resize(w.n_places * w.n_specialties);
  w.telehealth.resize(n_platforms * w.n_us * w.n_specialties);
  w.telehealth_local.resize(w.n_us * w.n_specialties);
  w.telehealth_any.resize(n_platforms * w.n_specialties);
  w.telehealth_by_specialty.resize(w.n_specialties);
  LicenseDrawer licenses(w, places, params, days, expiries);

  ClinicianId next = 0;
  for (const auto& g : clinician_groups(places, params, scale, extras)) {
    for (std::uint32_t k = 0; k < g.count; ++k, ++next) {
      const ClinicianId c = next;
      Stream rng(seed, replicate, Purpose::world_clinicians, 0, c);
      add_clinician(w, params, g, platform_cumulative, seed, replicate, c, rng);
      if (!g.extra) licenses.draw(c, g.place >= w.n_us, g.place, rng);
      enter_pools(w, c, g);
    }
  }
  w.license_use.assign(w.size() * w.n_us, 0);
  return w;
}

}  // namespace licsim
