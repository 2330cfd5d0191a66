// The headline table: national figures scale counts and amounts by 1 / scale and
// nothing else; shares are of per-replicate totals; values print as a report's.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/summary.hpp"
#include "support.hpp"

using namespace licsim;

namespace {
const HeadlineRow& row(const std::vector<HeadlineRow>& rows, const std::string& name) {
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const HeadlineRow& r) { return r.name == name; });
  REQUIRE(it != rows.end());
  return *it;
}
}  // namespace

TEST_CASE("national headline figures scale counts and amounts, not waits or shares") {
  const Result r = test::run_with({}, 20, 0.0005);
  const auto agents = headline(r);
  const auto national = headline(r, 2000);
  REQUIRE(agents.size() == national.size());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const bool scales = agents[i].kind == HeadlineKind::count || agents[i].kind == HeadlineKind::usd;
    CHECK(national[i].mean == doctest::Approx(agents[i].mean * (scales ? 2000 : 1)));
    CHECK(national[i].high == doctest::Approx(agents[i].high * (scales ? 2000 : 1)));
  }
  const double episodes = r.total(0, m_episodes);
  CHECK(row(agents, "episodes").mean == episodes);
  CHECK(row(agents, "unmet share of episodes").mean == doctest::Approx(r.total(0, m_unmet) / episodes));
  const double tele = r.total(0, m_served_telehealth_in_state) + r.total(0, m_served_telehealth_cross_state) +
                      r.total(0, m_served_telehealth_international);
  CHECK(row(agents, "cross-state share of telehealth").mean ==
        doctest::Approx(r.total(0, m_served_telehealth_cross_state) / tele));
  CHECK(row(agents, "cross-state share of telehealth").kind == HeadlineKind::share);
}

TEST_CASE("headline values print with thousands separators, a dollar sign, one decimal for waits, percentages") {
  CHECK(format_headline_value(HeadlineKind::count, 69488123.4) == "69,488,123");
  CHECK(format_headline_value(HeadlineKind::count, 999) == "999");
  CHECK(format_headline_value(HeadlineKind::count, 1000) == "1,000");
  CHECK(format_headline_value(HeadlineKind::count, 0) == "0");
  CHECK(format_headline_value(HeadlineKind::count, 2.345) == "2.3");
  CHECK(format_headline_value(HeadlineKind::usd, 1258213.6) == "$1,258,214");
  CHECK(format_headline_value(HeadlineKind::usd, -12345) == "-$12,345");
  CHECK(format_headline_value(HeadlineKind::days, 7.391) == "7.4");
  CHECK(format_headline_value(HeadlineKind::share, 0.4123) == "41.2%");
  CHECK(format_headline_value(HeadlineKind::share, 0.0004) == "0.040%");
  CHECK(format_headline_value(HeadlineKind::share, 0) == "0.0%");
}
