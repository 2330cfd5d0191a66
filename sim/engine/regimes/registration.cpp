// Telehealth registrations and special telemedicine licenses: in the states
// that offer them (data), a clinician licensed elsewhere may register to treat
// the state's patients by telemedicine only; some special licenses allow
// follow-ups only. The two kinds differ in how they are reviewed (a form
// checked by staff, or a license-like board review), in cost and in who is
// eligible; their rules are scenario keys per kind (docs/regimes.md §4).
#include <array>

#include "core/errors.hpp"
#include "engine/regimes/regimes.hpp"

namespace licsim {

namespace {

enum class Kind : std::uint8_t { registration, special_license };
constexpr std::array<const char*, 2> kind_names = {"registration", "special_license"};

class Registration final : public Regime {
 public:
  explicit Registration(const RegimeBuildContext& ctx) : params_(ctx.params) {
    const auto& sc = ctx.scenario;
    window_ = ctx.window("registration");
    for (std::size_t k = 0; k < kind_names.size(); ++k) rules_[k] = read_rules(sc, kind_names[k]);
    states_.resize(sc.places.us.size());
    const auto& t = ctx.table("registration.pathways_file");
    const auto pathway_col = RegimeBuildContext::column(t, "pathway");
    const auto follow_col = RegimeBuildContext::column(t, "follow_up_only");
    ctx.check_unique(t, "code");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto j = ctx.jurisdiction(t, r, "code");
      State& s = states_[j];
      const auto& kind = t.rows[r][pathway_col];
      if (kind == "registration") s.kind = Kind::registration;
      else if (kind == "special_license") s.kind = Kind::special_license;
      else RegimeBuildContext::fail(t, r, "pathway", "expected registration or special_license, got '" + printable(kind) + "'");
      const Rules& rules = rules_[static_cast<std::size_t>(s.kind)];
      s.offered = true;
      s.start = ctx.date(t, r, "start_date").value_or(std::numeric_limits<int>::min() / 2);
      // The last day new applications are accepted; holders keep their authorization.
      s.last = ctx.date(t, r, "end_date").value_or(std::numeric_limits<int>::max() / 2);
      if (s.last < s.start) RegimeBuildContext::fail(t, r, "end_date", "is before start_date");
      s.fee = ctx.number(t, r, "fee_usd", 0, 1e7).value_or(rules.fee);
      s.days_low = ctx.number(t, r, "processing_days_low", 0, 3650).value_or(rules.days_low);
      s.days_high = ctx.number(t, r, "processing_days_high", 0, 3650).value_or(rules.days_high);
      if (s.days_low > s.days_high) RegimeBuildContext::fail(t, r, "processing_days_low", "exceeds processing_days_high");
      const auto& flag = t.rows[r][follow_col];
      if (flag != "true" && flag != "false") RegimeBuildContext::fail(t, r, "follow_up_only", "expected true or false, got '" + printable(flag) + "'");
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
    if (!open(j, day) || day > states_[j].last || w.active[c] == 0 || ((w.registered[c] >> j) & 1u))
      return std::nullopt;
    const State& s = states_[j];
    const Rules& rules = rules_[static_cast<std::size_t>(s.kind)];
    // A clinician with a disciplinary record knows not to apply where one bars the pathway.
    if (rules.clean_record && w.has(c, flag_disciplined)) return std::nullopt;
    return PathwayOffer{Pathway::registration, Authority::registration, s.fee,
                        rules.paperwork_share * params_.paperwork_hours, s.days_low, s.days_high,
                        rules.approval_prob, rules.board_review};
  }
  void on_granted(Workforce& w, ClinicianId c, std::size_t j, Pathway, int) override {
    w.registered[c] |= std::uint64_t{1} << j;
    w.enter_telehealth_pools(c, j);
  }

 private:
  /// A kind's rules; the pathways file may override fee and days per state.
  struct Rules {
    double fee = 0, days_low = 0, days_high = 0, paperwork_share = 0, approval_prob = 1;
    bool board_review = false, clean_record = false;
  };
  struct State {
    bool offered = false, follow_up_only = false;
    Kind kind = Kind::registration;
    int start = 0, last = 0;
    double fee = 0, days_low = 0, days_high = 0;
  };
  static Rules read_rules(const Scenario& sc, const std::string& kind) {
    const std::string p = "registration." + kind + "_";
    Rules r;
    r.fee = sc.real(p + "fee_usd");
    r.days_low = sc.real(p + "processing_days_low");
    r.days_high = sc.real(p + "processing_days_high");
    r.paperwork_share = sc.real(p + "paperwork_share");
    r.approval_prob = sc.real(p + "approval_prob");
    r.board_review = sc.boolean(p + "board_review");
    r.clean_record = sc.boolean(p + "requires_clean_record");
    if (r.days_low > r.days_high) {
      const auto o = sc.origin(p + "processing_days_low");
      throw ScenarioError(o.file, o.line, p + "processing_days_low", "exceeds " + p + "processing_days_high");
    }
    return r;
  }
  bool open(std::size_t j, int day) const {
    return j < states_.size() && states_[j].offered && day >= states_[j].start && window_.contains(day);
  }
  const ModelParams& params_;
  Window window_;
  std::array<Rules, kind_names.size()> rules_;
  std::vector<State> states_;
};

}  // namespace

std::unique_ptr<Regime> make_registration(const RegimeBuildContext& ctx) { return std::make_unique<Registration>(ctx); }

}  // namespace licsim
