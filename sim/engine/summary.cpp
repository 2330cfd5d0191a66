#include "engine/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace licsim {

namespace {

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = static_cast<std::size_t>(std::ceil(pos));
  return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

double end_stock(const Result& r, int rep, DailyMetric m) {
  double sum = 0;
  for (std::size_t j = 0; j < r.jurisdictions.size(); ++j) sum += r.daily[r.daily_index(rep, r.days - 1, j, m)];
  return sum;
}

double telehealth(const Result& r, int i) {
  return r.total(i, m_served_telehealth_in_state) + r.total(i, m_served_telehealth_cross_state) +
         r.total(i, m_served_telehealth_international);
}

double served(const Result& r, int i) { return r.total(i, m_served_in_person) + telehealth(r, i); }

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

/// "1,234,567" from a whole number.
std::string with_separators(long long whole) {
  std::string digits = std::to_string(whole < 0 ? -whole : whole);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (whole < 0 ? "-" : "") + digits;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string format_headline_value(HeadlineKind kind, double v) {
  if (kind == HeadlineKind::share) {
    const double pct = 100 * v;
    return fixed(pct, pct != 0 && std::abs(pct) < 0.1 ? 3 : 1) + "%";
  }
  if (kind == HeadlineKind::days) return fixed(v, 1);
  const double magnitude = kind == HeadlineKind::usd ? std::abs(v) : v;  // -$12,345, not $-12,345
  const std::string number =
      std::abs(v) >= 10 || v == 0 ? with_separators(std::llround(magnitude)) : fixed(magnitude, 1);
  if (kind != HeadlineKind::usd) return number;
  return (v < 0 ? "-$" : "$") + number;
}

std::vector<HeadlineRow> headline(const Result& r, double national_factor) {
  using K = HeadlineKind;
  struct Spec {
    const char* name;
    const char* units;
    HeadlineKind kind;
    double (*value)(const Result&, int);
  };
  static const Spec specs[] = {
      {"episodes", "", K::count, [](const Result& r, int i) { return r.total(i, m_episodes); }},
      {"served in person", "", K::count, [](const Result& r, int i) { return r.total(i, m_served_in_person); }},
      {"telehealth, in state", "", K::count, [](const Result& r, int i) { return r.total(i, m_served_telehealth_in_state); }},
      {"telehealth, cross-state", "", K::count, [](const Result& r, int i) { return r.total(i, m_served_telehealth_cross_state); }},
      {"telehealth, international", "", K::count, [](const Result& r, int i) { return r.total(i, m_served_telehealth_international); }},
      {"unmet (forgone)", "", K::count, [](const Result& r, int i) { return r.total(i, m_unmet); }},
      {"unmet share of episodes", "share", K::share,
       [](const Result& r, int i) { return ratio(r.total(i, m_unmet), r.total(i, m_episodes)); }},
      {"telehealth share of served", "share", K::share,
       [](const Result& r, int i) { return ratio(telehealth(r, i), served(r, i)); }},
      {"cross-state share of telehealth", "share", K::share,
       [](const Result& r, int i) { return ratio(r.total(i, m_served_telehealth_cross_state), telehealth(r, i)); }},
      {"mean wait", "days", K::days,
       [](const Result& r, int i) { return ratio(r.total(i, m_wait_days_sum), served(r, i)); }},
      {"adverse events", "", K::count, [](const Result& r, int i) { return r.total(i, m_adverse_events); }},
      {"adverse events (expected)", "", K::count, [](const Result& r, int i) { return r.total(i, m_adverse_events_expected); }},
      {"malpractice claims", "", K::count, [](const Result& r, int i) { return r.total(i, m_malpractice_claims); }},
      {"malpractice claims (expected)", "", K::count,
       [](const Result& r, int i) { return r.total(i, m_malpractice_claims_expected); }},
      {"claims, cross-border (expected)", "", K::count,
       [](const Result& r, int i) { return r.total(i, m_malpractice_claims_cross_border_expected); }},
      {"indemnity", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_indemnity_usd); }},
      {"uncovered exposure", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_uncovered_exposure_usd); }},
      {"uncovered exposure (expected)", "USD", K::usd,
       [](const Result& r, int i) { return r.total(i, m_uncovered_exposure_usd_expected); }},
      {"licensure spend", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_licensure_spend_usd); }},
      {"patient cost", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_patient_cost_usd); }},
      {"payer cost", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_payer_cost_usd); }},
      {"boards' processing cost", "USD", K::usd, [](const Result& r, int i) { return r.total(i, m_board_processing_cost_usd); }},
      {"platforms' compliance cost", "USD", K::usd,
       [](const Result& r, int i) { return r.total(i, m_platform_compliance_cost_usd); }},
      {"unauthorized encounters", "", K::count, [](const Result& r, int i) { return r.total(i, m_unauthorized_encounters); }},
      {"unauthorized declined", "", K::count, [](const Result& r, int i) { return r.total(i, m_unauthorized_declined); }},
      {"unauthorized detected", "", K::count, [](const Result& r, int i) { return r.total(i, m_unauthorized_detected); }},
      {"unauthorized detected (expected)", "", K::count,
       [](const Result& r, int i) { return r.total(i, m_unauthorized_detected_expected); }},
      {"authorizations active (end)", "", K::count, [](const Result& r, int i) { return end_stock(r, i, m_authorizations_active); }},
      {"applications pending (end)", "", K::count, [](const Result& r, int i) { return end_stock(r, i, m_applications_pending); }},
  };
  std::vector<HeadlineRow> rows;
  for (const auto& spec : specs) {
    std::vector<double> values;
    const bool scales = spec.kind == K::count || spec.kind == K::usd;
    for (int i = 0; i < r.replicates; ++i) values.push_back(spec.value(r, i) * (scales ? national_factor : 1.0));
    double mean = 0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    rows.push_back({spec.name, spec.units, spec.kind, mean, percentile(values, 0.025), percentile(values, 0.975)});
  }
  return rows;
}

}  // namespace licsim
