#include <doctest/doctest.h>

#include <limits>

#include "core/errors.hpp"
#include "io/sweep_file.hpp"
#include "scenario/run_settings.hpp"
#include "support.hpp"

namespace licsim {

namespace {

std::string sweep_error(const std::string& setting) {
  try {
    load_sweep_string("[sweep]\nscenarios = [\"state_only.toml\"]\n" + setting + "\n", "sweep.toml",
                      test::source_dir() / "scenarios");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("run settings are checked against one set of bounds, named and quoted") {
  RunSettings s;
  CHECK_NOTHROW(validate(s));
  s.replicates = static_cast<int>(replicates_bounds.high);
  s.days = static_cast<int>(days_bounds.high);
  s.scale = 1.0;
  CHECK_NOTHROW(validate(s));
  s.replicates = static_cast<int>(replicates_bounds.high) + 1;
  CHECK_THROWS_WITH_AS(validate(s), "--replicates: expected an integer in [1, 100000], got 100001", UsageError);
  s.replicates = 1;
  s.days = -1;
  CHECK_THROWS_WITH_AS(validate(s), "--days: expected an integer in [0, 3650] (0: the scenario's simulation.days), got -1",
                       UsageError);
  s.days = 0;
  s.scale = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(validate(s), UsageError);
  s.scale = 0.5;
  CHECK_THROWS_WITH_AS(validate_threads(1025), "--threads: expected an integer in [0, 1024] (0: all cores), got 1025",
                       UsageError);
  CHECK_NOTHROW(validate_threads(0));
}

TEST_CASE("a sweep file's settings take exactly the bounds licsim run takes") {
  // Before one definition, a sweep file took 10,000 replicates at most and 36,500 days,
  // and a point with more days than `licsim run` allows failed only when it ran.
  CHECK(sweep_error("replicates = " + std::to_string(replicates_bounds.high)).empty());
  CHECK(sweep_error("days = " + std::to_string(days_bounds.high)).empty());
  CHECK(sweep_error("replicates = " + std::to_string(replicates_bounds.high + 1)).find("sweep.replicates") !=
        std::string::npos);
  CHECK(sweep_error("days = " + std::to_string(days_bounds.high + 1)).find("sweep.days") != std::string::npos);
}

TEST_CASE("days 0 means the scenario's simulation.days, resolved in one place") {
  ModelParams params{};
  params.default_days = 365;
  CHECK(days_run(0, params) == 365);
  CHECK(days_run(30, params) == 30);
  RunSettings s;
  s.days = 7;
  CHECK(days_run(s, params) == 7);
}

}  // namespace licsim
