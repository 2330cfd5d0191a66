#include "engine/care.hpp"

#include <algorithm>
#include <cmath>

namespace licsim {

namespace {

std::uint64_t follow_up_uid(std::uint64_t parent) {
  // SplitMix64 finaliser; the top bit marks follow-ups so they never collide
  // with arrival uids (whose top bits hold the day).
  std::uint64_t z = parent + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) | (std::uint64_t{1} << 63);
}

std::uint64_t arrival_uid(int day, std::size_t stratum_specialty, std::uint64_t k) {
  return (static_cast<std::uint64_t>(day) << 44) | (static_cast<std::uint64_t>(stratum_specialty) << 24) |
         (k & 0xFFFFFF);
}

}  // namespace

CarePartition::CarePartition(std::size_t specialty, const CareContext& ctx)
    : specialty_(specialty), sp_(ctx.params.specialties[specialty]) {
  follow_ups_by_day_.resize(static_cast<std::size_t>(ctx.days) + 1);
  ledger_.assign(ctx.places.us.size() * daily_metric_count, 0.0);
  flows_.assign(ctx.places.size() * ctx.places.size() * modality_count, 0.0);
  unmet_telehealth_.assign(ctx.places.us.size(), 0.0);
  double sum = 0;
  for (const auto& p : ctx.params.platforms) platform_cumulative_.push_back(sum += p.patient_share);
}

void CarePartition::add_arrivals(const CareContext& ctx, int day) {
  const std::size_t first_new = today_.size();
  const auto& strata = ctx.population.strata();
  const std::size_t n_spec = ctx.params.specialties.size();
  // Scheduled follow-ups make up the rest of the visits, so new episodes arrive at
  // visits x (1 - follow-up probability).
  const double new_share = sp_.visit_share * (1.0 - sp_.follow_up_prob) / 365.0;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    const Stratum& st = strata[i];
    const double mean = st.size * ctx.params.visits_per_person_year[st.age_band] * new_share;
    const std::size_t key = i * n_spec + specialty_;
    Stream rng(ctx.seed, ctx.replicate, Purpose::arrivals, static_cast<std::uint64_t>(day), key);
    const std::uint64_t n = rng.poisson(mean);
    for (std::uint64_t k = 0; k < n; ++k) {
      const auto patient = static_cast<PatientId>(st.first + rng.below(st.size));
      today_.push_back({arrival_uid(day, key, k), patient, no_clinician, day,
                        static_cast<std::uint16_t>(i), 0});
    }
  }
  // Arrivals compete for capacity in random (but key-determined) order.
  Stream shuffle(ctx.seed, ctx.replicate, Purpose::shuffle, static_cast<std::uint64_t>(day),
                 specialty_);
  for (std::size_t i = today_.size() - 1; i > first_new && i < today_.size(); --i) {
    const std::size_t j = first_new + shuffle.below(i - first_new + 1);
    std::swap(today_[i], today_[j]);
  }
}

void CarePartition::run_day(const CareContext& ctx, int day) {
  std::fill(ledger_.begin(), ledger_.end(), 0.0);
  std::fill(flows_.begin(), flows_.end(), 0.0);
  relationships_.clear();
  // Waiting episodes keep their place in the queue ahead of today's.
  today_.clear();
  today_.insert(today_.end(), waiting_.begin(), waiting_.end());
  auto& due = follow_ups_by_day_[static_cast<std::size_t>(day)];
  today_.insert(today_.end(), due.begin(), due.end());
  due.clear();
  due.shrink_to_fit();
  add_arrivals(ctx, day);

  next_waiting_.clear();
  for (Episode& ep : today_) handle(ctx, ep, day);
  waiting_.swap(next_waiting_);
  for (const Episode& ep : waiting_)
    metric(ctx.population.strata()[ep.stratum].home, m_waiting) += 1;
}

double& CarePartition::breakdown(const CareContext& ctx, int day, const Stratum& st,
                                 BreakdownMetric m) {
  const auto& res = ctx.results;
  const std::size_t month = static_cast<std::size_t>(ctx.calendar.month_of_day[day]);
  std::size_t idx = static_cast<std::size_t>(ctx.replicate) * res.months + month;
  idx = idx * res.jurisdictions.size() + st.home;
  idx = (idx * payer_count + st.payer) * area_count + st.rural;
  idx = (idx * res.specialties.size() + specialty_) * breakdown_metric_count + m;
  return ctx.results.breakdown[idx];
}

bool CarePartition::telehealth_permitted(const CareContext& ctx, const Episode& ep,
                                         bool with_known) const {
  // Ryan Haight: controlled substances by telemedicine only after an in-person
  // evaluation by the same clinician, unless the rule is lifted.
  if (!(ep.flags & ep_controlled) || !ctx.params.controlled_in_person_rule) return true;
  return with_known && (ep.flags & ep_in_person_history);
}

ClinicianId CarePartition::scan(Pool& pool, std::size_t pool_key, int day, const CareContext& ctx,
                                bool telehealth, std::uint8_t loc) {
  const auto n = static_cast<std::uint32_t>(pool.members.size());
  if (n == 0) return no_clinician;
  if (pool.day != day) {
    pool.day = day;
    pool.scanned = 0;
    Stream rng(ctx.seed, ctx.replicate, Purpose::routing, static_cast<std::uint64_t>(day),
               pool_key, telehealth ? 1 : 0);
    pool.start = static_cast<std::uint32_t>(rng.below(n));
  }
  auto& w = ctx.workforce;
  while (pool.scanned < n) {
    const ClinicianId c = pool.members[(pool.start + pool.scanned) % n];
    const bool ok = telehealth ? (w.authorized(c, loc) && w.can_see_telehealth(c, day))
                               : w.can_see_in_person(c, day);
    if (ok) return c;
    ++pool.scanned;
  }
  return no_clinician;
}

CarePartition::Match CarePartition::try_known(const CareContext& ctx, Episode& ep, ClinicianId c,
                                              std::uint8_t loc, int day, bool& disrupted) {
  auto& w = ctx.workforce;
  Match m;
  m.known = true;
  const bool same_place = w.location[c] == loc && ctx.places.is_us(loc);
  const bool prefers_tele = ep.flags & ep_prefers_telehealth;
  if (same_place && !prefers_tele && w.can_see_in_person(c, day)) {
    m.clinician = c;
    return m;
  }
  const bool tele_possible = (ep.flags & ep_telehealth_covered) && telehealth_permitted(ctx, ep, true);
  if (tele_possible && w.can_see_telehealth(c, day)) {
    if (w.authorized(c, loc)) {
      m.clinician = c;
      m.modality = Modality::telehealth;
      return m;
    }
    if (w.has(c, flag_non_compliant)) {
      m.clinician = c;
      m.modality = Modality::telehealth;
      m.lawful = false;
      return m;
    }
    // The clinician may not follow the patient where the patient now is.
    disrupted = true;
  }
  if (same_place && w.can_see_in_person(c, day)) m.clinician = c;
  return m;
}

CarePartition::Match CarePartition::try_platform(const CareContext& ctx, Episode& ep,
                                                 std::uint8_t loc, int day, Stream& rng) {
  auto& w = ctx.workforce;
  Match m;
  m.modality = Modality::telehealth;
  const std::size_t platform = rng.choose(platform_cumulative_);
  const auto& pp = ctx.params.platforms[platform];
  if (!rng.bernoulli(pp.verification_strictness)) {
    // Unverified routing: the request goes to whoever is free; a compliant
    // clinician not authorized for the patient's location declines.
    const auto& any = w.telehealth_any[platform * w.n_specialties + specialty_];
    for (int attempt = 0; attempt < 2 && !any.empty(); ++attempt) {
      const ClinicianId c = any[rng.below(any.size())];
      if (!w.can_see_telehealth(c, day)) continue;
      if (w.authorized(c, loc)) {
        m.clinician = c;
        return m;
      }
      if (w.has(c, flag_non_compliant)) {
        m.clinician = c;
        m.lawful = false;
        return m;
      }
    }
  }
  if (ctx.places.is_us(loc)) {
    const std::size_t key = w.telehealth_index(platform, loc, specialty_);
    m.clinician = scan(w.telehealth[key], key, day, ctx, true, loc);
    if (m.clinician != no_clinician) return m;
  }
  if (!(ep.flags & ep_signalled) && ctx.places.is_us(loc)) {
    ep.flags |= ep_signalled;
    unmet_telehealth_[loc] += 1;
  }
  return m;
}

CarePartition::Match CarePartition::try_in_person(const CareContext& ctx, std::uint8_t loc, int day,
                                                  Stream& rng) {
  auto& w = ctx.workforce;
  Match m;
  if (!ctx.places.is_us(loc)) return m;
  std::size_t key = w.in_person_index(loc, specialty_);
  m.clinician = scan(w.in_person[key], key, day, ctx, false, loc);
  if (m.clinician != no_clinician) return m;
  const auto& neighbours = ctx.places.us[loc].neighbours;
  if (!neighbours.empty() && rng.bernoulli(ctx.params.border_in_person_share)) {
    const auto other = *ctx.places.find(neighbours[rng.below(neighbours.size())]);
    key = w.in_person_index(other, specialty_);
    m.clinician = scan(w.in_person[key], key, day, ctx, false, static_cast<std::uint8_t>(other));
  }
  return m;
}

void CarePartition::handle(const CareContext& ctx, Episode& ep, int day) {
  const auto& params = ctx.params;
  const Stratum& st = ctx.population.strata()[ep.stratum];
  Stream rng(ctx.seed, ctx.replicate, Purpose::episode, static_cast<std::uint64_t>(day), ep.uid);

  if (ep.arrival == day) {
    metric(st.home, m_episodes) += 1;
    breakdown(ctx, day, st, b_episodes) += 1;
    const auto& cov = params.coverage[st.payer];
    if (rng.bernoulli(sp_.needs_exam_share)) ep.flags |= ep_needs_exam;
    if (rng.bernoulli(sp_.controlled_substance_share)) ep.flags |= ep_controlled;
    if (rng.bernoulli(st.rural ? cov.telehealth_covered_rural : cov.telehealth_covered_urban))
      ep.flags |= ep_telehealth_covered;
    const double preference =
        std::min(1.0, sp_.telehealth_preference *
                          (st.rural ? params.rural_telehealth_preference_multiplier : 1.0));
    if ((ep.flags & ep_telehealth_covered) && !(ep.flags & ep_needs_exam) &&
        rng.bernoulli(preference))
      ep.flags |= ep_prefers_telehealth;
    if (!(ep.flags & ep_follow_up) && rng.bernoulli(cov.forgo_prob)) {
      metric(st.home, m_unmet) += 1;
      breakdown(ctx, day, st, b_unmet) += 1;
      return;
    }
  }

  const std::uint8_t loc = ctx.population.location(ctx.seed, ctx.replicate, st, ep.patient, day,
                                                   ctx.calendar.calendar_month_of_day[day]);
  ClinicianId known = ep.known;
  if (known == no_clinician) {
    const ClinicianId usual = ctx.usual_clinician[ep.patient];
    // An established usual clinician is taken to have seen the patient in person.
    if (usual != no_clinician && ctx.workforce.specialty[usual] == specialty_) {
      known = usual;
      ep.flags |= ep_in_person_history;
    }
  }

  Match m;
  bool disrupted = false;
  if (known != no_clinician) m = try_known(ctx, ep, known, loc, day, disrupted);
  if (disrupted && (ep.flags & ep_follow_up)) {
    metric(st.home, m_relationships_disrupted) += 1;
    ep.known = no_clinician;  // the relationship cannot continue here
  }
  if (m.clinician == no_clinician) {
    const bool away = loc != st.home;
    const bool platform_ok = (ep.flags & ep_telehealth_covered) &&
                             ((ep.flags & ep_prefers_telehealth) || away) &&
                             telehealth_permitted(ctx, ep, false);
    if (ep.flags & ep_prefers_telehealth) {
      if (platform_ok) m = try_platform(ctx, ep, loc, day, rng);
      if (m.clinician == no_clinician) m = try_in_person(ctx, loc, day, rng);
    } else {
      m = try_in_person(ctx, loc, day, rng);
      if (m.clinician == no_clinician && platform_ok) m = try_platform(ctx, ep, loc, day, rng);
    }
  }

  if (m.clinician != no_clinician) {
    serve(ctx, ep, m, loc, day, rng);
    return;
  }
  if (day - ep.arrival >= sp_.max_wait_days) {
    metric(st.home, m_unmet) += 1;
    breakdown(ctx, day, st, b_unmet) += 1;
    return;
  }
  next_waiting_.push_back(ep);
}

void CarePartition::serve(const CareContext& ctx, Episode& ep, const Match& m, std::uint8_t loc,
                          int day, Stream& rng) {
  const auto& params = ctx.params;
  auto& w = ctx.workforce;
  const Stratum& st = ctx.population.strata()[ep.stratum];
  const ClinicianId c = m.clinician;
  const bool tele = m.modality == Modality::telehealth;
  w.use(c, m.modality);
  if (m.lawful && ctx.places.is_us(loc)) w.used[c] |= std::uint64_t{1} << loc;

  // Access and cost.
  const std::size_t clinician_place = w.location[c];
  const double km = params.round_trip_km_urban * (st.rural ? params.rural_distance_multiplier : 1.0);
  double cost = (tele ? sp_.price_telehealth_usd : sp_.price_in_person_usd) *
                params.coverage[st.payer].cost_share;
  if (tele) {
    metric(st.home, m_travel_km_avoided) += km;
    const bool international = w.is_abroad(c) || !ctx.places.is_us(loc);
    metric(st.home, international              ? m_served_telehealth_international
                    : clinician_place == loc ? m_served_telehealth_in_state
                                             : m_served_telehealth_cross_state) += 1;
    breakdown(ctx, day, st, b_served_telehealth) += 1;
  } else {
    const double trip_km = km * (clinician_place != loc ? params.cross_border_distance_multiplier : 1.0);
    cost += trip_km * params.cost_per_km_usd +
            params.time_cost_per_visit_usd * trip_km / params.round_trip_km_urban;
    metric(st.home, m_served_in_person) += 1;
    breakdown(ctx, day, st, b_served_in_person) += 1;
  }
  metric(st.home, m_patient_cost_usd) += cost;
  metric(st.home, m_wait_days_sum) += day - ep.arrival;
  if (m.known) metric(st.home, m_continuity_encounters) += 1;
  flows_[(static_cast<std::size_t>(loc) * ctx.places.size() + clinician_place) * modality_count +
         static_cast<std::size_t>(m.modality)] += 1;

  // Safety.
  double p = sp_.adverse_event_prob * w.risk[c];
  if (tele && (ep.flags & ep_needs_exam)) p *= params.tele_exam_needed_multiplier;
  if (st.lep && !w.has(c, flag_speaks_lep)) p *= params.language_discordance_multiplier;
  if (clinician_place != st.home && !m.known) p *= params.record_gap_multiplier;
  if (tele && (ep.flags & ep_controlled) && !(m.known && (ep.flags & ep_in_person_history)))
    p *= params.controlled_without_in_person_multiplier;
  const bool harmed = rng.bernoulli(std::min(1.0, p));
  if (harmed) {
    metric(st.home, m_adverse_events) += 1;
    breakdown(ctx, day, st, b_adverse_events) += 1;
    if (rng.bernoulli(params.claim_prob_per_adverse_event)) {
      metric(st.home, m_malpractice_claims) += 1;
      breakdown(ctx, day, st, b_malpractice_claims) += 1;
      if (rng.bernoulli(params.paid_share)) {
        // Adjudicated where the patient was (home law when the patient was abroad).
        const std::size_t forum = ctx.places.is_us(loc) ? loc : st.home;
        const double indemnity = rng.lognormal_with_mean(
            params.mean_indemnity_usd * params.regulators[forum].indemnity_multiplier,
            params.indemnity_sigma);
        metric(st.home, m_indemnity_usd) += indemnity;
        // Policies cover only practice where the clinician is authorized.
        const bool insured = m.lawful && (!w.is_abroad(c) || w.has(c, flag_insured_abroad));
        if (!insured) metric(st.home, m_uncovered_exposure_usd) += indemnity;
      }
    }
  }

  // Enforcement.
  if (!m.lawful) {
    metric(st.home, m_unauthorized_encounters) += 1;
    breakdown(ctx, day, st, b_unauthorized_encounters) += 1;
    if (ctx.places.is_us(loc)) {
      const auto& reg = params.regulators[loc];
      if (rng.bernoulli(harmed ? reg.detection_prob_after_harm : reg.detection_prob)) {
        metric(st.home, m_unauthorized_detected) += 1;
        // A clinician abroad is outside every US board's reach.
        if (!w.is_abroad(c)) {
          metric(st.home, m_sanctions) += 1;
          w.suspended_until[c] = day + static_cast<std::int32_t>(std::lround(params.sanction_days));
          if (rng.bernoulli(params.deterrence_prob)) w.flags[c] &= ~flag_non_compliant;
        }
      }
    }
  }

  // Continuing relationship.
  relationships_.emplace_back(ep.patient, c);
  if (rng.bernoulli(sp_.follow_up_prob)) {
    const int interval = std::max(1, static_cast<int>(std::lround(rng.exponential(sp_.follow_up_interval_days))));
    const long when = static_cast<long>(day) + interval;
    if (when < ctx.days) {
      std::uint8_t flags = ep_follow_up;
      if (!tele || (m.known && (ep.flags & ep_in_person_history))) flags |= ep_in_person_history;
      follow_ups_by_day_[static_cast<std::size_t>(when)].push_back(
          {follow_up_uid(ep.uid), ep.patient, c, static_cast<std::int32_t>(when), ep.stratum, flags});
    }
  }
}

}  // namespace licsim
