// TELE-MED Act (H.R. 3081 / S. 1778, 114th Congress): a practitioner licensed in
// any state may treat Medicare beneficiaries by telemedicine in any state.
// Nobody else is affected.
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class TelemedAct final : public Regime {
 public:
  explicit TelemedAct(const RegimeBuildContext& ctx)
      : window_(ctx.window("telemed_act")), n_us_(ctx.scenario.places.us.size()),
        abroad_ok_(ctx.scenario.boolean("telemed_act.clinicians_abroad_eligible")) {}
  std::string_view name() const override { return "telemed_act"; }

  bool opens_national_pool(const EncounterQuery& q) const override {
    return window_.contains(q.day) && q.modality == Modality::telehealth &&
           q.payer == static_cast<std::uint8_t>(Payer::medicare) && q.location < n_us_;
  }
  Authority national_grant(const Workforce& w, ClinicianId c, int) const override {
    return w.active[c] != 0 && (abroad_ok_ || !w.is_abroad(c)) ? Authority::telemed_act : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return opens_national_pool(q) ? national_grant(w, c, q.day) : Authority::none;
  }

 private:
  Window window_;
  std::size_t n_us_;
  bool abroad_ok_;
};

}  // namespace

RegimeModule telemed_act_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "telemed_act";
  auto& k = m.keys;
  add_window(k, "telemed_act", "TELE-MED Act (Medicare telemedicine across state lines)");
  k.push_back(abroad_flag("telemed_act", "TELE-MED Act"));
  m.authorities = {"telemed_act"};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<TelemedAct>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) {
    auto notes = window_notes(ctx, "telemed_act");
    if (regime_enabled("waiver", ctx.scenario))
      notes.push_back("telemed_act and waiver overlap for Medicare telemedicine while a state's waiver is in force; "
                      "encounters are counted under the first authority that applies (telemed_act)");
    return notes;
  };
  return m;
}

}  // namespace licsim
