// Each shipped regime file against its baseline at the file's own values: one
// year at 1:1000 after the shipped spin-up, sixteen replicates (eight for the
// three-year waiver runs, whose effects are large) with common random
// numbers (replicate r of both runs draws every stream alike), paired intervals.
// Nothing here raises a capacity or a rate: these are the answers a user gets.
// (Test names start with "shipped": the sanitizer preset skips these long runs.)
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <map>
#include <numeric>

#include "model/authority.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

constexpr int replicates = 16, waiver_replicates = 8;

/// Student's t quantiles (0.975, 0.995) for the replicate counts used here.
std::pair<double, double> t_quantiles(std::size_t n) {
  REQUIRE((n == 8 || n == 16));
  return n == 8 ? std::pair{2.365, 3.499} : std::pair{2.131, 2.947};
}


const Result& shipped(const std::string& name, const std::vector<std::string>& overrides = {},
                       int reps = replicates) {
  static std::map<std::string, Result> cache;  // each run once per test binary
  std::string key = name;
  for (const auto& o : overrides) key += " " + o;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  Scenario s = load_scenario_file(test::source_dir() / "scenarios" / (name + ".toml"));
  for (const auto& o : overrides) apply_override(s, o);
  finalize_scenario(s);
  RunOptions o;
  o.scale = 0.001;
  o.seed = 2026;
  o.replicates = reps;
  o.threads = 0;
  return cache.emplace(key, run(s, o)).first->second;
}

using PerReplicate = std::function<double(const Result&, int)>;

struct Paired {
  double mean, half95, half99;
  bool up() const { return mean - half95 > 0; }
  bool down() const { return mean + half95 < 0; }
  bool within_noise() const { return std::fabs(mean) <= half99; }
  bool not_up() const { return mean - half95 <= 0; }
  bool not_down() const { return mean + half95 >= 0; }
};

/// Mean and t intervals of one difference per replicate.
Paired paired(const std::vector<double>& d) {
  const auto n = static_cast<double>(d.size());
  const double mean = std::accumulate(d.begin(), d.end(), 0.0) / n;
  double ss = 0;
  for (double x : d) ss += (x - mean) * (x - mean);
  const double se = std::sqrt(ss / (n - 1) / n);
  const auto [t95, t99] = t_quantiles(d.size());
  return {mean, t95 * se, t99 * se};
}

/// Reform minus baseline, replicate by replicate.
Paired paired(const Result& base, const Result& reform, const PerReplicate& f) {
  REQUIRE(base.replicates == reform.replicates);
  std::vector<double> d;
  for (int r = 0; r < base.replicates; ++r) d.push_back(f(reform, r) - f(base, r));
  return paired(d);
}

/// A daily metric summed over one month of one replicate, every jurisdiction.
double month_total(const Result& r, DailyMetric metric, int month, int rep) {
  const auto m = static_cast<std::size_t>(month);
  const int end = month + 1 < r.months ? r.month_start_day[m + 1] : r.days;
  double s = 0;
  for (int d = r.month_start_day[m]; d < end; ++d)
    for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) s += r.daily[r.daily_index(rep, d, j, metric)];
  return s;
}

PerReplicate daily(DailyMetric m) {
  return [m](const Result& r, int rep) { return r.total(rep, m); };
}

PerReplicate authority(Authority a, int slot = 0) {
  return [a, slot](const Result& r, int rep) {
    double sum = 0;
    for (int m = 0; m < r.months; ++m)
      for (std::size_t j = 0; j < r.jurisdictions.size(); ++j)
        sum += r.by_authority[r.monthly_index(rep, m, j, authority_count * 2) + static_cast<std::size_t>(a) * 2 + slot];
    return sum;
  };
}

/// Breakdown metric of one payer.
PerReplicate payer_metric(BreakdownMetric b, Payer payer) {
  return [b, payer](const Result& r, int rep) {
    const std::size_t S = r.specialties.size(), cells_per_rep = r.breakdown.size() / static_cast<std::size_t>(r.replicates) / breakdown_metric_count;
    const std::size_t per_payer = area_count * S;
    double sum = 0;
    for (std::size_t i = 0; i < cells_per_rep; ++i)
      if ((i / per_payer) % payer_count == static_cast<std::size_t>(payer))
        sum += r.breakdown[(static_cast<std::size_t>(rep) * cells_per_rep + i) * breakdown_metric_count + b];
    return sum;
  };
}

/// Telemedicine encounters whose clinician is in one of `places` (by code).
PerReplicate tele_from(std::vector<std::string> places) {
  return [places](const Result& r, int rep) {
    const std::size_t n = r.places.size();
    double sum = 0;
    for (const auto& code : places) {
      const auto c = static_cast<std::size_t>(std::find(r.places.begin(), r.places.end(), code) - r.places.begin());
      REQUIRE(c < n);
      for (int m = 0; m < r.months; ++m)
        for (std::size_t p = 0; p < n; ++p)
          sum += r.flows[(((static_cast<std::size_t>(rep) * r.months + m) * n + p) * n + c) * modality_count + 1];
    }
    return sum;
  };
}

/// Telemedicine encounters across a state line with the patient located in one
/// of the jurisdictions marked in `into` (or, with `inside = false`, in the others).
PerReplicate cross_state_into(std::vector<bool> into, bool inside = true) {
  return [into, inside](const Result& r, int rep) {
    const std::size_t n = r.places.size(), n_us = r.jurisdictions.size();
    double sum = 0;
    for (int m = 0; m < r.months; ++m)
      for (std::size_t p = 0; p < n_us; ++p) {
        if (into[p] != inside) continue;
        for (std::size_t c = 0; c < n_us; ++c)
          if (c != p) sum += r.flows[(((static_cast<std::size_t>(rep) * r.months + m) * n + p) * n + c) * modality_count + 1];
      }
    return sum;
  };
}

/// Mean days from application to grant over the granted licenses (full and compact).
PerReplicate days_to_license() {
  return [](const Result& r, int rep) {
    double granted = 0, days = 0;
    for (int m = 0; m < r.months; ++m)
      for (std::size_t j = 0; j < r.jurisdictions.size(); ++j)
        for (Pathway p : {Pathway::full_license, Pathway::compact}) {
          const std::size_t i = r.monthly_index(rep, m, j, pathway_count * 4) + static_cast<std::size_t>(p) * 4;
          granted += r.by_pathway[i + 1];
          days += r.by_pathway[i + 2];
        }
    return days / granted;
  };
}

double sum_over_replicates(const Result& r, const PerReplicate& f) {
  double s = 0;
  for (int rep = 0; rep < r.replicates; ++rep) s += f(r, rep);
  return s;
}

/// What a regime should not touch: within noise, or so close to it that the 95%
/// interval lies within +-`margin` of the baseline's value (an equivalence test:
/// with common random numbers, follow-ups of a few more served episodes are resolved).
bool untouched(const Paired& p, double base_value, double margin) {
  return p.within_noise() || std::fabs(p.mean) + p.half95 <= margin * std::fabs(base_value);
}

#define CHECK_UNTOUCHED(base, reform, f, margin)                               \
  do {                                                                         \
    const Paired p_ = paired(base, reform, f);                                 \
    const double base_ = sum_over_replicates(base, f) / base.replicates;       \
    CAPTURE(p_.mean);                                                          \
    CAPTURE(p_.half95);                                                        \
    CAPTURE(base_);                                                            \
    CHECK(untouched(p_, base_, margin));                                       \
  } while (0)

#define CHECK_PAIRED(expr, direction)                          \
  do {                                                         \
    const Paired p_ = (expr);                                  \
    CAPTURE(p_.mean);                                          \
    CAPTURE(p_.half95);                                        \
    CHECK(p_.direction());                                     \
  } while (0)

}  // namespace

TEST_CASE("shipped imlc: compact licenses in use, faster licensing, care otherwise within noise") {
  const Result& base = shipped("state_only");
  const Result& imlc = shipped("imlc");
  CHECK(sum_over_replicates(imlc, authority(Authority::compact_license)) > 0);
  CHECK_PAIRED(paired(base, imlc, days_to_license()), down);
  CHECK_UNTOUCHED(base, imlc, daily(m_served_in_person), 0.001);
  CHECK_PAIRED(paired(base, imlc, daily(m_unmet)), not_up);  // access is no worse (slightly better)
  // Scope: only member boards issue compact licenses.
  const Scenario sc = test::baseline();
  std::vector<bool> member(imlc.jurisdictions.size(), false);
  for (const auto& row : sc.tables.at("compact.members_file").rows) member[*sc.places.find(row[0])] = true;
  for (std::size_t j = 0; j < member.size(); ++j) {
    if (member[j]) continue;
    double applications = 0;
    for (int rep = 0; rep < imlc.replicates; ++rep)
      for (int m = 0; m < imlc.months; ++m)
        applications += imlc.by_pathway[imlc.monthly_index(rep, m, j, pathway_count * 4) +
                                        static_cast<std::size_t>(Pathway::compact) * 4];
    CAPTURE(imlc.jurisdictions[j]);
    CHECK(applications == 0);
  }
}

TEST_CASE("shipped telemed_act: more Medicare telemedicine across state lines, other payers within noise") {
  const Result& base = shipped("state_only");
  const Result& act = shipped("telemed_act");
  CHECK(sum_over_replicates(act, authority(Authority::telemed_act)) > 0);
  CHECK_PAIRED(paired(base, act, payer_metric(b_served_telehealth_cross_state, Payer::medicare)), up);
  // Other payers gain nothing (Medicare patients may take some of the same
  // clinicians' telemedicine time: a crowd-out, docs/regimes.md).
  for (Payer p : {Payer::medicaid, Payer::private_insurance}) {
    CAPTURE(static_cast<int>(p));
    CHECK_PAIRED(paired(base, act, payer_metric(b_served_telehealth_cross_state, p)), not_up);
    CHECK_PAIRED(paired(base, act, payer_metric(b_served_telehealth, p)), not_up);
  }
}

TEST_CASE("shipped registration: registrants treat patients in the offering states, not elsewhere") {
  const Result& base = shipped("state_only");
  const Result& reg = shipped("registration");
  CHECK(sum_over_replicates(reg, authority(Authority::registration)) > 0);
  const Scenario sc = test::baseline({"registration.enabled=true"});
  std::vector<bool> offers(reg.jurisdictions.size(), false);
  for (const auto& row : sc.tables.at("registration.pathways_file").rows) offers[*sc.places.find(row[0])] = true;
  // At the shipped fees registrations mostly replace full licenses that
  // clinicians would have sought anyway: less licensing spend, and no less
  // cross-state telemedicine into the offering states (a little more where
  // border residents' clinicians across the line register to follow them).
  CHECK_PAIRED(paired(base, reg, daily(m_licensure_spend_usd)), down);
  CHECK_PAIRED(paired(base, reg, cross_state_into(offers)), not_down);
  CHECK_PAIRED(paired(base, reg, cross_state_into(offers, false)), not_up);
}

TEST_CASE("shipped international_recognition: partner-country clinicians treat US patients, others do not change") {
  const Result& base = shipped("state_only");
  const Result& rec = shipped("international_recognition");
  CHECK(sum_over_replicates(rec, authority(Authority::supervised)) > 0);
  CHECK_PAIRED(paired(base, rec, tele_from({"CAN", "GBR"})), up);
  CHECK_PAIRED(paired(base, rec, daily(m_served_telehealth_international)), up);
  CHECK_PAIRED(paired(base, rec, tele_from({"AUS", "IND", "MEX", "PHL"})), within_noise);
  CHECK_PAIRED(paired(base, rec, daily(m_unmet)), within_noise);
}

TEST_CASE("shipped national_license: national licensees in use, more cross-state telemedicine") {
  const Result& base = shipped("state_only");
  const Result& nat = shipped("national_license");
  CHECK(sum_over_replicates(nat, authority(Authority::national_license)) > 0);
  CHECK_PAIRED(paired(base, nat, daily(m_served_telehealth_cross_state)), up);
  CHECK_UNTOUCHED(base, nat, daily(m_episodes), 0.001);
}

TEST_CASE("shipped covid_waiver: the waiver itself adds cross-state telemedicine, and stops when it ends") {
  // Against the same 2020-2022 file without the waiver: the coverage change is in both.
  const Result& base = shipped("covid_waiver", {"waiver.enabled=false"}, waiver_replicates);
  const Result& waiver = shipped("covid_waiver", {}, waiver_replicates);
  CHECK(sum_over_replicates(waiver, authority(Authority::waiver)) > 0);
  CHECK_PAIRED(paired(base, waiver, daily(m_served_telehealth_cross_state)), up);
  CHECK_UNTOUCHED(base, waiver, daily(m_episodes), 0.001);
  // Most waivers end by mid-2022 (data/waiver_end_dates.csv; NH and VT in 2023):
  // December 2022 has a small fraction of December 2020's waiver encounters.
  const auto waiver_month = [&](int month) {
    double s = 0;
    for (int rep = 0; rep < waiver.replicates; ++rep)
      for (std::size_t j = 0; j < waiver.jurisdictions.size(); ++j)
        s += waiver.by_authority[waiver.monthly_index(rep, month, j, authority_count * 2) +
                                 static_cast<std::size_t>(Authority::waiver) * 2];
    return s;
  };
  REQUIRE(waiver.months == 36);
  CHECK(waiver_month(35) < 0.2 * waiver_month(11));
}

TEST_CASE("shipped combined: every module it switches on is used") {
  const Result& base = shipped("state_only");
  const Result& combined = shipped("combined");
  for (Authority a : {Authority::compact_license, Authority::registration, Authority::waiver,
                      Authority::consultation_exception}) {
    CAPTURE(authority_names[static_cast<std::size_t>(a)]);
    CHECK(sum_over_replicates(combined, authority(a)) > 0);
  }
  CHECK_PAIRED(paired(base, combined, daily(m_served_telehealth_cross_state)), up);
}

TEST_CASE("shipped state_only starts in a steady state: month 1 within noise of month 12") {
  const Result& r = shipped("state_only");
  REQUIRE(r.months == 12);
  // January and December have 31 days each. December minus January, replicate
  // by replicate: within the paired 99% interval, and within three Poisson
  // standard deviations of the total (the least noise such counts have).
  for (DailyMetric m : {m_episodes, m_served_in_person, m_served_telehealth_in_state, m_served_telehealth_cross_state,
                        m_unmet, m_adverse_events, m_continuity_encounters}) {
    double first = 0, last = 0;
    std::vector<double> d;
    for (int rep = 0; rep < r.replicates; ++rep) {
      const double january = month_total(r, m, 0, rep), december = month_total(r, m, 11, rep);
      first += january;
      last += december;
      d.push_back(december - january);
    }
    const Paired p = paired(d);
    CAPTURE(daily_metrics[static_cast<std::size_t>(m)].name);
    CAPTURE(first);
    CAPTURE(last);
    CAPTURE(p.half99 * r.replicates);
    CHECK(first > 0);
    CHECK(p.within_noise());
    CHECK(std::fabs(last - first) <= 3 * std::sqrt(first + last));
  }
}
