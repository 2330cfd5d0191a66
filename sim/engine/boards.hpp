#pragma once
// Regulators (one board per US jurisdiction): applications by every pathway the
// regimes offer, a capacity-limited review queue for the traditional ones,
// review times, approvals, renewals and expiries of full licenses; and the
// clinicians' decisions to apply where platforms report unmet demand.
#include <cstdint>
#include <deque>
#include <vector>

#include "engine/regimes/regime_set.hpp"
#include "engine/workforce.hpp"
#include "model/model_params.hpp"

namespace licsim {

/// Board-level daily amounts, indexed [jurisdiction][DailyMetric].
using DayLedger = std::vector<double>;

/// Per-day licensing amounts by [jurisdiction][Pathway][PathwayMetric].
enum PathwayMetric : int { pm_applications, pm_granted, pm_days_sum, pathway_metric_count };
using PathwayLedger = std::vector<double>;

/// Probability that a clinician renews a license outside their home state that
/// earned `earned_usd` over its last cycle and costs `cost_usd` to renew.
double renewal_probability(double earned_usd, double cost_usd, double renew_unused_prob);

class Boards {
 public:
  Boards(const ModelParams& params, const Places& places, const Workforce& workforce, RegimeSet& regimes,
         double scale, int days, std::uint64_t seed, std::uint32_t replicate);

  /// Files an application of clinician `c` to board `j` by `offer`: fee and
  /// paperwork are paid now.
  void submit(ClinicianId c, std::size_t j, int day, const PathwayOffer& offer, Workforce& w);

  /// Starts reviews within each board's capacity, issues decisions due today,
  /// and renews or lets expire the full licenses due today.
  void step(int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries);

  /// Runs licensing `k` times faster than care before day `until` (an
  /// accelerated spin-up): k times the clinicians who notice unmet demand and
  /// the boards' review capacity, review times and renewal cycles 1/k as long.
  void accelerate(double k, int until) {
    speedup_ = k;
    accelerated_until_ = until;
  }
  double speedup(int day) const { return day < accelerated_until_ ? speedup_ : 1.0; }

  /// Clinicians answer the platforms' unmet telemedicine demand, given as
  /// unmet[jurisdiction * n_specialties + specialty] since the last review,
  /// each by the cheapest pathway open to them.
  void review_unmet_demand(int day, const std::vector<double>& unmet, Workforce& w);

  /// Stocks at the end of the day, written into the ledger.
  void record_stocks();

  DayLedger& ledger() { return ledger_; }
  PathwayLedger& pathway_ledger() { return pathway_ledger_; }
  /// Zeroes the day's ledgers.
  void new_day();

 private:
  struct Application {
    ClinicianId clinician;
    std::uint8_t jurisdiction;
    std::int32_t submitted;
    PathwayOffer offer;
  };
  void schedule_decision(std::uint32_t id, int day);
  /// The review's random draws: 0 its duration, 1 its decision.
  Stream review_stream(const Application& app, std::uint64_t draw) const;
  /// Probability that clinician c renews the license of j that expires today,
  /// its use counted over the last `days_counted` days.
  double renewal_prob(const Workforce& w, ClinicianId c, std::size_t j, int days_counted) const;
  void decide(std::uint32_t app, int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries);
  /// The day on which `licensing_days` of licensing time (a review, a renewal
  /// cycle) started on `day` are over: at least the next day.
  int due_after(int day, double licensing_days) const;
  double& ledger(std::size_t j, int metric) { return ledger_[j * daily_metric_count_ + static_cast<std::size_t>(metric)]; }
  double& pathway(std::size_t j, Pathway p, PathwayMetric m) {
    return pathway_ledger_[(j * pathway_count + static_cast<std::size_t>(p)) * pathway_metric_count + m];
  }

  const ModelParams& params_;
  RegimeSet& regimes_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  int days_;
  std::size_t daily_metric_count_;
  std::vector<Application> applications_;
  std::vector<std::deque<std::uint32_t>> queue_;
  std::vector<double> capacity_per_day_, capacity_credit_;
  std::vector<std::vector<std::uint32_t>> decisions_by_day_;
  std::vector<std::int64_t> active_count_, pending_count_;
  double speedup_ = 1;  ///< licensing's clock rate against care's before accelerated_until_
  int accelerated_until_ = 0;
  double mean_commission_ = 0;  ///< platforms' commission, weighted by their clinicians
  DayLedger ledger_;
  PathwayLedger pathway_ledger_;
};

}  // namespace licsim
