// Exceptions usable with any regime: the physician-to-physician consultation
// exception and the emergency telepsychiatry exception. Under either, a
// clinician licensed in any US state may act by telemedicine.
#include "engine/regimes/regimes.hpp"

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

std::unique_ptr<Regime> make_exceptions(const RegimeBuildContext& ctx) { return std::make_unique<Exceptions>(ctx); }

}  // namespace licsim
