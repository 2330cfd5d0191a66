#include <doctest/doctest.h>

#include <cstring>

#include "core/errors.hpp"
#include "model/authority.hpp"
#include "support.hpp"

using namespace licsim;

namespace {
bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
}  // namespace

TEST_CASE("output is bitwise identical for any thread count") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(60, 0.001);
  o.threads = 1;
  const Results one = run(s, o);
  o.threads = 2;
  const Results two = run(s, o);
  o.threads = 4;
  const Results four = run(s, o);
  CHECK(bitwise_equal(one.daily, two.daily));
  CHECK(bitwise_equal(one.breakdown, two.breakdown));
  CHECK(bitwise_equal(one.flows, two.flows));
  CHECK(bitwise_equal(one.daily, four.daily));
}

TEST_CASE("seeds and replicates give different, reproducible draws") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(30);
  const Results a = run(s, o);
  o.seed += 1;
  const Results b = run(s, o);
  CHECK_FALSE(bitwise_equal(a.daily, b.daily));
  // Replicate 0 of a two-replicate run is the one-replicate run.
  o.seed -= 1;
  o.replicates = 2;
  const Results two = run(s, o);
  CHECK(std::memcmp(two.daily.data(), a.daily.data(), a.daily.size() * sizeof(double)) == 0);
  CHECK(two.total(0, m_episodes) != two.total(1, m_episodes));
}

TEST_CASE("every episode ends served, forgone or still waiting") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(120, 0.001);
  o.replicates = 2;
  const Results r = run(s, o);
  for (int rep = 0; rep < r.replicates; ++rep)
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) {
      double arrived = 0, ended = 0;
      for (int d = 0; d < r.days; ++d) {
        arrived += r.daily[r.daily_index(rep, d, j, m_episodes)];
        for (auto m : {m_served_in_person, m_served_telehealth_in_state, m_served_telehealth_cross_state,
                       m_served_telehealth_international, m_unmet})
          ended += r.daily[r.daily_index(rep, d, j, m)];
      }
      ended += r.daily[r.daily_index(rep, r.days - 1, j, m_waiting)];
      CAPTURE(r.jurisdictions[j]);
      CHECK(arrived == ended);
    }
}

TEST_CASE("breakdown and flows add up to the daily metrics") {
  const Results r = run(test::baseline(), test::small_run(45));
  double breakdown_episodes = 0, flow_encounters = 0;
  for (std::size_t i = 0; i < r.breakdown.size(); i += breakdown_metric_count) breakdown_episodes += r.breakdown[i + b_episodes];
  for (double f : r.flows) flow_encounters += f;
  CHECK(breakdown_episodes == test::total(r, m_episodes));
  CHECK(flow_encounters == test::served(r));
}

TEST_CASE("encounters by authority add up to the served episodes; the unauthorized slice matches") {
  const Results r = run(test::baseline({"exceptions.consultation_enabled=true", "compact.enabled=true"}), test::small_run(45));
  double all = 0, unauthorized = 0;
  for (std::size_t i = 0; i < r.by_authority.size(); i += 2) {
    all += r.by_authority[i];
    if ((i / 2) % authority_count == static_cast<std::size_t>(Authority::none)) unauthorized += r.by_authority[i];
  }
  CHECK(all == test::served(r));
  CHECK(unauthorized == test::total(r, m_unauthorized_encounters));
}

TEST_CASE("episode volume matches the visit rates of the population") {
  const Scenario s = test::baseline();
  const Results r = run(s, test::small_run(365, 0.001));
  double people = 0;
  for (const auto& j : s.places.us) people += j.population * 0.001;
  // 3.3-3.9 visits per person-year given the age mix (NCHS rates); follow-ups past
  // the horizon and forgone follow-up chains make the count a little lower.
  const double per_person = test::total(r, m_episodes) / people;
  CHECK(per_person > 3.0);
  CHECK(per_person < 4.0);
}

TEST_CASE("bad run settings are refused with the option named") {
  RunOptions o;
  o.scale = 0;
  CHECK_THROWS_WITH_AS(validate(o), "--scale: expected a number in (0, 1], got 0", UsageError);
  o = RunOptions{};
  o.replicates = 0;
  CHECK_THROWS_WITH_AS(validate(o), "--replicates: expected an integer in [1, 100000], got 0", UsageError);
}

TEST_CASE("a cancelled run stops with Cancelled") {
  RunOptions o = test::small_run(100);
  o.cancelled = [] { return true; };
  CHECK_THROWS_AS(run(test::baseline(), o), Cancelled);
}
