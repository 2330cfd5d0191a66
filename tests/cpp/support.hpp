#pragma once
// Shared helpers for the C++ tests: the baseline scenario with overrides, and
// small runs.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "io/scenario_file.hpp"
#include "model/types.hpp"

namespace licsim::test {

inline std::filesystem::path source_dir() { return LICSIM_SOURCE_DIR; }
inline std::filesystem::path baseline_path() { return source_dir() / "scenarios" / "state_only.toml"; }

/// The baseline scenario with `--set`-style overrides applied, finalized.
/// Without its spin-up: a mechanism test starts from a known, empty history
/// (and runs in a fraction of the time); a test of the spin-up sets it back
/// with "simulation.spinup_days=...". The shipped-defaults tests load the
/// files as they are.
inline Scenario baseline(const std::vector<std::string>& overrides = {}) {
  Scenario s = load_scenario_file(baseline_path());
  apply_override(s, "simulation.spinup_days=0");
  for (const auto& o : overrides) apply_override(s, o);
  finalize_scenario(s);
  return s;
}

inline RunOptions small_run(int days = 60, double scale = 0.0005, std::uint64_t seed = 7) {
  RunOptions o;
  o.days = days;
  o.scale = scale;
  o.seed = seed;
  o.threads = 1;
  return o;
}

/// A small run of the baseline with overrides (one thread, seed 7).
inline Result run_with(const std::vector<std::string>& overrides, int days = 60, double scale = 0.0005) {
  return run(baseline(overrides), small_run(days, scale));
}

/// `specialty.<s>.<key>=<value>` for every specialty of the baseline.
inline std::vector<std::string> for_every_specialty(const std::string& key, const std::string& value) {
  std::vector<std::string> o;
  for (const char* s : {"primary_care", "mental_health", "medical_specialty", "surgical_specialty"})
    o.push_back(std::string("specialty.") + s + "." + key + "=" + value);
  return o;
}

/// Sum of a daily metric over everything.
inline double total(const Result& r, DailyMetric m) {
  double sum = 0;
  for (int rep = 0; rep < r.replicates; ++rep) sum += r.total(rep, m);
  return sum;
}

inline double served(const Result& r) {
  return total(r, m_served_in_person) + total(r, m_served_telehealth_in_state) +
         total(r, m_served_telehealth_cross_state) + total(r, m_served_telehealth_international);
}

/// Sum of a breakdown metric over everything, or over one payer (payer >= 0).
inline double breakdown_total(const Result& r, BreakdownMetric m, int payer = -1) {
  double sum = 0;
  const std::size_t cells = r.breakdown.size() / breakdown_metric_count;
  const std::size_t per_payer = licsim::area_count * r.specialties.size();
  for (std::size_t i = 0; i < cells; ++i)
    if (payer < 0 || (i / per_payer) % licsim::payer_count == static_cast<std::size_t>(payer))
      sum += r.breakdown[i * breakdown_metric_count + m];
  return sum;
}

inline double telehealth(const Result& r) {
  return total(r, m_served_telehealth_in_state) + total(r, m_served_telehealth_cross_state) +
         total(r, m_served_telehealth_international);
}

}  // namespace licsim::test

#include "engine/calendar.hpp"
#include "engine/read_model_params.hpp"
#include "engine/regimes/regime_set.hpp"
#include "engine/workforce.hpp"

namespace licsim::test {

/// A scenario's regimes with a replicate's workforce, for unit tests of rules.
struct RegimeWorld {
  Scenario scenario;
  ModelParams params;
  Calendar calendar;
  RegimeSet regimes;
  std::vector<std::vector<Expiry>> expiries;
  Workforce workforce;
  explicit RegimeWorld(const std::vector<std::string>& overrides, int days = 400, double scale = 0.001)
      : scenario(baseline(overrides)),
        params(read_model_params(scenario)),
        calendar(*parse_date(params.start_date), days),
        regimes(scenario, params, calendar, days),
        workforce(build_workforce(scenario.places, params, scale, 1, 0, days, expiries, regimes.extra_clinicians())) {
    regimes.prepare(workforce, 1, 0);
  }
  std::size_t code(const char* c) const { return *scenario.places.find(c); }
  /// Day index of a date.
  int day(const char* date) const {
    return static_cast<int>((std::chrono::sys_days{*parse_date(date)} - std::chrono::sys_days{calendar.start}).count());
  }
  /// First clinician matching `pred`.
  template <class Pred>
  ClinicianId find(Pred pred) const {
    for (ClinicianId c = 0; c < workforce.size(); ++c)
      if (pred(c)) return c;
    return no_clinician;
  }
  /// A US-based clinician licensed only in `home`.
  ClinicianId licensed_only_in(std::size_t home) const {
    return find([&](ClinicianId c) { return !workforce.is_abroad(c) && workforce.active[c] == (std::uint64_t{1} << home); });
  }
  static EncounterQuery tele(std::size_t loc, Payer payer, int day, std::uint16_t flags = 0) {
    return {static_cast<std::uint8_t>(loc), static_cast<std::uint8_t>(payer), Modality::telehealth, day, flags, 0};
  }
};

}  // namespace licsim::test
