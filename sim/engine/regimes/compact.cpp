// Interstate Medical Licensure Compact: an expedited route to full licenses in
// member states for eligible physicians whose principal license is in a member
// state (one letter of qualification, then each state's license in days).
#include "core/errors.hpp"
#include "core/random.hpp"
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class Compact final : public Regime {
 public:
  explicit Compact(const RegimeBuildContext& ctx) : params_(ctx.params) {
    const auto& sc = ctx.scenario;
    window_ = ctx.window("compact");
    eligible_share_ = sc.real("compact.eligible_share");
    loq_fee_ = sc.real("compact.loq_fee_usd");
    loq_days_ = {sc.real("compact.loq_days_low"), sc.real("compact.loq_days_high")};
    license_days_ = {sc.real("compact.license_days_low"), sc.real("compact.license_days_high")};
    loq_validity_ = static_cast<int>(sc.real("compact.loq_validity_days"));
    approval_ = sc.real("compact.approval_prob");
    membership_.assign(sc.places.us.size(), Window{0, 0});  // empty: not a member
    const auto& t = ctx.table("compact.members_file");
    // A counterfactual member count takes the file's first N rows as members throughout.
    const auto count = sc.has("compact.member_count") ? sc.integer("compact.member_count") : -1;
    if (count > static_cast<std::int64_t>(t.rows.size())) {
      const auto o = sc.origin("compact.member_count");
      throw ScenarioError(o.file, o.line, "compact.member_count",
                          "is " + std::to_string(count) + " but " + t.path + " lists only " +
                              std::to_string(t.rows.size()) + " states");
    }
    ctx.check_unique(t, "code");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto j = ctx.jurisdiction(t, r, "code");
      if (count >= 0) {
        if (static_cast<std::int64_t>(r) < count) membership_[j] = Window{0, -1};
        continue;
      }
      const auto join = ctx.date(t, r, "join_date");
      if (!join) RegimeBuildContext::fail(t, r, "join_date", "expected a date, got an empty field");
      Window w{*join, -1};
      if (const auto leave = ctx.date(t, r, "leave_date")) {
        if (*leave < *join)
          RegimeBuildContext::fail(t, r, "leave_date",
                                   "is before join_date (" + t.rows[r][RegimeBuildContext::column(t, "leave_date")] +
                                       " < " + t.rows[r][RegimeBuildContext::column(t, "join_date")] + ")");
        w.end = *leave;
      }
      membership_[j] = w;
    }
  }

  std::string_view name() const override { return "compact"; }

  // Compact licenses are full licenses: the base license check grants them.
  Authority grants(const Workforce&, ClinicianId, const EncounterQuery&) const override {
    return Authority::none;
  }

  void prepare(Workforce& w, std::uint64_t seed, std::uint32_t replicate) override {
    loq_until_.assign(w.size(), -1);
    eligible_.assign(w.size(), 0);
    for (ClinicianId c = 0; c < w.size(); ++c) {
      Stream rng(seed, replicate, Purpose::world_clinicians, 0, c, 2);
      eligible_[c] = rng.bernoulli(eligible_share_) ? 1 : 0;
    }
  }

  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t j,
                                    int day) const override {
    if (!window_.contains(day) || !eligible_[c] || w.is_abroad(c)) return std::nullopt;
    if (!member(w.location[c], day) || !member(j, day)) return std::nullopt;
    const bool has_loq = loq_until_[c] >= day;
    PathwayOffer o;
    o.pathway = Pathway::compact;
    o.grants = Authority::compact_license;
    o.fee_usd = params_.regulators[j].license_fee_usd + (has_loq ? 0.0 : loq_fee_);
    o.paperwork_hours = has_loq ? 0.25 * params_.paperwork_hours : params_.paperwork_hours;
    o.days_low = license_days_.first + (has_loq ? 0.0 : loq_days_.first);
    o.days_high = license_days_.second + (has_loq ? 0.0 : loq_days_.second);
    o.approval_prob = approval_;
    o.board_queue = false;  // expedited: not in the traditional review queue
    return o;
  }

  void on_granted(Workforce&, ClinicianId c, std::size_t, Pathway, int day) override {
    if (loq_until_[c] < day) loq_until_[c] = day + loq_validity_;
  }

 private:
  bool member(std::size_t j, int day) const { return membership_[j].contains(day) && membership_[j].end != 0; }

  const ModelParams& params_;
  Window window_;
  double eligible_share_, loq_fee_, approval_;
  std::pair<double, double> loq_days_, license_days_;
  int loq_validity_;
  std::vector<Window> membership_;
  std::vector<std::int32_t> loq_until_;
  std::vector<std::uint8_t> eligible_;  ///< per clinician: meets the compact's eligibility rules
};

}  // namespace

RegimeModule compact_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "compact";
  auto& k = m.keys;
  add_window(k, "compact", "Interstate Medical Licensure Compact");
  k.push_back(text("compact.members_file", {}, "CSV of member states with join and leave dates",
                   "scenarios/data/README.md (IMLCC, CSG NCIC, state statutes)"));
  k.push_back(optional(integer("compact.member_count", 0, 64, "states",
                               "counterfactual adoption: when set, the first N rows of compact.members_file are "
                               "members for the whole run and the rest are not (join and leave dates ignored)",
                               "scenario choice (scenarios/sweeps/compact_adoption.toml)")));
  k.push_back(real("compact.eligible_share", 0, 1, "fraction", "share of physicians meeting the compact's eligibility rules",
                   "IMLCC: about 80% of physicians eligible (regulatory-facts 2.2); V1/V2"));
  k.push_back(real("compact.loq_fee_usd", 0, big, "USD", "fee for a letter of qualification",
                   "IMLCC LOQ fee $700 (regulatory-facts 2.2); V3"));
  k.push_back(real("compact.loq_days_low", 0, 3650, "days", "shortest time to a letter of qualification",
                   "Smith 2022: LOQ plus licenses 37-55 days, licenses 7-10 days after the LOQ (T10); V1"));
  k.push_back(real("compact.loq_days_high", 0, 3650, "days", "longest time to a letter of qualification",
                   "Smith 2022 (T10); V1"));
  k.push_back(real("compact.license_days_low", 0, 3650, "days", "shortest time from LOQ to a member state's license",
                   "Smith 2022: 7-10 days (T10); V1"));
  k.push_back(real("compact.license_days_high", 0, 3650, "days", "longest time from LOQ to a member state's license",
                   "Smith 2022: 7-10 days (T10); V1"));
  k.push_back(real("compact.loq_validity_days", 1, 3650, "days", "validity of a letter of qualification",
                   "365 days (whitegloveimlc.com, regulatory-facts 2.2); V3"));
  k.push_back(real("compact.approval_prob", 0, 1, "probability", "probability that a compact application is granted",
                   "about 9-10% of applications found ineligible (AMA 2019; Smith 2022); V1/V2"));
  m.authorities = {};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<Compact>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) { return window_notes(ctx, "compact"); };
  m.bytes_per_clinician = sizeof(std::int32_t) + sizeof(std::uint8_t);  // LOQ validity, eligibility
  return m;
}

}  // namespace licsim
