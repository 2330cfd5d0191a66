#pragma once
// What a run will need before it starts: memory from the engine's own data
// structures (measured against peak RSS in docs/reliability.md), and the memory
// this process may still use. A run that would not fit is refused up front.
#include <cstdint>
#include <optional>
#include <string>

#include "scenario/run_settings.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

/// Peak memory of a run, by part. Sizes come from sizeof() of the engine's
/// types times their expected counts (patients, clinicians, episodes in flight,
/// result cells).
struct MemoryEstimate {
  std::uint64_t patients = 0;        ///< simulated patients
  std::uint64_t clinicians = 0;      ///< simulated clinicians (one replicate)
  double bytes_per_patient = 0;      ///< usual clinician + episodes in flight
  double bytes_per_clinician = 0;    ///< workforce arrays, pools, license expiries
  std::uint64_t results_bytes = 0;   ///< result arrays of every replicate + the writer's buffer
  std::uint64_t fixed_bytes = 0;     ///< program, libraries, data files (measured)
  std::uint64_t total() const;
  /// "4.3 GiB (340 M patients x 12.9 B, 1.0 M clinicians x 131 B, results 25 MiB, base 24 MiB)".
  std::string describe() const;
};

struct Extents;
struct ModelParams;
/// The output's extents a run of `days` days will have (months from the
/// calendar, calendar periods bounded), before it runs.
Extents planned_extents(const Scenario& scenario, const ModelParams& params, int replicates, int days);

/// The estimate for a complete scenario and run settings (days 0: the scenario's).
MemoryEstimate estimate_memory(const Scenario& scenario, const RunSettings& options);

/// Memory this process may still use, with where the figure came from: the
/// smallest of MemAvailable (/proc/meminfo), the cgroup's memory.max less its
/// usage, and RLIMIT_AS / RLIMIT_DATA; LICSIM_MEMORY_LIMIT (bytes, or with a K,
/// M or G suffix) replaces them all. nullopt when nothing is known.
struct AvailableMemory {
  std::uint64_t bytes = 0;
  std::string source;  ///< e.g. "MemAvailable in /proc/meminfo"
};
std::optional<AvailableMemory> available_memory();

/// Throws UsageError, with the estimate and what is available, when the run
/// would not fit in memory or its patients or clinicians would not fit the
/// engine's 32-bit ids. licsim::run calls it first.
void check_memory(const Scenario& scenario, const RunSettings& options);

/// Why `scale` gives a run without patients (every stratum of identical
/// patients rounds to none) or without clinicians, with the smallest scale that
/// gives some; nullopt when it gives both. check_scale throws it as UsageError
/// ("--scale X: ..."); licsim::run calls it first, sweeps for each base scenario.
std::optional<std::string> scale_problem(const Scenario& scenario, double scale);
void check_scale(const Scenario& scenario, double scale);

/// "1.5 GiB", "730 MiB", "12 KiB", "512 B".
std::string format_bytes(double bytes);

}  // namespace licsim
