// National license (hypothetical): one license from a national authority,
// valid in every US jurisdiction.
#include "core/random.hpp"
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class NationalLicense final : public Regime {
 public:
  explicit NationalLicense(const RegimeBuildContext& ctx)
      : window_(ctx.window("national_license")), n_us_(ctx.scenario.places.us.size()) {
    const auto& sc = ctx.scenario;
    fee_ = sc.real("national_license.fee_usd");
    days_ = {sc.real("national_license.processing_days_low"), sc.real("national_license.processing_days_high")};
    uptake_ = sc.real("national_license.initial_uptake_share");
    paperwork_ = ctx.params.paperwork_hours;
    abroad_ok_ = sc.boolean("national_license.clinicians_abroad_eligible");
  }
  std::string_view name() const override { return "national_license"; }

  bool opens_national_pool(const EncounterQuery& q) const override {
    return window_.contains(q.day) && q.location < n_us_;
  }
  Authority national_grant(const Workforce& w, ClinicianId c, int) const override {
    return holders_[c] && (abroad_ok_ || !w.is_abroad(c)) ? Authority::national_license
                                                                              : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return opens_national_pool(q) ? national_grant(w, c, q.day) : Authority::none;
  }
  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t, int day) const override {
    if (!window_.contains(day) || w.active[c] == 0 || holders_[c]) return std::nullopt;
    if (!abroad_ok_ && w.is_abroad(c)) return std::nullopt;
    PathwayOffer o{Pathway::national_license, Authority::national_license, fee_, paperwork_,
                   days_.first, days_.second, 1.0, false};
    o.allows_in_person = true;  // a license, valid in every jurisdiction
    return o;
  }
  void on_granted(Workforce&, ClinicianId c, std::size_t, Pathway, int) override { holders_[c] = 1; }
  bool license_valid_everywhere(const Workforce&, ClinicianId c) const override { return holders_[c] != 0; }
  // Counted at the board of the principal license.
  void count_authorizations(const Workforce& w, const AuthorizationCount& add) const override {
    for (ClinicianId c = 0; c < holders_.size(); ++c)
      if (holders_[c] && w.active[c] != 0)
        add(static_cast<std::size_t>(__builtin_ctzll(w.active[c])), Pathway::national_license);
  }
  // On the first day of the window, a share of telemedicine clinicians applies at once.
  void start_day(int day, RegimeServices& s) override {
    if (day != std::max(0, window_.start) || !window_.contains(day)) return;
    auto& w = s.workforce;
    for (ClinicianId c = 0; c < w.size(); ++c) {
      if (!w.has(c, flag_telehealth) || w.active[c] == 0) continue;
      Stream rng(seed_, replicate_, Purpose::licensing, static_cast<std::uint64_t>(day), c, 7);
      if (!rng.bernoulli(uptake_)) continue;
      const auto principal = static_cast<std::size_t>(__builtin_ctzll(w.active[c]));
      if (auto o = offer(w, c, principal, day)) s.apply(c, principal, *o);
    }
  }
  void prepare(Workforce& w, std::uint64_t seed, std::uint32_t replicate) override {
    holders_.assign(w.size(), 0);
    seed_ = seed;
    replicate_ = replicate;
  }

 private:
  Window window_;
  std::size_t n_us_;
  double fee_, uptake_, paperwork_;
  bool abroad_ok_;
  std::pair<double, double> days_;
  std::uint64_t seed_ = 0;
  std::uint32_t replicate_ = 0;
  std::vector<std::uint8_t> holders_;  ///< per clinician: holds the national license
};

}  // namespace

RegimeModule national_license_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "national_license";
  auto& k = m.keys;
  add_window(k, "national_license", "national license");
  k.push_back(abroad_flag("national_license", "national license"));
  k.push_back(real("national_license.fee_usd", 0, big, "USD", "fee for the national license", assumed));
  k.push_back(real("national_license.processing_days_low", 0, 3650, "days", "shortest national review", assumed));
  k.push_back(real("national_license.processing_days_high", 0, 3650, "days", "longest national review", assumed));
  k.push_back(real("national_license.initial_uptake_share", 0, 1, "fraction",
                   "share of telemedicine clinicians who apply on the first day", assumed));
  m.authorities = {"national_license"};
  m.bytes_per_clinician = sizeof(std::uint8_t);  // holds the license
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<NationalLicense>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) {
    auto notes = window_notes(ctx, "national_license");
    for (const char* other : {"compact", "registration", "telemed_act", "waiver"})
      if (regime_enabled(other, ctx.scenario))
        notes.push_back(std::string("national_license and ") + other + " overlap: a national license holder needs no " +
                        other + " authorization, so " + other + " matters only for clinicians without one");
    return notes;
  };
  return m;
}

}  // namespace licsim
