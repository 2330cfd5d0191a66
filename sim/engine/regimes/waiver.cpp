// Emergency waiver (COVID-19 style): while a state's waiver is in force, a
// clinician licensed in any US state may treat its patients by telemedicine.
// Waivers start together and end state by state on dates from data.
#include "engine/regimes/module.hpp"
#include "scenario/spec_builders.hpp"

namespace licsim {

namespace {

class Waiver final : public Regime {
 public:
  explicit Waiver(const RegimeBuildContext& ctx) : abroad_ok_(ctx.scenario.boolean("waiver.clinicians_abroad_eligible")) {
    const int start = ctx.day_of_key("waiver.start_date").value_or(0);
    const auto default_end = ctx.day_of_key("waiver.default_end_date");
    ctx.check_order("waiver.start_date", "waiver.default_end_date");
    // End dates are the last day a waiver applied.
    windows_.assign(ctx.scenario.places.us.size(), Window{start, default_end ? *default_end + 1 : -1});
    if (ctx.scenario.text("waiver.end_dates_file").empty()) return;
    const auto& t = ctx.table("waiver.end_dates_file");
    ctx.check_unique(t, "code");
    const auto first = ctx.day_of_key("waiver.start_date");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const auto j = ctx.jurisdiction(t, r, "code");
      const auto end = ctx.date(t, r, "end_date");
      if (!end) RegimeBuildContext::fail(t, r, "end_date", "expected a date, got an empty field");
      if (first && *end < *first)
        RegimeBuildContext::fail(t, r, "end_date",
                                 "is before waiver.start_date (" + t.rows[r][RegimeBuildContext::column(t, "end_date")] +
                                     " < " + ctx.scenario.text("waiver.start_date") + ")");
      windows_[j].end = std::max(start, *end + 1);
    }
  }
  std::string_view name() const override { return "waiver"; }

  bool opens_national_pool(const EncounterQuery& q) const override {
    return q.modality == Modality::telehealth && q.location < windows_.size() &&
           windows_[q.location].contains(q.day);
  }
  Authority national_grant(const Workforce& w, ClinicianId c, int) const override {
    return w.active[c] != 0 && (abroad_ok_ || !w.is_abroad(c)) ? Authority::waiver : Authority::none;
  }
  Authority grants(const Workforce& w, ClinicianId c, const EncounterQuery& q) const override {
    return opens_national_pool(q) ? national_grant(w, c, q.day) : Authority::none;
  }

 private:
  std::vector<Window> windows_;
  bool abroad_ok_;
};

}  // namespace

RegimeModule waiver_module() {
  using namespace spec;
  RegimeModule m;
  m.name = "waiver";
  auto& k = m.keys;
  k.push_back(flag("waiver.enabled", "switch the emergency waiver on", "scenario-specific"));
  k.push_back(date("waiver.start_date", "first day of the emergency waiver in every state"));
  k.push_back(date("waiver.default_end_date", "last day of the waiver in states without a date in the end-dates file"));
  k.push_back(text("waiver.end_dates_file", {}, "CSV of last waiver day by state", "scenarios/data/README.md"));
  k.push_back(abroad_flag("waiver", "emergency waiver"));
  m.authorities = {"waiver"};
  m.make = [](const RegimeBuildContext& ctx) -> std::unique_ptr<Regime> { return std::make_unique<Waiver>(ctx); };
  m.notes = [](const RegimeBuildContext& ctx) {
    std::vector<std::string> notes;
    if (ctx.day_of_key("waiver.start_date").value_or(0) >= ctx.days())
      notes.push_back("waiver starts after the simulated period: it has no effect");
    return notes;
  };
  return m;
}

}  // namespace licsim
