#include "engine/regimes/regime_set.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "engine/regimes/build_context.hpp"
#include "engine/regimes/module.hpp"

namespace licsim {

namespace {

const char* const coverage_keys[] = {"telehealth_covered_urban", "telehealth_covered_rural", "cost_share",
                                     "forgo_prob", "telehealth_covered_away"};

double& coverage_field(PayerCoverage& c, int k) {
  switch (k) {
    case 0: return c.telehealth_covered_urban;
    case 1: return c.telehealth_covered_rural;
    case 2: return c.cost_share;
    case 3: return c.forgo_prob;
    default: return c.telehealth_covered_away;
  }
}

}  // namespace

RegimeSet::RegimeSet(const Scenario& sc, const ModelParams& params, const Calendar& calendar, int days)
    : params_(params),
      n_specialties_(params.specialties.size()),
      uptake_(RegimeBuildContext(sc, params, calendar.start, days), days) {
  const RegimeBuildContext ctx(sc, params, calendar.start, days);
  for (const auto& module : regime_modules())
    if (regime_enabled(module, sc)) regimes_.push_back(module.make(ctx));
  consultation_share_ = sc.real("exceptions.consultation_share");
  emergency_share_ = sc.real("exceptions.emergency_share");
  const auto& specialty = sc.text("exceptions.emergency_specialty");
  const auto it = std::find_if(params.specialties.begin(), params.specialties.end(),
                               [&](const SpecialtyParams& s) { return s.name == specialty; });
  if (it == params.specialties.end()) {
    std::string specialty_list;
    for (const auto& s : params.specialties) specialty_list += (specialty_list.empty() ? "'" : ", '") + s.name + "'";
    const auto o = sc.origin("exceptions.emergency_specialty");
    throw ScenarioError(o.file, o.line, "exceptions.emergency_specialty",
                        "expected the name of a [specialty.<name>] table (" + specialty_list + "), got \"" +
                            printable(specialty) + "\"");
  }
  emergency_specialty_ = static_cast<std::size_t>(it - params.specialties.begin());

  // Coverage changes, in date order; the baseline applies before the first.
  coverage_schedule_.emplace_back(std::numeric_limits<int>::min(), params.coverage);
  std::vector<std::pair<int, std::string>> changes;
  for (const auto& name : sc.members("coverage_change"))
    changes.emplace_back(ctx.day_of_key("coverage_change." + name + ".start_date").value_or(0), name);
  std::stable_sort(changes.begin(), changes.end());
  for (const auto& [start, name] : changes) {
    auto coverage = coverage_schedule_.back().second;
    for (int p = 0; p < payer_count; ++p)
      for (int k = 0; k < static_cast<int>(std::size(coverage_keys)); ++k) {
        const std::string key = "coverage_change." + name + "." + std::string(payer_names[p]) + "." + coverage_keys[k];
        if (sc.has(key)) coverage_field(coverage[p], k) = sc.real(key);
      }
    coverage_schedule_.emplace_back(start, coverage);
  }
  const auto flex_start = ctx.day_of_key("controlled_substances.flexibility_start_date");
  ctx.check_order("controlled_substances.flexibility_start_date", "controlled_substances.flexibility_end_date");
  if (flex_start) {
    controlled_flexibility_ = {*flex_start, -1};
    if (const auto end = ctx.day_of_key("controlled_substances.flexibility_end_date"))
      controlled_flexibility_.end = *end + 1;
  }
}

void RegimeSet::check_modules(const Scenario& sc, const ModelParams& params, const Calendar& calendar, int days) {
  const RegimeBuildContext ctx(sc, params, calendar.start, days);
  for (const auto& module : regime_modules()) {
    if (!module.checked_when_off || regime_enabled(module, sc)) continue;  // built by the constructor
    // A module switched off may leave its data file unnamed ("").
    const std::string prefix = module.name + ".";
    bool unnamed_file = false;
    for (auto it = sc.values().lower_bound(prefix); it != sc.values().end() && it->first.rfind(prefix, 0) == 0; ++it)
      if (it->first.size() > 5 && it->first.compare(it->first.size() - 5, 5, "_file") == 0 &&
          std::get<std::string>(it->second).empty())
        unnamed_file = true;
    if (!unnamed_file) module.make(ctx);
  }
}

std::vector<ExtraClinicianGroup> RegimeSet::extra_clinicians() const {
  std::vector<ExtraClinicianGroup> out;
  for (const auto& r : regimes_)
    for (const auto& e : r->extra_clinicians()) out.push_back(e);
  return out;
}

void RegimeSet::prepare(Workforce& w, std::uint64_t seed, std::uint32_t replicate) {
  seed_ = seed;
  replicate_ = replicate;
  uptake_.prepare(w, seed, replicate);
  for (auto& r : regimes_) r->prepare(w, seed, replicate);
  national_pools_.assign(regimes_.size(), {});
  const std::size_t n_platforms = params_.platforms.size();
  for (std::size_t i = 0; i < regimes_.size(); ++i) {
    auto& pools = national_pools_[i];
    pools.resize(n_platforms * n_specialties_);
    for (std::size_t k = 0; k < pools.size(); ++k) pools[k].members = w.telehealth_any[k];
  }
}

Authority RegimeSet::authority(const Workforce& w, ClinicianId c, const EncounterQuery& q) const {
  if (w.authorized(c, q.location))
    return ((w.compact[c] >> q.location) & 1u) ? Authority::compact_license : Authority::full_license;
  for (const auto& r : regimes_) {
    const Authority a = r->grants(w, c, q);
    if (a != Authority::none) return a;
  }
  return Authority::none;
}

bool RegimeSet::on_state_register(const Workforce& w, ClinicianId c, std::size_t loc, int day) const {
  if (w.authorized(c, loc)) return true;
  for (const auto& r : regimes_)
    if (r->state_pool_grant(w, c, loc, day) != Authority::none) return true;
  return false;
}

bool RegimeSet::within_limits(const Workforce& w, ClinicianId c, Authority a, int day) const {
  for (const auto& r : regimes_)
    if (!r->within_limits(w, c, a, day)) return false;
  return true;
}

bool RegimeSet::license_valid_everywhere(const Workforce& w, ClinicianId c) const {
  for (const auto& r : regimes_)
    if (r->license_valid_everywhere(w, c)) return true;
  return false;
}

void RegimeSet::count_authorizations(const Workforce& w, const Regime::AuthorizationCount& add) const {
  for (const auto& r : regimes_) r->count_authorizations(w, add);
}

double RegimeSet::harm_multiplier(const Workforce& w, ClinicianId c, Authority a) const {
  double m = 1.0;
  for (const auto& r : regimes_) m *= r->harm_multiplier(w, c, a);
  return m;
}

void RegimeSet::on_encounter(Workforce& w, ClinicianId c, Authority a, bool harmed, int day) {
  for (auto& r : regimes_) r->on_encounter(w, c, a, harmed, day);
}

void RegimeSet::on_paid_claim(Workforce& w, ClinicianId c, Authority a, std::size_t location, int day) {
  for (auto& r : regimes_) r->on_paid_claim(w, c, a, location, day);
}

std::optional<PathwayOffer> RegimeSet::best_offer(const Workforce& w, ClinicianId c, std::size_t j, int day,
                                                  double daily_value, OfferScope scope) const {
  const auto cost = [&](const PathwayOffer& o) { return offer_cost(o, daily_value); };
  std::optional<PathwayOffer> best;
  if (w.active[c] != 0) {
    const auto& reg = params_.regulators[j];
    best = PathwayOffer{Pathway::full_license, Authority::full_license, reg.license_fee_usd, params_.paperwork_hours,
                        reg.processing_days_low, reg.processing_days_high, reg.approval_prob, true};
  }
  const auto allowed = [scope](const PathwayOffer& o) {
    return scope == OfferScope::any || o.grants == Authority::full_license ||
           o.grants == Authority::compact_license || o.allows_in_person;
  };
  for (std::size_t i = 0; i < regimes_.size(); ++i)
    if (auto o = regimes_[i]->offer(w, c, j, day); o && allowed(*o) && (!best || cost(*o) < cost(*best))) {
      best = *o;
      best->regime = static_cast<int>(i);
    }
  return best;
}

void RegimeSet::grant(Workforce& w, ClinicianId c, std::size_t j, const PathwayOffer& offer, int day) {
  if (offer.grants == Authority::full_license || offer.grants == Authority::compact_license) {
    w.active[c] |= std::uint64_t{1} << j;
    if (offer.grants == Authority::compact_license) w.compact[c] |= std::uint64_t{1} << j;
    w.license_use_of(c, j) = 0;  // its first renewal weighs the use of this license only
    w.enter_telehealth_pools(c, j);
  }
  if (offer.regime >= 0) regimes_[static_cast<std::size_t>(offer.regime)]->on_granted(w, c, j, offer.pathway, day);
}

void RegimeSet::start_day(int day, RegimeServices& services) {
  // Clinicians adopting telemedicine today join every pool they can be found in.
  auto& w = services.workforce;
  for (const ClinicianId c : uptake_.adopting(day)) {
    Stream rng(seed_, replicate_, Purpose::telehealth_uptake, 1, c);
    std::uint64_t held = 0;
    for (const auto& r : regimes_) held |= r->held_in(c);
    if (!w.open_telehealth(c, uptake_.capacity_share(), rng, held)) continue;
    for (auto& pools : national_pools_) pools[w.platform[c] * n_specialties_ + w.specialty[c]].members.push_back(c);
  }
  // An application a regime files itself is stamped with that regime, so the
  // grant reaches its on_granted (as best_offer does for the others).
  for (std::size_t i = 0; i < regimes_.size(); ++i) {
    RegimeServices own{services.workforce, [&, i](ClinicianId c, std::size_t j, const PathwayOffer& offer) {
                         PathwayOffer stamped = offer;
                         stamped.regime = static_cast<int>(i);
                         services.apply(c, j, stamped);
                       }};
    regimes_[i]->start_day(day, own);
  }
}

const std::array<PayerCoverage, payer_count>& RegimeSet::coverage(int day) const {
  for (std::size_t i = coverage_schedule_.size(); i-- > 1;)
    if (day >= coverage_schedule_[i].first) return coverage_schedule_[i].second;
  return coverage_schedule_.front().second;
}

bool RegimeSet::controlled_in_person_rule(int day) const {
  return params_.controlled_in_person_rule && !controlled_flexibility_.contains(day);
}

}  // namespace licsim
