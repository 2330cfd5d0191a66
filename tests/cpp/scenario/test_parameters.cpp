#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "scenario/parameter_docs.hpp"
#include "scenario/parameter_spec.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("wildcard patterns match one segment") {
  REQUIRE(find_spec("specialty.primary_care.follow_up_prob") != nullptr);
  CHECK(find_spec("specialty.primary_care.follow_up_prob")->pattern == "specialty.*.follow_up_prob");
  CHECK(find_spec("specialty.follow_up_prob") == nullptr);
  CHECK(find_spec("specialty.a.b.follow_up_prob") == nullptr);
  CHECK(find_spec("jurisdiction.CA.license_fee_usd") != nullptr);
  CHECK(find_spec("population.lep_share") != nullptr);
  CHECK(find_spec("population.lep_share.extra") == nullptr);
}

TEST_CASE("nearest_key suggests the misspelled key") {
  CHECK(nearest_key("population.lep_shar") == "population.lep_share");
  CHECK(nearest_key("specialty.mental_health.folow_up_prob") == "specialty.mental_health.follow_up_prob");
}

TEST_CASE("check_value enforces type and range") {
  const ParamSpec* spec = find_spec("population.lep_share");
  Value ok = 0.5;
  CHECK_FALSE(check_value(*spec, ok).has_value());
  Value as_int = std::int64_t{1};
  CHECK_FALSE(check_value(*spec, as_int).has_value());
  CHECK(std::holds_alternative<double>(as_int));
  Value too_big = 1.5;
  CHECK(*check_value(*spec, too_big) == "expected a number in [0, 1], got 1.5");
  Value text = std::string("x");
  CHECK(*check_value(*spec, text) == "expected a number in [0, 1], got \"x\"");
  Value nan = std::nan("");
  CHECK(check_value(*spec, nan).has_value());
  const ParamSpec* list = find_spec("population.age_band_share");
  Value short_list = std::vector<double>{0.5, 0.5};
  CHECK(*check_value(*list, short_list) ==
        "expected an array of 4 numbers each in [0, 1], got [0.5, 0.5]");
}

TEST_CASE("every key is documented with a meaning and a source") {
  for (const auto& spec : parameter_specs()) {
    CAPTURE(spec.pattern);
    CHECK_FALSE(spec.meaning.empty());
    CHECK_FALSE(spec.source.empty());
    const bool numeric = spec.kind == Kind::real || spec.kind == Kind::integer || spec.kind == Kind::real_list;
    if (numeric) CHECK_FALSE(spec.unit.empty());
  }
}

TEST_CASE("docs/parameters.md is the dictionary the loader accepts") {
  std::ifstream in(test::source_dir() / "docs" / "parameters.md");
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  // Regenerate with: licsim params --markdown > docs/parameters.md
  CHECK(text.str() == parameter_markdown());
}

TEST_CASE("the baseline scenario sets every key it may set") {
  const Scenario s = test::baseline();
  for (const auto& [key, value] : s.values()) CHECK(find_spec(key) != nullptr);
  for (const auto& spec : parameter_specs())
    if (spec.required && spec.pattern.find('*') == std::string::npos) CHECK(s.has(spec.pattern));
}

TEST_CASE("licsim params FILTER lists only the keys containing it, with the baseline's values and their lines") {
  const Scenario baseline = load_scenario_file(test::baseline_path());
  const std::string listing = parameter_listing("compact.loq_fee", &baseline);
  CHECK(listing.starts_with("compact.loq_fee_usd  ("));
  CHECK(listing.find("baseline: 700.0  (state_only.toml:") != std::string::npos);
  CHECK(listing.find("regulator.") == std::string::npos);
  // A pattern shows every key of the baseline that matches it.
  const std::string shares = parameter_listing("specialty.*.physician_share", &baseline);
  CHECK(shares.find("baseline: specialty.primary_care.physician_share = ") != std::string::npos);
  CHECK(shares.find("baseline: specialty.mental_health.physician_share = ") != std::string::npos);
  CHECK(parameter_listing("no_such_key_anywhere", &baseline).empty());
  // Without a baseline: the dictionary alone, every key.
  const std::string all = parameter_listing();
  CHECK(all.find("baseline:") == std::string::npos);
  for (const auto& spec : parameter_specs()) CHECK(all.find(spec.pattern + "  (") != std::string::npos);
}
