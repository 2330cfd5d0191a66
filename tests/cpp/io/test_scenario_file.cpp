#include <doctest/doctest.h>

#include <fstream>

#include "core/errors.hpp"
#include "engine/read_model_params.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "licsim_tests";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

std::string with_base(const std::string& rest) {
  return "base = \"" + test::baseline_path().string() + "\"\n" + rest;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the baseline loads complete and consistent") {
  const Scenario s = test::baseline();
  CHECK(s.places.us.size() == 51);
  CHECK(s.places.foreign.size() >= 4);
  const ModelParams p = read_model_params(s);
  CHECK(p.specialties.size() == 4);
  CHECK(p.regulators.size() == 51);
}

TEST_CASE("an unknown key names the file, line, key and nearest key") {
  const auto path = write_temp("typo.toml", with_base("[population]\nlep_shar = 0.1\n"));
  const auto msg = error_of([&] { load_scenario_file(path); });
  CHECK(msg == path.string() + ":3: key 'population.lep_shar': unknown key (did you mean "
                               "'population.lep_share'?)");
}

TEST_CASE("a wrong type or range names what was expected") {
  const auto path = write_temp("range.toml", with_base("[population]\nlep_share = 1.5\n"));
  CHECK(error_of([&] { load_scenario_file(path); }) ==
        path.string() + ":3: key 'population.lep_share': expected a number in [0, 1], got 1.5");
  const auto path2 = write_temp("type.toml", with_base("[simulation]\ndays = \"many\"\n"));
  CHECK(error_of([&] { load_scenario_file(path2); }) ==
        path2.string() + ":3: key 'simulation.days': expected an integer in [1, 3650], got \"many\"");
}

TEST_CASE("invalid TOML names the file and line") {
  const auto path = write_temp("broken.toml", "[population\nlep_share = 0.1\n");
  const auto msg = error_of([&] { load_scenario_file(path); });
  CHECK(msg.rfind(path.string() + ":1: invalid TOML", 0) == 0);
}

TEST_CASE("a missing key is reported when the scenario is finalized") {
  const auto path = write_temp("partial.toml", "[meta]\nname = \"x\"\n");
  Scenario s = load_scenario_file(path);
  const auto msg = error_of([&] { finalize_scenario(s); });
  CHECK(msg.find("key 'meta.description': missing") != std::string::npos);
}

TEST_CASE("a missing file is a scenario error naming it") {
  CHECK(error_of([] { load_scenario_file("/nonexistent/x.toml"); }) ==
        "/nonexistent/x.toml: cannot open the file: No such file or directory");
}

TEST_CASE("base files chain and cycles are refused") {
  const auto child = write_temp("child.toml", with_base("[population]\nlep_share = 0.2\n"));
  const Scenario s = load_scenario_file(child);
  CHECK(s.real("population.lep_share") == 0.2);
  CHECK(s.real("population.away_share_of_days") > 0.0);  // from the base
  const auto a = write_temp("cycle_a.toml", "base = \"cycle_b.toml\"\n");
  write_temp("cycle_b.toml", "base = \"cycle_a.toml\"\n");
  CHECK(error_of([&] { load_scenario_file(a); }).find("base files form a cycle") != std::string::npos);
}

TEST_CASE("--set overrides go through the same checks") {
  Scenario s = load_scenario_file(test::baseline_path());
  apply_override(s, "population.lep_share=0.3");
  CHECK(s.real("population.lep_share") == 0.3);
  apply_override(s, "meta.name=bare words");
  CHECK(s.text("meta.name") == "bare words");
  CHECK(error_of([&] { apply_override(s, "population.lep_share=2"); }) ==
        "--set: key 'population.lep_share': expected a number in [0, 1], got 2");
  CHECK(error_of([&] { apply_override(s, "populaton.lep_share=0.1"); }).find("did you mean 'population.lep_share'") !=
        std::string::npos);
  CHECK(error_of([&] { apply_override(s, "no_equals"); }) == "--set: key 'no_equals': expected key=value");
}

TEST_CASE("per-jurisdiction overrides must name a known jurisdiction") {
  const auto ok = test::baseline({"jurisdiction.CA.license_fee_usd=99"});
  CHECK(read_model_params(ok).regulators[*ok.places.find("CA")].license_fee_usd == 99);
  CHECK(error_of([] { test::baseline({"jurisdiction.ZZ.license_fee_usd=99"}); })
            .find("unknown jurisdiction 'ZZ'") != std::string::npos);
}

TEST_CASE("cross-key constraints are checked") {
  CHECK(error_of([] { read_model_params(test::baseline({"population.age_band_share=[0.5,0.5,0.5,0.5]"})); })
            .find("expected shares summing to 1, got a sum of 2") != std::string::npos);
  CHECK(error_of([] {
          read_model_params(test::baseline({"regulator.processing_days_low=400", "regulator.processing_days_high=100",
                                            "jurisdiction.AK.processing_days_low=400",
                                            "jurisdiction.AK.processing_days_high=100"}));
        }).find("processing_days_low exceeds processing_days_high") != std::string::npos);
}

TEST_CASE("the resolved scenario round-trips through TOML") {
  const Scenario s = test::baseline({"population.lep_share=0.11"});
  const std::string text = to_toml(s);
  Scenario again = load_scenario_string(text, "<resolved>", test::source_dir() / "scenarios");
  finalize_scenario(again);
  CHECK(again.values() == s.values());
}

TEST_CASE("a scenario's parameters are resolved once, when it is finalized, and dropped by a later change") {
  Scenario s = load_scenario_string("base = \"state_only.toml\"\n", "<string>", test::source_dir() / "scenarios");
  CHECK_THROWS_AS(s.params(), std::logic_error);  // not finalized yet
  finalize_scenario(s);
  CHECK(s.params().default_days == s.integer("simulation.days"));
  const Scenario copy = s;
  CHECK(&copy.params() == &s.params());  // copies share the one resolution
  apply_override(s, "simulation.days=30");
  CHECK_THROWS_AS(s.params(), std::logic_error);  // stale: finalize again
  finalize_scenario(s);
  CHECK(s.params().default_days == 30);
  CHECK(copy.params().default_days != 30);
}
