#include "engine/resources.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/errors.hpp"
#include "engine/calendar.hpp"
#include "engine/care.hpp"
#include "engine/output_schema.hpp"
#include "engine/population.hpp"
#include "engine/result.hpp"
#include "engine/regimes/module.hpp"
#include "engine/workforce.hpp"

namespace licsim {

namespace {

/// Growth slack of vectors filled by push_back (capacity is the next power of
/// two: 1 to 2 times the size, about 1.5 on average).
constexpr double vector_slack = 1.5;
/// The same for the episode vectors, measured: the per-day follow-up vectors
/// are freed when due and their memory reused, so peak RSS at 1:100 and 1:10
/// matches 1.25 (docs/reliability.md).
constexpr double episode_slack = 1.25;

/// Program, shared libraries, HDF5, data files and the per-thread arenas:
/// peak RSS of a run at 1:100000, where patients and clinicians are negligible
/// (measured; see docs/reliability.md).
constexpr std::uint64_t fixed_bytes = std::uint64_t{22} << 20;

/// Bytes per clinician in the workforce's structure of arrays.
constexpr double workforce_array_bytes =
    sizeof(std::uint8_t) * 4 +                                   // location, specialty, platform, flags
    sizeof(float) +                                              // risk
    sizeof(std::uint64_t) * 3 +                                  // license masks: active, compact, pending
    sizeof(std::uint8_t) * 64 +                                  // license use, per US jurisdiction (at most 64)
    sizeof(std::int32_t) * 2 +                                   // suspended_until, capacity_day
    sizeof(std::uint16_t) * 5;                                   // capacity counters

std::uint64_t parse_size(const std::string& text, bool& ok) {
  ok = false;
  if (text.empty()) return 0;
  // A plain decimal number (no sign, spaces or hexadecimal: std::from_chars), then the unit.
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{}) return 0;
  std::string suffix(end, text.data() + text.size());
  if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.pop_back();
  if (!suffix.empty() && (suffix.back() == 'i')) suffix.pop_back();
  double unit = 1;
  if (suffix == "K" || suffix == "k") unit = 1024.0;
  else if (suffix == "M" || suffix == "m") unit = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "g") unit = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "t") unit = 1024.0 * 1024 * 1024 * 1024;
  else if (!suffix.empty()) return 0;
  if (!std::isfinite(value) || value < 0) return 0;
  ok = true;
  return static_cast<std::uint64_t>(std::min(value * unit, 1.8e19));
}

std::optional<std::uint64_t> meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_number(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  bool ok = false;
  const auto v = parse_size(text, ok);
  return ok ? std::optional<std::uint64_t>(v) : std::nullopt;
}

/// The cgroup (v2) limit less what the group already uses.
std::optional<std::uint64_t> cgroup_headroom() {
  std::ifstream self("/proc/self/cgroup");
  std::string line, path;
  while (std::getline(self, line))
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  if (path.empty()) return std::nullopt;
  const std::string dir = "/sys/fs/cgroup" + (path == "/" ? std::string() : path);
  const auto limit = read_number((dir + "/memory.max").c_str());
  if (!limit) return std::nullopt;
  const auto used = read_number((dir + "/memory.current").c_str()).value_or(0);
  return *limit > used ? *limit - used : 0;
}

std::string millions(double n) {
  std::ostringstream out;
  if (n >= 1e6) out << std::fixed << std::setprecision(n >= 1e8 ? 0 : 1) << n / 1e6 << " M";
  else if (n >= 1e3) out << std::fixed << std::setprecision(n >= 1e5 ? 0 : 1) << n / 1e3 << " k";
  else out << std::fixed << std::setprecision(0) << n;
  return out.str();
}

}  // namespace

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  std::ostringstream out;
  out << std::fixed << std::setprecision(u == 0 || bytes >= 100 ? 0 : 1) << bytes << " " << units[u];
  return out.str();
}

std::uint64_t MemoryEstimate::total() const {
  const double sum = static_cast<double>(patients) * bytes_per_patient +
                     static_cast<double>(clinicians) * bytes_per_clinician + static_cast<double>(results_bytes) +
                     static_cast<double>(fixed_bytes);
  return sum >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(sum);
}

std::string MemoryEstimate::describe() const {
  std::ostringstream out;
  out << format_bytes(static_cast<double>(total())) << " (" << millions(static_cast<double>(patients))
      << " patients x " << std::fixed << std::setprecision(1) << bytes_per_patient << " B, "
      << millions(static_cast<double>(clinicians)) << " clinicians x " << std::setprecision(0)
      << bytes_per_clinician << " B, results " << format_bytes(static_cast<double>(results_bytes)) << ", base "
      << format_bytes(static_cast<double>(fixed_bytes)) << ")";
  return out.str();
}

Extents planned_extents(const Scenario& sc, const ModelParams& params, int replicates, int days) {
  Extents x;
  x.replicates = replicates;
  x.days = days;
  x.months = days / 28.0 + 2.0;  // when the start date does not parse (the run will say so)
  if (const auto start = parse_date(params.start_date)) x.months = Calendar(*start, std::clamp(days, 1, 36500)).months();
  x.jurisdictions = static_cast<double>(sc.places.us.size());
  x.places = static_cast<double>(sc.places.size());
  x.specialties = static_cast<double>(params.specialties.size());
  // Calendar quarters, half-years and years: each partial one at either end is one more.
  x.periods = {x.months, x.months / 3 + 2, x.months / 6 + 2, days / 365.0 + 2};
  return x;
}

MemoryEstimate estimate_memory(const Scenario& sc, const RunSettings& options) {
  const ModelParams& params = sc.params();
  const auto& places = sc.places;
  const double scale = options.scale;
  const int days = days_run(options, params);
  MemoryEstimate e;
  e.fixed_bytes = fixed_bytes;

  // Patients: as Population rounds them, stratum by stratum (the sum is within a
  // few thousand of population x scale).
  double patients = 0, mean_visits = 0;
  for (const auto& j : places.us) patients += std::floor(j.population * scale + 0.5);
  for (std::size_t b = 0; b < age_band_count; ++b)
    mean_visits += params.age_band_share[b] * params.visits_per_person_year[b];
  // Episodes in flight per patient (Little's law): scheduled follow-ups wait
  // their interval, booked new-patient appointments their lead time (at most
  // every new episode books); a day's new, due and waiting episodes sit in three
  // vectors; a served episode adds a relationship update.
  const double visits_per_day = mean_visits / 365.0;
  double pending = 0, waiting = 0;
  for (const auto& s : params.specialties) {
    pending += visits_per_day * s.visit_share * s.follow_up_prob * s.follow_up_interval_days;
    pending += visits_per_day * s.visit_share * (1.0 - s.follow_up_prob) * s.new_patient_lead_days;
    waiting += visits_per_day * s.visit_share;
  }
  e.patients = static_cast<std::uint64_t>(std::min(patients, 1.8e19));
  e.bytes_per_patient = sizeof(ClinicianId) +                                  // usual clinician
                        user_kind_count * sizeof(std::uint8_t) +               // last month counted as a user
                        episode_slack * sizeof(Episode) * (pending + 3 * waiting) +  // episodes in flight
                        episode_slack * sizeof(std::pair<PatientId, ClinicianId>) * waiting;

  // Clinicians: as build_workforce counts them (at least one per US jurisdiction),
  // plus an upper bound on those the regimes add (international recognition).
  double clinicians = 0;
  for (const auto& j : places.us) clinicians += std::max(1.0, std::floor(j.active_physicians * scale + 0.5));
  for (const auto& f : places.foreign) clinicians += std::floor(f.us_licensed_physicians * scale + 0.5);
  for (const auto& module : regime_modules())
    if (module.added_clinicians) clinicians += module.added_clinicians(sc, scale);
  e.clinicians = static_cast<std::uint64_t>(std::min(clinicians, 1.8e19));
  // Licenses per clinician: the principal one plus the census shares of more.
  const double licenses = 1.0 + params.two_licenses_share +
                          params.three_plus_licenses_share * (1.0 + params.extra_license_mean_beyond_two);
  // Pool memberships: in person, per platform and authorized jurisdiction,
  // any-jurisdiction and by specialty lists, each a ClinicianId; license expiries.
  e.bytes_per_clinician = workforce_array_bytes +
                          vector_slack * sizeof(ClinicianId) * (3.0 + licenses) +
                          vector_slack * sizeof(Expiry) * licenses;
  // The regimes' own per-clinician state (the scenario is finalized: every key is set).
  for (const auto& module : regime_modules())
    if (module.bytes_per_clinician > 0 && regime_enabled(module, sc))
      e.bytes_per_clinician += module.bytes_per_clinician;

  // Result of every replicate (doubles, from the output schema), and the
  // writer's buffer: writer_batch_values values (or one variable, when larger)
  // as doubles, and their compressed chunks, at most as large again.
  const Extents extents = planned_extents(sc, params, options.replicates, days);
  const double results =
      results_bytes(extents) + 16.0 * std::max(largest_variable_values(extents), double(writer_batch_values));
  e.results_bytes = static_cast<std::uint64_t>(std::min(results, 1.8e19));
  return e;
}

std::optional<std::string> scale_problem(const Scenario& sc, double scale) {
  const ModelParams& params = sc.params();
  const auto& places = sc.places;
  // A stratum holds llround(people x scale) patients (Population); clinicians
  // llround(physicians x scale) per place, at least one per US jurisdiction.
  const double largest = Population::largest_stratum(places, params);
  double clinicians = 0, most_physicians = 0;
  for (const auto& j : places.us) {
    clinicians += std::max(1.0, std::floor(j.active_physicians * scale + 0.5));
    most_physicians = std::max(most_physicians, j.active_physicians);
  }
  const auto smallest = [](double people) {  // the least scale at which people x scale rounds to 1, rounded up
    const double exact = 0.5 / people;
    const double unit = std::pow(10.0, std::floor(std::log10(exact)) - 1);
    return std::ceil(exact / unit * 1.0001) * unit;  // two significant digits, never below the exact bound
  };
  const auto text = [](double x) {
    std::ostringstream out;
    out << std::setprecision(2) << x;
    return out.str();
  };
  if (!(largest > 0))
    return std::string("the scenario has no patients at any scale (every jurisdiction's population or every "
                       "stratum's share is 0)");
  if (largest * scale < 0.5)
    return "no patients at this scale: the largest group of identical patients (" + millions(largest) +
           " people) rounds to none below --scale " + text(smallest(largest)) + "; use --scale " +
           text(smallest(largest)) + " or more";
  if (!(clinicians >= 1))
    return "no clinicians at this scale" +
           (most_physicians > 0 ? "; use --scale " + text(smallest(most_physicians)) + " or more" : std::string());
  return std::nullopt;
}

void check_scale(const Scenario& scenario, double scale) {
  if (const auto problem = scale_problem(scenario, scale)) {
    std::ostringstream label;
    label << "--scale " << scale << ": ";
    throw UsageError(label.str() + *problem);
  }
}

std::optional<AvailableMemory> available_memory() {
  if (const char* env = std::getenv("LICSIM_MEMORY_LIMIT")) {
    bool ok = false;
    const auto bytes = parse_size(env, ok);
    if (!ok)
      throw UsageError(std::string("LICSIM_MEMORY_LIMIT: expected a size in bytes (e.g. 512M, 8G), got '") +
                       printable(env) + "'");
    return AvailableMemory{bytes, "LICSIM_MEMORY_LIMIT"};
  }
  std::optional<AvailableMemory> best;
  const auto consider = [&](std::optional<std::uint64_t> bytes, const char* source) {
    if (bytes && (!best || *bytes < best->bytes)) best = AvailableMemory{*bytes, source};
  };
  consider(meminfo_available(), "MemAvailable in /proc/meminfo");
  consider(cgroup_headroom(), "the cgroup's memory.max less its usage");
  for (const auto& [resource, name] : {std::pair{RLIMIT_AS, "RLIMIT_AS (ulimit -v)"},
                                      std::pair{RLIMIT_DATA, "RLIMIT_DATA (ulimit -d)"}}) {
    rlimit limit{};
    if (::getrlimit(resource, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
      consider(static_cast<std::uint64_t>(limit.rlim_cur), name);
  }
  return best;
}

void check_memory(const Scenario& scenario, const RunSettings& options) {
  const MemoryEstimate e = estimate_memory(scenario, options);
  std::ostringstream settings;
  settings << "--scale " << options.scale << ", --replicates " << options.replicates;
  // Patient and clinician ids are 32-bit (model/types.hpp).
  const double id_limit = static_cast<double>(std::numeric_limits<std::uint32_t>::max() - 1);
  if (static_cast<double>(e.patients) > id_limit || static_cast<double>(e.clinicians) > id_limit)
    throw UsageError(settings.str() + ": " + millions(static_cast<double>(e.patients)) + " patients and " +
                     millions(static_cast<double>(e.clinicians)) +
                     " clinicians; the engine holds at most 4295 M of each (32-bit ids): lower --scale "
                     "or the populations in the jurisdictions file");
  const auto available = available_memory();
  if (!available) return;
  if (e.total() > available->bytes)
    throw UsageError(settings.str() + ": the run needs an estimated " + e.describe() + ", but only " +
                     format_bytes(static_cast<double>(available->bytes)) + " is available (" + available->source +
                     "); lower --scale or --replicates, or free memory");
}

}  // namespace licsim
