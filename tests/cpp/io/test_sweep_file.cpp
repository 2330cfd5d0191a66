#include <doctest/doctest.h>

#include "core/errors.hpp"
#include "io/sweep_file.hpp"
#include "support.hpp"

namespace licsim {

namespace {

SweepSpec parse(const std::string& body) {
  const std::string text = "[sweep]\nscenarios = [\"state_only.toml\", \"imlc.toml\"]\n" + body;
  return load_sweep_string(text, "test.toml", test::source_dir() / "scenarios");
}

std::string error_of(const std::string& body) {
  try {
    parse(body);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a sweep file gives its settings, grid axes in file order and sampled ranges") {
  const auto spec = parse(
      "seed = 5\nreplicates = 3\nscale = 0.002\ndays = 90\nrandom_numbers = \"common\"\n"
      "[grid]\n\"regulator.license_fee_usd\" = [100, 200.5]\n\"compact.enabled\" = [true, false]\n"
      "\"compact.loq_fee_usd\" = [1]\n"
      "[sample]\nmethod = \"latin_hypercube\"\npoints = 8\n"
      "[sample.ranges]\n\"compact.approval_prob\" = [0.5, 0.9]\n\"licensing.review_interval_days\" = [10, 40]\n");
  CHECK(spec.settings.run.seed == 5);
  CHECK(spec.settings.run.replicates == 3);
  CHECK(spec.settings.run.scale == 0.002);
  CHECK(spec.settings.run.days == 90);
  CHECK(spec.settings.seeds == SeedPolicy::common);
  REQUIRE(spec.scenarios.size() == 2);
  CHECK(spec.scenarios[1] == (test::source_dir() / "scenarios" / "imlc.toml").string());
  REQUIRE(spec.grid.size() == 3);
  // File order, not toml++'s sorted order.
  CHECK(spec.grid[0].key == "regulator.license_fee_usd");
  CHECK(spec.grid[1].key == "compact.enabled");
  CHECK(spec.grid[2].key == "compact.loq_fee_usd");
  CHECK(std::get<double>(spec.grid[0].values[1]) == 200.5);
  CHECK(std::get<double>(spec.grid[0].values[0]) == 100.0);  // integers become reals for real keys
  CHECK(std::get<bool>(spec.grid[1].values[1]) == false);
  CHECK(spec.method == SampleMethod::latin_hypercube);
  CHECK(spec.samples == 8);
  REQUIRE(spec.ranges.size() == 2);
  CHECK(spec.ranges[0].key == "compact.approval_prob");
  CHECK(spec.ranges[1].low == 10);
}

TEST_CASE("bad sweep files name the file, the line and the key") {
  CHECK(error_of("seeds = 3\n").find("test.toml:3: key 'sweep.seeds': unknown key (did you mean 'sweep.seed'?)") !=
        std::string::npos);
  CHECK(error_of("[grid]\n\"compact.fee\" = [1]\n").find("did you mean 'compact.") != std::string::npos);
  CHECK(error_of("[grid]\n\"compact.approval_prob\" = [0.5, 2]\n").find("test.toml:4: key 'compact.approval_prob'") !=
        std::string::npos);
  CHECK(error_of("[grid]\n\"compact.approval_prob\" = []\n").find("non-empty") != std::string::npos);
  CHECK(error_of("[grid]\ncompact.approval_prob = [0.5]\n").find("quote dotted keys") != std::string::npos);
  CHECK(error_of("[grid]\n\"world.jurisdictions_file\" = [\"x.csv\"]\n").find("cannot be varied") != std::string::npos);
  CHECK(error_of("scale = 0\n").find("(0, 1]") != std::string::npos);
  CHECK(error_of("replicates = -1\n").find("sweep.replicates") != std::string::npos);
  CHECK(error_of("random_numbers = \"shared\"\n").find("\"independent\" or \"common\"") != std::string::npos);
  CHECK(error_of("[sample]\nmethod = \"grid\"\npoints = 2\n").find("latin_hypercube") != std::string::npos);
  CHECK(error_of("[sample]\nmethod = \"sobol\"\npoints = 2\n[sample.ranges]\n\"compact.enabled\" = [0, 1]\n")
            .find("only numeric keys") != std::string::npos);
  CHECK(error_of("[sample]\nmethod = \"sobol\"\npoints = 2\n[sample.ranges]\n\"compact.approval_prob\" = [0.5, 1.5]\n")
            .find("leaves a number in [0, 1]") != std::string::npos);
  CHECK(error_of("[grid]\n\"compact.approval_prob\" = [0.5]\n[sample]\nmethod = \"sobol\"\npoints = 2\n"
                 "[sample.ranges]\n\"compact.approval_prob\" = [0.1, 0.2]\n")
            .find("both a grid axis and a sampled range") != std::string::npos);
  CHECK(error_of("[grid\n").find("invalid TOML") != std::string::npos);
  CHECK_THROWS_AS(load_sweep_string("x = 1\n", "t.toml", "."), ScenarioError);
  CHECK_THROWS_AS(load_sweep_string("[sweep]\nscenarios = [\"nope.toml\"]\n", "t.toml", "."), ScenarioError);
}

TEST_CASE("a plan survives its TOML form unchanged") {
  SweepPlan plan;
  plan.file = "/x/sweep.toml";
  plan.settings.run.seed = 18446744073709551615ULL;  // beyond TOML's signed integers: stored as text
  plan.settings.run.replicates = 2;
  plan.settings.run.scale = 0.001;
  plan.settings.run.days = 30;
  plan.coordinates = {"b.key", "a.key", "c.key"};
  plan.points.push_back({0, "/s/one.toml", "one", 42, {{"b.key", 0.1}, {"a.key", std::int64_t{3}}, {"c.key", std::string("t")}}});
  plan.points.push_back({1, "/s/two.toml", "two", 7, {{"b.key", 1e-17}, {"a.key", std::int64_t{-4}}, {"c.key", true}}});
  const std::string text = plan_to_toml(plan);
  const SweepPlan back = plan_from_toml(text, "plan.toml");
  CHECK(plan_to_toml(back) == text);
  CHECK(back.settings.run.seed == plan.settings.run.seed);
  REQUIRE(back.points.size() == 2);
  CHECK(back.points[1].seed == 7);
  CHECK(back.points[0].overrides[0].first == "b.key");  // coordinate order, not sorted
  CHECK(std::get<double>(back.points[1].overrides[0].second) == 1e-17);
  CHECK_THROWS_AS(plan_from_toml("[sweep]\nseed = \"x\"\n", "p.toml"), ScenarioError);
}

}  // namespace licsim
