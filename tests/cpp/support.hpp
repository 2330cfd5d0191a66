#pragma once
// Shared helpers for the C++ tests: the baseline scenario with overrides, and
// small runs.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "io/scenario_file.hpp"

namespace licsim::test {

inline std::filesystem::path source_dir() { return LICSIM_SOURCE_DIR; }
inline std::filesystem::path baseline_path() { return source_dir() / "scenarios" / "state_only.toml"; }

/// The baseline scenario with `--set`-style overrides applied, finalized.
inline Scenario baseline(const std::vector<std::string>& overrides = {}) {
  Scenario s = load_scenario_file(baseline_path());
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

/// Sum of a daily metric over everything.
inline double total(const Results& r, DailyMetric m) {
  double sum = 0;
  for (int rep = 0; rep < r.replicates; ++rep) sum += r.total(rep, m);
  return sum;
}

inline double served(const Results& r) {
  return total(r, m_served_in_person) + total(r, m_served_telehealth_in_state) +
         total(r, m_served_telehealth_cross_state) + total(r, m_served_telehealth_international);
}

inline double telehealth(const Results& r) {
  return total(r, m_served_telehealth_in_state) + total(r, m_served_telehealth_cross_state) +
         total(r, m_served_telehealth_international);
}

}  // namespace licsim::test
