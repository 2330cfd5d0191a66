#include "engine/engine.hpp"

#include <omp.h>

#include <Eigen/Core>

#include <cmath>

#include "core/errors.hpp"
#include "engine/boards.hpp"
#include "engine/calendar.hpp"
#include "engine/care.hpp"
#include "engine/model_params.hpp"
#include "engine/population.hpp"
#include "engine/workforce.hpp"

namespace licsim {

void validate(const RunOptions& o) {
  if (o.replicates < 1 || o.replicates > 100000)
    throw UsageError("--replicates: expected an integer in [1, 100000], got " +
                     std::to_string(o.replicates));
  if (o.threads < 0 || o.threads > 1024)
    throw UsageError("--threads: expected an integer in [0, 1024], got " + std::to_string(o.threads));
  if (!(o.scale > 0.0) || o.scale > 1.0 || !std::isfinite(o.scale))
    throw UsageError("--scale: expected a number in (0, 1], got " + std::to_string(o.scale));
  if (o.days < 0 || o.days > 3650)
    throw UsageError("--days: expected an integer in [1, 3650], got " + std::to_string(o.days));
}

double Results::total(int replicate, DailyMetric metric) const {
  double sum = 0;
  for (int d = 0; d < days; ++d)
    for (std::size_t j = 0; j < jurisdictions.size(); ++j) sum += daily[daily_index(replicate, d, j, metric)];
  return sum;
}

namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXd>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXd>;

void run_replicate(const Scenario& scenario, const ModelParams& params, const Population& population,
                   const Calendar& calendar, const RunOptions& options, int days, int replicate,
                   Results& results, long& days_done) {
  const auto& places = scenario.places;
  const auto rep = static_cast<std::uint32_t>(replicate);
  std::vector<std::vector<Expiry>> expiries;
  Workforce workforce =
      build_workforce(places, params, options.scale, options.seed, rep, days, expiries);
  Boards boards(params, places, workforce, options.scale, days, options.seed, rep);
  std::vector<ClinicianId> usual_clinician(population.size(), no_clinician);

  const CareContext ctx{params, places, population, calendar, options.seed, rep, days,
                        usual_clinician, workforce, results};
  std::vector<CarePartition> partitions;
  for (std::size_t s = 0; s < params.specialties.size(); ++s) partitions.emplace_back(s, ctx);

  const std::size_t n_us = places.us.size();
  const std::size_t n_spec = params.specialties.size();
  DayLedger board_ledger(n_us * daily_metric_count, 0.0);
  std::vector<double> unmet(n_us * n_spec, 0.0);
  const int review_interval = std::max(1, static_cast<int>(std::lround(params.review_interval_days)));
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  const auto n_partitions = static_cast<int>(partitions.size());

  for (int day = 0; day < days; ++day) {
    if (options.cancelled && options.cancelled()) throw Cancelled();
    std::fill(board_ledger.begin(), board_ledger.end(), 0.0);
    boards.step(day, workforce, expiries, board_ledger);
    if (day > 0 && day % review_interval == 0) {
      for (std::size_t s = 0; s < n_spec; ++s) {
        auto& u = partitions[s].unmet_telehealth();
        for (std::size_t j = 0; j < n_us; ++j) unmet[j * n_spec + s] = u[j];
        std::fill(u.begin(), u.end(), 0.0);
      }
      boards.review_unmet_demand(day, unmet, workforce, board_ledger);
    }

    // The one parallel region of the step: specialties are independent partitions.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int s = 0; s < n_partitions; ++s) partitions[static_cast<std::size_t>(s)].run_day(ctx, day);

    // Serial merge in a fixed order, so sums are identical for any thread count.
    boards.record_stocks(board_ledger);
    const auto ledger_size = static_cast<Eigen::Index>(board_ledger.size());
    ArrayMap row(&results.daily[results.daily_index(replicate, day, 0, 0)], ledger_size);
    row = ConstArrayMap(board_ledger.data(), ledger_size);
    const std::size_t month = static_cast<std::size_t>(calendar.month_of_day[day]);
    const auto flow_size = static_cast<Eigen::Index>(places.size() * places.size() * modality_count);
    ArrayMap flows(&results.flows[(static_cast<std::size_t>(replicate) * results.months + month) *
                                  static_cast<std::size_t>(flow_size)],
                   flow_size);
    for (auto& part : partitions) {
      row += ConstArrayMap(part.ledger().data(), ledger_size);
      flows += ConstArrayMap(part.flows().data(), flow_size);
      for (const auto& [patient, clinician] : part.relationship_updates())
        usual_clinician[patient] = clinician;
    }
    ++days_done;
    if (options.progress) options.progress(days_done, static_cast<long>(days) * options.replicates);
  }
}

}  // namespace

Results run(const Scenario& scenario, const RunOptions& options) {
  validate(options);
  const ModelParams params = read_model_params(scenario);
  const int days = options.days > 0 ? options.days : params.default_days;
  const auto start = parse_date(params.start_date);
  if (!start) {
    const auto o = scenario.origin("simulation.start_date");
    throw ScenarioError(o.file, o.line, "simulation.start_date",
                        "expected a date YYYY-MM-DD, got \"" + params.start_date + "\"");
  }
  const Calendar calendar(*start, days);
  const Population population(scenario.places, params, options.scale);

  Results results;
  results.replicates = options.replicates;
  results.days = days;
  results.months = calendar.months();
  results.start_date = params.start_date;
  results.month_start_day = calendar.month_start_day;
  for (const auto& j : scenario.places.us) results.jurisdictions.push_back(j.code);
  for (std::size_t p = 0; p < scenario.places.size(); ++p)
    results.places.push_back(scenario.places.code(p));
  for (const auto& s : params.specialties) results.specialties.push_back(s.name);
  const std::size_t n_us = results.jurisdictions.size();
  const std::size_t n_places = results.places.size();
  const auto reps = static_cast<std::size_t>(options.replicates);
  const auto months = static_cast<std::size_t>(results.months);
  results.daily.assign(reps * static_cast<std::size_t>(days) * n_us * daily_metric_count, 0.0);
  results.breakdown.assign(reps * months * n_us * payer_count * area_count *
                               params.specialties.size() * breakdown_metric_count,
                           0.0);
  results.flows.assign(reps * months * n_places * n_places * modality_count, 0.0);

  long days_done = 0;
  for (int r = 0; r < options.replicates; ++r)
    run_replicate(scenario, params, population, calendar, options, days, r, results, days_done);
  return results;
}

}  // namespace licsim
