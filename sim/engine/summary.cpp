#include "engine/summary.hpp"

#include <algorithm>
#include <cmath>

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

}  // namespace

std::vector<HeadlineRow> headline(const Result& r) {
  struct Spec {
    const char* name;
    const char* units;
    double (*value)(const Result&, int);
  };
  static const Spec specs[] = {
      {"episodes", "", [](const Result& r, int i) { return r.total(i, m_episodes); }},
      {"served in person", "", [](const Result& r, int i) { return r.total(i, m_served_in_person); }},
      {"telehealth, in state", "", [](const Result& r, int i) { return r.total(i, m_served_telehealth_in_state); }},
      {"telehealth, cross-state", "", [](const Result& r, int i) { return r.total(i, m_served_telehealth_cross_state); }},
      {"telehealth, international", "", [](const Result& r, int i) { return r.total(i, m_served_telehealth_international); }},
      {"unmet (forgone)", "", [](const Result& r, int i) { return r.total(i, m_unmet); }},
      {"mean wait", "days",
       [](const Result& r, int i) {
         const double served = r.total(i, m_served_in_person) + r.total(i, m_served_telehealth_in_state) +
                               r.total(i, m_served_telehealth_cross_state) +
                               r.total(i, m_served_telehealth_international);
         return served > 0 ? r.total(i, m_wait_days_sum) / served : 0.0;
       }},
      {"adverse events", "", [](const Result& r, int i) { return r.total(i, m_adverse_events); }},
      {"adverse events (expected)", "", [](const Result& r, int i) { return r.total(i, m_adverse_events_expected); }},
      {"malpractice claims", "", [](const Result& r, int i) { return r.total(i, m_malpractice_claims); }},
      {"malpractice claims (expected)", "",
       [](const Result& r, int i) { return r.total(i, m_malpractice_claims_expected); }},
      {"claims, cross-border (expected)", "",
       [](const Result& r, int i) { return r.total(i, m_malpractice_claims_cross_border_expected); }},
      {"indemnity", "USD", [](const Result& r, int i) { return r.total(i, m_indemnity_usd); }},
      {"uncovered exposure", "USD", [](const Result& r, int i) { return r.total(i, m_uncovered_exposure_usd); }},
      {"uncovered exposure (expected)", "USD",
       [](const Result& r, int i) { return r.total(i, m_uncovered_exposure_usd_expected); }},
      {"licensure spend", "USD", [](const Result& r, int i) { return r.total(i, m_licensure_spend_usd); }},
      {"patient cost", "USD", [](const Result& r, int i) { return r.total(i, m_patient_cost_usd); }},
      {"payer cost", "USD", [](const Result& r, int i) { return r.total(i, m_payer_cost_usd); }},
      {"boards' processing cost", "USD", [](const Result& r, int i) { return r.total(i, m_board_processing_cost_usd); }},
      {"platforms' compliance cost", "USD",
       [](const Result& r, int i) { return r.total(i, m_platform_compliance_cost_usd); }},
      {"unauthorized encounters", "", [](const Result& r, int i) { return r.total(i, m_unauthorized_encounters); }},
      {"unauthorized declined", "", [](const Result& r, int i) { return r.total(i, m_unauthorized_declined); }},
      {"unauthorized detected", "", [](const Result& r, int i) { return r.total(i, m_unauthorized_detected); }},
      {"unauthorized detected (expected)", "",
       [](const Result& r, int i) { return r.total(i, m_unauthorized_detected_expected); }},
      {"authorizations active (end)", "", [](const Result& r, int i) { return end_stock(r, i, m_authorizations_active); }},
      {"applications pending (end)", "", [](const Result& r, int i) { return end_stock(r, i, m_applications_pending); }},
  };
  std::vector<HeadlineRow> rows;
  for (const auto& spec : specs) {
    std::vector<double> values;
    for (int i = 0; i < r.replicates; ++i) values.push_back(spec.value(r, i));
    double mean = 0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    rows.push_back({spec.name, spec.units, mean, percentile(values, 0.025), percentile(values, 0.975)});
  }
  return rows;
}

}  // namespace licsim
