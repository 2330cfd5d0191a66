#include "engine/engine.hpp"

#include <omp.h>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/errors.hpp"
#include "engine/boards.hpp"
#include "engine/calendar.hpp"
#include "engine/care.hpp"
#include "engine/locums.hpp"
#include "engine/output_schema.hpp"
#include "engine/population.hpp"
#include "engine/regimes/regime_set.hpp"
#include "engine/resources.hpp"
#include "engine/workforce.hpp"

namespace licsim {

void validate(const RunOptions& o) {
  validate(static_cast<const RunSettings&>(o));
  validate_threads(o.threads);
}

double Result::total(int replicate, DailyMetric metric) const {
  double sum = 0;
  for (int d = 0; d < days; ++d)
    for (std::size_t j = 0; j < jurisdictions.size(); ++j) sum += daily[daily_index(replicate, d, j, metric)];
  return sum;
}

namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXd>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXd>;

/// Adds a partition's per-day [jurisdiction][width] ledger into a monthly array.
void add_monthly(std::vector<double>& target, const Result& r, int replicate, int month,
                 const std::vector<double>& day_ledger) {
  const auto n = static_cast<Eigen::Index>(day_ledger.size());
  const std::size_t width = day_ledger.size() / r.jurisdictions.size();
  ArrayMap(&target[r.monthly_index(replicate, month, 0, width)], n) += ConstArrayMap(day_ledger.data(), n);
}

/// Adds the boards' [jurisdiction][pathway][PathwayMetric] day into the monthly
/// array, whose last slot per pathway is the end-of-month stock.
void add_pathway_flows(Result& r, int replicate, int month, const PathwayLedger& day_ledger) {
  static_assert(int{pm_applications} == int{ps_applications} && int{pm_granted} == int{ps_granted} &&
                int{pm_days_sum} == int{ps_days_sum} && int{pathway_metric_count} == int{ps_active});
  const std::size_t n_us = r.jurisdictions.size();
  for (std::size_t j = 0; j < n_us; ++j)
    for (std::size_t p = 0; p < pathway_count; ++p)
      for (std::size_t m = 0; m < pathway_metric_count; ++m)
        r.by_pathway[r.monthly_index(replicate, month, j, pathway_count * pathway_slot_count) +
                     p * pathway_slot_count + m] +=
            day_ledger[(j * pathway_count + p) * pathway_metric_count + m];
}

/// Adds a partition's day [jurisdiction][payer][area][metric] into its
/// specialty's slice of the monthly breakdown.
void add_breakdown(Result& r, int replicate, int month, std::size_t specialty, const std::vector<double>& day) {
  const std::size_t S = r.specialties.size();
  const std::size_t cells = day.size() / breakdown_metric_count;  // jurisdiction x payer x area
  const std::size_t base = (static_cast<std::size_t>(replicate) * r.months + static_cast<std::size_t>(month)) * cells;
  for (std::size_t cell = 0; cell < cells; ++cell)
    for (std::size_t m = 0; m < breakdown_metric_count; ++m)
      r.breakdown[((base + cell) * S + specialty) * breakdown_metric_count + m] += day[cell * breakdown_metric_count + m];
}

/// Adds a partition's day of telemedicine encounters to the counts of users:
/// a patient counts once in each calendar period, whichever specialty saw
/// them. `last` holds each patient's last counted month by kind (255: none):
/// one already counted this month is skipped, and one counted in an earlier
/// month is new to every period that month does not share, so the count is the
/// same in any order of the day's encounters.
void count_users(Result& r, int replicate, int month, const std::vector<CarePartition::TelehealthUse>& uses,
                 const Population& population, std::array<PatientArray<std::uint8_t>, user_kind_count>& last) {
  const std::size_t cells = r.user_cells();
  const auto m = static_cast<std::size_t>(month);
  const auto rep = static_cast<std::size_t>(replicate);
  std::array<double*, user_period_count> row;
  for (std::size_t p = 0; p < user_period_count; ++p) {
    auto& u = r.users[p];
    row[p] = &u.counts[(rep * static_cast<std::size_t>(u.size()) + static_cast<std::size_t>(u.of_month[m])) * cells];
  }
  for (const auto& use : uses) {
    const Stratum& st = population.strata()[use.stratum];
    const std::size_t cell = ((static_cast<std::size_t>(st.home) * payer_count + st.payer) * area_count + st.rural) *
                             user_kind_count;
    for (int kind = 0; kind < user_kind_count; ++kind) {
      if (kind == u_telehealth_out_of_home_state && !use.out_of_home_state) continue;
      std::uint8_t& seen = last[static_cast<std::size_t>(kind)][use.patient];
      if (seen == m) continue;
      for (std::size_t p = 0; p < user_period_count; ++p)
        if (seen == 255 || r.users[p].of_month[seen] != r.users[p].of_month[m]) row[p][cell + kind] += 1;
      seen = static_cast<std::uint8_t>(m);
    }
  }
}

/// The calendar periods of the output months (first day and index).
void set_user_periods(Result& r, const Calendar& calendar) {
  for (std::size_t p = 0; p < user_period_count; ++p) {
    auto& u = r.users[p];
    int last = -1;
    for (int m = 0; m < calendar.months(); ++m) {
      const int first_day = calendar.month_start_day[static_cast<std::size_t>(m)];
      const std::chrono::year_month_day first{std::chrono::sys_days{calendar.start} + std::chrono::days{first_day}};
      const int calendar_month = static_cast<int>(first.year()) * 12 + static_cast<int>(unsigned{first.month()}) - 1;
      const int index = calendar_month / user_period_months[p];
      if (index != last) u.start_day.push_back(first_day);
      last = index;
      u.of_month.push_back(u.size() - 1);
    }
  }
}

/// The month's waiting-time quantiles by jurisdiction from the partitions'
/// histograms, which are then cleared for the next month.
void record_wait_quantiles(std::vector<CarePartition>& partitions, Result& r, int replicate, int month) {
  const std::size_t n_us = r.jurisdictions.size();
  std::vector<double> hist(wait_histogram_bins);
  for (std::size_t j = 0; j < n_us; ++j) {
    std::fill(hist.begin(), hist.end(), 0.0);
    for (auto& part : partitions) {
      auto& h = part.wait_histogram();
      for (std::size_t b = 0; b < wait_histogram_bins; ++b) hist[b] += h[j * wait_histogram_bins + b];
    }
    double total = 0;
    for (double x : hist) total += x;
    for (std::size_t q = 0; q < wait_quantile_levels.size(); ++q) {
      double value = std::numeric_limits<double>::quiet_NaN(), cumulative = 0;
      for (std::size_t b = 0; total > 0 && b < wait_histogram_bins; ++b)
        if ((cumulative += hist[b]) >= wait_quantile_levels[q] * total) {
          value = static_cast<double>(b);
          break;
        }
      r.wait_quantiles[r.monthly_index(replicate, month, j, wait_quantile_levels.size()) + q] = value;
    }
  }
  for (auto& part : partitions) std::fill(part.wait_histogram().begin(), part.wait_histogram().end(), 0.0);
}

/// End-of-month stock of authorizations by pathway: licenses from the
/// clinicians' masks, the rest as each regime counts its own.
void record_pathway_stocks(const Workforce& w, const RegimeSet& regimes, Result& r, int replicate, int month) {
  const std::size_t n_us = r.jurisdictions.size();
  const auto cell = [&](std::size_t j, Pathway p) -> double& {
    return r.by_pathway[r.monthly_index(replicate, month, j, pathway_count * pathway_slot_count) +
                        static_cast<std::size_t>(p) * pathway_slot_count + ps_active];
  };
  for (std::size_t j = 0; j < n_us; ++j)
    for (int p = 0; p < pathway_count; ++p) cell(j, static_cast<Pathway>(p)) = 0;
  for (ClinicianId c = 0; c < w.size(); ++c) {
    for (std::size_t j = 0; j < n_us; ++j) {
      const std::uint64_t bit = std::uint64_t{1} << j;
      if (w.active[c] & bit) cell(j, (w.compact[c] & bit) ? Pathway::compact : Pathway::full_license) += 1;
    }
  }
  regimes.count_authorizations(w, [&](std::size_t j, Pathway p) { cell(j, p) += 1; });
}

/// Runs one replicate over `calendar` (the spin-up then the recorded days);
/// day d of it is recorded as day d - spinup of `output` when not negative.
void run_replicate(const Scenario& scenario, const ModelParams& params, const Population& population,
                   const Calendar& calendar, const Calendar& output, const RunOptions& options, int spinup,
                   int replicate, Result& results, long& days_done) {
  const auto& places = scenario.places;
  const auto rep = static_cast<std::uint32_t>(replicate);
  const int days = static_cast<int>(calendar.month_of_day.size());
  RegimeSet regimes(scenario, params, calendar, days);
  std::vector<std::vector<Expiry>> expiries;
  Workforce workforce = build_workforce(places, params, options.scale, options.seed, rep, days, expiries,
                                        regimes.extra_clinicians());
  if (replicate == 0) {
    results.clinicians = workforce.size();
    results.licensed_clinicians = static_cast<std::uint64_t>(
        std::count_if(workforce.active.begin(), workforce.active.end(), [](std::uint64_t a) { return a != 0; }));
  }
  regimes.prepare(workforce, options.seed, rep);
  Boards boards(params, places, workforce, regimes, options.scale, days, options.seed, rep);
  // An accelerated spin-up runs licensing faster than care, so the stock of
  // licenses held for telemedicine reaches in two years what takes over a
  // decade at the real rate; the spin-up's last days run at the real rate, so
  // the recorded days start from its flows.
  boards.accelerate(params.spinup_licensing_speedup, std::min(spinup, params.spinup_accelerated_days));
  const LocumLicensing locums(params, places, workforce, options.seed, rep);
  int services_day = 0;
  RegimeServices services{workforce, [&](ClinicianId c, std::size_t j, const PathwayOffer& offer) {
                            boards.submit(c, j, services_day, offer, workforce);
                          }};
  PatientArray<ClinicianId> usual_clinician(population.size(), no_clinician);
  // Each patient's last month counted as a user, by kind (255: none yet).
  std::array<PatientArray<std::uint8_t>, user_kind_count> last_counted;
  for (auto& a : last_counted) a.assign(population.size(), 255);

  const CareContext ctx{params,    places,    population, calendar, options.seed, rep, days, usual_clinician,
                        workforce, results, regimes};
  std::vector<CarePartition> partitions;
  for (std::size_t s = 0; s < params.specialties.size(); ++s) partitions.emplace_back(s, ctx);

  const std::size_t n_us = places.us.size();
  const std::size_t n_spec = params.specialties.size();
  std::vector<double> unmet(n_us * n_spec, 0.0);
  const int review_interval = std::max(1, static_cast<int>(std::lround(params.review_interval_days)));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const auto n_partitions = static_cast<int>(partitions.size());
  // Largest partitions first (by share of visits), so threads finish together.
  std::vector<std::size_t> order(partitions.size());
  for (std::size_t s = 0; s < order.size(); ++s) order[s] = s;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return params.specialties[a].visit_share > params.specialties[b].visit_share;
  });

  for (int day = 0; day < days; ++day) {
    if (options.cancelled && options.cancelled()) throw Cancelled();
    if (day == spinup)  // the recorded waits start here
      for (auto& part : partitions) std::fill(part.wait_histogram().begin(), part.wait_histogram().end(), 0.0);
    services_day = day;
    boards.new_day();
    regimes.start_day(day, services);
    boards.step(day, workforce, expiries);
    locums.assign(day, workforce, boards, regimes);
    if (day > 0 && day % review_interval == 0) {
      for (std::size_t s = 0; s < n_spec; ++s) {
        auto& u = partitions[s].unmet_telehealth();
        for (std::size_t j = 0; j < n_us; ++j) unmet[j * n_spec + s] = u[j];
        std::fill(u.begin(), u.end(), 0.0);
      }
      boards.review_unmet_demand(day, unmet, workforce);
    }

    // The one parallel region of the step. Specialties are independent
    // partitions; then each thread applies the day's new patient-clinician
    // relationships for its own range of patients, in partition order, so the
    // result is the same for any thread count.
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(dynamic, 1)
      for (int k = 0; k < n_partitions; ++k) partitions[order[static_cast<std::size_t>(k)]].run_day(ctx, day);
      const auto n_threads = static_cast<std::uint64_t>(omp_get_num_threads());
      const auto me = static_cast<std::uint64_t>(omp_get_thread_num());
      const std::uint64_t lo = population.size() * me / n_threads, hi = population.size() * (me + 1) / n_threads;
      for (auto& part : partitions)
        for (const auto& [patient, clinician] : part.relationship_updates())
          if (patient >= lo && patient < hi) usual_clinician[patient] = clinician;
    }

    ++days_done;
    if (options.progress) options.progress(days_done, static_cast<long>(days) * options.replicates);
    const int out_day = day - spinup;
    if (out_day < 0) continue;  // spin-up: simulated, not recorded

    // Serial merge in a fixed order, so sums are identical for any thread count.
    boards.record_stocks();
    const auto& board_ledger = boards.ledger();
    const auto ledger_size = static_cast<Eigen::Index>(board_ledger.size());
    ArrayMap row(&results.daily[results.daily_index(replicate, out_day, 0, 0)], ledger_size);
    row = ConstArrayMap(board_ledger.data(), ledger_size);
    const auto& month_of_day = output.month_of_day;
    const int month = month_of_day[static_cast<std::size_t>(out_day)];
    const auto flow_size = static_cast<Eigen::Index>(places.size() * places.size() * modality_count);
    ArrayMap flows(&results.flows[(static_cast<std::size_t>(replicate) * results.months + month) *
                                  static_cast<std::size_t>(flow_size)],
                   flow_size);
    add_pathway_flows(results, replicate, month, boards.pathway_ledger());
    const auto home_flow_size = static_cast<Eigen::Index>(n_us * payer_count * places.size() * modality_count);
    ArrayMap home_flows(&results.home_flows[(static_cast<std::size_t>(replicate) * results.months + month) *
                                            static_cast<std::size_t>(home_flow_size)],
                        home_flow_size);
    for (auto& part : partitions) {
      row += ConstArrayMap(part.ledger().data(), ledger_size);
      flows += ConstArrayMap(part.flows().data(), flow_size);
      home_flows += ConstArrayMap(part.home_flows().data(), home_flow_size);
      count_users(results, replicate, month, part.telehealth_uses(), population, last_counted);
      add_monthly(results.by_authority, results, replicate, month, part.authority_ledger());
      add_monthly(results.disruptions, results, replicate, month, part.disruption_ledger());
      add_monthly(results.harm_causes, results, replicate, month, part.cause_ledger());
      add_breakdown(results, replicate, month, part.specialty(), part.breakdown_ledger());
    }
    const bool month_ends = day + 1 == days || month_of_day[static_cast<std::size_t>(out_day) + 1] != month;
    if (month_ends) {
      record_pathway_stocks(workforce, regimes, results, replicate, month);
      record_wait_quantiles(partitions, results, replicate, month);
    }
  }
}

}  // namespace

Result run(const Scenario& scenario, const RunOptions& options) {
  validate(options);
  check_scale(scenario, options.scale);  // a run with nobody in it would only look like one
  check_memory(scenario, options);  // refuse, with the estimate, a run that would not fit
  const ModelParams& params = scenario.params();
  const int days = days_run(options, params);
  const auto start = parse_date(params.start_date);
  if (!start) {
    const auto o = scenario.origin("simulation.start_date");
    throw ScenarioError(o.file, o.line, "simulation.start_date",
                        "expected a date YYYY-MM-DD, got \"" + params.start_date + "\"");
  }
  const Calendar calendar(*start, days);
  // The spin-up runs under the rules in force on its own dates (regimes' windows
  // and membership dates are read against this calendar).
  const int spinup = params.spinup_days;
  const Calendar simulated(std::chrono::year_month_day{std::chrono::sys_days{*start} - std::chrono::days{spinup}},
                           spinup + days);
  const Population population(scenario.places, params, options.scale);

  Result results;
  results.replicates = options.replicates;
  results.patients = population.size();
  results.days = days;
  results.months = calendar.months();
  results.start_date = params.start_date;
  results.spinup_days = spinup;
  results.spinup_accelerated_days = std::min(spinup, params.spinup_accelerated_days);
  results.spinup_licensing_speedup = params.spinup_licensing_speedup;
  results.month_start_day = calendar.month_start_day;
  for (const auto& j : scenario.places.us) results.jurisdictions.push_back(j.code);
  for (std::size_t p = 0; p < scenario.places.size(); ++p)
    results.places.push_back(scenario.places.code(p));
  for (const auto& s : params.specialties) results.specialties.push_back(s.name);
  set_user_periods(results, calendar);
  allocate_results(results);  // every array, from the output schema
  for (const Stratum& st : population.strata())
    results.patients_by_cell[(static_cast<std::size_t>(st.home) * payer_count + st.payer) * area_count + st.rural] +=
        static_cast<double>(st.size);

  long days_done = 0;
  for (int r = 0; r < options.replicates; ++r)
    run_replicate(scenario, params, population, simulated, calendar, options, spinup, r, results, days_done);
  return results;
}

}  // namespace licsim
