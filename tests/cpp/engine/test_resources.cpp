#include <doctest/doctest.h>

#include <cstdlib>

#include "core/errors.hpp"
#include "engine/resources.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

struct EnvVar {
  std::string name;
  EnvVar(std::string n, const char* value) : name(std::move(n)) { ::setenv(name.c_str(), value, 1); }
  ~EnvVar() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("the memory estimate grows with patients, clinicians and results") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(365, 0.01);
  const auto e = estimate_memory(s, o);
  CHECK(e.patients > 3'000'000);
  CHECK(e.patients < 4'000'000);
  CHECK(e.clinicians > 5'000);
  CHECK(e.bytes_per_patient > 8);   // a usual clinician and episodes in flight (booked ones too)
  CHECK(e.bytes_per_patient < 24);  // issue #6 target; measured before booking: 12-14 B (docs/reliability.md)
  CHECK(e.bytes_per_clinician > 80);
  o.scale = 0.1;
  const auto ten = estimate_memory(s, o);
  CHECK(ten.total() > 9 * (e.total() - e.fixed_bytes - e.results_bytes));
  o.replicates = 10;
  // Every replicate's arrays, plus the writer's batch (at least writer_batch_values, doubles and compressed).
  CHECK(ten.results_bytes >= 16 * writer_batch_values);
  CHECK(estimate_memory(s, o).results_bytes > 9 * (ten.results_bytes - 16 * writer_batch_values));
  CHECK(e.describe().find(" patients x ") != std::string::npos);
}

TEST_CASE("a run that would not fit in memory is refused before any work") {
  const Scenario s = test::baseline();
  {
    EnvVar limit("LICSIM_MEMORY_LIMIT", "10M");
    const auto available = available_memory();
    REQUIRE(available);
    CHECK(available->bytes == 10u << 20);
    CHECK_THROWS_AS(run(s, test::small_run(30)), UsageError);
    try {
      run(s, test::small_run(30));
    } catch (const UsageError& e) {
      const std::string msg = e.what();
      CHECK(msg.find("--scale 0.0005, --replicates 1: the run needs an estimated ") == 0);
      CHECK(msg.find("but only 10.0 MiB is available (LICSIM_MEMORY_LIMIT)") != std::string::npos);
    }
  }
  {
    EnvVar limit("LICSIM_MEMORY_LIMIT", "lots");
    CHECK_THROWS_WITH_AS(available_memory(), "LICSIM_MEMORY_LIMIT: expected a size in bytes (e.g. 512M, 8G), got 'lots'",
                         UsageError);
  }
  const auto available = available_memory();
  REQUIRE(available);  // /proc/meminfo at least
  CHECK(available->bytes > 0);
  // Full scale with 100000 replicates: far beyond any machine.
  RunOptions huge = test::small_run(3650, 1.0);
  huge.replicates = 100000;
  CHECK_THROWS_AS(check_memory(s, huge), UsageError);
  CHECK_NOTHROW(check_memory(s, test::small_run()));
}

TEST_CASE("populations beyond the engine's 32-bit ids are refused") {
  Scenario big = test::baseline();
  for (auto& j : big.places.us) j.population = 1e10;
  CHECK_THROWS_WITH_AS(check_memory(big, test::small_run(30, 1.0)),
                       doctest::Contains("the engine holds at most 4295 M of each (32-bit ids)"), UsageError);
}
