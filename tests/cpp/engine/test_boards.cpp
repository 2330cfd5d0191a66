#include <doctest/doctest.h>

#include "engine/boards.hpp"
#include "engine/metrics.hpp"
#include "engine/model_params.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

struct World {
  Scenario scenario;
  ModelParams params;
  std::vector<std::vector<Expiry>> expiries;
  Workforce workforce;
  World(const std::vector<std::string>& overrides, int days)
      : scenario(test::baseline(overrides)),
        params(read_model_params(scenario)),
        workforce(build_workforce(scenario.places, params, 0.001, 1, 0, days, expiries)) {}
  std::size_t code(const char* c) const { return *scenario.places.find(c); }
  /// A domestic, telemedicine-active clinician without a license in `j`.
  ClinicianId candidate(std::size_t j) const {
    for (ClinicianId c = 0; c < workforce.size(); ++c)
      if (!workforce.is_abroad(c) && workforce.has(c, flag_telehealth) && !workforce.authorized(c, j)) return c;
    FAIL("no candidate");
    return 0;
  }
};

double ledger(const DayLedger& l, std::size_t j, DailyMetric m) { return l[j * daily_metric_count + m]; }

}  // namespace

TEST_CASE("an application is paid for, queued, reviewed within the board's time and granted") {
  World world({"regulator.approval_prob=1", "jurisdiction.VT.processing_days_low=20",
               "jurisdiction.VT.processing_days_high=30", "jurisdiction.VT.license_fee_usd=300",
               "jurisdiction.VT.processing_capacity_per_1000_physicians_day=1000",
               "regulator.paperwork_hours=10", "clinicians.hourly_value_usd=100"},
              200);
  const auto vt = world.code("VT");
  Boards boards(world.params, world.scenario.places, world.workforce, 0.001, 200, 1, 0);
  DayLedger l(51 * daily_metric_count, 0.0);
  const ClinicianId c = world.candidate(vt);
  boards.submit(c, vt, 0, world.workforce, l);
  CHECK(ledger(l, vt, m_licensure_spend_usd) == 300 + 10 * 100);
  CHECK(ledger(l, vt, m_applications_submitted) == 1);
  CHECK(((world.workforce.pending[c] >> vt) & 1u) == 1u);
  int granted_on = -1;
  for (int day = 0; day < 200 && granted_on < 0; ++day) {
    boards.step(day, world.workforce, world.expiries, l);
    if (world.workforce.authorized(c, vt)) granted_on = day;
  }
  CHECK(granted_on >= 20);
  CHECK(granted_on <= 31);
  CHECK(((world.workforce.pending[c] >> vt) & 1u) == 0u);
  // The new authorization enters the board's telemedicine pool.
  const auto& pool = world.workforce.telehealth[world.workforce.telehealth_index(world.workforce.platform[c], vt, world.workforce.specialty[c])];
  CHECK(std::find(pool.members.begin(), pool.members.end(), c) != pool.members.end());
}

TEST_CASE("a board's review capacity makes a queue") {
  // VT at 1:1000 has ~2 physicians: 0.5/1000/day is one review start in ~1,000 days.
  World world({"regulator.approval_prob=1"}, 100);
  const auto vt = world.code("VT");
  Boards boards(world.params, world.scenario.places, world.workforce, 0.001, 100, 1, 0);
  DayLedger l(51 * daily_metric_count, 0.0);
  int submitted = 0;
  for (ClinicianId c = 0; c < world.workforce.size() && submitted < 20; ++c)
    if (!world.workforce.authorized(c, vt)) {
      boards.submit(c, vt, 0, world.workforce, l);
      ++submitted;
    }
  for (int day = 0; day < 100; ++day) boards.step(day, world.workforce, world.expiries, l);
  boards.record_stocks(l);
  // Capacity credit builds up at 0.0012 reviews a day: no review has even started.
  CHECK(ledger(l, vt, m_applications_pending) == 20);
}

TEST_CASE("unused extra licenses lapse when clinicians do not renew; used ones are renewed") {
  World world({"regulator.renew_unused_prob=0"}, 800);
  Boards boards(world.params, world.scenario.places, world.workforce, 0.001, 800, 1, 0);
  DayLedger l(51 * daily_metric_count, 0.0);
  boards.record_stocks(l);
  double before = 0;
  for (std::size_t j = 0; j < 51; ++j) before += ledger(l, j, m_authorizations_active);
  // Principal licenses are always renewed: they must all survive two renewal cycles.
  for (int day = 0; day <= 800; ++day) boards.step(day, world.workforce, world.expiries, l);
  boards.record_stocks(l);
  double after = 0;
  for (std::size_t j = 0; j < 51; ++j) after += ledger(l, j, m_authorizations_active);
  std::size_t domestic = 0;
  for (ClinicianId c = 0; c < world.workforce.size(); ++c) {
    if (world.workforce.is_abroad(c)) continue;
    ++domestic;
    CHECK(world.workforce.authorized(c, world.workforce.location[c]));
  }
  CHECK(after < before);
  CHECK(after >= static_cast<double>(domestic));
}

TEST_CASE("clinicians apply where platforms report unmet demand, and only there") {
  World world({}, 100);
  Boards boards(world.params, world.scenario.places, world.workforce, 0.001, 100, 1, 0);
  DayLedger l(51 * daily_metric_count, 0.0);
  std::vector<double> unmet(51 * world.params.specialties.size(), 0.0);
  const auto nv = world.code("NV");
  unmet[nv * world.params.specialties.size() + 0] = 500;  // strong demand in one cell
  boards.review_unmet_demand(30, unmet, world.workforce, l);
  double elsewhere = 0;
  for (std::size_t j = 0; j < 51; ++j)
    if (j != nv) elsewhere += ledger(l, j, m_applications_submitted);
  CHECK(ledger(l, nv, m_applications_submitted) > 0);
  CHECK(elsewhere == 0);

  World quiet({"licensing.response=0"}, 100);
  Boards boards2(quiet.params, quiet.scenario.places, quiet.workforce, 0.001, 100, 1, 0);
  DayLedger l2(51 * daily_metric_count, 0.0);
  boards2.review_unmet_demand(30, unmet, quiet.workforce, l2);
  CHECK(ledger(l2, nv, m_applications_submitted) == 0);
}
