#include <doctest/doctest.h>

#include "engine/boards.hpp"
#include "engine/calendar.hpp"
#include "engine/metrics.hpp"
#include "engine/model_params.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

/// The regimes' world plus its boards.
struct World : test::RegimeWorld {
  Boards boards;
  World(const std::vector<std::string>& overrides, int days)
      : RegimeWorld(overrides, days), boards(params, scenario.places, workforce, regimes, 0.001, days, 1, 0) {}
  PathwayOffer full_license(std::size_t j) const {
    const auto& r = params.regulators[j];
    return {Pathway::full_license, Authority::full_license, r.license_fee_usd, params.paperwork_hours,
            r.processing_days_low, r.processing_days_high, r.approval_prob, true};
  }
  void step(int day) { boards.step(day, workforce, expiries); }
  /// A domestic, telemedicine-active clinician without a license in `j`.
  ClinicianId candidate(std::size_t j) const {
    for (ClinicianId c = 0; c < workforce.size(); ++c)
      if (!workforce.is_abroad(c) && workforce.has(c, flag_telehealth) && !workforce.authorized(c, j)) return c;
    FAIL("no candidate");
    return 0;
  }
};

double ledger(Boards& b, std::size_t j, DailyMetric m) { return b.ledger()[j * daily_metric_count + m]; }

}  // namespace

TEST_CASE("an application is paid for, queued, reviewed within the board's time and granted") {
  World world({"regulator.approval_prob=1", "jurisdiction.VT.processing_days_low=20",
               "jurisdiction.VT.processing_days_high=30", "jurisdiction.VT.license_fee_usd=300",
               "jurisdiction.VT.processing_capacity_per_1000_physicians_day=1000",
               "regulator.paperwork_hours=10", "clinicians.hourly_value_usd=100"},
              200);
  const auto vt = world.code("VT");
  auto& boards = world.boards;
  const ClinicianId c = world.candidate(vt);
  boards.submit(c, vt, 0, world.full_license(vt), world.workforce);
  CHECK(ledger(boards, vt, m_licensure_spend_usd) == 300 + 10 * 100);
  CHECK(ledger(boards, vt, m_applications_submitted) == 1);
  CHECK(((world.workforce.pending[c] >> vt) & 1u) == 1u);
  int granted_on = -1;
  for (int day = 0; day < 200 && granted_on < 0; ++day) {
    world.step(day);
    if (world.workforce.authorized(c, vt)) granted_on = day;
  }
  CHECK(granted_on >= 20);
  CHECK(granted_on <= 31);
  CHECK(((world.workforce.pending[c] >> vt) & 1u) == 0u);
  // The new authorization enters the board's telemedicine pool (of licensees elsewhere).
  const auto& pool = world.workforce.telehealth[world.workforce.telehealth_index(world.workforce.platform[c], vt, world.workforce.specialty[c])];
  CHECK(std::find(pool.members.begin(), pool.members.end(), c) != pool.members.end());
}

TEST_CASE("a board's review capacity makes a queue") {
  // VT at 1:1000 has ~2 physicians: 0.5/1000/day is one review start in ~1,000 days.
  World world({"regulator.approval_prob=1"}, 100);
  const auto vt = world.code("VT");
  auto& boards = world.boards;
  int submitted = 0;
  for (ClinicianId c = 0; c < world.workforce.size() && submitted < 20; ++c)
    if (!world.workforce.authorized(c, vt)) {
      boards.submit(c, vt, 0, world.full_license(vt), world.workforce);
      ++submitted;
    }
  for (int day = 0; day < 100; ++day) world.step(day);
  boards.record_stocks();
  // Capacity credit builds up at 0.0012 reviews a day: no review has even started.
  CHECK(ledger(boards, vt, m_applications_pending) == 20);
}

TEST_CASE("unused extra licenses lapse when clinicians do not renew, used ones are renewed") {
  World world({"regulator.renew_unused_prob=0"}, 800);
  auto& boards = world.boards;
  boards.record_stocks();
  double before = 0;
  for (std::size_t j = 0; j < 51; ++j) before += ledger(boards, j, m_authorizations_active);
  // Principal licenses are always renewed: they must all survive two renewal cycles.
  for (int day = 0; day <= 800; ++day) world.step(day);
  boards.record_stocks();
  double after = 0;
  for (std::size_t j = 0; j < 51; ++j) after += ledger(boards, j, m_authorizations_active);
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
  std::vector<double> unmet(51 * world.params.specialties.size(), 0.0);
  const auto nv = world.code("NV");
  unmet[nv * world.params.specialties.size() + 0] = 500;  // strong demand in one cell
  world.boards.review_unmet_demand(30, unmet, world.workforce);
  double elsewhere = 0;
  for (std::size_t j = 0; j < 51; ++j)
    if (j != nv) elsewhere += ledger(world.boards, j, m_applications_submitted);
  CHECK(ledger(world.boards, nv, m_applications_submitted) > 0);
  CHECK(elsewhere == 0);

  World quiet({"licensing.response=0"}, 100);
  quiet.boards.review_unmet_demand(30, unmet, quiet.workforce);
  CHECK(ledger(quiet.boards, nv, m_applications_submitted) == 0);
}
