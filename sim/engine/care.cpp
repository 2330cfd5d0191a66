#include "engine/care.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/shuffle.hpp"
#include "engine/regimes/module.hpp"

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

// Pool keys for the routing streams: kind in the top bits keeps them apart.
constexpr std::uint64_t in_person_key = 0, state_pool_key = std::uint64_t{1} << 60,
                        national_pool_key = std::uint64_t{2} << 60, local_pool_key = std::uint64_t{3} << 60;

}  // namespace

CarePartition::CarePartition(std::size_t specialty, const CareContext& ctx)
    : specialty_(specialty), sp_(ctx.params.specialties[specialty]) {
  const std::size_t n_us = ctx.places.us.size();
  follow_ups_by_day_.resize(static_cast<std::size_t>(ctx.days) + 1);
  ledger_.assign(n_us * daily_metric_count, 0.0);
  flows_.assign(ctx.places.size() * ctx.places.size() * modality_count, 0.0);
  home_flows_.assign(n_us * payer_count * ctx.places.size() * modality_count, 0.0);
  unmet_telehealth_.assign(n_us, 0.0);
  n_authorities_ = authority_labels().size();  // the shipped ones and any registered later
  authority_ledger_.assign(n_us * n_authorities_ * 2, 0.0);
  disruption_ledger_.assign(n_us * disruption_outcome_count, 0.0);
  cause_ledger_.assign(n_us * harm_cause_count, 0.0);
  breakdown_.assign(n_us * payer_count * area_count * breakdown_metric_count, 0.0);
  wait_histogram_.assign(n_us * wait_histogram_bins, 0.0);
  booked_.assign(n_us, 0.0);
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
      today_.push_back({arrival_uid(day, key, k), patient, no_clinician, day, static_cast<std::uint16_t>(i), 0});
    }
  }
  read_usual_clinicians(today_.data() + first_new, today_.data() + today_.size(), ctx.usual_clinician);  // stratum order
  // Arrivals compete for capacity in random (but key-determined) order.
  Stream shuffle(ctx.seed, ctx.replicate, Purpose::shuffle, static_cast<std::uint64_t>(day), specialty_);
  shuffle_tail(today_, first_new, shuffle);  // core/shuffle.hpp: Fisher-Yates from the end, via an index array
}

void CarePartition::run_day(const CareContext& ctx, int day) {
  for (auto* v : {&ledger_, &flows_, &home_flows_, &authority_ledger_, &disruption_ledger_, &cause_ledger_, &breakdown_})
    std::fill(v->begin(), v->end(), 0.0);
  relationships_.clear();
  telehealth_uses_.clear();
  // Waiting episodes keep their place in the queue ahead of today's.
  today_.clear();
  today_.insert(today_.end(), waiting_.begin(), waiting_.end());
  read_usual_clinicians(today_.data(), today_.data() + today_.size(), ctx.usual_clinician);  // changed since yesterday
  auto& due = follow_ups_by_day_[static_cast<std::size_t>(day)];
  for (Episode& ep : due)
    if (ep.lead > 0) {  // a booked appointment: the usual clinician may have changed since
      booked_[ctx.population.strata()[ep.stratum].home] -= 1;
      ep.usual = ctx.usual_clinician[ep.patient];
    }
  today_.insert(today_.end(), due.begin(), due.end());
  due.clear();
  due.shrink_to_fit();
  add_arrivals(ctx, day);

  next_waiting_.clear();
  for (std::size_t i = 0; i < today_.size(); ++i) handle(ctx, today_[i], day);
  waiting_.swap(next_waiting_);
  for (const Episode& ep : waiting_) metric(ctx.population.strata()[ep.stratum].home, m_waiting) += 1;
  for (std::size_t j = 0; j < booked_.size(); ++j) metric(j, m_waiting) += booked_[j];
}

double& CarePartition::breakdown(const CareContext&, int, const Stratum& st, BreakdownMetric m) {
  // Partition-local (the shared array would put specialties on shared cache lines).
  return breakdown_[((static_cast<std::size_t>(st.home) * payer_count + st.payer) * area_count + st.rural) *
                        breakdown_metric_count +
                    m];
}

EncounterQuery CarePartition::query(const CareContext& ctx, const Episode& ep, std::uint8_t loc, Modality m,
                                    int day) const {
  return {loc, ctx.population.strata()[ep.stratum].payer, m, day, ep.flags, static_cast<std::uint8_t>(specialty_)};
}

bool CarePartition::covered_at(const CareContext& ctx, const Episode& ep, std::uint8_t loc) const {
  if (!(ep.flags & ep_telehealth_covered)) return false;
  return (ep.flags & ep_covered_away) || loc == ctx.population.strata()[ep.stratum].home;
}

bool CarePartition::telehealth_permitted(const CareContext& ctx, const Episode& ep, bool with_known, int day) const {
  // Ryan Haight: controlled substances by telemedicine only after an in-person
  // evaluation by the same clinician, unless a flexibility is in force.
  if (!(ep.flags & ep_controlled) || !ctx.regimes.controlled_in_person_rule(day)) return true;
  return with_known && (ep.flags & ep_in_person_history);
}

Authority CarePartition::lawful_authority(const CareContext& ctx, ClinicianId c, const EncounterQuery& q) const {
  const Authority a = ctx.regimes.authority(ctx.workforce, c, q);
  // Beyond a tier's limit (a supervised volume cap) the encounter is unauthorized.
  return a != Authority::none && ctx.regimes.within_limits(ctx.workforce, c, a, q.day) ? a : Authority::none;
}

template <class Usable>
ClinicianId CarePartition::scan(Pool& pool, std::uint64_t pool_key, int day, const CareContext& ctx, Usable usable) {
  const auto n = static_cast<std::uint32_t>(pool.members.size());
  if (n == 0) return no_clinician;
  if (pool.day != day) {
    pool.day = day;
    pool.scanned = 0;
    Stream rng(ctx.seed, ctx.replicate, Purpose::routing, static_cast<std::uint64_t>(day), pool_key);
    pool.start = static_cast<std::uint32_t>(rng.below(n));
  }
  while (pool.scanned < n) {
    const ClinicianId c = pool.members[(pool.start + pool.scanned) % n];
    if (usable(c)) return c;
    ++pool.scanned;
  }
  return no_clinician;
}

CarePartition::Match CarePartition::try_known(const CareContext& ctx, Episode& ep, ClinicianId c, std::uint8_t loc,
                                              int day, bool& disrupted) {
  auto& w = ctx.workforce;
  Match m;
  m.known = true;
  const bool same_place = w.location[c] == loc && ctx.places.is_us(loc);
  // A known clinician across the state line the patient lives on is within
  // reach in person from home (the patient went there before); the visit is in
  // the clinician's state, under its license.
  const bool across_border = !same_place && loc == ctx.population.strata()[ep.stratum].home && !w.is_abroad(c) &&
                             w.location[c] == border_state(ctx, ep);
  const auto in_person_authority = [&] {
    return across_border ? Authority::full_license
                         : ctx.regimes.authority(w, c, query(ctx, ep, loc, Modality::in_person, day));
  };
  const bool reachable = same_place || across_border;
  const bool prefers_tele = ep.flags & ep_prefers_telehealth;
  if (reachable && !prefers_tele && w.can_see_in_person(c, day)) {
    m.clinician = c;
    m.authority = in_person_authority();
    return m;
  }
  // Telemedicine with the known clinician when the patient prefers it: the same
  // rule wherever the clinician is. One who wants to be seen in person and
  // cannot reach the clinician looks for care where they are.
  const bool tele_possible = prefers_tele && covered_at(ctx, ep, loc) && telehealth_permitted(ctx, ep, true, day);
  if (tele_possible && w.can_see_telehealth(c, day)) {
    const Authority a = lawful_authority(ctx, c, query(ctx, ep, loc, Modality::telehealth, day));
    if (a != Authority::none || w.has(c, flag_non_compliant)) {
      m.clinician = c;
      m.modality = Modality::telehealth;
      m.authority = a;
      return m;
    }
    // The clinician may not follow the patient where the patient now is.
    if (a == Authority::none) {
      disrupted = true;
      metric(ctx.population.strata()[ep.stratum].home, m_unauthorized_declined) += 1;
    }
  }
  if (reachable && !(ep.flags & ep_avoids_in_person) && w.can_see_in_person(c, day)) {
    m.clinician = c;
    m.authority = in_person_authority();
  }
  return m;
}

CarePartition::Match CarePartition::try_platform(const CareContext& ctx, Episode& ep, std::uint8_t loc, int day,
                                                 Stream& rng) {
  auto& w = ctx.workforce;
  auto& regimes = ctx.regimes;
  Match m;
  m.modality = Modality::telehealth;
  const EncounterQuery q = query(ctx, ep, loc, Modality::telehealth, day);
  const std::size_t platform = rng.choose(platform_cumulative_);
  const auto& pp = ctx.params.platforms[platform];
  if (!rng.bernoulli(pp.verification_strictness)) {
    // Unverified routing: the request goes to whoever is free; a compliant
    // clinician without authority for the patient's location declines.
    const auto& any = w.telehealth_any[platform * w.n_specialties + specialty_];
    for (int attempt = 0; attempt < 2 && !any.empty(); ++attempt) {
      const ClinicianId c = any[rng.below(any.size())];
      if (!w.can_see_telehealth(c, day)) continue;
      const Authority a = lawful_authority(ctx, c, q);
      if (a != Authority::none || w.has(c, flag_non_compliant)) {
        m.clinician = c;
        m.authority = a;
        return m;
      }
      metric(ctx.population.strata()[ep.stratum].home, m_unauthorized_declined) += 1;
    }
  }
  bool open_to_licensees = false;  // could an out-of-state license have served it?
  if (ctx.places.is_us(loc)) {
    // A local network (a health system's telemedicine) offers the request only
    // to clinicians practising in the state; otherwise the platform routes over
    // the state's whole register, in-state clinicians and out-of-state licensees
    // drawn first in proportion to their numbers.
    const std::size_t local = w.telehealth_local_index(loc, specialty_);
    const std::size_t remote = w.telehealth_index(platform, loc, specialty_);
    Pool& local_pool = w.telehealth_local[local];
    Pool& remote_pool = w.telehealth[remote];
    const bool local_only = rng.bernoulli(pp.local_network_share);
    open_to_licensees = !local_only;
    // The platform checks the license for the patient's location (its compliance cost).
    metric(ctx.population.strata()[ep.stratum].home, m_platform_compliance_cost_usd) += pp.verification_cost_usd;
    const std::size_t n_all = local_pool.members.size() + remote_pool.members.size();
    const bool local_first = local_only || (n_all > 0 && rng.below(n_all) < local_pool.members.size());
    const std::pair<Pool*, std::uint64_t> local_key{&local_pool, local_pool_key | local},
        remote_key{&remote_pool, state_pool_key | remote};
    const std::array<std::pair<Pool*, std::uint64_t>, 2> order = {local_first ? local_key : remote_key,
                                                                   local_first ? remote_key : local_key};
    for (std::size_t pass = 0; pass < (local_only ? 1u : 2u); ++pass) {
      const auto [pool, key] = order[pass];
      m.clinician = scan(*pool, key, day, ctx, [&](ClinicianId c) {
        return w.can_see_telehealth(c, day) && regimes.on_state_register(w, c, loc, day);
      });
      if (m.clinician != no_clinician) {
        m.authority = lawful_authority(ctx, m.clinician, q);  // none if the register is out of date
        return m;
      }
    }
    // Rules under which any US licensee may act (waiver, TELE-MED, national license,
    // exceptions): open to platforms, not to a local network's own clinicians.
    for (std::size_t i = 0; i < regimes.size() && !local_only; ++i) {
      const Regime& r = regimes.regime(i);
      if (!r.opens_national_pool(q)) continue;
      const std::uint64_t pool_key = national_pool_key | (i << 40) | (platform * w.n_specialties + specialty_);
      m.clinician = scan(regimes.national_pool(i, platform, specialty_), pool_key, day, ctx, [&](ClinicianId c) {
        return w.can_see_telehealth(c, day) && r.national_grant(w, c, day) != Authority::none;
      });
      if (m.clinician != no_clinician) {
        m.authority = lawful_authority(ctx, m.clinician, q);
        return m;
      }
    }
  }
  // The platform reports demand it could not serve to clinicians who might
  // license there; a local network's own requests are not theirs to take.
  if (!(ep.flags & ep_signalled) && open_to_licensees) {
    ep.flags |= ep_signalled;
    unmet_telehealth_[loc] += 1;
  }
  return m;
}

std::uint8_t CarePartition::border_state(const CareContext& ctx, const Episode& ep) const {
  return ctx.population.border_state(ctx.seed, ctx.replicate, ctx.population.strata()[ep.stratum], ep.patient);
}

CarePartition::Match CarePartition::try_in_person(const CareContext& ctx, const Episode& ep, std::uint8_t loc, int day,
                                                  Stream& rng) {
  auto& w = ctx.workforce;
  Match m;
  if (!ctx.places.is_us(loc)) return m;
  const auto usable = [&](ClinicianId c) { return w.can_see_in_person(c, day); };
  std::size_t key = w.in_person_index(loc, specialty_);
  m.clinician = scan(w.in_person[key], in_person_key | key, day, ctx, usable);
  if (m.clinician == no_clinician) {
    // A patient at home in a county on a state line, finding nobody free, may
    // look across it; everyone else looks only where they are.
    const std::uint8_t across =
        loc == ctx.population.strata()[ep.stratum].home ? border_state(ctx, ep) : Population::interior;
    if (across == Population::interior || !rng.bernoulli(ctx.params.border_in_person_share)) return m;
    key = w.in_person_index(across, specialty_);
    m.clinician = scan(w.in_person[key], in_person_key | key, day, ctx, usable);
  }
  // In person, the clinician practises in their own state under its license.
  if (m.clinician != no_clinician) m.authority = Authority::full_license;
  return m;
}

bool CarePartition::book(const CareContext& ctx, Episode& ep, int day, Stream& rng) {
  if (sp_.new_patient_lead_days <= 0) return false;
  const long lead = std::lround(rng.exponential(sp_.new_patient_lead_days));
  if (lead <= 0) return false;
  ep.lead = static_cast<std::uint16_t>(std::min<long>(lead, 365));
  booked_[ctx.population.strata()[ep.stratum].home] += 1;
  // Appointments past the horizon stay booked (waiting) at the end of the run.
  const long when = static_cast<long>(day) + ep.lead;
  if (when < ctx.days) follow_ups_by_day_[static_cast<std::size_t>(when)].push_back(ep);
  return true;
}

void CarePartition::end_disruption(Episode& ep, std::size_t home, DisruptionOutcome outcome) {
  if (!(ep.flags & ep_rule_disrupted)) return;
  disruption_ledger_[home * disruption_outcome_count + static_cast<std::size_t>(outcome)] += 1;
  ep.flags &= ~ep_rule_disrupted;
}

void CarePartition::handle(const CareContext& ctx, Episode& ep, int day) {
  const auto& params = ctx.params;
  const Stratum& st = ctx.population.strata()[ep.stratum];
  Stream rng(ctx.seed, ctx.replicate, Purpose::episode, static_cast<std::uint64_t>(day), ep.uid);

  if (ep.arrival == day) {
    metric(st.home, m_episodes) += 1;
    breakdown(ctx, day, st, b_episodes) += 1;
    const auto& cov = ctx.regimes.coverage(day)[st.payer];
    if (rng.bernoulli(sp_.needs_exam_share)) ep.flags |= ep_needs_exam;
    if (rng.bernoulli(sp_.controlled_substance_share)) ep.flags |= ep_controlled;
    if (rng.bernoulli(st.rural ? cov.telehealth_covered_rural : cov.telehealth_covered_urban))
      ep.flags |= ep_telehealth_covered;
    if (rng.bernoulli(cov.telehealth_covered_away)) ep.flags |= ep_covered_away;
    const double preference = std::min(
        1.0, sp_.telehealth_preference * (st.rural ? params.rural_telehealth_preference_multiplier : 1.0));
    if ((ep.flags & ep_telehealth_covered) && !(ep.flags & ep_needs_exam) && rng.bernoulli(preference))
      ep.flags |= ep_prefers_telehealth;
    // Consultations and emergencies are drawn for every episode, so switching an
    // exception on changes only what is lawful, not the draws.
    const bool consultation = rng.bernoulli(ctx.regimes.consultation_share());
    const bool emergency = rng.bernoulli(ctx.regimes.emergency_share(specialty_));
    if (!(ep.flags & ep_follow_up)) {
      constexpr std::uint16_t covered = ep_telehealth_covered | ep_covered_away;
      if (consultation) ep.flags |= ep_consultation | ep_prefers_telehealth | covered;
      if (emergency) ep.flags |= ep_emergency | ep_prefers_telehealth | covered;
    }
    if (!(ep.flags & (ep_follow_up | ep_emergency)) && rng.bernoulli(cov.forgo_prob)) {
      metric(st.home, m_unmet) += 1;
      breakdown(ctx, day, st, b_unmet) += 1;
      return;
    }
  }
  // In the take-up's context a patient who will not be seen in person today
  // (asked every day: a booked appointment may be cancelled, a deferred episode
  // come back) takes telemedicine where it is covered and possible, and
  // otherwise defers.
  if (!(ep.flags & ep_emergency) && avoids_in_person(ctx, ep, day)) {
    ep.flags |= ep_avoids_in_person;
    if ((ep.flags & ep_telehealth_covered) && !(ep.flags & ep_needs_exam)) ep.flags |= ep_prefers_telehealth;
  } else {
    ep.flags &= ~ep_avoids_in_person;
  }
  // One who will not be seen in person and cannot have telemedicine defers the
  // episode: it waits, and is lost after the longest wait.
  if ((ep.flags & ep_avoids_in_person) && !(ep.flags & ep_prefers_telehealth)) {
    wait_or_lose(ctx, ep, st, day);
    return;
  }

  ClinicianId known = ep.known;
  if (known == no_clinician) {
    const ClinicianId usual = ep.usual;  // ctx.usual_clinician[ep.patient], read ahead
    // An established usual clinician is taken to have seen the patient in person.
    if (usual != no_clinician && ctx.workforce.specialty[usual] == specialty_) {
      known = usual;
      ep.flags |= ep_in_person_history;
    }
  }
  // A new patient who goes in person books the first free new-patient
  // appointment (not for emergencies, nor for an episode already booked).
  const bool books = known == no_clinician && ep.arrival == day && !(ep.flags & (ep_follow_up | ep_emergency));
  // One who wants to be seen in person books at once: where they are today does
  // not matter, so the location is not drawn (about half of all arrivals).
  const bool books_first = books && !(ep.flags & ep_prefers_telehealth);
  if (books_first && book(ctx, ep, day, rng)) return;

  const std::uint8_t loc = ctx.population.location(ctx.seed, ctx.replicate, st, ep.patient, day,
                                                   ctx.calendar.calendar_month_of_day[day]);
  Match m;
  bool disrupted = false;
  if (known != no_clinician) m = try_known(ctx, ep, known, loc, day, disrupted);
  if (disrupted && (ep.flags & ep_follow_up) && !(ep.flags & ep_disruption_counted)) {
    metric(st.home, m_relationships_disrupted) += 1;
    ep.flags |= ep_disruption_counted;
    // Cut by a rule change: lawful here, under a regime, at the last encounter
    // (not a patient who has since travelled).
    if (is_regime_authority(ep.last_authority) && ep.last_location == loc) ep.flags |= ep_rule_disrupted;
    // One who cannot reach the clinician in person either weighs continuity
    // against a new clinician: some forgo the follow-up (own stream).
    if ((ep.flags & ep_rule_disrupted) && m.clinician == no_clinician) {
      Stream choice(ctx.seed, ctx.replicate, Purpose::disrupted_follow_up, static_cast<std::uint64_t>(day), ep.uid);
      if (choice.bernoulli(sp_.disrupted_forgo_share)) {
        metric(st.home, m_unmet) += 1;
        breakdown(ctx, day, st, b_unmet) += 1;
        end_disruption(ep, st.home, DisruptionOutcome::lost);
        return;
      }
    }
  }
  if (m.clinician == no_clinician) {
    // Telemedicine through a platform for those who prefer it; a traveller who
    // wants to be seen in person looks for a clinician where they are (or waits).
    const bool platform_ok = covered_at(ctx, ep, loc) && (ep.flags & ep_prefers_telehealth) &&
                             telehealth_permitted(ctx, ep, false, day);
    if (ep.flags & ep_prefers_telehealth) {
      if (platform_ok) m = try_platform(ctx, ep, loc, day, rng);
      // One who will not be seen in person waits for telemedicine.
      const bool in_person_ok = !(ep.flags & ep_avoids_in_person);
      if (m.clinician == no_clinician && in_person_ok && books && book(ctx, ep, day, rng)) return;
      if (m.clinician == no_clinician && in_person_ok) m = try_in_person(ctx, ep, loc, day, rng);
    } else {
      // (books_first: booking was tried above; it gave no later appointment.)
      m = try_in_person(ctx, ep, loc, day, rng);
      if (m.clinician == no_clinician && platform_ok) m = try_platform(ctx, ep, loc, day, rng);
    }
  }

  if (m.clinician != no_clinician) {
    serve(ctx, ep, m, loc, day, rng);
    return;
  }
  wait_or_lose(ctx, ep, st, day);
}

void CarePartition::wait_or_lose(const CareContext& ctx, Episode& ep, const Stratum& st, int day) {
  // The patient keeps trying for max_wait_days from the booked day.
  if (day - ep.arrival - ep.lead >= sp_.max_wait_days) {
    metric(st.home, m_unmet) += 1;
    breakdown(ctx, day, st, b_unmet) += 1;
    end_disruption(ep, st.home, DisruptionOutcome::lost);
    return;
  }
  next_waiting_.push_back(ep);
}

bool CarePartition::avoids_in_person(const CareContext& ctx, const Episode& ep, int day) const {
  // The episode's own threshold against the day's share: a patient who stays
  // away stays away until the share falls below it (own stream, keyed by the
  // episode alone: without the take-up nothing changes).
  const double avoid = ctx.regimes.uptake().avoidance(day);
  if (avoid <= 0) return false;
  Stream draw(ctx.seed, ctx.replicate, Purpose::in_person_avoidance, 0, ep.uid);
  return draw.uniform() < avoid;
}

void CarePartition::serve(const CareContext& ctx, Episode& ep, const Match& m, std::uint8_t loc, int day,
                          Stream& rng) {
  auto& w = ctx.workforce;
  const Stratum& st = ctx.population.strata()[ep.stratum];
  const ClinicianId c = m.clinician;
  const bool tele = m.modality == Modality::telehealth;
  const bool lawful = m.authority != Authority::none;
  const std::size_t clinician_place = w.location[c];
  const Encounter e{st,
                    c,
                    loc,
                    clinician_place,
                    tele,
                    lawful,
                    w.is_abroad(c) || clinician_place != loc,
                    lawful && (!w.is_abroad(c) || w.has(c, flag_insured_abroad)),
                    ctx.places.is_us(loc) ? loc : st.home};
  w.use(c, m.modality);
  if ((m.authority == Authority::full_license || m.authority == Authority::compact_license) && ctx.places.is_us(loc))
    w.record_license_use(c, loc);

  // What became of a relationship a rule change had cut.
  end_disruption(ep, st.home, !tele ? DisruptionOutcome::switched_in_person
                              : c == ep.known ? DisruptionOutcome::continued
                                              : DisruptionOutcome::moved);
  record_access(ctx, ep, m, e, day);

  const HarmRisk risk = harm_risk(ctx, ep, m, e);
  const bool harmed = rng.bernoulli(risk.p);
  record_expected_outcomes(ctx, e, risk);
  const std::size_t home_authority = (st.home * n_authorities_ + static_cast<std::size_t>(m.authority)) * 2;
  authority_ledger_[home_authority] += 1;
  if (harmed) {
    authority_ledger_[home_authority + 1] += 1;
    record_harm(ctx, m, e, day, risk, rng);
  }
  ctx.regimes.on_encounter(w, c, m.authority, harmed, day);

  if (!lawful) enforce(ctx, e, day, harmed, rng);
  continue_care(ctx, ep, m, e, day, rng);
}

void CarePartition::record_access(const CareContext& ctx, const Episode& ep, const Match& m, const Encounter& e,
                                  int day) {
  const auto& params = ctx.params;
  const auto& w = ctx.workforce;
  const Stratum& st = e.st;
  const double km = params.round_trip_km_urban * (st.rural ? params.rural_distance_multiplier : 1.0);
  const double price = e.tele ? sp_.price_telehealth_usd : sp_.price_in_person_usd;
  const double cost_share = ctx.regimes.coverage(day)[st.payer].cost_share;
  double cost = price * cost_share;
  metric(st.home, m_payer_cost_usd) += price * (1.0 - cost_share);
  if (e.tele) {
    metric(st.home, m_travel_km_avoided) += km;
    const bool international = w.is_abroad(e.c) || !ctx.places.is_us(e.loc);
    const bool cross_state = !international && e.clinician_place != e.loc;
    metric(st.home, international                  ? m_served_telehealth_international
                    : e.clinician_place == e.loc ? m_served_telehealth_in_state
                                                 : m_served_telehealth_cross_state) += 1;
    breakdown(ctx, day, st, b_served_telehealth) += 1;
    if (cross_state) breakdown(ctx, day, st, b_served_telehealth_cross_state) += 1;
    const bool out_of_home_state = !w.is_abroad(e.c) && e.clinician_place != st.home;
    if (out_of_home_state) breakdown(ctx, day, st, b_served_telehealth_out_of_home_state) += 1;
    telehealth_uses_.push_back({ep.patient, ep.stratum, out_of_home_state});
    if (border_state(ctx, ep) != Population::interior) {
      breakdown(ctx, day, st, b_served_telehealth_border_county) += 1;
      if (out_of_home_state) breakdown(ctx, day, st, b_served_telehealth_out_of_home_state_border_county) += 1;
    }
  } else {
    const double trip_km = km * (e.clinician_place != e.loc ? params.cross_border_distance_multiplier : 1.0);
    cost += trip_km * params.cost_per_km_usd + params.time_cost_per_visit_usd * trip_km / params.round_trip_km_urban;
    metric(st.home, m_served_in_person) += 1;
    breakdown(ctx, day, st, b_served_in_person) += 1;
    if (!m.known && !(ep.flags & ep_follow_up)) {
      breakdown(ctx, day, st, b_new_patient_in_person) += 1;
      breakdown(ctx, day, st, b_new_patient_wait_days) += day - ep.arrival;
    }
  }
  metric(st.home, m_patient_cost_usd) += cost;
  metric(st.home, m_wait_days_sum) += day - ep.arrival;
  wait_histogram_[st.home * wait_histogram_bins +
                  std::min<std::size_t>(static_cast<std::size_t>(day - ep.arrival), wait_histogram_bins - 1)] += 1;
  if (m.known) metric(st.home, m_continuity_encounters) += 1;
  flows_[(static_cast<std::size_t>(e.loc) * ctx.places.size() + e.clinician_place) * modality_count +
         static_cast<std::size_t>(m.modality)] += 1;
  home_flows_[((static_cast<std::size_t>(st.home) * payer_count + st.payer) * ctx.places.size() + e.clinician_place) *
                  modality_count +
              static_cast<std::size_t>(m.modality)] += 1;
}

CarePartition::HarmRisk CarePartition::harm_risk(const CareContext& ctx, const Episode& ep, const Match& m,
                                                 const Encounter& e) const {
  // Each risk factor multiplies the clinician's baseline risk.
  const auto& params = ctx.params;
  const auto& w = ctx.workforce;
  HarmRisk risk;
  auto& factor = risk.factor;
  factor.fill(1.0);
  factor[static_cast<int>(HarmCause::exam_gap)] =
      e.tele && (ep.flags & ep_needs_exam) ? params.tele_exam_needed_multiplier : 1.0;
  factor[static_cast<int>(HarmCause::language_discordance)] =
      e.st.lep && !w.has(e.c, flag_speaks_lep) ? params.language_discordance_multiplier : 1.0;
  factor[static_cast<int>(HarmCause::record_gap)] =
      e.clinician_place != e.st.home && !m.known ? params.record_gap_multiplier : 1.0;
  factor[static_cast<int>(HarmCause::controlled_substance)] =
      e.tele && (ep.flags & ep_controlled) && !(m.known && (ep.flags & ep_in_person_history))
          ? params.controlled_without_in_person_multiplier
          : 1.0;
  factor[static_cast<int>(HarmCause::supervision_gap)] = ctx.regimes.harm_multiplier(w, e.c, m.authority);
  double p = sp_.adverse_event_prob * w.risk[e.c];
  for (double f : factor) p *= f;
  risk.p = std::min(1.0, p);
  return risk;
}

void CarePartition::record_expected_outcomes(const CareContext& ctx, const Encounter& e, const HarmRisk& risk) {
  // Expected values of the rare outcomes (probability or expected amount of
  // each, given this encounter), so rates are resolved at any scale.
  const auto& params = ctx.params;
  const std::size_t home = e.st.home;
  const double p = risk.p;
  const double claim_p = p * params.claim_prob_per_adverse_event;
  const double indemnity_expected =
      claim_p * params.paid_share * params.mean_indemnity_usd * params.regulators[e.forum].indemnity_multiplier;
  metric(home, m_adverse_events_expected) += p;
  metric(home, m_malpractice_claims_expected) += claim_p;
  if (e.cross_border) metric(home, m_malpractice_claims_cross_border_expected) += claim_p;
  metric(home, m_indemnity_usd_expected) += indemnity_expected;
  if (!e.insured) metric(home, m_uncovered_exposure_usd_expected) += indemnity_expected;
  if (const double m_sup = risk.factor[static_cast<int>(HarmCause::supervision_gap)]; m_sup != 1.0 && m_sup > 0)
    metric(home, m_adverse_events_averted_by_supervision_expected) += std::min(1.0, p / m_sup) - p;
  if (!e.lawful && ctx.places.is_us(e.loc)) {
    const auto& reg = params.regulators[e.loc];
    const double detect = p * reg.detection_prob_after_harm + (1.0 - p) * reg.detection_prob;
    metric(home, m_unauthorized_detected_expected) += detect;
    if (!ctx.workforce.is_abroad(e.c)) metric(home, m_sanctions_expected) += detect;
  }
}

void CarePartition::record_harm(const CareContext& ctx, const Match& m, const Encounter& e, int day,
                                const HarmRisk& risk, Stream& rng) {
  const auto& params = ctx.params;
  const Stratum& st = e.st;
  metric(st.home, m_adverse_events) += 1;
  breakdown(ctx, day, st, b_adverse_events) += 1;
  // Attribute the event to the baseline with probability 1/M (M = product of
  // the factors above 1), else to a factor in proportion to its log.
  const auto& factor = risk.factor;
  double excess = 0;
  for (double f : factor) excess += f > 1.0 ? std::log(f) : 0.0;
  std::size_t cause = static_cast<std::size_t>(HarmCause::baseline);
  if (excess > 0 && !rng.bernoulli(std::exp(-excess))) {
    double u = rng.uniform() * excess;
    for (std::size_t k = 0; k < factor.size(); ++k) {
      if (factor[k] <= 1.0) continue;
      cause = k;
      u -= std::log(factor[k]);
      if (u <= 0) break;
    }
  }
  cause_ledger_[st.home * harm_cause_count + cause] += 1;
  if (!rng.bernoulli(params.claim_prob_per_adverse_event)) return;
  metric(st.home, m_malpractice_claims) += 1;
  if (e.cross_border) metric(st.home, m_malpractice_claims_cross_border) += 1;
  breakdown(ctx, day, st, b_malpractice_claims) += 1;
  if (!rng.bernoulli(params.paid_share)) return;
  // Adjudicated where the patient was (home law when the patient was abroad).
  const double indemnity = rng.lognormal_with_mean(
      params.mean_indemnity_usd * params.regulators[e.forum].indemnity_multiplier, params.indemnity_sigma);
  metric(st.home, m_indemnity_usd) += indemnity;
  // Policies cover only practice where the clinician is authorized.
  if (!e.insured) metric(st.home, m_uncovered_exposure_usd) += indemnity;
  ctx.regimes.on_paid_claim(ctx.workforce, e.c, m.authority, e.forum, day);
}

void CarePartition::enforce(const CareContext& ctx, const Encounter& e, int day, bool harmed, Stream& rng) {
  const auto& params = ctx.params;
  auto& w = ctx.workforce;
  metric(e.st.home, m_unauthorized_encounters) += 1;
  breakdown(ctx, day, e.st, b_unauthorized_encounters) += 1;
  if (!ctx.places.is_us(e.loc)) return;
  const auto& reg = params.regulators[e.loc];
  if (!rng.bernoulli(harmed ? reg.detection_prob_after_harm : reg.detection_prob)) return;
  metric(e.st.home, m_unauthorized_detected) += 1;
  // A clinician abroad is outside every US board's reach.
  if (w.is_abroad(e.c)) return;
  metric(e.st.home, m_sanctions) += 1;
  w.suspended_until[e.c] = day + static_cast<std::int32_t>(std::lround(params.sanction_days));
  w.flags[e.c] |= flag_disciplined;  // bars pathways that require a clean record
  if (rng.bernoulli(params.deterrence_prob)) w.flags[e.c] &= ~flag_non_compliant;
}

void CarePartition::continue_care(const CareContext& ctx, const Episode& ep, const Match& m, const Encounter& e,
                                  int day, Stream& rng) {
  // A usual source of care is made at home, not by a visit while travelling.
  if (e.loc == e.st.home) relationships_.emplace_back(ep.patient, e.c);
  if (!rng.bernoulli(sp_.follow_up_prob)) return;
  const int interval = std::max(1, static_cast<int>(std::lround(rng.exponential(sp_.follow_up_interval_days))));
  const long when = static_cast<long>(day) + interval;
  if (when >= ctx.days) return;
  std::uint16_t flags = ep_follow_up;
  if (!e.tele || (m.known && (ep.flags & ep_in_person_history))) flags |= ep_in_person_history;
  Episode next{follow_up_uid(ep.uid), ep.patient, e.c, static_cast<std::int32_t>(when), ep.stratum, flags};
  next.last_authority = m.authority;
  next.last_location = e.loc;
  follow_ups_by_day_[static_cast<std::size_t>(when)].push_back(next);
}

}  // namespace licsim
