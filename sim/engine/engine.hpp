#pragma once
// The one entry point both front ends (CLI and Python) call.
#include <cstdint>
#include <functional>

#include "engine/results.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// Run settings (not model parameters: those live in the scenario).
struct RunOptions {
  std::uint64_t seed = 1;
  int replicates = 1;
  int threads = 0;       ///< 0: OpenMP's default
  double scale = 0.001;  ///< agents per person
  int days = 0;          ///< 0: the scenario's simulation.days
  /// Called after each simulated day with (days done, days in total), outside
  /// any parallel region.
  std::function<void(long done, long total)> progress;
  /// Polled between days; returning true stops the run with licsim::Cancelled.
  std::function<bool()> cancelled;
};

/// The days a run records: --days, or the scenario's simulation.days when 0.
inline int run_days(const RunOptions& options, const ModelParams& params) {
  return options.days > 0 ? options.days : params.default_days;
}

/// Checks the settings; throws UsageError naming the bad one.
void validate(const RunOptions& options);

/// Simulates every replicate of a complete (finalized) scenario. The result
/// depends only on the scenario and (seed, replicates, scale, days), never on
/// the thread count.
Results run(const Scenario& scenario, const RunOptions& options);

}  // namespace licsim
