#include <doctest/doctest.h>

#include <bit>
#include <cmath>

#include "engine/read_model_params.hpp"
#include "engine/workforce.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("clinicians: counts by state, license holdings and telemedicine share follow the data") {
  const Scenario s = test::baseline();
  const ModelParams p = read_model_params(s);
  std::vector<std::vector<Expiry>> expiries;
  const double scale = 0.01;
  const Workforce w = build_workforce(s.places, p, scale, 1, 0, 365, expiries);
  std::vector<double> by_place(s.places.size(), 0);
  int two = 0, three_plus = 0, tele = 0, domestic = 0;
  for (ClinicianId c = 0; c < w.size(); ++c) {
    by_place[w.location[c]] += 1;
    const int licenses = std::popcount(w.active[c]);
    REQUIRE(licenses >= 1);
    if (w.is_abroad(c)) {
      CHECK(w.has(c, flag_telehealth));  // abroad means telemedicine only
      continue;
    }
    ++domestic;
    CHECK(w.authorized(c, w.location[c]));  // everyone holds a license where they practise
    if (licenses == 2) ++two;
    if (licenses >= 3) ++three_plus;
    if (w.has(c, flag_telehealth)) ++tele;
  }
  for (std::size_t j = 0; j < 51; ++j)
    CHECK(std::fabs(by_place[j] - std::max(1.0, s.places.us[j].active_physicians * scale)) <= 0.5);
  CHECK(two / double(domestic) == doctest::Approx(p.two_licenses_share).epsilon(0.1));
  CHECK(three_plus / double(domestic) == doctest::Approx(p.three_plus_licenses_share).epsilon(0.1));
  CHECK(tele / double(domestic) == doctest::Approx(p.telehealth_active_share).epsilon(0.1));
  // In-person pools hold only clinicians located there; abroad ones are in none.
  for (std::size_t place = 0; place < s.places.size(); ++place)
    for (std::size_t sp = 0; sp < w.n_specialties; ++sp)
      for (ClinicianId c : w.in_person[w.in_person_index(place, sp)].members) {
        CHECK(w.location[c] == place);
        CHECK(w.specialty[c] == sp);
        CHECK_FALSE(w.is_abroad(c));
      }
}

TEST_CASE("capacity is used up within a day and refreshed the next") {
  const Scenario s = test::baseline();
  const ModelParams p = read_model_params(s);
  std::vector<std::vector<Expiry>> expiries;
  Workforce w = build_workforce(s.places, p, 0.001, 1, 0, 30, expiries);
  ClinicianId c = 0;
  while (w.is_abroad(c) || w.daily_capacity[c] == 0) ++c;
  int seen = 0;
  while (w.can_see_in_person(c, 3)) {
    w.use(c, Modality::in_person);
    ++seen;
  }
  CHECK(seen == w.daily_capacity[c] - w.reserved_telehealth[c]);
  CHECK(w.can_see_in_person(c, 4));
  w.suspended_until[c] = 10;
  CHECK_FALSE(w.can_see_in_person(c, 5));
  CHECK(w.can_see_in_person(c, 10));
}

TEST_CASE("reserved telemedicine slots are not open to in-person visits") {
  const Scenario s = test::baseline({"clinicians.telehealth_reserved_share=1", "clinicians.telehealth_capacity_share=0.5"});
  const ModelParams p = read_model_params(s);
  std::vector<std::vector<Expiry>> expiries;
  Workforce w = build_workforce(s.places, p, 0.001, 1, 0, 30, expiries);
  ClinicianId c = 0;
  while (w.is_abroad(c) || !w.has(c, flag_telehealth) || w.reserved_telehealth[c] == 0 ||
         w.reserved_telehealth[c] >= w.daily_capacity[c])
    ++c;
  int in_person = 0, tele = 0;
  while (w.can_see_in_person(c, 3)) {
    w.use(c, Modality::in_person);
    ++in_person;
  }
  while (w.can_see_telehealth(c, 3)) {
    w.use(c, Modality::telehealth);
    ++tele;
  }
  CHECK(in_person == w.daily_capacity[c] - w.reserved_telehealth[c]);
  CHECK(tele == w.reserved_telehealth[c]);
  // Telemedicine first: each reserved slot used leaves the in-person slots as they were.
  CHECK(w.can_see_in_person(c, 4));
  w.use(c, Modality::telehealth);
  int later = 0;
  while (w.can_see_in_person(c, 4)) {
    w.use(c, Modality::in_person);
    ++later;
  }
  CHECK(later == w.daily_capacity[c] - w.reserved_telehealth[c]);
}

TEST_CASE("without reserved slots in-person visits may use the whole day") {
  const Scenario s = test::baseline({"clinicians.telehealth_reserved_share=0"});
  const ModelParams p = read_model_params(s);
  std::vector<std::vector<Expiry>> expiries;
  Workforce w = build_workforce(s.places, p, 0.001, 1, 0, 30, expiries);
  for (ClinicianId c = 0; c < w.size(); ++c) CHECK(w.reserved_telehealth[c] == 0);
}
