// Telehealth registrations and special telemedicine licenses: in the states
// that offer them (data), a clinician licensed elsewhere may register to treat
// the state's patients by telemedicine only; some special licenses allow
// follow-ups only. The two kinds differ in how they are reviewed (a form
// checked by staff, or a license-like board review), in cost and in who is
// eligible; their rules are scenario keys per kind (docs/regimes.md §4).
#include <array>

#include "core/errors.hpp"
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

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

  Authority grants(const Workforce& /*w*/, ClinicianId c, const EncounterQuery& q) const override {
    if (q.modality != Modality::telehealth || !open(q.location, q.day)) return Authority::none;
    if (!((registered_[c] >> q.location) & 1u)) return Authority::none;
    if (states_[q.location].follow_up_only && !(q.episode_flags & ep_follow_up)) return Authority::none;
    return Authority::registration;
  }
  // Follow-up-only registrants are not in the pool for new patients.
  Authority state_pool_grant(const Workforce& /*w*/, ClinicianId c, std::size_t loc, int day) const override {
    if (!open(loc, day) || states_[loc].follow_up_only || !((registered_[c] >> loc) & 1u))
      return Authority::none;
    return Authority::registration;
  }
  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t j, int day) const override {
    if (!open(j, day) || day > states_[j].last || w.active[c] == 0 || ((registered_[c] >> j) & 1u))
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
    registered_[c] |= std::uint64_t{1} << j;
    w.enter_telehealth_pools(c, j);
  }
  void prepare(Workforce& w, std::uint64_t, std::uint32_t) override { registered_.assign(w.size(), 0); }
  std::uint64_t held_in(ClinicianId c) const override { return registered_[c]; }
  void count_authorizations(const Workforce&, const AuthorizationCount& add) const override {
    for (ClinicianId c = 0; c < registered_.size(); ++c)
      for (std::uint64_t m = registered_[c]; m != 0; m &= m - 1)
        add(static_cast<std::size_t>(__builtin_ctzll(m)), Pathway::registration);
  }

 private:
  std::vector<std::uint64_t> registered_;  ///< per clinician: jurisdictions where registered
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

RegimeModule registration_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "registration";
  auto& k = m.keys;
  add_window(k, "registration", "telehealth registrations and special telemedicine licenses");
  k.push_back(text("registration.pathways_file", {}, "CSV of states offering a registration or special license",
                   "scenarios/data/README.md"));
  // Per kind of pathway (the file's `pathway` column); fee and days are defaults
  // where the file has none. Sources: research notes in scenarios/data/README.md §5.
  k.push_back(real("registration.registration_fee_usd", 0, big, "USD",
                   "registration fee where the pathways file has none",
                   "median of the sourced registration fees FL $0, MN $100, WV $175, AZ $500 (V1): 137.5, "
                   "rounded; derived"));
  k.push_back(real("registration.registration_processing_days_low", 0, 3650, "days",
                   "shortest registration review where the file has none",
                   "WV: no decision before 10 business days, about 14 calendar days (W. Va. Code R. 11-15-5, V1); "
                   "the only figure found"));
  k.push_back(real("registration.registration_processing_days_high", 0, 3650, "days",
                   "longest registration review where the file has none", assumed));
  k.push_back(real("registration.registration_paperwork_share", 0, 1, "fraction",
                   "a registration's paperwork as a share of a full application's (regulator.paperwork_hours)",
                   "forms ask for identity, licenses, discipline, insurer and agent, no primary-source "
                   "verification or exam (Minn. Stat. 147.032, AZ R9-16-1002, WV 11 CSR 15-5.5, V1); share assumed"));
  k.push_back(real("registration.registration_approval_prob", 0, 1, "probability",
                   "probability that a registration is granted",
                   "form-based, staff-approved (FL DOH letter, WV without the Board, V1); no approval rates "
                   "found; assumed"));
  k.push_back(flag("registration.registration_board_review",
                   "registrations wait in the board's capacity-limited review queue, like a license",
                   "no: 'on a form provided by the board' (Minn. Stat. 147.032), DOH letter (Fla. Stat. "
                   "456.47), staff approval (W. Va. Code R. 11-15-5); V1"));
  k.push_back(flag("registration.registration_requires_clean_record",
                   "clinicians ever sanctioned are not eligible for a registration",
                   "no: most registrations bar pending or recent matters only (FL 5 years, MN revoked or "
                   "restricted, WV pending; AZ any past discipline), V1/V2"));
  k.push_back(real("registration.special_license_fee_usd", 0, big, "USD",
                   "special telemedicine license fee where the pathways file has none",
                   "AL $250 initial (albme.org, V1); TX the same as a full license (TMB, V1); default assumed"));
  k.push_back(real("registration.special_license_processing_days_low", 0, 3650, "days",
                   "shortest special-license review where the file has none",
                   "no published figure; reviewed like a full license (AL, LA, TN, TX, V1; NV, OH, V3): "
                   "the full license's 3-6 months (Smith 2022, T10) assumed"));
  k.push_back(real("registration.special_license_processing_days_high", 0, 3650, "days",
                   "longest special-license review where the file has none",
                   "as processing_days_low: 3-6 months (Smith 2022, T10) assumed"));
  k.push_back(real("registration.special_license_paperwork_share", 0, 1, "fraction",
                   "a special license's paperwork as a share of a full application's (regulator.paperwork_hours)",
                   "full-license qualifications and documents required (LA R.S. 37:1276.1 and its permit rule, TN "
                   "1050-02-.17, TX 22 TAC 172.12, AL two applications, V1); share assumed"));
  k.push_back(real("registration.special_license_approval_prob", 0, 1, "probability",
                   "probability that a special license application is granted",
                   "no approval rates found; board review like a full license, so regulator.approval_prob "
                   "(IMLC about 9-10% ineligible, Smith 2022) assumed"));
  k.push_back(flag("registration.special_license_board_review",
                   "special licenses wait in the board's capacity-limited review queue, like a license",
                   "yes: AL board agenda then the Commission, TX two-step analyst review, TN at Board "
                   "discretion (V1)"));
  k.push_back(flag("registration.special_license_requires_clean_record",
                   "clinicians ever sanctioned are not eligible for a special license",
                   "yes: no previous discipline in AL (waivable), LA, MT and TX (V1)"));
  m.authorities = {"registration"};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<Registration>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) { return window_notes(ctx, "registration"); };
  m.bytes_per_clinician = sizeof(std::uint64_t);  // jurisdictions registered in
  return m;
}

}  // namespace licsim
