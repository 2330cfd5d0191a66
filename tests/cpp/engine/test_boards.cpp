#include <doctest/doctest.h>

#include "engine/boards.hpp"
#include "engine/calendar.hpp"
#include "engine/metrics.hpp"
#include "engine/read_model_params.hpp"
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

TEST_CASE("a license elsewhere is renewed by what it earned: well-used ones kept, the rest lapse") {
  // No renewals for reasons outside the model: only the license's earnings count.
  World world({"regulator.renew_unused_prob=0"}, 800);
  auto& w = world.workforce;
  // Every extra license renewed every two years: half earn far more than the
  // renewal fee and an hour's paperwork over their cycle, half earn nothing.
  std::vector<std::pair<ClinicianId, std::size_t>> busy, idle;
  for (ClinicianId c = 0; c < w.size(); ++c)
    for (std::size_t j = 0; j < w.n_us; ++j) {
      if (!w.authorized(c, j) || (!w.is_abroad(c) && w.location[c] == j)) continue;
      if (renewal_cycle_days(world.params.regulators[j]) != 730) continue;  // MN renews yearly
      auto& list = (busy.size() <= idle.size()) ? busy : idle;
      list.emplace_back(c, j);
      if (&list == &busy) w.license_use_of(c, j) = 255;
    }
  REQUIRE(busy.size() > 50);
  for (int day = 0; day <= 730; ++day) world.step(day);  // each license's first expiry, not its second
  std::size_t busy_kept = 0, idle_kept = 0;
  for (auto [c, j] : busy) busy_kept += w.authorized(c, j);
  for (auto [c, j] : idle) idle_kept += w.authorized(c, j);
  CHECK(busy_kept == busy.size());
  CHECK(idle_kept == 0);
}

TEST_CASE("the renewal weighs what a license earned against its cost, beside the reasons outside the model") {
  CHECK(renewal_probability(0, 500, 0.6) == doctest::Approx(0.6));     // unused: outside reasons only
  CHECK(renewal_probability(500, 500, 0.6) == doctest::Approx(1 - 0.4 / std::exp(1.0)));
  CHECK(renewal_probability(5000, 500, 0.6) == doctest::Approx(1 - 0.4 * std::exp(-10.0)));
  CHECK(renewal_probability(500, 500, 0) == doctest::Approx(1 - 1 / std::exp(1.0)));
  CHECK(renewal_probability(0, 0, 0) == 1);  // a free renewal is always worth it
}

TEST_CASE("an initial license's use is counted from day 0 and scaled to a whole cycle") {
  // One encounter each ($70 or so net) against a $500 renewal: over a whole cycle
  // rarely worth it; over the first tenth of one, worth about ten encounters.
  World world({"regulator.renew_unused_prob=0", "regulator.renewal_fee_usd=500",
               "regulator.renewal_paperwork_hours=0"},
              800);
  auto& w = world.workforce;
  for (ClinicianId c = 0; c < w.size(); ++c)
    for (std::size_t j = 0; j < w.n_us; ++j)
      if (w.authorized(c, j)) w.license_use_of(c, j) = 1;
  const int cycle = renewal_cycle_days(world.params.regulators[world.code("NY")]);
  std::vector<std::pair<ClinicianId, std::size_t>> early, late;
  for (int day = 1; day <= cycle; ++day)
    for (const Expiry& e : world.expiries[static_cast<std::size_t>(day)]) {
      const bool home = !w.is_abroad(e.clinician) && w.location[e.clinician] == e.jurisdiction;
      if (home || renewal_cycle_days(world.params.regulators[e.jurisdiction]) != cycle) continue;
      if (day < cycle / 10) early.emplace_back(e.clinician, e.jurisdiction);
      if (day > cycle - cycle / 10) late.emplace_back(e.clinician, e.jurisdiction);
    }
  for (int day = 0; day <= cycle; ++day) world.step(day);
  const auto kept = [&](const auto& list) {
    double k = 0;
    for (auto [c, j] : list) k += w.authorized(c, j);
    return k / static_cast<double>(list.size());
  };
  REQUIRE(early.size() > 20);
  REQUIRE(late.size() > 20);
  CAPTURE(early.size());
  CAPTURE(late.size());
  CHECK(kept(early) > 0.6);
  CHECK(kept(late) < 0.35);
}

namespace {

/// VT reviews every application at once, in exactly 80 days, and grants it.
const std::vector<std::string> vt_reviews_in_80_days = {
    "regulator.approval_prob=1", "jurisdiction.VT.processing_days_low=80", "jurisdiction.VT.processing_days_high=80",
    "jurisdiction.VT.processing_capacity_per_1000_physicians_day=1000"};

/// Day on which clinician c's application to VT, filed on `filed`, is granted (-1: not by `until`).
int vt_grant_day(World& world, ClinicianId c, int filed, int until) {
  const auto vt = world.code("VT");
  for (int day = 0; day < until; ++day) {
    if (day == filed) world.boards.submit(c, vt, day, world.full_license(vt), world.workforce);
    world.step(day);
    if (world.workforce.authorized(c, vt)) return day;
  }
  return -1;
}

}  // namespace

TEST_CASE("licensing sped up k times: k times the review capacity, 1/k of review times and renewal cycles") {
  World world(vt_reviews_in_80_days, 800);
  const auto vt = world.code("VT");
  const ClinicianId c = world.candidate(vt);
  world.boards.accelerate(4, 800);
  CHECK(vt_grant_day(world, c, 0, 100) == 20);  // 80 days / 4
  // The license's first renewal is due a quarter of a two-year cycle later.
  const auto due = [&](int day) {
    for (const Expiry& e : world.expiries[static_cast<std::size_t>(day)])
      if (e.clinician == c && e.jurisdiction == vt) return true;
    return false;
  };
  CHECK(due(20 + 183));  // lround(730 / 4)
  CHECK_FALSE(due(20 + 730));
}

TEST_CASE("a review that outlasts the acceleration finishes at the real rate") {
  World world(vt_reviews_in_80_days, 300);
  const ClinicianId c = world.candidate(world.code("VT"));
  world.boards.accelerate(4, 100);
  // Ten fast days cover 40 of the 80 review days; the other 40 take 40 days.
  CHECK(vt_grant_day(world, c, 90, 300) == 140);
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
