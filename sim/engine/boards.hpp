#pragma once
// Regulators (one board per US jurisdiction): application queues with finite
// review capacity, review times, approvals, renewals and expiries; and the
// clinicians' decisions to apply where platforms report unmet demand.
#include <cstdint>
#include <deque>
#include <vector>

#include "engine/workforce.hpp"
#include "model/model_params.hpp"

namespace licsim {

/// Board-level daily amounts, indexed [jurisdiction][DailyMetric].
using DayLedger = std::vector<double>;

class Boards {
 public:
  Boards(const ModelParams& params, const Places& places, const Workforce& workforce, double scale,
         int days, std::uint64_t seed, std::uint32_t replicate);

  /// Files an application of clinician `c` to board `j`: fee and paperwork are paid now.
  void submit(ClinicianId c, std::size_t j, int day, Workforce& w, DayLedger& ledger);

  /// Starts reviews within each board's capacity, issues decisions due today,
  /// and renews or lets expire the authorizations due today.
  void step(int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries, DayLedger& ledger);

  /// Clinicians answer the platforms' unmet telemedicine demand, given as
  /// unmet[jurisdiction * n_specialties + specialty] since the last review.
  void review_unmet_demand(int day, const std::vector<double>& unmet, Workforce& w,
                           DayLedger& ledger);

  /// Stocks at the end of the day, written into the ledger.
  void record_stocks(DayLedger& ledger) const;

 private:
  struct Application {
    ClinicianId clinician;
    std::uint8_t jurisdiction;
    std::int32_t submitted;
  };
  void decide(std::uint32_t app, int day, Workforce& w, std::vector<std::vector<Expiry>>& expiries);

  const ModelParams& params_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  int days_;
  std::vector<Application> applications_;
  std::vector<std::deque<std::uint32_t>> queue_;
  std::vector<double> capacity_per_day_, capacity_credit_;
  std::vector<std::vector<std::uint32_t>> decisions_by_day_;
  std::vector<std::int64_t> active_count_, pending_count_;
  double mean_commission_ = 0;  ///< platforms' commission, weighted by their clinicians
};

}  // namespace licsim
