// Exceptions usable with any regime: the physician-to-physician consultation
// exception and the emergency telepsychiatry exception. Under either, a
// clinician licensed in any US state may act by telemedicine.
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class Exceptions final : public Regime {
 public:
  explicit Exceptions(const RegimeBuildContext& ctx) : n_us_(ctx.scenario.places.us.size()) {
    consultation_ = ctx.scenario.boolean("exceptions.consultation_enabled");
    emergency_ = ctx.scenario.boolean("exceptions.emergency_telepsychiatry_enabled");
    abroad_ok_ = ctx.scenario.boolean("exceptions.clinicians_abroad_eligible");
  }
  std::string_view name() const override { return "exceptions"; }

  Authority applies(const EncounterQuery& q) const {
    if (q.modality != Modality::telehealth || q.location >= n_us_) return Authority::none;
    if (consultation_ && (q.episode_flags & ep_consultation)) return Authority::consultation_exception;
    if (emergency_ && (q.episode_flags & ep_emergency)) return Authority::emergency_exception;
    return Authority::none;
  }
  bool opens_national_pool(const EncounterQuery& q) const override { return applies(q) != Authority::none; }
  // The national pool is searched only for queries the exception covers; the
  // care code asks grants() for the authority of the encounter it finds.
  Authority national_grant(const Workforce& w, ClinicianId c, int) const override {
    return eligible(w, c) ? Authority::consultation_exception : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return eligible(w, c) ? applies(q) : Authority::none;
  }

 private:
  bool eligible(const Workforce& w, ClinicianId c) const {
    return w.active[c] != 0 && (abroad_ok_ || !w.is_abroad(c));
  }
  std::size_t n_us_;
  bool consultation_, emergency_, abroad_ok_;
};

}  // namespace

RegimeModule exceptions_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "exceptions";
  auto& k = m.keys;
  k.push_back(flag("exceptions.consultation_enabled", "physician-to-physician consultation exception in force",
                   "state medical practice acts (consultation exceptions; U)"));
  k.push_back(real("exceptions.consultation_share", 0, 1, "fraction",
                   "share of new episodes that are a consultation with a distant physician", assumed));
  k.push_back(flag("exceptions.emergency_telepsychiatry_enabled", "emergency telepsychiatry exception in force",
                   "scenario-specific"));
  k.push_back(real("exceptions.emergency_share", 0, 1, "fraction",
                   "share of new episodes of the emergency specialty that are emergencies", assumed));
  k.push_back(abroad_flag("exceptions", "consultation and emergency telepsychiatry exceptions"));
  k.push_back(text("exceptions.emergency_specialty", {}, "specialty whose emergencies the exception covers",
                   "scenario-specific"));
  m.authorities = {"consultation_exception", "emergency_exception"};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<Exceptions>(ctx); };
  m.enabled = [](const Scenario& sc) {
    return sc.boolean("exceptions.consultation_enabled") || sc.boolean("exceptions.emergency_telepsychiatry_enabled");
  };
  m.checked_when_off = false;  // nothing of its own to check: RegimeSet reads its shares and specialty
  return m;
}

}  // namespace licsim
