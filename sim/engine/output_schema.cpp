#include "engine/output_schema.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "engine/regimes/module.hpp"
#include "model/authority.hpp"
#include "model/types.hpp"

namespace licsim {

namespace {

/// A slot's long name with its attribution, as the metrics group writes it.
std::string with_basis(const MetricInfo& info) {
  return std::string(info.description) + " [jurisdiction: " +
         (info.basis == Basis::board ? "issuing board" : "patient's home") + "]";
}

VariableSpec slot(std::string name, std::string units, std::string long_name, bool count,
                  std::vector<std::size_t> per = {}) {
  return {std::move(name), std::move(units), std::move(long_name), count, std::move(per)};
}

std::vector<VariableSpec> daily_slots() {
  std::vector<VariableSpec> slots;
  for (const auto& info : daily_metrics) slots.push_back(slot(std::string(info.name), std::string(info.units),
                                                              with_basis(info), info.is_count()));
  // Kept as the sum of the day's waits; written as their mean over the day's served episodes.
  slots[m_wait_days_sum].per = {m_served_in_person, m_served_telehealth_in_state, m_served_telehealth_cross_state,
                                m_served_telehealth_international};
  return slots;
}

std::vector<VariableSpec> breakdown_slots() {
  std::vector<VariableSpec> slots;
  for (const auto& info : breakdown_metrics)  // all whole numbers (the waits are whole days)
    slots.push_back(slot(std::string(info.name), std::string(info.units), std::string(info.description), true));
  return slots;
}

/// "half_year" -> "half-year": a period's name in prose.
std::string period_words(std::string_view period) {
  std::string words(period);
  std::replace(words.begin(), words.end(), '_', '-');
  return words;
}

/// The users' variables over calendar period `p` ("_by_quarter" etc.; none for months).
std::vector<VariableSpec> user_slots(std::size_t p) {
  const std::string_view period = user_period_names[p];
  const bool month = period == "month";
  const std::string suffix = month ? "" : "_by_" + std::string(period);
  const std::string words =
      month ? "month" : "calendar " + period_words(period) + " (the first and last may be partial)";
  std::vector<VariableSpec> slots;
  for (const auto& info : user_metrics) {
    std::string description(info.description);
    description.replace(description.rfind("the period"), 10, "the " + words);
    slots.push_back(slot(std::string(info.name) + suffix, std::string(info.units), description, true));
  }
  return slots;
}

std::vector<ArraySpec> make_arrays() {
  std::vector<ArraySpec> a;
  a.push_back({"daily", "metrics", {"replicate", "day", "jurisdiction"}, daily_slots(),
               "daily metrics (wait_days_mean holds the sum of the day's waits)",
               [](Result& r) -> std::vector<double>& { return r.daily; }});
  a.push_back({"breakdown", "breakdown", {"replicate", "month", "jurisdiction", "payer", "area", "specialty"},
               breakdown_slots(), "monthly totals by home jurisdiction, payer, area and specialty",
               [](Result& r) -> std::vector<double>& { return r.breakdown; }});
  using Storage = std::vector<double>& (*)(Result&);
  constexpr std::array<Storage, user_period_count> users = {
      [](Result& r) -> std::vector<double>& { return r.users[0].counts; },
      [](Result& r) -> std::vector<double>& { return r.users[1].counts; },
      [](Result& r) -> std::vector<double>& { return r.users[2].counts; },
      [](Result& r) -> std::vector<double>& { return r.users[3].counts; }};
  static_assert(user_period_count == 4);
  for (std::size_t p = 0; p < user_period_count; ++p)
    a.push_back({"users_" + std::string(user_period_names[p]), "breakdown",
                 {"replicate", std::string(user_period_names[p]), "jurisdiction", "payer", "area"}, user_slots(p),
                 "patients counted once per calendar " + period_words(user_period_names[p]), users[p]});
  a.push_back({"patients_by_cell", "breakdown", {"jurisdiction", "payer", "area"},
               {slot("patients", "1",
                     "simulated patients (the same in every replicate and period): the denominator of the users' "
                     "shares",
                     true)},
               "simulated patients (the same in every replicate)",
               [](Result& r) -> std::vector<double>& { return r.patients_by_cell; }});
  a.push_back({"flows", "flows", {"replicate", "month", "patient_location", "clinician_location", "modality"},
               {slot("encounters", "1", "encounters by patient location, clinician location and modality", true)},
               "encounters by where the patient was and where the clinician was",
               [](Result& r) -> std::vector<double>& { return r.flows; }});
  a.push_back({"home_flows", "flows", {"replicate", "month", "patient_home", "payer", "clinician_location", "modality"},
               {slot("encounters_by_home", "1",
                     "encounters by the patient's home jurisdiction and payer, clinician location and modality (the "
                     "claims studies' geography: beneficiary's state against clinician's)",
                     true)},
               "encounters by the patient's home and payer and where the clinician was",
               [](Result& r) -> std::vector<double>& { return r.home_flows; }});
  a.push_back({"by_authority", "regimes", {"replicate", "month", "jurisdiction", "authority"},
               {slot("encounters_by_authority", "1",
                     "encounters by the authority the clinician acted under [jurisdiction: patient's home]", true),
                slot("adverse_events_by_authority", "1", "adverse events by authority [jurisdiction: patient's home]",
                     true)},
               "encounters and adverse events by the authority the clinician acted under",
               [](Result& r) -> std::vector<double>& { return r.by_authority; }});
  a.push_back({"by_pathway", "regimes", {"replicate", "month", "jurisdiction", "pathway"},
               {slot("applications_by_pathway", "1", "applications submitted [jurisdiction: board applied to]", true),
                slot("authorizations_granted_by_pathway", "1", "authorizations granted [jurisdiction: issuing board]",
                     true),
                slot("days_to_authorization_mean", "days",
                     "mean days from application to grant of the authorizations granted that month (NaN when none)",
                     false, {ps_granted}),
                slot("authorizations_active_by_pathway", "1",
                     "authorizations in force at the end of the month [jurisdiction: issuing board; national "
                     "licenses at the board of the principal license]",
                     true)},
               "licensing by pathway (days_to_authorization_mean holds the sum of the days)",
               [](Result& r) -> std::vector<double>& { return r.by_pathway; }});
  a.push_back({"disruptions", "regimes", {"replicate", "month", "jurisdiction", "outcome"},
               {slot("relationships_disrupted_by_rule_change", "1",
                     "follow-ups whose clinician's authority ended with a rule change, by what became of them "
                     "[jurisdiction: patient's home]",
                     true)},
               "relationships cut by rule changes",
               [](Result& r) -> std::vector<double>& { return r.disruptions; }});
  a.push_back({"harm_causes", "regimes", {"replicate", "month", "jurisdiction", "cause"},
               {slot("adverse_events_by_cause", "1",
                     "adverse events by attributed cause [jurisdiction: patient's home]", true)},
               "adverse events by attributed cause",
               [](Result& r) -> std::vector<double>& { return r.harm_causes; }});
  a.push_back({"wait_quantiles", "regimes", {"replicate", "month", "jurisdiction", "wait_quantile"},
               {slot("wait_days_quantile", "days",
                     "median and 90th percentile of the days from an episode's start to its service, over the "
                     "month's served episodes (NaN when none) [jurisdiction: patient's home]",
                     false)},
               "waiting-time quantiles",
               [](Result& r) -> std::vector<double>& { return r.wait_quantiles; }});
  return a;
}

const std::string places_words = "(USPS code, or ISO 3166 alpha-3 abroad)";

std::vector<GroupSpec> make_groups() {
  const DimensionSpec replicate{"replicate", Axis::replicate, "replicate index"};
  const DimensionSpec month{"month", Axis::month, "first simulated day of the month"};
  std::vector<GroupSpec> g;
  g.push_back({"metrics",
               "daily metrics by replicate, day and jurisdiction (patient's home jurisdiction, or the issuing board "
               "for board variables)",
               {replicate, {"day", Axis::day, "simulated day"},
                {"jurisdiction", Axis::jurisdiction, "US jurisdiction (USPS code)"}},
               3,
               {}});
  g.push_back({"breakdown",
               "monthly totals by replicate, month, home jurisdiction, payer, area and specialty; users (patients) "
               "by month, quarter and year",
               {replicate, month, {"jurisdiction", Axis::jurisdiction, "patient's home jurisdiction"},
                {"payer", Axis::payer, "patient's payer"}, {"area", Axis::area, "patient's area"},
                {"specialty", Axis::specialty, "specialty group"},
                {"quarter", Axis::quarter, "first simulated day of the calendar quarter"},
                {"half_year", Axis::half_year, "first simulated day of the calendar half-year"},
                {"year", Axis::year, "first simulated day of the calendar year"}},
               6,
               {}});
  g.push_back({"flows",
               "monthly encounters by where the patient was (or their home and payer) and where the clinician was",
               {replicate, month, {"patient_location", Axis::place, "where the patient was " + places_words},
                {"clinician_location", Axis::place, "where the clinician was " + places_words},
                {"modality", Axis::modality, "encounter modality"},
                {"patient_home", Axis::jurisdiction, "the patient's home jurisdiction (USPS code)"},
                {"payer", Axis::payer, "patient's payer"}},
               5,
               {}});
  g.push_back({"regimes",
               "monthly regime outcomes by jurisdiction: encounters and harm by the authority the clinician acted "
               "under, licensing by pathway, relationships cut by rule changes, adverse events by cause, "
               "waiting-time quantiles",
               {replicate, month, {"jurisdiction", Axis::jurisdiction, "US jurisdiction"},
                {"authority", Axis::authority, "authority under which the clinician acted"},
                {"pathway", Axis::pathway, "application pathway"},
                {"outcome", Axis::outcome, "what became of a relationship cut by a rule change"},
                {"cause", Axis::cause, "attributed cause of harm"},
                {"wait_quantile", Axis::wait_quantile, "quantile of the days from an episode's start to its service"}},
               8,
               {}});
  const auto& arrays = output_arrays();
  for (auto& group : g)
    for (std::size_t a = 0; a < arrays.size(); ++a)
      if (arrays[a].group == group.name) group.arrays.push_back(a);
  return g;
}

template <class Names>
std::vector<std::string> labels(const Names& names) {
  return {names.begin(), names.end()};
}

}  // namespace

double Extents::of(Axis axis) const {
  switch (axis) {
    case Axis::replicate: return replicates;
    case Axis::day: return days;
    case Axis::month: return months;
    case Axis::quarter: return periods[1];
    case Axis::half_year: return periods[2];
    case Axis::year: return periods[3];
    case Axis::jurisdiction: return jurisdictions;
    case Axis::place: return places;
    case Axis::payer: return payer_count;
    case Axis::area: return area_count;
    case Axis::specialty: return specialties;
    case Axis::modality: return modality_count;
    case Axis::authority: return static_cast<double>(authority_labels().size());
    case Axis::pathway: return pathway_count;
    case Axis::outcome: return disruption_outcome_count;
    case Axis::cause: return harm_cause_count;
    case Axis::wait_quantile: return static_cast<double>(wait_quantile_levels.size());
  }
  throw std::logic_error("Extents::of: unknown axis");
}

Extents Extents::of(const Result& r) {
  Extents x;
  x.replicates = r.replicates;
  x.days = r.days;
  x.months = r.months;
  x.jurisdictions = static_cast<double>(r.jurisdictions.size());
  x.places = static_cast<double>(r.places.size());
  x.specialties = static_cast<double>(r.specialties.size());
  for (std::size_t p = 0; p < user_period_count; ++p) x.periods[p] = r.users[p].size();
  return x;
}

const DimensionSpec& GroupSpec::dimension(const std::string& dim) const {
  for (const auto& d : dims)
    if (d.name == dim) return d;
  throw std::logic_error("output schema: group " + name + " has no dimension " + dim);
}

const std::vector<ArraySpec>& output_arrays() {
  static const std::vector<ArraySpec> arrays = make_arrays();
  return arrays;
}

const std::vector<GroupSpec>& output_groups() {
  static const std::vector<GroupSpec> groups = make_groups();
  return groups;
}

const ArraySpec& output_array(const std::string& name) {
  for (const auto& a : output_arrays())
    if (a.name == name) return a;
  throw std::out_of_range("no result array " + name);
}

const GroupSpec& output_group(const std::string& name) {
  for (const auto& g : output_groups())
    if (g.name == name) return g;
  throw std::out_of_range("no output group " + name);
}

std::vector<Axis> axes_of(const ArraySpec& array) {
  const GroupSpec& group = output_group(array.group);
  std::vector<Axis> axes;
  for (const auto& dim : array.dims) axes.push_back(group.dimension(dim).axis);
  return axes;
}

double cells_of(const ArraySpec& array, const Extents& extents) {
  double cells = 1;
  for (Axis axis : axes_of(array)) cells *= extents.of(axis);
  return cells;
}

bool is_time_axis(Axis axis) {
  return axis == Axis::day || axis == Axis::month || axis == Axis::quarter || axis == Axis::half_year ||
         axis == Axis::year;
}

bool is_numeric_axis(Axis axis) { return axis == Axis::replicate || is_time_axis(axis); }

std::vector<int> axis_numbers(const Result& r, Axis axis) {
  std::vector<int> values;
  switch (axis) {
    case Axis::replicate: values.resize(static_cast<std::size_t>(r.replicates)); break;
    case Axis::day: values.resize(static_cast<std::size_t>(r.days)); break;
    case Axis::month: return r.month_start_day;
    case Axis::quarter: return r.users[1].start_day;
    case Axis::half_year: return r.users[2].start_day;
    case Axis::year: return r.users[3].start_day;
    default: throw std::logic_error("axis_numbers: a text axis");
  }
  std::iota(values.begin(), values.end(), 0);
  return values;
}

std::vector<std::string> axis_labels(const Result& r, Axis axis) {
  switch (axis) {
    case Axis::jurisdiction: return r.jurisdictions;
    case Axis::place: return r.places;
    case Axis::specialty: return r.specialties;
    case Axis::payer: return labels(payer_names);
    case Axis::area: return labels(area_names);
    case Axis::modality: return labels(modality_names);
    case Axis::authority: return authority_labels();
    case Axis::pathway: return labels(pathway_names);
    case Axis::outcome: return labels(disruption_outcome_names);
    case Axis::cause: return labels(harm_cause_names);
    case Axis::wait_quantile: return labels(wait_quantile_names);
    default: throw std::logic_error("axis_labels: a numeric axis");
  }
}

void allocate_results(Result& results) {
  const Extents extents = Extents::of(results);
  for (const auto& array : output_arrays())
    array.storage(results).assign(static_cast<std::size_t>(cells_of(array, extents)) * array.slots.size(), 0.0);
}

std::vector<std::vector<double>> variable_values(const Result& results, const ArraySpec& array, std::size_t first,
                                                 std::size_t count) {
  const std::vector<double>& rows = array.data(results);
  const std::size_t width = array.slots.size();
  const std::size_t cells = rows.size() / width;
  // One sequential pass for all the columns (a strided pass per column reads
  // the whole array each time).
  std::vector<std::vector<double>> out(count, std::vector<double>(cells));
  for (std::size_t i = 0; i < cells; ++i)
    for (std::size_t k = 0; k < count; ++k) out[k][i] = rows[i * width + first + k];
  for (std::size_t k = 0; k < count; ++k) {
    const auto& per = array.slots[first + k].per;
    if (per.empty()) continue;
    for (std::size_t i = 0; i < cells; ++i) {
      double denominator = 0;
      for (std::size_t s : per) denominator += rows[i * width + s];
      out[k][i] = denominator > 0 ? out[k][i] / denominator : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return out;
}

double results_bytes(const Extents& extents) {
  double values = 0;
  for (const auto& array : output_arrays()) values += cells_of(array, extents) * double(array.slots.size());
  return 8.0 * values;
}

double largest_variable_values(const Extents& extents) {
  double largest = 0;
  for (const auto& array : output_arrays()) largest = std::max(largest, cells_of(array, extents));
  return largest;
}

double stored_bytes(const Extents& extents) {
  double bytes = 0;
  for (const auto& array : output_arrays())
    for (const auto& v : array.slots) bytes += cells_of(array, extents) * (v.count ? 4.0 : 8.0);
  for (const auto& group : output_groups())
    for (const auto& dim : group.dims) bytes += 64.0 * extents.of(dim.axis);  // values, labels, references
  return bytes;
}

std::string output_schema_listing(const std::string& only) {
  std::ostringstream out;
  bool any = false;
  for (const auto& group : output_groups()) {
    if (!only.empty() && group.name != only) continue;
    out << (any ? "\n" : "") << group.name << ": " << group.description << "\n  dimensions:";
    any = true;
    for (const auto& d : group.dims) out << " " << d.name;
    out << "\n";
    for (std::size_t a : group.arrays) {
      const ArraySpec& array = output_arrays()[a];
      std::string dims;
      for (const auto& d : array.dims) dims += (dims.empty() ? "" : ", ") + d;
      for (const auto& v : array.slots)
        out << "  " << v.name << " (" << dims << ") [" << v.units << ", " << (v.count ? "integer" : "float64")
            << "]\n      " << v.long_name << "\n";
    }
  }
  if (!any) throw std::out_of_range("no output group " + only);
  return out.str();
}

std::string output_schema_markdown(const std::string& only) {
  std::ostringstream md;
  bool any = false;
  for (const auto& group : output_groups()) {
    if (!only.empty() && group.name != only) continue;
    any = true;
    if (only.empty()) md << "### Group `" << group.name << "`\n\n" << group.description << ".\n\n";
    md << "| variable | dimensions | units | stored as | meaning |\n|---|---|---|---|---|\n";
    for (std::size_t a : group.arrays) {
      const ArraySpec& array = output_arrays()[a];
      std::string dims;
      for (const auto& d : array.dims) dims += (dims.empty() ? "" : ", ") + d;
      for (const auto& v : array.slots)
        md << "| `" << v.name << "` | " << dims << " | " << v.units << " | " << (v.count ? "integer" : "float64")
           << " | " << v.long_name << " |\n";
    }
    md << "\n";
  }
  if (!any) throw std::out_of_range("no output group " + only);
  return md.str();
}

}  // namespace licsim
