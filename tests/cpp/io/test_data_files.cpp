#include <doctest/doctest.h>

#include <set>

#include "core/errors.hpp"
#include "io/data_files.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("CSV quoting, blank lines and CRLF") {
  const auto t = parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n1,\n", "t.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][0] == "x, y");
  CHECK(t.rows[0][1] == "say \"hi\"");
  CHECK(t.rows[1][1].empty());
  CHECK(t.row_lines[1] == 4);
}

TEST_CASE("a ragged CSV row is an error naming file and line") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2,3\n", "t.csv"), "t.csv:2: expected 2 fields, got 3", DataError);
  CHECK_THROWS_WITH_AS(parse_csv("", "e.csv"), "e.csv: empty file", DataError);
}

TEST_CASE("the jurisdiction data: 50 states + DC, symmetric neighbours, US totals") {
  const Scenario s = test::baseline();
  const auto& us = s.places.us;
  CHECK(us.size() == 51);
  double population = 0, physicians = 0;
  std::set<std::string> codes;
  for (const auto& j : us) {
    codes.insert(j.code);
    population += j.population;
    physicians += j.active_physicians;
    CHECK(j.medicare_share > 0.05);
    CHECK(j.medicare_share < 0.35);
    for (const auto& n : j.neighbours) {
      const auto& other = us[*s.places.find(n)];
      CHECK(std::find(other.neighbours.begin(), other.neighbours.end(), j.code) != other.neighbours.end());
    }
  }
  CHECK(codes.size() == 51);
  CHECK(population == doctest::Approx(340110988).epsilon(0.001));  // Census V2024
  CHECK(physicians == doctest::Approx(945107).epsilon(0.01));      // NCHS-derived
}
