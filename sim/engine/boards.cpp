#include "engine/boards.hpp"

#include <algorithm>
#include <cmath>

#include "engine/metrics.hpp"

namespace licsim {

namespace {
double& at(DayLedger& ledger, std::size_t j, DailyMetric m) {
  return ledger[j * daily_metric_count + m];
}
}  // namespace

Boards::Boards(const ModelParams& params, const Places& places, const Workforce& w, double scale,
               int days, std::uint64_t seed, std::uint32_t replicate)
    : params_(params), seed_(seed), replicate_(replicate), days_(days) {
  const std::size_t n = places.us.size();
  queue_.resize(n);
  capacity_credit_.assign(n, 0.0);
  active_count_.assign(n, 0);
  pending_count_.assign(n, 0);
  decisions_by_day_.resize(static_cast<std::size_t>(days) + 1);
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

void Boards::submit(ClinicianId c, std::size_t j, int day, Workforce& w, DayLedger& ledger) {
  const auto id = static_cast<std::uint32_t>(applications_.size());
  applications_.push_back({c, static_cast<std::uint8_t>(j), day});
  queue_[j].push_back(id);
  w.pending[c] |= std::uint64_t{1} << j;
  ++pending_count_[j];
  at(ledger, j, m_applications_submitted) += 1;
  at(ledger, j, m_licensure_spend_usd) +=
      params_.regulators[j].license_fee_usd + params_.paperwork_hours * params_.hourly_value_usd;
}

void Boards::decide(std::uint32_t id, int day, Workforce& w,
                    std::vector<std::vector<Expiry>>& expiries) {
  const Application& app = applications_[id];
  const ClinicianId c = app.clinician;
  const std::size_t j = app.jurisdiction;
  w.pending[c] &= ~(std::uint64_t{1} << j);
  --pending_count_[j];
  Stream rng(seed_, replicate_, Purpose::regulator, static_cast<std::uint64_t>(day), id, 1);
  // A clinician under sanction has no clean record and is refused.
  if (!w.available(c, day) || !rng.bernoulli(params_.regulators[j].approval_prob)) return;
  if ((w.active[c] >> j) & 1u) return;
  w.active[c] |= std::uint64_t{1} << j;
  ++active_count_[j];
  w.enter_telehealth_pools(c, j);
  const int expiry = day + renewal_cycle_days(params_.regulators[j]);
  if (expiry <= days_) expiries[static_cast<std::size_t>(expiry)].push_back({c, app.jurisdiction});
}

void Boards::step(int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries,
                  DayLedger& ledger) {
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    const auto& reg = params_.regulators[j];
    capacity_credit_[j] += capacity_per_day_[j];
    while (capacity_credit_[j] >= 1.0 && !queue_[j].empty()) {
      capacity_credit_[j] -= 1.0;
      const std::uint32_t id = queue_[j].front();
      queue_[j].pop_front();
      Stream rng(seed_, replicate_, Purpose::regulator, static_cast<std::uint64_t>(day), id, 0);
      const int review = static_cast<int>(
          std::lround(rng.uniform(reg.processing_days_low, reg.processing_days_high)));
      const int when = day + std::max(1, review);
      if (when <= days_) decisions_by_day_[static_cast<std::size_t>(when)].push_back(id);
    }
    // Unused capacity does not accumulate beyond a day's worth.
    capacity_credit_[j] = std::min(capacity_credit_[j], std::max(1.0, capacity_per_day_[j]));
  }
  for (std::uint32_t id : decisions_by_day_[static_cast<std::size_t>(day)])
    decide(id, day, w, expiries);
  decisions_by_day_[static_cast<std::size_t>(day)].clear();

  for (const Expiry& e : expiries[static_cast<std::size_t>(day)]) {
    const ClinicianId c = e.clinician;
    const std::size_t j = e.jurisdiction;
    if (!((w.active[c] >> j) & 1u)) continue;
    const bool principal = !w.is_abroad(c) && w.location[c] == j;
    const bool used = (w.used[c] >> j) & 1u;
    Stream rng(seed_, replicate_, Purpose::renewal, static_cast<std::uint64_t>(day), c, j);
    if (principal || used || rng.bernoulli(params_.renew_unused_prob)) {
      const auto& reg = params_.regulators[j];
      at(ledger, j, m_licensure_spend_usd) += reg.renewal_fee_usd;
      w.used[c] &= ~(std::uint64_t{1} << j);
      const int next = day + renewal_cycle_days(reg);
      if (next <= days_) expiries[static_cast<std::size_t>(next)].push_back(e);
    } else {
      w.active[c] &= ~(std::uint64_t{1} << j);
      --active_count_[j];
    }
  }
  expiries[static_cast<std::size_t>(day)].clear();
}

void Boards::review_unmet_demand(int day, const std::vector<double>& unmet, Workforce& w,
                                 DayLedger& ledger) {
  const std::size_t n_spec = params_.specialties.size();
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    const auto& reg = params_.regulators[j];
    const double license_cost =
        reg.license_fee_usd + params_.paperwork_hours * params_.hourly_value_usd;
    for (std::size_t s = 0; s < n_spec; ++s) {
      const double demand = unmet[j * n_spec + s];
      if (demand <= 0) continue;
      const auto& candidates = w.telehealth_by_specialty[s];
      if (candidates.empty()) continue;
      const auto& sp = params_.specialties[s];
      // What one new licensee could earn from this demand over the horizon.
      const double capacity_per_review =
          sp.capacity_per_clinician_day * params_.telehealth_capacity_share *
          params_.review_interval_days;
      const double captured = std::min(demand, capacity_per_review);
      const double periods = params_.licensing_horizon_years * 365.0 / params_.review_interval_days;
      const double net_price = sp.price_telehealth_usd * (1.0 - mean_commission_);
      if (captured * periods * net_price <= license_cost) continue;
      Stream rng(seed_, replicate_, Purpose::licensing, static_cast<std::uint64_t>(day), j, s);
      const auto wanted = rng.poisson(params_.licensing_response * demand / capacity_per_review);
      std::uint64_t filed = 0;
      for (std::uint64_t attempt = 0; filed < wanted && attempt < 4 * wanted + 4; ++attempt) {
        const ClinicianId c = candidates[rng.below(candidates.size())];
        const std::uint64_t bit = std::uint64_t{1} << j;
        if ((w.active[c] & bit) || (w.pending[c] & bit) || !w.available(c, day)) continue;
        submit(c, j, day, w, ledger);
        ++filed;
      }
    }
  }
}

void Boards::record_stocks(DayLedger& ledger) const {
  for (std::size_t j = 0; j < queue_.size(); ++j) {
    at(ledger, j, m_authorizations_active) = static_cast<double>(active_count_[j]);
    at(ledger, j, m_applications_pending) = static_cast<double>(pending_count_[j]);
  }
}

}  // namespace licsim
