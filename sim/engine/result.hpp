#pragma once
// The numbers a run produces, in flat row-major arrays, with their coordinates.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/metrics.hpp"
#include "model/types.hpp"

namespace licsim {

/// Quantiles of the waiting time written per month and jurisdiction.
inline constexpr std::array<double, 2> wait_quantile_levels = {0.5, 0.9};
inline constexpr std::array<std::string_view, 2> wait_quantile_names = {"p50", "p90"};
/// Waits are tallied in whole days up to this many (the last bin holds longer ones).
inline constexpr std::size_t wait_histogram_bins = 512;

/// Values the output writer holds at once, at the most (or one variable, when
/// larger): its memory stays bounded whatever the number of replicates, and the
/// memory estimate (engine/resources) counts it.
inline constexpr std::size_t writer_batch_values = std::size_t{1} << 20;

/// The slots of `Result::by_pathway` for one pathway and month: the boards'
/// flows of the month (the first three, as boards.hpp's PathwayMetric), then
/// the stock at its end.
enum PathwaySlot : std::size_t { ps_applications, ps_granted, ps_days_sum, ps_active, pathway_slot_count };

struct Result {
  int replicates = 0;
  std::uint64_t patients = 0;    ///< simulated patients (the same in every replicate)
  std::uint64_t clinicians = 0;  ///< simulated clinicians in replicate 0
  std::uint64_t licensed_clinicians = 0;  ///< of those, holding a US license when the simulation starts
  int days = 0;
  int months = 0;
  std::string start_date;
  int spinup_days = 0;  ///< simulated before start_date under the rules then in force, not recorded
  int spinup_accelerated_days = 0;  ///< of those, the first ones with faster licensing
  double spinup_licensing_speedup = 1;
  std::vector<std::string> jurisdictions;  ///< US codes (metrics, breakdown)
  std::vector<std::string> places;         ///< US codes then foreign alpha-3 codes (flows)
  std::vector<std::string> specialties;
  std::vector<int> month_start_day;  ///< day index at which each month begins

  /// [replicate][day][jurisdiction][DailyMetric]; wait_days_sum, not the mean.
  std::vector<double> daily;
  /// [replicate][month][jurisdiction][payer][area][specialty][BreakdownMetric]
  std::vector<double> breakdown;
  /// [replicate][month][patient place][clinician place][modality]: encounters
  std::vector<double> flows;
  /// [replicate][month][patient's home jurisdiction][payer][clinician place][modality]: encounters
  std::vector<double> home_flows;
  /// Patients counted once per calendar period (user_period_names; the first and last may be
  /// partial): `counts` by [replicate][period][jurisdiction][payer][area][UserKind].
  struct UserCounts {
    std::vector<int> start_day;  ///< first simulated day of each period
    std::vector<int> of_month;   ///< period index of each month
    std::vector<double> counts;
    int size() const { return static_cast<int>(start_day.size()); }
  };
  std::array<UserCounts, user_period_count> users;
  /// Simulated patients by [jurisdiction][payer][area] (the same in every replicate).
  std::vector<double> patients_by_cell;
  /// [replicate][month][jurisdiction][Authority][encounters, adverse events]
  std::vector<double> by_authority;
  /// [replicate][month][jurisdiction][Pathway][PathwaySlot]
  std::vector<double> by_pathway;
  /// [replicate][month][jurisdiction][DisruptionOutcome]
  std::vector<double> disruptions;
  /// [replicate][month][jurisdiction][HarmCause]
  std::vector<double> harm_causes;
  /// [replicate][month][jurisdiction][WaitQuantile]: days from arrival to service
  /// of the month's served episodes (NaN when none)
  std::vector<double> wait_quantiles;

  std::size_t monthly_index(int r, int month, std::size_t j, std::size_t width) const {
    return ((static_cast<std::size_t>(r) * months + static_cast<std::size_t>(month)) * jurisdictions.size() + j) * width;
  }

  /// Cells of one period of the users arrays: jurisdiction x payer x area x kind.
  std::size_t user_cells() const { return jurisdictions.size() * payer_count * area_count * user_kind_count; }

  std::size_t daily_index(int r, int d, std::size_t j, int m) const {
    return ((static_cast<std::size_t>(r) * days + d) * jurisdictions.size() + j) *
               daily_metric_count + m;
  }

  /// Headline totals of one replicate (summed over days and jurisdictions).
  double total(int replicate, DailyMetric metric) const;
};

}  // namespace licsim
