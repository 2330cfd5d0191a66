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

Workforce build_workforce(const Places& places, const ModelParams& params, double scale,
                          std::uint64_t seed, std::uint32_t replicate, int days,
                          std::vector<std::vector<Expiry>>& expiries,
                          const std::vector<ExtraClinicianGroup>& extras) {
  Workforce w;
  w.n_places = places.size();
  w.n_us = places.us.size();
  w.n_specialties = params.specialties.size();
  const std::size_t n_platforms = params.platforms.size();

  std::vector<double> specialty_shares, platform_cumulative;
  const ExtraLicenseStates extra_states(places, params.extra_license_neighbour_share);
  for (const auto& s : params.specialties) specialty_shares.push_back(s.physician_share);
  double sum = 0;
  for (const auto& p : params.platforms) platform_cumulative.push_back(sum += p.clinician_share);

  // Clinician counts per place and specialty.
  struct Group {
    std::uint8_t place, specialty;
    std::uint32_t count;
    const ExtraClinicianGroup* extra;  ///< null for US-licensed clinicians
  };
  std::vector<Group> groups;
  for (std::size_t place = 0; place < places.size(); ++place) {
    const double physicians = places.is_us(place)
                                  ? places.us[place].active_physicians
                                  : places.foreign[place - w.n_us].us_licensed_physicians;
    auto n = static_cast<std::uint32_t>(std::llround(physicians * scale));
    if (places.is_us(place)) n = std::max<std::uint32_t>(n, 1);
    const auto parts = apportion(n, specialty_shares);
    for (std::size_t s = 0; s < parts.size(); ++s)
      if (parts[s] > 0)
        groups.push_back({static_cast<std::uint8_t>(place), static_cast<std::uint8_t>(s), parts[s], nullptr});
  }
  // Clinicians of one specialty are contiguous: partitions (one per specialty)
  // then write to different cache lines.
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Group& a, const Group& b) { return a.specialty < b.specialty; });
  for (const auto& e : extras) {
    const auto parts = apportion(static_cast<std::uint32_t>(std::llround(e.count_full_scale * scale)), specialty_shares);
    for (std::size_t s = 0; s < parts.size(); ++s)
      if (parts[s] > 0) groups.push_back({e.place, static_cast<std::uint8_t>(s), parts[s], &e});
  }

  w.in_person.resize(w.n_places * w.n_specialties);
  w.telehealth.resize(n_platforms * w.n_us * w.n_specialties);
  w.telehealth_local.resize(w.n_us * w.n_specialties);
  w.telehealth_any.resize(n_platforms * w.n_specialties);
  w.telehealth_by_specialty.resize(w.n_specialties);
  expiries.assign(static_cast<std::size_t>(days) + 1, {});

  const auto add_license = [&](ClinicianId c, std::size_t j, Stream& rng) {
    w.active[c] |= std::uint64_t{1} << j;
    const int cycle = renewal_cycle_days(params.regulators[j]);
    const auto first_expiry = static_cast<int>(1 + rng.below(static_cast<std::uint64_t>(cycle)));
    if (first_expiry <= days)
      expiries[static_cast<std::size_t>(first_expiry)].push_back({c, static_cast<std::uint8_t>(j)});
  };

  // Principal license where the clinician lives (abroad: a state drawn by
  // population), plus the census shares of second and further licenses.
  const auto add_licenses = [&](ClinicianId c, bool abroad, std::size_t place, Stream& rng) {
    const std::size_t principal = abroad ? extra_states.by_population(rng) : place;
    add_license(c, principal, rng);

    int extra = 0;
    const double u = rng.uniform();
    if (u < params.two_licenses_share) {
      extra = 1;
    } else if (u < params.two_licenses_share + params.three_plus_licenses_share) {
      const double m = params.extra_license_mean_beyond_two - 1.0;  // mean beyond three
      const double q = m / (1.0 + m);
      extra = 2;
      while (extra < static_cast<int>(w.n_us) - 1 && rng.bernoulli(q)) ++extra;
    }
    for (int e = 0; e < extra; ++e) {
      for (int attempt = 0; attempt < 16; ++attempt) {
        const std::size_t j = extra_states.draw(rng, principal);
        if (!((w.active[c] >> j) & 1u)) {
          add_license(c, j, rng);
          break;
        }
      }
    }
  };

  ClinicianId next = 0;
  for (const auto& g : groups) {
    for (std::uint32_t k = 0; k < g.count; ++k, ++next) {
      const ClinicianId c = next;
      Stream rng(seed, replicate, Purpose::world_clinicians, 0, c);
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
      std::uint16_t tele = 0;
      if (flags & flag_telehealth) {
        const double share = abroad ? 1.0 : params.telehealth_capacity_share;
        tele = std::max<std::uint16_t>(1, whole_capacity(rng, capacity * share));
      }
      w.daily_capacity.push_back(capacity);
      w.daily_telehealth.push_back(std::min(tele, capacity));
      // Reserved slots: the reserved share of the clinician's expected telemedicine
      // capacity, rounded at random (own stream: the draws above stay as they were).
      Stream reserve_rng(seed, replicate, Purpose::world_clinicians, 1, c);
      const double reserved = (flags & flag_telehealth) ? capacity * (abroad ? 1.0 : params.telehealth_capacity_share) *
                                                              params.telehealth_reserved_share
                                                        : 0.0;
      w.reserved_telehealth.push_back(std::min(w.daily_telehealth.back(), whole_capacity(reserve_rng, reserved)));

      if (!g.extra) add_licenses(c, abroad, g.place, rng);
      if (!abroad) w.in_person[w.in_person_index(g.place, g.specialty)].members.push_back(c);
      if (flags & flag_telehealth) {
        for (std::size_t j = 0; j < w.n_us; ++j)
          if ((w.active[c] >> j) & 1u) w.enter_telehealth_pools(c, j);
        w.telehealth_any[w.platform[c] * w.n_specialties + g.specialty].push_back(c);
        w.telehealth_by_specialty[g.specialty].push_back(c);
      }
    }
  }
  w.license_use.assign(w.size() * w.n_us, 0);
  return w;
}

}  // namespace licsim
