// Hostile values (issue #21, classes 4-6): bounded "did you mean" search, strict
// dates and numbers, one value per --set, escaped quotes of user input, and
// scales without patients. The CLI's side is tests/python/test_hostile_values.py.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <random>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "engine/resources.hpp"
#include "io/scenario_file.hpp"
#include "scenario/parameter_spec.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::size_t levenshtein(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the bounded edit distance is exact within its limit") {
  std::mt19937 rng(5);
  const auto word = [&] {
    std::string s(rng() % 12, 'a');
    for (auto& c : s) c = static_cast<char>('a' + rng() % 3);
    return s;
  };
  for (int t = 0; t < 3000; ++t) {
    const auto a = word(), b = word();
    const auto exact = levenshtein(a, b);
    CAPTURE(a);
    CAPTURE(b);
    CHECK(edit_distance_at_most(a, b, std::numeric_limits<std::size_t>::max()) == exact);
    for (std::size_t limit = 0; limit < 8; ++limit) {
      const auto d = edit_distance_at_most(a, b, limit);
      if (exact <= limit) CHECK(d == exact);
      else CHECK(d > limit);
    }
  }
  // One side short (as every accepted key is): exact however long the other is.
  const std::string long_key = "population.lep_shar" + std::string(20000, 'x');
  CHECK(edit_distance_at_most("population.lep_share", long_key, 1u << 20) == 20000);
}

TEST_CASE("did you mean: right for keys of 20,000 and 1,000,000 characters, in linear time") {
  for (const std::size_t n : {std::size_t{20000}, std::size_t{1000000}}) {
    CAPTURE(n);
    const auto start = std::chrono::steady_clock::now();
    CHECK(nearest_key("population.lep_shar" + std::string(n, 'x')) == "population.lep_share");
    CHECK(nearest_key(std::string(n, 'x') + "population.lep_share") == "population.lep_share");
    // The key's own name in a '*' position is kept, however long.
    const std::string name(n, 'y');
    CHECK(nearest_key("specialty." + name + ".visit_shar") == "specialty." + name + ".visit_share");
    CHECK(nearest_of(std::string(n, 'z') + "replicate", {"seed", "replicates", "scale"}) == "replicates");
    MESSAGE(n << "-character keys: "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
  }
  CHECK(nearest_key("population.lep_shar") == "population.lep_share");
  CHECK(nearest_of("sed", {"seed", "replicates"}) == "seed");
}

TEST_CASE("printable escapes control characters and cuts long text") {
  using namespace std::string_literals;
  CHECK(printable("lep\0shar"s) == "lep\\x00shar");
  CHECK(printable("\x1b[31mred\x07") == "\\x1b[31mred\\x07");
  CHECK(printable("a\nb\tc\rd\x7f") == "a\\nb\\tc\\rd\\x7f");
  CHECK(printable("\xc2\x9b" "31m") == "\\u009b31m");                // C1 control (CSI)
  CHECK(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(printable("caf\xe9\xff") == "caf\\xe9\\xff");                 // not UTF-8
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");              // a surrogate
  CHECK(printable(std::string(150, 'k')) == std::string(100, 'k') + "... (150 characters)");
  CHECK(printable(std::string(150, 'k'), 0) == std::string(150, 'k'));
  // Keys in messages go through it: a NUL no longer ends the message early.
  const ScenarioError e("f.toml", 3, "population.lep\0shar"s, "unknown key");
  CHECK(std::string(e.what()) == "f.toml:3: key 'population.lep\\x00shar': unknown key");
}

TEST_CASE("dates are exactly YYYY-MM-DD") {
  CHECK(parse_iso_date("2019-02-28"));
  CHECK(parse_iso_date("2020-02-29"));
  CHECK(parse_iso_date("1900-01-01"));
  CHECK(parse_iso_date("2200-12-31"));
  for (const char* bad : {"2019-258-257", "2019-02-29", "+2019-01-01", "-2019-01-01", " 2019-01-01", "2019-01-01 ",
                          "2019-1-05", "2019-01-5", "20190101", "2019/01/01", "2019-13-01", "2019-00-01",
                          "2019-01-00", "1899-12-31", "2201-01-01", "", "2019-01-01T00:00", "2O19-01-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso_date(bad));
  }
  Scenario s = load_scenario_file(test::baseline_path());
  CHECK(error_of([&] { apply_override(s, "simulation.start_date=\"2019-258-257\""); }) ==
        "--set: key 'simulation.start_date': expected a date YYYY-MM-DD (1900 to 2200), got \"2019-258-257\"");
  CHECK(error_of([&] { apply_override(s, "compact.end_date=+2019-01-01"); }) ==
        "--set: key 'compact.end_date': expected a date YYYY-MM-DD (1900 to 2200) or \"\" (none), got \"+2019-01-01\"");
  apply_override(s, "compact.end_date=\"\"");  // none
}

TEST_CASE("values in messages are quoted as written, with their TOML type") {
  Scenario s = load_scenario_file(test::baseline_path());
  CHECK(error_of([&] { apply_override(s, "simulation.days=36.0"); }) ==
        "--set: key 'simulation.days': expected an integer in [1, 3650], got 36.0");
  CHECK(error_of([&] { apply_override(s, "population.lep_share=2"); }) ==
        "--set: key 'population.lep_share': expected a number in [0, 1], got 2");
  CHECK(error_of([&] { apply_override(s, "population.age_band_share=[1.0, 2.0]"); }) ==
        "--set: key 'population.age_band_share': expected an array of 4 numbers each in [0, 1], got [1.0, 2.0]");
  CHECK(error_of([&] { apply_override(s, "population.lep_share={a = 1}"); }) ==
        "--set: key 'population.lep_share': expected a number, string, boolean or array, got a table");
  CHECK(error_of([&] { apply_override(s, "population.lep_share=2021-01-01"); }) ==
        "--set: key 'population.lep_share': expected a number, string, boolean or array, got a TOML date/time value "
        "(a date) 2021-01-01; write a date as a string: \"2021-01-01\"");
  CHECK(error_of([&] { apply_override(s, "population.age_band_share=[{a = 1}]"); }) ==
        "--set: key 'population.age_band_share': expected an array of numbers or of strings, got an array holding a "
        "table");
  CHECK(error_of([&] { apply_override(s, "meta.name=[\"\\u001b]0;x\\u0007\"]"); }) ==
        "--set: key 'meta.name': expected a string, got [\"\\x1b]0;x\\x07\"]");
  CHECK(error_of([&] { apply_override(s, "meta.name=[\"\x1b]0;x\x07\"]"); })
            .find("--set: key 'meta.name': expected one TOML value (a bare word is a string of one line), got "
                  "\"[\"\\x1b]0;x\\x07\"]\" (invalid TOML: ") == 0);
}

TEST_CASE("a --set value is one TOML value") {
  Scenario s = load_scenario_file(test::baseline_path());
  CHECK(error_of([&] { apply_override(s, "population.lep_share=0.1\nsimulation.days=5"); }) ==
        "--set: key 'population.lep_share': expected one TOML value, got \"0.1\\nsimulation.days=5\" (more than a "
        "value: the text goes on after it to set other keys)");
  CHECK(error_of([&] { apply_override(s, "meta.name=two\nlines"); })
            .find("--set: key 'meta.name': expected one TOML value (a bare word is a string of one line), got "
                  "\"two\\nlines\"") == 0);
  apply_override(s, "population.age_band_share=[0.25,\n0.25,\n0.25,\n0.25]");  // one value over lines
  CHECK(s.reals("population.age_band_share").size() == 4);
  apply_override(s, "meta.name=hello world");  // a bare word is still a string
  CHECK(s.text("meta.name") == "hello world");
  apply_override(s, "population.lep_share=0.1 # a comment");
  CHECK(s.real("population.lep_share") == doctest::Approx(0.1));
}

TEST_CASE("a scale without patients is refused with the smallest that works") {
  const Scenario s = test::baseline();
  CHECK_FALSE(scale_problem(s, 0.001));
  const auto problem = scale_problem(s, 1e-300);
  REQUIRE(problem);
  CHECK(problem->find("no patients at this scale: the largest group of identical patients (") == 0);
  const auto at = problem->rfind("use --scale ");
  REQUIRE(at != std::string::npos);
  const double smallest = std::stod(problem->substr(at + 12));
  CHECK_FALSE(scale_problem(s, smallest));
  CHECK(scale_problem(s, smallest * 0.9));
  CHECK(error_of([&] { check_scale(s, 1e-300); }).find("--scale 1e-300: no patients at this scale") == 0);
  RunOptions o = test::small_run(2, 1e-300);
  CHECK(error_of([&] { run(s, o); }).find("--scale 1e-300: no patients") == 0);
}

TEST_CASE("100,000 tables of one family keep their order and load in linear time") {
  Scenario s = load_scenario_file(test::baseline_path());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100000; ++i)
    s.set("coverage_change.c" + std::to_string(i) + ".start_date", std::string("2019-06-01"), Origin{"x", 0});
  for (int i = 0; i < 100000; ++i)  // set again: no new member
    s.set("coverage_change.c" + std::to_string(i) + ".medicare.cost_share", 0.1, Origin{"x", 0});
  const auto names = s.members("coverage_change");
  REQUIRE(names.size() == 100000);
  CHECK(names.front() == "c0");
  CHECK(names[12345] == "c12345");
  s.check_complete();
  MESSAGE("100,000 coverage changes set twice and checked: "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
}
