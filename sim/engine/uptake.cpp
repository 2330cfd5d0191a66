#include "engine/uptake.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace licsim {

TelehealthUptake::TelehealthUptake(const RegimeBuildContext& ctx, int days) {
  const Scenario& sc = ctx.scenario;
  enabled_ = sc.boolean("uptake.enabled");
  if (!enabled_) return;
  start_ = ctx.day_of_key("uptake.start_date").value_or(0);
  clinician_share_ = sc.real("uptake.clinician_share");
  adoption_days_ = sc.real("uptake.adoption_days");
  baseline_share_ = ctx.params.telehealth_active_share;
  capacity_share_ = sc.real("uptake.telehealth_capacity_share");
  if (clinician_share_ < ctx.params.telehealth_active_share) {
    const auto o = sc.origin("uptake.clinician_share");
    throw ScenarioError(o.file, o.line, "uptake.clinician_share",
                        "expected at least clinicians.telehealth_active_share (adoption only adds clinicians)");
  }

  // Avoidance: linear between the file's dates, 0 before the first, the last
  // value after the last.
  const DataTable& t = ctx.table("uptake.avoidance_file");
  std::vector<std::pair<int, double>> points;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto day = ctx.date(t, r, "date");
    if (!day) RegimeBuildContext::fail(t, r, "date", "expected a date, got an empty field");
    const auto share = ctx.number(t, r, "in_person_avoidance", 0, 1);
    if (!share) RegimeBuildContext::fail(t, r, "in_person_avoidance", "expected a number in [0, 1], got an empty field");
    if (!points.empty() && *day <= points.back().first)
      RegimeBuildContext::fail(t, r, "date", "expected dates in increasing order");
    points.emplace_back(*day, *share);
  }
  avoidance_.assign(static_cast<std::size_t>(days), 0.0);
  for (int d = 0; d < days && !points.empty(); ++d) {
    double a = 0;
    if (d >= points.back().first) {
      a = points.back().second;
    } else if (d >= points.front().first) {
      const auto next = std::upper_bound(points.begin(), points.end(), d,
                                         [](int day, const auto& p) { return day < p.first; });
      const auto prev = next - 1;
      const double f = static_cast<double>(d - prev->first) / (next->first - prev->first);
      a = prev->second + f * (next->second - prev->second);
    }
    avoidance_[static_cast<std::size_t>(d)] = a;
  }
  adopting_.resize(static_cast<std::size_t>(days));
}

void TelehealthUptake::prepare(const Workforce& w, std::uint64_t seed, std::uint32_t replicate) {
  if (!enabled_) return;
  for (auto& v : adopting_) v.clear();
  // Of the clinicians in the US who did not offer telemedicine, the share that
  // brings the whole to clinician_share; those who did widen theirs.
  const double joining = baseline_share_ < 1 ? (clinician_share_ - baseline_share_) / (1 - baseline_share_) : 0.0;
  for (ClinicianId c = 0; c < w.size(); ++c) {
    if (w.is_abroad(c)) continue;  // abroad, practice is telemedicine already
    Stream rng(seed, replicate, Purpose::telehealth_uptake, 0, c);
    const bool joins = rng.bernoulli(joining);
    const double delay = rng.exponential(adoption_days_);
    if (!joins && !w.has(c, flag_telehealth)) continue;
    const double day = start_ + std::floor(delay);
    if (day >= 0 && day < static_cast<double>(adopting_.size())) adopting_[static_cast<std::size_t>(day)].push_back(c);
  }
}

const std::vector<ClinicianId>& TelehealthUptake::adopting(int day) const {
  if (day < 0 || static_cast<std::size_t>(day) >= adopting_.size()) return none_;
  return adopting_[static_cast<std::size_t>(day)];
}

double TelehealthUptake::expected_clinician_share(double days_since_start) const {
  if (!enabled_ || days_since_start < 0) return baseline_share_;
  // P(delay < t) for a whole-day delay floor(Exp(mean)) on day t.
  const double adopted = 1 - std::exp(-(std::floor(days_since_start) + 1) / adoption_days_);
  return baseline_share_ + (clinician_share_ - baseline_share_) * adopted;
}

}  // namespace licsim
