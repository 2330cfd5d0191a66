// The telemedicine take-up (engine/uptake.hpp): clinicians adopt along the
// curve their parameters give, patients who avoid in-person care are not seen
// in person, avoidance is read between the file's dates, and a take-up that
// changes nothing leaves every output bit as it was (its draws are its own).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/calendar.hpp"
#include "core/errors.hpp"
#include "engine/read_model_params.hpp"
#include "engine/regimes/regime_set.hpp"
#include "engine/workforce.hpp"
#include "support.hpp"

using namespace licsim;
using test::run_with;
using test::total;

namespace {

/// A one-off avoidance file in the temporary folder.
std::string avoidance_file(const std::string& name, const std::string& rows) {
  const auto path = std::filesystem::temp_directory_path() / ("licsim_test_" + name + ".csv");
  std::ofstream out(path);
  out << "date,in_person_avoidance,source\n";
  std::istringstream in(rows);
  for (std::string line; std::getline(in, line);) out << line << ",test\n";
  return path.string();
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::memcmp(&x, &y, sizeof x) == 0;
         });
}

}  // namespace

TEST_CASE("a take-up that changes nothing leaves every output as it was") {
  // Enabled, but no clinician joins (the target is the baseline share), none
  // widens (share 0) and no patient avoids in-person care (all zeros).
  const std::string file = avoidance_file("zeros", "2018-12-01,0\n2019-02-01,0\n");
  const Result off = run_with({}, 45);
  const Result on = run_with({"uptake.enabled=true", "uptake.start_date=\"2019-01-10\"", "uptake.clinician_share=0.154",
                               "uptake.telehealth_capacity_share=0", "uptake.avoidance_file=" + file},
                              45);
  CHECK(bitwise_equal(off.daily, on.daily));
  CHECK(bitwise_equal(off.flows, on.flows));
  CHECK(bitwise_equal(off.breakdown, on.breakdown));
}

TEST_CASE("clinicians adopt telemedicine along the curve of their parameters") {
  const std::string file = avoidance_file("none", "2019-01-01,0\n");
  Scenario sc = test::baseline({"uptake.enabled=true", "uptake.start_date=\"2019-01-11\"", "uptake.clinician_share=0.8",
                                "uptake.adoption_days=20", "uptake.avoidance_file=" + file});
  const ModelParams params = read_model_params(sc);
  const int days = 80;
  const Calendar calendar(*parse_date("2019-01-01"), days);
  RegimeSet regimes(sc, params, calendar, days);
  std::vector<std::vector<Expiry>> expiries;
  Workforce w = build_workforce(sc.places, params, 0.002, 3, 0, days, expiries);
  regimes.prepare(w, 3, 0);
  RegimeServices services{w, [](ClinicianId, std::size_t, const PathwayOffer&) {}};
  const auto offering_share = [&] {
    double us = 0, offering = 0;
    for (ClinicianId c = 0; c < w.size(); ++c)
      if (!w.is_abroad(c)) {
        us += 1;
        offering += w.has(c, flag_telehealth);
      }
    return offering / us;
  };
  const double before = offering_share();
  const std::vector<std::uint8_t> flags_before = w.flags;
  CHECK(before == doctest::Approx(params.telehealth_active_share).epsilon(0.1));
  std::size_t pooled_before = 0;
  for (const auto& p : w.telehealth_local) pooled_before += p.members.size();
  for (int day = 0; day < days; ++day) {
    regimes.start_day(day, services);
    if (day == 9) CHECK(offering_share() == before);  // nothing before the start
    for (const int t : {10, 30, 69}) {
      if (day != t) continue;
      const double expected = before + (0.8 - before) * (1 - std::exp(-(t - 10 + 1) / 20.0));
      INFO("day " << t);
      CHECK(std::abs(offering_share() - expected) < 0.03);  // about 1,800 US clinicians
    }
  }
  // Adopters are found where they practise: the in-state telemedicine pools grew.
  std::size_t pooled_after = 0;
  for (const auto& p : w.telehealth_local) pooled_after += p.members.size();
  CHECK(pooled_after > 3 * pooled_before);
  // A new adopter may give telemedicine in every slot (share 1 in state_only.toml).
  for (ClinicianId c = 0; c < w.size(); ++c)
    if (w.has(c, flag_telehealth) && !(flags_before[c] & flag_telehealth) && w.daily_telehealth[c] < w.daily_capacity[c]) {
      FAIL("clinician " << c << " offers " << w.daily_telehealth[c] << " of " << w.daily_capacity[c]);
      break;
    }
}

TEST_CASE("avoidance is read linearly between the file's dates") {
  const std::string file = avoidance_file("ramp", "2019-01-11,0\n2019-01-21,0.5\n2019-01-31,0.1\n");
  const Scenario sc = test::baseline({"uptake.enabled=true", "uptake.avoidance_file=" + file});
  const ModelParams params = read_model_params(sc);
  const Calendar calendar(*parse_date("2019-01-01"), 60);
  const RegimeSet regimes(sc, params, calendar, 60);
  const auto& u = regimes.uptake();
  CHECK(u.avoidance(5) == 0);
  CHECK(u.avoidance(10) == 0);
  CHECK(u.avoidance(15) == doctest::Approx(0.25));
  CHECK(u.avoidance(20) == doctest::Approx(0.5));
  CHECK(u.avoidance(25) == doctest::Approx(0.3));
  CHECK(u.avoidance(59) == doctest::Approx(0.1));
}

TEST_CASE("patients who avoid in-person care are not seen in person") {
  // Everyone avoids from before day 0: in-person care stops (emergencies aside,
  // which are not asked), telemedicine and deferred (unmet) care rise.
  const std::string file = avoidance_file("all", "2018-12-01,1\n");
  const Result base = run_with({"exceptions.emergency_share=0"}, 45);
  const Result all = run_with({"exceptions.emergency_share=0", "uptake.enabled=true", "uptake.start_date=\"2018-12-01\"",
                                "uptake.avoidance_file=" + file},
                               45);
  CHECK(total(base, m_served_in_person) > 0);
  CHECK(total(all, m_served_in_person) == 0);
  CHECK(test::telehealth(all) > 10 * test::telehealth(base));
  CHECK(total(all, m_unmet) > 2 * total(base, m_unmet));
}

TEST_CASE("a malformed avoidance file is an error naming file, line and column") {
  const std::string file = avoidance_file("bad", "2019-01-11,0\n2019-01-05,0.5\n");
  const Scenario sc = test::baseline({"uptake.enabled=true", "uptake.avoidance_file=" + file});
  const ModelParams params = read_model_params(sc);
  const Calendar calendar(*parse_date("2019-01-01"), 30);
  CHECK_THROWS_WITH_AS(RegimeSet(sc, params, calendar, 30), doctest::Contains("licsim_test_bad.csv:3: column 'date'"),
                       DataError);
  const std::string out_of_range = avoidance_file("range", "2019-01-11,1.5\n");
  const Scenario sc2 = test::baseline({"uptake.enabled=true", "uptake.avoidance_file=" + out_of_range});
  CHECK_THROWS_WITH_AS(RegimeSet(sc2, params, calendar, 30), doctest::Contains("column 'in_person_avoidance'"),
                       DataError);
}
