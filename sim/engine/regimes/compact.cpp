// Interstate Medical Licensure Compact: an expedited route to full licenses in
// member states for eligible physicians whose principal license is in a member
// state (one letter of qualification, then each state's license in days).
#include "core/errors.hpp"
#include "core/random.hpp"
#include "engine/regimes/regimes.hpp"

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
    for (ClinicianId c = 0; c < w.size(); ++c) {
      Stream rng(seed, replicate, Purpose::world_clinicians, 0, c, 2);
      if (rng.bernoulli(eligible_share_)) w.flags[c] |= flag_compact_eligible;
    }
  }

  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t j,
                                    int day) const override {
    if (!window_.contains(day) || !w.has(c, flag_compact_eligible) || w.is_abroad(c)) return std::nullopt;
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
};

}  // namespace

std::unique_ptr<Regime> make_compact(const RegimeBuildContext& ctx) { return std::make_unique<Compact>(ctx); }

}  // namespace licsim
