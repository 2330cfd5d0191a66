#include <doctest/doctest.h>

#include <set>

#include "core/errors.hpp"
#include "io/sweep_file.hpp"
#include "support.hpp"
#include "sweep/plan.hpp"

namespace licsim {

namespace {

SweepSpec spec_of(const std::string& settings, const std::string& rest) {
  return load_sweep_string("[sweep]\nscenarios = [\"state_only.toml\", \"imlc.toml\"]\n" + settings + rest, "t.toml",
                           test::source_dir() / "scenarios");
}

}  // namespace

TEST_CASE("points run scenarios outermost, then the grid row-major, then the samples") {
  const auto plan = make_plan(spec_of("seed = 3\n",
                                      "[grid]\n\"regulator.license_fee_usd\" = [100, 200, 300]\n"
                                      "\"compact.approval_prob\" = [0.5, 0.6]\n"
                                      "[sample]\nmethod = \"sobol\"\npoints = 2\n"
                                      "[sample.ranges]\n\"licensing.review_interval_days\" = [10, 40]\n"));
  REQUIRE(plan.points.size() == 2 * 3 * 2 * 2);
  CHECK(plan.coordinates ==
        std::vector<std::string>{"regulator.license_fee_usd", "compact.approval_prob", "licensing.review_interval_days"});
  const auto value = [&](int p, int c) { return std::get<double>(plan.points[p].overrides[c].second); };
  CHECK(plan.points[0].label == "state_only");
  CHECK(plan.points[12].label == "imlc");
  CHECK(value(0, 0) == 100);
  CHECK(value(0, 1) == 0.5);
  CHECK(value(2, 1) == 0.6);  // the second grid axis varies faster than the first
  CHECK(value(4, 0) == 200);
  CHECK(value(0, 2) == 10);   // Sobol's first point is the lower bound
  CHECK(value(1, 2) == 25);   // its second the midpoint
  CHECK(value(13, 2) == 25);  // the same samples for every scenario and grid cell
  std::set<std::uint64_t> seeds;
  for (const auto& p : plan.points) seeds.insert(p.seed);
  CHECK(seeds.size() == plan.points.size());
  // The plan depends on the file only: resolving it again gives the same points and seeds.
  CHECK(plan_to_toml(make_plan(spec_of("seed = 3\n",
                                       "[grid]\n\"regulator.license_fee_usd\" = [100, 200, 300]\n"
                                       "\"compact.approval_prob\" = [0.5, 0.6]\n"
                                       "[sample]\nmethod = \"sobol\"\npoints = 2\n"
                                       "[sample.ranges]\n\"licensing.review_interval_days\" = [10, 40]\n"))) ==
        plan_to_toml(plan));
}

TEST_CASE("common random numbers give every point the sweep seed") {
  const auto plan = make_plan(spec_of("seed = 77\nrandom_numbers = \"common\"\n", "[grid]\n\"compact.approval_prob\" = [0.5, 0.6]\n"));
  for (const auto& p : plan.points) CHECK(p.seed == 77);
}

TEST_CASE("integer keys sampled from a range are rounded within it") {
  const auto plan = make_plan(spec_of("", "[sample]\nmethod = \"latin_hypercube\"\npoints = 20\n"
                                          "[sample.ranges]\n\"compact.member_count\" = [0, 5]\n"));
  std::set<std::int64_t> seen;
  for (const auto& p : plan.points) {
    const auto v = std::get<std::int64_t>(p.overrides[0].second);
    CHECK(v >= 0);
    CHECK(v <= 5);
    seen.insert(v);
  }
  CHECK(seen.size() == 6);
}

TEST_CASE("a point's scenario is its base with its overrides, and a bad combination fails that point only") {
  const auto plan = make_plan(spec_of("", "[grid]\n\"clinicians.two_licenses_share\" = [0.2, 0.99]\n"));
  const Scenario ok = point_scenario(plan, 0);  // state_only, 0.2
  CHECK(ok.real("clinicians.two_licenses_share") == 0.2);
  CHECK_THROWS_WITH_AS(point_scenario(plan, 1), doctest::Contains("must not exceed 1"), ScenarioError);
  CHECK(point_scenario(plan, 2).boolean("compact.enabled"));  // imlc
}

TEST_CASE("base scenarios whose outputs cannot be stacked are refused up front") {
  const auto spec = load_sweep_string(
      "[sweep]\nscenarios = [\"state_only.toml\", \"covid_waiver.toml\"]\n", "t.toml", test::source_dir() / "scenarios");
  CHECK_THROWS_WITH_AS(make_plan(spec), doctest::Contains("cannot be stacked"), ScenarioError);
  // The sweep's days make their horizons agree, but start dates still differ.
  const auto same = load_sweep_string("[sweep]\nscenarios = [\"state_only.toml\", \"imlc.toml\"]\ndays = 10\n", "t.toml",
                                      test::source_dir() / "scenarios");
  CHECK(make_plan(same).points.size() == 2);
}

}  // namespace licsim
