#pragma once
// A run's settings: everything its result depends on besides the scenario.
// The one place their bounds live: `licsim run`, `licsim sweep`, sweep files
// and Python (`_core.RunSettings`) all check them here, so every front end
// accepts the same values and says the same thing about the others.
#include <cstdint>
#include <string>
#include <vector>

#include "model/model_params.hpp"

namespace licsim {

/// The result depends on the scenario and these, never on how it is executed
/// (threads, processes): see Execution in engine/engine.hpp.
struct RunSettings {
  std::uint64_t seed = 1;
  int replicates = 1;
  double scale = 0.001;  ///< agents per person
  int days = 0;          ///< 0: the scenario's simulation.days
};

/// An integer setting's name (as the command line spells it, without "--"),
/// its bounds, and what its special value means.
struct IntegerBounds {
  const char* name;
  long long low;
  long long high;
  const char* note;  ///< e.g. " (0: the scenario's simulation.days)"
};

inline constexpr IntegerBounds replicates_bounds{"replicates", 1, 100000, ""};
inline constexpr IntegerBounds days_bounds{"days", 0, 3650, " (0: the scenario's simulation.days)"};
/// Not a RunSettings field: how many OpenMP threads run it (0: all cores).
inline constexpr IntegerBounds threads_bounds{"threads", 0, 1024, " (0: all cores)"};

/// The integer settings' bounds, for front ends that check types first (Python).
std::vector<IntegerBounds> integer_setting_bounds();

/// "--NAME: expected an integer in [LOW, HIGH]NOTE": the message for a bad value.
std::string expected_integer(const IntegerBounds& bounds);
/// "--scale: expected a number in (0, 1]".
std::string expected_scale();

/// Throws UsageError naming the first bad setting, with its bounds.
void validate(const RunSettings& settings);
/// Throws UsageError unless `threads` is within threads_bounds.
void validate_threads(int threads);

/// The days a run records: `days`, or the scenario's simulation.days when 0.
/// The one place "0 means the scenario's" is resolved.
inline int days_run(int days, const ModelParams& params) { return days > 0 ? days : params.default_days; }
inline int days_run(const RunSettings& settings, const ModelParams& params) {
  return days_run(settings.days, params);
}

}  // namespace licsim
