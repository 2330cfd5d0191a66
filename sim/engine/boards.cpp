#include "engine/boards.hpp"

#include <algorithm>
#include <cmath>

#include "engine/costs.hpp"
#include "engine/metrics.hpp"

namespace licsim {

Boards::Boards(const ModelParams& params, const Places& places, const Workforce& w, RegimeSet& regimes,
               double scale, int days, std::uint64_t seed, std::uint32_t replicate)
    : params_(params), regimes_(regimes), seed_(seed), replicate_(replicate), days_(days),
      daily_metric_count_(daily_metric_count) {
  const std::size_t n = places.us.size();
  queue_.resize(n);
  capacity_credit_.assign(n, 0.0);
  active_count_.assign(n, 0);
  pending_count_.assign(n, 0);
  decisions_by_day_.resize(static_cast<std::size_t>(days) + 1);
  ledger_.assign(n * daily_metric_count, 0.0);
  pathway_ledger_.assign(n * pathway_count * pathway_metric_count, 0.0);
  for (const auto& p : params.platforms) mean_commission_ += p.clinician_share * p.commission_share;
  for (std::size_t j = 0; j < n; ++j) {
    // Capacity scales with the simulated workforce, so queues behave alike at any scale.
    const double physicians = places.us[j].active_physicians * scale;
    capacity_per_day_.push_back(params.regulators[j].processing_capacity_per_1000_physicians_day *
                                physicians / 1000.0);
  }
  for (ClinicianId c = 0; c < w.size(); ++c)
    for (std::size_t j = 0; j < n; ++j)
      if ((w.active[c] >> j) & 1u) ++active_count_[j];
}

void Boards::new_day() {
  std::fill(ledger_.begin(), ledger_.end(), 0.0);
  std::fill(pathway_ledger_.begin(), pathway_ledger_.end(), 0.0);
}

void Boards::submit(ClinicianId c, std::size_t j, int day, const PathwayOffer& offer, Workforce& w) {
  const auto id = static_cast<std::uint32_t>(applications_.size());
  applications_.push_back({c, static_cast<std::uint8_t>(j), day, offer});
  w.pending[c] |= std::uint64_t{1} << j;
  ++pending_count_[j];
  ledger(j, m_applications_submitted) += 1;
  ledger(j, m_licensure_spend_usd) += licensure_cost_usd(params_, offer.fee_usd, offer.paperwork_hours);
  pathway(j, offer.pathway, pm_applications) += 1;
  if (offer.board_queue) queue_[j].push_back(id);
  else schedule_decision(id, day);
}

Stream Boards::review_stream(const Application& app, std::uint64_t draw) const {
  // Keyed by the application itself (who, where, when filed), not by its place in
  // the filing order: a reform that adds or removes other applications leaves
  // this one's review time and decision as they were (common random numbers).
  return Stream(seed_, replicate_, Purpose::regulator, static_cast<std::uint64_t>(app.submitted), app.clinician,
                app.jurisdiction * std::uint64_t{2} + draw);
}

void Boards::schedule_decision(std::uint32_t id, int day) {
  const Application& app = applications_[id];
  const PathwayOffer& o = app.offer;
  Stream rng = review_stream(app, 0);
  const int when = due_after(day, rng.uniform(o.days_low, o.days_high));
  if (when <= days_) decisions_by_day_[static_cast<std::size_t>(when)].push_back(id);
}

void Boards::decide(std::uint32_t id, int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries) {
  const Application& app = applications_[id];
  const ClinicianId c = app.clinician;
  const std::size_t j = app.jurisdiction;
  w.pending[c] &= ~(std::uint64_t{1} << j);
  --pending_count_[j];
  // Reviewing costs the board in proportion to the pathway's paperwork.
  ledger(j, m_board_processing_cost_usd) +=
      params_.review_cost_usd * (params_.paperwork_hours > 0 ? app.offer.paperwork_hours / params_.paperwork_hours : 1.0);
  Stream rng = review_stream(app, 1);
  // A clinician under sanction has no clean record and is refused.
  if (!w.available(c, day) || !rng.bernoulli(app.offer.approval_prob)) return;
  const bool license = app.offer.grants == Authority::full_license || app.offer.grants == Authority::compact_license;
  if (license && ((w.active[c] >> j) & 1u)) return;
  regimes_.grant(w, c, j, app.offer, day);
  pathway(j, app.offer.pathway, pm_granted) += 1;
  pathway(j, app.offer.pathway, pm_days_sum) += day - app.submitted;
  if (!license) return;
  ++active_count_[j];
  const int expiry = due_after(day, renewal_cycle_days(params_.regulators[j]));
  if (expiry <= days_) expiries[static_cast<std::size_t>(expiry)].push_back({c, app.jurisdiction, day});
}

int Boards::due_after(int day, double licensing_days) const {
  const auto whole = [](double d) { return std::max(1, static_cast<int>(std::lround(d))); };
  if (day >= accelerated_until_) return day + whole(licensing_days);
  // Licensing time runs k times as fast until the acceleration ends, then at the
  // real rate: renewals and reviews that straddle the end keep their phases.
  const double fast = (accelerated_until_ - day) * speedup_;
  if (licensing_days <= fast) return day + whole(licensing_days / speedup_);
  return accelerated_until_ + whole(licensing_days - fast);
}

void Boards::step(int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries) {
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    capacity_credit_[j] += capacity_per_day_[j] * speedup(day);
    while (capacity_credit_[j] >= 1.0 && !queue_[j].empty()) {
      capacity_credit_[j] -= 1.0;
      const std::uint32_t id = queue_[j].front();
      queue_[j].pop_front();
      schedule_decision(id, day);
    }
    // Unused capacity does not accumulate beyond a day's worth.
    capacity_credit_[j] = std::min(capacity_credit_[j], std::max(1.0, capacity_per_day_[j] * speedup(day)));
  }
  for (std::uint32_t id : decisions_by_day_[static_cast<std::size_t>(day)]) decide(id, day, w, expiries);
  decisions_by_day_[static_cast<std::size_t>(day)].clear();

  for (const Expiry& e : expiries[static_cast<std::size_t>(day)]) {
    const ClinicianId c = e.clinician;
    const std::size_t j = e.jurisdiction;
    if (!((w.active[c] >> j) & 1u)) continue;
    const bool principal = !w.is_abroad(c) && w.location[c] == j;
    const auto& reg = params_.regulators[j];
    Stream rng(seed_, replicate_, Purpose::renewal, static_cast<std::uint64_t>(day), c, j);
    const double u = rng.uniform();
    if (principal || u < renewal_prob(w, c, j, day - e.counted_from)) {
      ledger(j, m_licensure_spend_usd) += renewal_cost_usd(params_, reg);
      w.license_use_of(c, j) = 0;
      const int next = due_after(day, renewal_cycle_days(params_.regulators[j]));
      if (next <= days_) expiries[static_cast<std::size_t>(next)].push_back({c, e.jurisdiction, day});
    } else {
      w.active[c] &= ~(std::uint64_t{1} << j);
      w.compact[c] &= ~(std::uint64_t{1} << j);
      --active_count_[j];
    }
  }
  expiries[static_cast<std::size_t>(day)].clear();
}

double Boards::renewal_prob(const Workforce& w, ClinicianId c, std::size_t j, int days_counted) const {
  // What the license earned since it was granted or renewed, for a whole cycle:
  // the clinician's forecast for the next one. (Initial licenses first expire
  // within a cycle, and an accelerated spin-up shortens cycles: both count fewer days.)
  const auto& sp = params_.specialties[w.specialty[c]];
  const double net_price = net_telehealth_price_usd(sp, params_.platforms[w.platform[c]].commission_share);
  const double earned =
      w.license_use[c * w.n_us + j] * net_price * renewal_cycle_days(params_.regulators[j]) / std::max(1, days_counted);
  const double cost = renewal_cost_usd(params_, params_.regulators[j]);
  return renewal_probability(earned, cost, params_.renew_unused_prob);
}

double renewal_probability(double earned_usd, double cost_usd, double renew_unused_prob) {
  // Kept for reasons outside the model with renew_unused_prob; otherwise kept if
  // worth its cost to a clinician who weighs that cost by an Exp(1) factor.
  const double not_worth = cost_usd > 0 ? std::exp(-earned_usd / cost_usd) : 0.0;
  return 1.0 - (1.0 - renew_unused_prob) * not_worth;
}

void Boards::review_unmet_demand(int day, const std::vector<double>& unmet, Workforce& w) {
  const std::size_t n_spec = params_.specialties.size();
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    for (std::size_t s = 0; s < n_spec; ++s) {
      const double demand = unmet[j * n_spec + s];
      if (demand <= 0) continue;
      const auto& candidates = w.telehealth_by_specialty[s];
      if (candidates.empty()) continue;
      const auto& sp = params_.specialties[s];
      // What one clinician's telemedicine time could take of this demand.
      const double capacity_per_review =
          sp.capacity_per_clinician_day * params_.telehealth_capacity_share * params_.review_interval_days;
      const double net_price = net_telehealth_price_usd(sp, mean_commission_);
      Stream rng(seed_, replicate_, Purpose::licensing, static_cast<std::uint64_t>(day), j, s);
      // Clinicians who take notice of the demand (platforms' reports)...
      const auto noticed = rng.poisson(speedup(day) * params_.licensing_response * demand / capacity_per_review);
      std::uint64_t weighed = 0;
      for (std::uint64_t attempt = 0; weighed < noticed && attempt < 4 * noticed + 4; ++attempt) {
        const ClinicianId c = candidates[rng.below(candidates.size())];
        const std::uint64_t bit = std::uint64_t{1} << j;
        if ((w.pending[c] & bit) || !w.available(c, day)) continue;
        if (regimes_.on_state_register(w, c, j, day)) continue;  // already able to serve there
        ++weighed;
        // ...weigh what it would earn (the patients their idle telemedicine time
        // could take: `noticed` grows with the demand, so each one's share of it
        // is about a clinician's capacity at any scale) against the cheapest open
        // pathway's fee, paperwork and wait.
        const double captured = std::min(capacity_per_review, w.idle_telehealth(c, params_.review_interval_days));
        const double daily_value = captured * net_price / params_.review_interval_days;
        const double u = rng.uniform();  // drawn for every weighed clinician: common random numbers
        if (daily_value <= 0) continue;
        const auto offer = regimes_.best_offer(w, c, j, day, daily_value);
        if (!offer) continue;
        // Clinicians differ in what extra patients are worth to them: the value
        // times an Exp(1) factor, so a clinician applies with probability
        // exp(-cost / value), and a cheaper or faster pathway draws more of them.
        const double value = daily_value * params_.licensing_horizon_years * 365.0;
        if (u < std::exp(-regimes_.offer_cost(*offer, daily_value) / value)) submit(c, j, day, *offer, w);
      }
    }
  }
  std::fill(w.period_telehealth.begin(), w.period_telehealth.end(), std::uint16_t{0});
}

void Boards::record_stocks() {
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    ledger(j, m_authorizations_active) = static_cast<double>(active_count_[j]);
    ledger(j, m_applications_pending) = static_cast<double>(pending_count_[j]);
  }
}

}  // namespace licsim
