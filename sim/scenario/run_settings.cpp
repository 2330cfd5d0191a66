#include "scenario/run_settings.hpp"

#include <cmath>
#include <sstream>

#include "core/errors.hpp"

namespace licsim {

std::vector<IntegerBounds> integer_setting_bounds() { return {replicates_bounds, days_bounds, threads_bounds}; }

std::string expected_integer(const IntegerBounds& b) {
  return "--" + std::string(b.name) + ": expected an integer in [" + std::to_string(b.low) + ", " +
         std::to_string(b.high) + "]" + b.note;
}

std::string expected_scale() { return "--scale: expected a number in (0, 1]"; }

namespace {

void check_integer(const IntegerBounds& b, long long value) {
  if (value < b.low || value > b.high) throw UsageError(expected_integer(b) + ", got " + std::to_string(value));
}

}  // namespace

void validate(const RunSettings& s) {
  check_integer(replicates_bounds, s.replicates);
  if (!(s.scale > 0.0) || s.scale > 1.0 || !std::isfinite(s.scale)) {
    std::ostringstream msg;
    msg << expected_scale() << ", got " << s.scale;
    throw UsageError(msg.str());
  }
  check_integer(days_bounds, s.days);
}

void validate_threads(int threads) { check_integer(threads_bounds, threads); }

}  // namespace licsim
