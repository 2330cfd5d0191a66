// Telehealth registrations and special telemedicine licenses: in the states
// that offer them (data), a clinician licensed elsewhere may register to treat
// the state's patients by telemedicine only; some special licenses allow
// follow-ups only.
#include "engine/regimes/regimes.hpp"

namespace licsim {

namespace {

class Registration final : public Regime {
 public:
  explicit Registration(const RegimeBuildContext& ctx) : params_(ctx.params) {
    const auto& sc = ctx.scenario;
    window_ = ctx.window("registration");
    const double fee = sc.real("registration.fee_usd");
    const double low = sc.real("registration.processing_days_low");
    const double high = sc.real("registration.processing_days_high");
    states_.resize(sc.places.us.size());
    const auto& t = ctx.table("registration.pathways_file");
    const auto follow_col = RegimeBuildContext::column(t, "follow_up_only");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto j = ctx.jurisdiction(t, r, "code");
      State& s = states_[j];
      s.offered = true;
      s.start = ctx.date(t, r, "start_date").value_or(std::numeric_limits<int>::min() / 2);
      s.fee = ctx.number(t, r, "fee_usd", 0, 1e7).value_or(fee);
      s.days_low = ctx.number(t, r, "processing_days_low", 0, 3650).value_or(low);
      s.days_high = ctx.number(t, r, "processing_days_high", 0, 3650).value_or(high);
      if (s.days_low > s.days_high) RegimeBuildContext::fail(t, r, "processing_days_low", "exceeds processing_days_high");
      const auto& flag = t.rows[r][follow_col];
      if (flag != "true" && flag != "false") RegimeBuildContext::fail(t, r, "follow_up_only", "expected true or false, got '" + flag + "'");
      s.follow_up_only = flag == "true";
    }
  }
  std::string_view name() const override { return "registration"; }

  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    if (q.modality != Modality::telehealth || !open(q.location, q.day)) return Authority::none;
    if (!((w.registered[c] >> q.location) & 1u)) return Authority::none;
    if (states_[q.location].follow_up_only && !(q.episode_flags & ep_follow_up)) return Authority::none;
    return Authority::registration;
  }
  // Follow-up-only registrants are not in the pool for new patients.
  Authority state_pool_grant(const Workforce& w, ClinicianId c, std::size_t loc, int day) const override {
    if (!open(loc, day) || states_[loc].follow_up_only || !((w.registered[c] >> loc) & 1u))
      return Authority::none;
    return Authority::registration;
  }
  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t j, int day) const override {
    if (!open(j, day) || w.active[c] == 0 || ((w.registered[c] >> j) & 1u)) return std::nullopt;
    const State& s = states_[j];
    return PathwayOffer{Pathway::registration, Authority::registration, s.fee, 0.25 * params_.paperwork_hours,
                        s.days_low, s.days_high, 1.0, false};
  }
  void on_granted(Workforce& w, ClinicianId c, std::size_t j, Pathway, int) override {
    w.registered[c] |= std::uint64_t{1} << j;
    w.enter_telehealth_pools(c, j);
  }

 private:
  struct State {
    bool offered = false, follow_up_only = false;
    int start = 0;
    double fee = 0, days_low = 0, days_high = 0;
  };
  bool open(std::size_t j, int day) const {
    return j < states_.size() && states_[j].offered && day >= states_[j].start && window_.contains(day);
  }
  const ModelParams& params_;
  Window window_;
  std::vector<State> states_;
};

}  // namespace

std::unique_ptr<Regime> make_registration(const RegimeBuildContext& ctx) { return std::make_unique<Registration>(ctx); }

}  // namespace licsim
