// National license (hypothetical): one license from a national authority,
// valid in every US jurisdiction.
#include "core/random.hpp"
#include "engine/regimes/regimes.hpp"

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
    return w.has(c, flag_national_license) && (abroad_ok_ || !w.is_abroad(c)) ? Authority::national_license
                                                                              : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return opens_national_pool(q) ? national_grant(w, c, q.day) : Authority::none;
  }
  std::optional<PathwayOffer> offer(const Workforce& w, ClinicianId c, std::size_t, int day) const override {
    if (!window_.contains(day) || w.active[c] == 0 || w.has(c, flag_national_license)) return std::nullopt;
    if (!abroad_ok_ && w.is_abroad(c)) return std::nullopt;
    return PathwayOffer{Pathway::national_license, Authority::national_license, fee_, paperwork_,
                        days_.first, days_.second, 1.0, false};
  }
  void on_granted(Workforce& w, ClinicianId c, std::size_t, Pathway, int) override {
    w.flags[c] |= flag_national_license;
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
  void prepare(Workforce&, std::uint64_t seed, std::uint32_t replicate) override {
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
};

}  // namespace

std::unique_ptr<Regime> make_national_license(const RegimeBuildContext& ctx) {
  return std::make_unique<NationalLicense>(ctx);
}

}  // namespace licsim
