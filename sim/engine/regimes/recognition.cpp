// Mutual international recognition, tiered: clinicians trained in partner
// countries are authorized in recognizing states first under supervision
// (daily volume cap, co-signature that lowers error risk), then fully once they
// reach a number of encounters with an adverse-event rate below a bound; paid
// claims can lead to revocation, everywhere when boards share a disciplinary
// repository, else only where the claim arose. Without real-time verification
// platforms learn of a revocation only after a lag.
#include <algorithm>

#include "core/errors.hpp"
#include "core/random.hpp"
#include <cmath>

#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class Recognition final : public Regime {
 public:
  explicit Recognition(const RegimeBuildContext& ctx) : params_(ctx.params) {
    const auto& sc = ctx.scenario;
    window_ = ctx.window("recognition");
    for (auto place : ctx.codes("recognition.partners", false)) {
      if (sc.places.is_us(place)) {
        const auto o = sc.origin("recognition.partners");
        throw ScenarioError(o.file, o.line, "recognition.partners",
                            "expected foreign location codes (ISO alpha-3), got a US jurisdiction");
      }
      partners_.push_back(static_cast<std::uint8_t>(place));
    }
    for (auto j : ctx.codes("recognition.recognizing_states", true)) recognizing_ |= std::uint64_t{1} << j;
    per_partner_ = sc.real("recognition.clinicians_per_partner");
    states_per_clinician_ = static_cast<int>(sc.real("recognition.states_per_clinician"));
    cap_ = static_cast<int>(sc.real("recognition.supervised_daily_cap"));
    supervised_multiplier_ = sc.real("recognition.supervised_adverse_multiplier");
    promotion_encounters_ = sc.real("recognition.promotion_encounters");
    promotion_max_rate_ = sc.real("recognition.promotion_max_adverse_rate");
    revocation_prob_ = sc.real("recognition.revocation_prob_per_paid_claim");
    shared_repository_ = sc.boolean("recognition.shared_disciplinary_repository");
    real_time_ = sc.boolean("recognition.real_time_verification");
    lag_ = static_cast<int>(sc.real("recognition.verification_lag_days"));
    fee_ = sc.real("recognition.application_fee_usd");
    days_ = {sc.real("recognition.processing_days_low"), sc.real("recognition.processing_days_high")};
    lep_share_ = sc.real("recognition.language_concordance_share");
    insured_share_ = sc.real("recognition.malpractice_covered_share");
    for (std::size_t j = 0; j < sc.places.us.size(); ++j)
      weights_.push_back((weights_.empty() ? 0.0 : weights_.back()) +
                         (((recognizing_ >> j) & 1u) ? sc.places.us[j].population : 0.0));
  }
  std::string_view name() const override { return "recognition"; }

  std::vector<ExtraClinicianGroup> extra_clinicians() const override {
    std::vector<ExtraClinicianGroup> out;
    for (auto p : partners_)
      out.push_back({p, per_partner_, static_cast<std::uint8_t>(flag_recognition | flag_telehealth), lep_share_,
                     insured_share_});
    return out;
  }
  void prepare(Workforce& w, std::uint64_t seed, std::uint32_t replicate) override {
    seed_ = seed;
    replicate_ = replicate;
    encounters_.assign(w.size(), 0);
    harms_.assign(w.size(), 0);
    today_day_.assign(w.size(), -1);
    today_count_.assign(w.size(), 0);
    revoked_.assign(w.size(), 0);
    revoked_seen_from_.assign(w.size(), std::numeric_limits<std::int32_t>::max());
    recognized_.assign(w.size(), 0);
    supervised_.assign(w.size(), 0);
  }
  std::uint64_t held_in(ClinicianId c) const override { return recognized_[c] | supervised_[c]; }
  void count_authorizations(const Workforce&, const AuthorizationCount& add) const override {
    for (ClinicianId c = 0; c < recognized_.size(); ++c)
      for (std::uint64_t m = recognized_[c] | supervised_[c]; m != 0; m &= m - 1)
        add(static_cast<std::size_t>(__builtin_ctzll(m)), Pathway::recognition);
  }

  Authority tier(ClinicianId c, std::size_t loc) const {
    if (loc >= 64 || !((recognizing_ >> loc) & 1u)) return Authority::none;
    if ((recognized_[c] >> loc) & 1u) return Authority::recognized;
    if ((supervised_[c] >> loc) & 1u) return Authority::supervised;
    return Authority::none;
  }
  Authority grants(const Workforce& /*w*/, ClinicianId c, const EncounterQuery& q) const override {
    if (q.modality != Modality::telehealth || !window_.contains(q.day)) return Authority::none;
    if ((revoked_[c] >> q.location) & 1u) return Authority::none;
    return tier(c, q.location);
  }
  // What platforms see: revocations only once verified.
  Authority state_pool_grant(const Workforce& /*w*/, ClinicianId c, std::size_t loc, int day) const override {
    if (!window_.contains(day)) return Authority::none;
    if (((revoked_[c] >> loc) & 1u) && day >= revoked_seen_from_[c]) return Authority::none;
    const Authority a = tier(c, loc);
    if (a == Authority::supervised && today_day_[c] == day && today_count_[c] >= cap_) return Authority::none;
    return a;
  }
  bool within_limits(const Workforce&, ClinicianId c, Authority a, int day) const override {
    return a != Authority::supervised || today_day_[c] != day || today_count_[c] < cap_;
  }
  double harm_multiplier(const Workforce&, ClinicianId, Authority a) const override {
    return a == Authority::supervised ? supervised_multiplier_ : 1.0;
  }

  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t j, int day) const override {
    if (!window_.contains(day) || !w.has(c, flag_recognition) || !((recognizing_ >> j) & 1u)) return std::nullopt;
    if (((supervised_[c] | recognized_[c] | revoked_[c]) >> j) & 1u) return std::nullopt;
    return PathwayOffer{Pathway::recognition, Authority::supervised, fee_, params_.paperwork_hours,
                        days_.first, days_.second, params_.regulators[j].approval_prob, true};
  }
  void on_granted(Workforce& w, ClinicianId c, std::size_t j, Pathway, int) override {
    // A clinician already promoted elsewhere enters a new state at the full tier.
    if (recognized_[c] != 0) recognized_[c] |= std::uint64_t{1} << j;
    else supervised_[c] |= std::uint64_t{1} << j;
    w.enter_telehealth_pools(c, j);
  }
  // Participants apply on the first day of the window.
  void start_day(int day, RegimeServices& s) override {
    if (day != std::max(0, window_.start) || !window_.contains(day) || weights_.empty() || weights_.back() <= 0) return;
    auto& w = s.workforce;
    for (ClinicianId c = 0; c < w.size(); ++c) {
      if (!w.has(c, flag_recognition)) continue;
      Stream rng(seed_, replicate_, Purpose::licensing, static_cast<std::uint64_t>(day), c, 11);
      for (int k = 0; k < states_per_clinician_; ++k) {
        const auto j = rng.choose(weights_);
        if (auto o = offer(w, c, j, day)) {
          if (((w.pending[c] >> j) & 1u) == 0) s.apply(c, j, *o);
        }
      }
    }
  }

  void on_encounter(Workforce& /*w*/, ClinicianId c, Authority a, bool harmed, int day) override {
    if (a != Authority::supervised && a != Authority::recognized) return;
    if (today_day_[c] != day) {
      today_day_[c] = day;
      today_count_[c] = 0;
    }
    ++today_count_[c];
    ++encounters_[c];
    if (harmed) ++harms_[c];
    // Milestones met: every supervised authorization becomes full.
    if (a == Authority::supervised && encounters_[c] >= promotion_encounters_ &&
        harms_[c] <= promotion_max_rate_ * encounters_[c]) {
      recognized_[c] |= supervised_[c];
      supervised_[c] = 0;
    }
  }
  void on_paid_claim(Workforce& /*w*/, ClinicianId c, Authority a, std::size_t loc, int day) override {
    if (a != Authority::supervised && a != Authority::recognized) return;
    Stream rng(seed_, replicate_, Purpose::recognition_revocation, static_cast<std::uint64_t>(day), c);
    if (!rng.bernoulli(revocation_prob_)) return;
    const std::uint64_t revoke = shared_repository_ ? (supervised_[c] | recognized_[c]) : (std::uint64_t{1} << loc);
    // The tiers stay recorded; revoked_ masks them (at once in law, for
    // platforms once verified).
    revoked_[c] |= revoke;
    revoked_seen_from_[c] = std::min(revoked_seen_from_[c], day + (real_time_ ? 0 : lag_));
  }

 private:
  const ModelParams& params_;
  /// Per clinician: jurisdictions where recognized at the full and the supervised tier.
  std::vector<std::uint64_t> recognized_, supervised_;
  Window window_;
  std::vector<std::uint8_t> partners_;
  std::uint64_t recognizing_ = 0;
  std::vector<double> weights_;
  double per_partner_, supervised_multiplier_, promotion_encounters_, promotion_max_rate_;
  double revocation_prob_, fee_, lep_share_, insured_share_;
  int states_per_clinician_, cap_, lag_;
  bool shared_repository_, real_time_;
  std::pair<double, double> days_;
  std::uint64_t seed_ = 0;
  std::uint32_t replicate_ = 0;
  std::vector<std::uint32_t> encounters_, harms_;
  std::vector<std::int32_t> today_day_;
  std::vector<std::uint16_t> today_count_;
  std::vector<std::uint64_t> revoked_;
  std::vector<std::int32_t> revoked_seen_from_;
};

}  // namespace

RegimeModule recognition_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "recognition";
  auto& k = m.keys;
  add_window(k, "recognition", "international mutual recognition");
  k.push_back(text("recognition.partners", {}, "comma-separated ISO alpha-3 codes of partner countries (foreign locations file)",
                   "scenario-specific"));
  k.push_back(text("recognition.recognizing_states", {}, "comma-separated USPS codes of recognizing states, or ALL",
                   "scenario-specific"));
  k.push_back(real("recognition.clinicians_per_partner", 0, 1e7, "clinicians",
                   "foreign-trained clinicians per partner country taking part (full scale)", assumed));
  k.push_back(real("recognition.states_per_clinician", 1, 64, "states", "recognizing states each participant applies to",
                   assumed));
  k.push_back(real("recognition.supervised_daily_cap", 0, 1000, "encounters/day",
                   "volume cap of a supervised clinician", assumed));
  k.push_back(real("recognition.supervised_adverse_multiplier", 0, 100, "ratio",
                   "adverse-event multiplier under co-signature and review (below 1)", assumed));
  k.push_back(real("recognition.promotion_encounters", 0, 1e6, "encounters",
                   "encounters needed before full recognition", assumed));
  k.push_back(real("recognition.promotion_max_adverse_rate", 0, 1, "events/encounter",
                   "highest adverse-event rate allowing promotion", assumed));
  k.push_back(real("recognition.revocation_prob_per_paid_claim", 0, 1, "probability",
                   "probability that a paid claim leads to revocation", assumed));
  k.push_back(flag("recognition.shared_disciplinary_repository",
                   "revocation applies in every recognizing state (else only where the claim arose)", assumed));
  k.push_back(flag("recognition.real_time_verification",
                   "platforms see revocations at once (else after verification_lag_days)", assumed));
  k.push_back(real("recognition.verification_lag_days", 0, 3650, "days", "delay before platforms see a revocation",
                   assumed));
  k.push_back(real("recognition.application_fee_usd", 0, big, "USD", "fee per recognition application", assumed));
  k.push_back(real("recognition.processing_days_low", 0, 3650, "days", "shortest recognition review",
                   "EU Directive 2005/36/EC Art. 51: decision within 3 months (U); assumption"));
  k.push_back(real("recognition.processing_days_high", 0, 3650, "days", "longest recognition review",
                   "EU Directive 2005/36/EC Art. 51 (U); assumption"));
  k.push_back(real("recognition.language_concordance_share", 0, 1, "fraction",
                   "share of participants speaking the language of LEP patients", assumed));
  k.push_back(real("recognition.malpractice_covered_share", 0, 1, "fraction",
                   "share of participants whose insurance covers US patients", assumed));
  m.authorities = {"recognized", "supervised"};
  // Tiers and revocations (3 masks), encounters and harms, the day's count and its day, when platforms see a revocation.
  m.bytes_per_clinician = 3 * sizeof(std::uint64_t) + 2 * sizeof(std::uint32_t) + 2 * sizeof(std::int32_t) + sizeof(std::uint16_t);
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<Recognition>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) {
    auto notes = window_notes(ctx, "recognition");
    if (ctx.scenario.real("recognition.clinicians_per_partner") == 0)
      notes.push_back("recognition is enabled with no participating clinicians (clinicians_per_partner = 0)");
    return notes;
  };
  // Participants per partner country, as extra_clinicians() adds them.
  m.added_clinicians = [](const Scenario& sc, double scale) {
    if (!sc.boolean("recognition.enabled")) return 0.0;
    return std::floor(sc.real("recognition.clinicians_per_partner") * scale + 0.5) *
           static_cast<double>(sc.places.foreign.size());
  };
  return m;
}

}  // namespace licsim
