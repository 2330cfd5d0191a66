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

/// Every result array of `a` and `b` holds the same bits.
void check_identical(const Result& a, const Result& b) {
  CHECK(bitwise_equal(a.daily, b.daily));
  CHECK(bitwise_equal(a.breakdown, b.breakdown));
  CHECK(bitwise_equal(a.flows, b.flows));
  CHECK(bitwise_equal(a.by_authority, b.by_authority));
  CHECK(bitwise_equal(a.by_pathway, b.by_pathway));
  CHECK(bitwise_equal(a.disruptions, b.disruptions));
  CHECK(bitwise_equal(a.harm_causes, b.harm_causes));
}
}  // namespace

TEST_CASE("output is bitwise identical for any thread count") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(60, 0.001);
  o.threads = 1;
  const Result one = run(s, o);
  o.threads = 2;
  const Result two = run(s, o);
  o.threads = 4;
  const Result four = run(s, o);
  check_identical(one, two);
  check_identical(one, four);
}

TEST_CASE("every regime module gives bitwise identical output for any thread count") {
  // combined.toml switches on the compact, registration, the waiver window and
  // the consultation exception; the other modules are switched on here. The
  // regimes' per-clinician hooks run inside the parallel region (ThreadSanitizer
  // runs this test: scripts/ci_checks.sh).
  Scenario s = load_scenario_file(test::source_dir() / "scenarios" / "combined.toml");
  // A short spin-up, half of it accelerated: its code runs too, at a small cost
  // (the sanitizers run this test).
  for (const char* o : {"telemed_act.enabled=true", "recognition.enabled=true", "national_license.enabled=true",
                        "simulation.spinup_days=120", "simulation.spinup_accelerated_days=60"})
    apply_override(s, o);
  finalize_scenario(s);
  RunOptions o = test::small_run(45, 0.001);
  o.replicates = 2;
  o.threads = 1;
  const Result one = run(s, o);
  o.threads = 3;
  const Result three = run(s, o);
  check_identical(one, three);
}

TEST_CASE("seeds and replicates give different, reproducible draws") {
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(30);
  const Result a = run(s, o);
  o.seed += 1;
  const Result b = run(s, o);
  CHECK_FALSE(bitwise_equal(a.daily, b.daily));
  // Replicate 0 of a two-replicate run is the one-replicate run.
  o.seed -= 1;
  o.replicates = 2;
  const Result two = run(s, o);
  CHECK(std::memcmp(two.daily.data(), a.daily.data(), a.daily.size() * sizeof(double)) == 0);
  CHECK(two.total(0, m_episodes) != two.total(1, m_episodes));
}

TEST_CASE("a spin-up is simulated and not written; an accelerated one fills the licenses held for telemedicine") {
  const auto first_day = [](const Result& r, DailyMetric m) {
    double s = 0;
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) s += r.daily[r.daily_index(0, 0, j, m)];
    return s;
  };
  const RunOptions o = test::small_run(30, 0.001);
  const Result none = run(test::baseline(), o);
  const Result year = run(test::baseline({"simulation.spinup_days=365", "simulation.spinup_accelerated_days=0"}), o);
  const Result fast = run(test::baseline({"simulation.spinup_days=365", "simulation.spinup_accelerated_days=365",
                                           "simulation.spinup_licensing_speedup=8"}),
                           o);
  CHECK(year.days == 30);
  CHECK(year.spinup_days == 365);
  CHECK(year.daily.size() == none.daily.size());  // the spin-up's days are not in the output
  // From an empty history no one has a usual clinician on day 0; after a year many do.
  CHECK(first_day(none, m_continuity_encounters) == 0);
  CHECK(first_day(year, m_continuity_encounters) > 0);
  // Licensing that notices unmet demand 8 times as often leaves more licenses in force.
  CHECK(first_day(fast, m_authorizations_active) > first_day(year, m_authorizations_active) + 20);
}

TEST_CASE("every episode ends served, forgone or still waiting") {
  // From an empty history, so that every episode that ends also arose in the output.
  const Scenario s = test::baseline();
  RunOptions o = test::small_run(120, 0.001);
  o.replicates = 2;
  const Result r = run(s, o);
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
  const Result r = run(test::baseline(), test::small_run(45));
  double breakdown_episodes = 0, flow_encounters = 0;
  for (std::size_t i = 0; i < r.breakdown.size(); i += breakdown_metric_count) breakdown_episodes += r.breakdown[i + b_episodes];
  for (double f : r.flows) flow_encounters += f;
  CHECK(breakdown_episodes == test::total(r, m_episodes));
  CHECK(flow_encounters == test::served(r));
}

TEST_CASE("encounters by authority add up to the served episodes, the unauthorized slice matches") {
  const Result r = run(test::baseline({"exceptions.consultation_enabled=true", "compact.enabled=true"}), test::small_run(45));
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
  const Result r = run(s, test::small_run(365, 0.001));
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
