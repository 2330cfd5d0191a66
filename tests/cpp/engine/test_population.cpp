#include <doctest/doctest.h>

#include "engine/read_model_params.hpp"
#include "engine/population.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("strata reproduce each state's population, rurality and Medicare share") {
  const Scenario s = test::baseline();
  const ModelParams p = read_model_params(s);
  const double scale = 0.01;
  const Population pop(s.places, p, scale);
  std::vector<double> people(51, 0), rural(51, 0), aged(51, 0);
  std::uint64_t next = 0;
  for (const auto& st : pop.strata()) {
    CHECK(st.first == next);  // contiguous ranges
    next += st.size;
    people[st.home] += st.size;
    if (st.rural) rural[st.home] += st.size;
    if (st.age_band == age_65_plus) aged[st.home] += st.size;
  }
  CHECK(next == pop.size());
  for (std::size_t j = 0; j < 51; ++j) {
    const auto& data = s.places.us[j];
    CAPTURE(data.code);
    CHECK(people[j] == doctest::Approx(data.population * scale).epsilon(0.02));
    CHECK(rural[j] / people[j] == doctest::Approx(data.rural_share).epsilon(0.03));
    CHECK(aged[j] / people[j] ==
          doctest::Approx(data.medicare_share * p.medicare_aged_fraction).epsilon(0.03));
  }
}

TEST_CASE("patients are away on about the configured share of days") {
  const Scenario s = test::baseline({"population.snowbird_share_65_plus=0"});
  const ModelParams p = read_model_params(s);
  const Population pop(s.places, p, 0.001);
  const auto& st = pop.strata()[100];
  int away = 0, abroad = 0, total = 0;
  for (PatientId i = 0; i < st.size; ++i)
    for (int day = 0; day < 200; ++day) {
      const auto loc = pop.location(1, 0, st, st.first + i, day, 6);
      ++total;
      if (loc != st.home) ++away;
      if (loc >= s.places.us.size()) ++abroad;
      CHECK(loc == pop.location(1, 0, st, st.first + i, day, 6));  // keyed, not stateful
    }
  // Away days can land back home through the population-weighted draw, so a bit below the share.
  CHECK(static_cast<double>(away) / total == doctest::Approx(p.away_share_of_days).epsilon(0.2));
  CHECK(abroad > 0);
}

TEST_CASE("part-year residents spend winter at their destination, summer at home") {
  const Scenario s = test::baseline({"population.snowbird_share_65_plus=1", "population.away_share_of_days=0"});
  const ModelParams p = read_model_params(s);
  const Population pop(s.places, p, 0.001);
  const auto ny = *s.places.find("NY");
  for (const auto& st : pop.strata()) {
    if (st.home != ny || st.age_band != age_65_plus) continue;
    const auto fl = *s.places.find("FL");
    int in_florida = 0;
    for (PatientId i = 0; i < st.size; ++i) {
      if (pop.location(1, 0, st, st.first + i, 10, 1) == fl) ++in_florida;
      CHECK(pop.location(1, 0, st, st.first + i, 200, 7) == ny);
    }
    CHECK(in_florida > 0);
    break;
  }
}
