#pragma once
// The one entry point both front ends (CLI and Python) call.
#include <cstdint>
#include <functional>

#include "engine/result.hpp"
#include "scenario/run_settings.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// A run's settings (scenario/run_settings.hpp: what the result depends on)
/// and how to execute them, which the result never depends on.
struct RunOptions : RunSettings {
  RunOptions() = default;
  explicit RunOptions(const RunSettings& settings) : RunSettings(settings) {}

  int threads = 0;  ///< 0: OpenMP's default
  /// Called after each simulated day with (days done, days in total), outside
  /// any parallel region.
  std::function<void(long done, long total)> progress;
  /// Polled between days; returning true stops the run with licsim::Cancelled.
  std::function<bool()> cancelled;
};

/// Checks the settings and the thread count (scenario/run_settings.hpp);
/// throws UsageError naming the bad one.
void validate(const RunOptions& options);

/// Simulates every replicate of a complete (finalized) scenario. The result
/// depends only on the scenario and (seed, replicates, scale, days), never on
/// the thread count.
Result run(const Scenario& scenario, const RunOptions& options);

}  // namespace licsim
