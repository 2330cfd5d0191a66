#include "io/hdf5_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <list>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "io/data_files.hpp"
#include "io/file_kind.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_checks.hpp"
#include "io/result_file.hpp"
#include "io/variable_batch.hpp"
#include "io/scenario_file.hpp"
#include "model/authority.hpp"
#include "model/types.hpp"

namespace licsim {

namespace {

std::vector<std::int32_t> iota(std::size_t n) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  return v;
}

/// A group with its description (no timestamps).
hid_t make_group(hid_t file, const char* name, const char* description) {
  Handle gcpl(group_plist(), H5Pclose, "group properties");
  const hid_t group = H5Gcreate2(file, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (group < 0) throw OutputError(std::string("HDF5: cannot create group ") + name);
  attr_string(group, "description", description);
  return group;
}

hid_t replicate_dimension(hid_t group, const Results& r) {
  return dimension_int(group, "replicate", iota(r.replicates), "", "replicate index");
}

/// Months as the day index of their first simulated day (decoded to dates).
hid_t month_dimension(hid_t group, const Results& r) {
  const hid_t month = dimension_int(group, "month", r.month_start_day, "days since " + r.start_date,
                                    "first simulated day of the month");
  attr_string(month, "calendar", "proleptic_gregorian");
  return month;
}

/// "half_year" -> "half-year": a period's name in prose.
std::string period_words(std::string period) {
  std::replace(period.begin(), period.end(), '_', '-');
  return period;
}

/// The suffix of a users variable over a period ("" for months: the breakdown's own time).
std::string user_suffix(const std::string& period) { return period == "month" ? "" : "_by_" + period; }

/// Calendar periods as the day index of their first simulated day.
hid_t period_dimension(hid_t group, const Results& r, const char* name, const std::vector<int>& start_day,
                       const std::string& what) {
  const hid_t dim = dimension_int(group, name, start_day, "days since " + r.start_date,
                                  "first simulated day of the calendar " + what);
  attr_string(dim, "calendar", "proleptic_gregorian");
  return dim;
}

std::vector<std::string> names(auto const& array) {
  return {array.begin(), array.end()};
}

/// Columns [first, first + count) of a [cells x width] array, in one sequential
/// pass (one strided pass per column instead reads the whole array each time:
/// 26 passes over the daily metrics were most of their write time).
std::vector<std::vector<double>> columns(const std::vector<double>& rows, std::size_t width, std::size_t first,
                                         std::size_t count) {
  const std::size_t cells = rows.size() / width;
  std::vector<std::vector<double>> out(count, std::vector<double>(cells));
  for (std::size_t i = 0; i < cells; ++i)
    for (std::size_t k = 0; k < count; ++k) out[k][i] = rows[i * width + first + k];
  return out;
}

/// How many columns of `cells` values to split out at once: as many as the
/// writer holds at once (at least one).
std::size_t columns_per_pass(std::size_t cells, std::size_t width) {
  return std::clamp<std::size_t>(writer_batch_values / std::max<std::size_t>(cells, 1), 1, width);
}

void write_metrics(hid_t file, const Results& r, int threads) {
  Handle group(make_group(file, "metrics",
              "daily metrics by replicate, day and jurisdiction (patient's home jurisdiction, or "
              "the issuing board for board variables)"),
               H5Gclose, "metrics");
  Handle rep(replicate_dimension(group, r), H5Dclose, "");
  Handle day(dimension_int(group, "day", iota(r.days), "days since " + r.start_date,
                           "simulated day"), H5Dclose, "");
  attr_string(day, "calendar", "proleptic_gregorian");
  Handle jur(dimension_text(group, "jurisdiction", r.jurisdictions, "US jurisdiction (USPS code)"),
             H5Dclose, "");
  const std::vector<hsize_t> dims = {static_cast<hsize_t>(r.replicates),
                                     static_cast<hsize_t>(r.days), r.jurisdictions.size()};
  const std::size_t cells = dims[0] * dims[1] * dims[2];
  const std::size_t per_pass = columns_per_pass(cells, daily_metric_count);
  VariableBatch batch(group, threads);
  for (std::size_t first = 0; first < daily_metric_count; first += per_pass) {
    const std::size_t n = std::min<std::size_t>(per_pass, daily_metric_count - first);
    auto metric = columns(r.daily, daily_metric_count, first, n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t m = first + k;
      const auto& info = daily_metrics[m];
      auto& data = metric[k];
      if (m == m_wait_days_sum) {  // written as the mean wait of the day's encounters
        for (std::size_t i = 0; i < cells; ++i) {
          const double* row = &r.daily[i * daily_metric_count];
          const double served = row[m_served_in_person] + row[m_served_telehealth_in_state] +
                                row[m_served_telehealth_cross_state] + row[m_served_telehealth_international];
          data[i] = served > 0 ? data[i] / served : std::numeric_limits<double>::quiet_NaN();
        }
      }
      const bool count = info.is_count();
      const std::string basis = info.basis == Basis::board ? "issuing board" : "patient's home";
      batch.add(std::string(info.name), {rep, day, jur}, dims, std::move(data), count, std::string(info.units),
                std::string(info.description) + " [jurisdiction: " + basis + "]");
    }
  }
  batch.write();
}

void write_breakdown(hid_t file, const Results& r, int threads) {
  Handle group(make_group(file, "breakdown",
              "monthly totals by replicate, month, home jurisdiction, payer, area and specialty; users (patients) by month, quarter and year"),
               H5Gclose, "breakdown");
  Handle rep(replicate_dimension(group, r), H5Dclose, "");
  Handle month(month_dimension(group, r), H5Dclose, "");
  Handle jur(dimension_text(group, "jurisdiction", r.jurisdictions, "patient's home jurisdiction"),
             H5Dclose, "");
  Handle payer(dimension_text(group, "payer", names(payer_names), "patient's payer"), H5Dclose, "");
  Handle area(dimension_text(group, "area", names(area_names), "patient's area"), H5Dclose, "");
  Handle spec(dimension_text(group, "specialty", r.specialties, "specialty group"), H5Dclose, "");
  const std::vector<hsize_t> dims = {static_cast<hsize_t>(r.replicates), static_cast<hsize_t>(r.months),
                                     r.jurisdictions.size(), payer_count, area_count,
                                     r.specialties.size()};
  VariableBatch batch(group, threads);
  const std::size_t cells = r.breakdown.size() / breakdown_metric_count;
  const std::size_t per_pass = columns_per_pass(cells, breakdown_metric_count);
  for (std::size_t first = 0; first < breakdown_metric_count; first += per_pass) {
    const std::size_t n = std::min<std::size_t>(per_pass, breakdown_metric_count - first);
    auto metric = columns(r.breakdown, breakdown_metric_count, first, n);
    for (std::size_t k = 0; k < n; ++k) {
      const auto& info = breakdown_metrics[first + k];
      batch.add(std::string(info.name), {rep, month, jur, payer, area, spec}, dims, std::move(metric[k]), true,
                std::string(info.units), std::string(info.description));
    }
  }
  // Users: patients counted once per calendar period.
  const hsize_t J = r.jurisdictions.size();
  std::list<Handle> period_dims;  // Handles do not move
  for (std::size_t p = 0; p < user_period_count; ++p) {
    const auto& u = r.users[p];
    const std::string period(user_period_names[p]);
    const std::string words =
        period == "month" ? "month" : "calendar " + period_words(period) + " (the first and last may be partial)";
    hid_t dim = month;
    if (period != "month") {
      period_dims.emplace_back(period_dimension(group, r, period.c_str(), u.start_day, period_words(period)),
                               H5Dclose, "");
      dim = period_dims.back();
    }
    auto kinds = columns(u.counts, user_kind_count, 0, user_kind_count);
    for (std::size_t k = 0; k < user_kind_count; ++k) {
      std::string description(user_metrics[k].description);
      description.replace(description.rfind("the period"), 10, "the " + words);
      batch.add(std::string(user_metrics[k].name) + user_suffix(period), {rep, dim, jur, payer, area},
                {static_cast<hsize_t>(r.replicates), static_cast<hsize_t>(u.size()), J, payer_count, area_count},
                std::move(kinds[k]), true, "1", description);
    }
  }
  batch.add("patients", {jur, payer, area}, {J, payer_count, area_count}, r.patients_by_cell, true, "1",
            "simulated patients (the same in every replicate and period): the denominator of the users' shares");
  batch.write();
}

void write_flows(hid_t file, const Results& r, int threads) {
  Handle group(make_group(file, "flows",
              "monthly encounters by where the patient was (or their home and payer) and where the clinician was"),
               H5Gclose, "flows");
  Handle rep(replicate_dimension(group, r), H5Dclose, "");
  Handle month(month_dimension(group, r), H5Dclose, "");
  Handle pl(dimension_text(group, "patient_location", r.places,
                           "where the patient was (USPS code, or ISO 3166 alpha-3 abroad)"),
            H5Dclose, "");
  Handle cl(dimension_text(group, "clinician_location", r.places,
                           "where the clinician was (USPS code, or ISO 3166 alpha-3 abroad)"),
            H5Dclose, "");
  Handle mod(dimension_text(group, "modality", names(modality_names), "encounter modality"),
             H5Dclose, "");
  const std::vector<hsize_t> dims = {static_cast<hsize_t>(r.replicates), static_cast<hsize_t>(r.months),
                                     r.places.size(), r.places.size(), modality_count};
  VariableBatch batch(group, threads);
  batch.add("encounters", {rep, month, pl, cl, mod}, dims, r.flows, true, "1",
            "encounters by patient location, clinician location and modality");
  Handle home(dimension_text(group, "patient_home", r.jurisdictions, "the patient's home jurisdiction (USPS code)"),
              H5Dclose, "");
  Handle payer(dimension_text(group, "payer", names(payer_names), "patient's payer"), H5Dclose, "");
  batch.add("encounters_by_home", {rep, month, home, payer, cl, mod},
            {static_cast<hsize_t>(r.replicates), static_cast<hsize_t>(r.months), r.jurisdictions.size(), payer_count,
             r.places.size(), modality_count},
            r.home_flows, true, "1",
            "encounters by the patient's home jurisdiction and payer, clinician location and modality (the claims "
            "studies' geography: beneficiary's state against clinician's)");
  batch.write();
}

void write_regimes(hid_t file, const Results& r, int threads) {
  Handle group(make_group(file, "regimes",
              "monthly regime outcomes by jurisdiction: encounters and harm by the authority the clinician "
              "acted under, licensing by pathway, relationships cut by rule changes, adverse events by cause, "
              "waiting-time quantiles"),
               H5Gclose, "regimes");
  Handle rep(replicate_dimension(group, r), H5Dclose, "");
  Handle month(month_dimension(group, r), H5Dclose, "");
  Handle jur(dimension_text(group, "jurisdiction", r.jurisdictions, "US jurisdiction"), H5Dclose, "");
  Handle authority(dimension_text(group, "authority", names(authority_names),
                                  "authority under which the clinician acted"), H5Dclose, "");
  Handle pathway(dimension_text(group, "pathway", names(pathway_names), "application pathway"), H5Dclose, "");
  Handle outcome(dimension_text(group, "outcome", names(disruption_outcome_names),
                                "what became of a relationship cut by a rule change"), H5Dclose, "");
  Handle cause(dimension_text(group, "cause", names(harm_cause_names), "attributed cause of harm"), H5Dclose, "");
  Handle quantile(dimension_text(group, "wait_quantile", names(wait_quantile_names),
                                 "quantile of the days from an episode's start to its service"),
                  H5Dclose, "");
  const auto R = static_cast<hsize_t>(r.replicates), M = static_cast<hsize_t>(r.months);
  const hsize_t J = r.jurisdictions.size();
  VariableBatch batch(group, threads);
  // Small (months x jurisdictions x categories): split whole.
  auto authority_slots = columns(r.by_authority, 2, 0, 2);  // encounters, adverse events
  auto pathway_slots = columns(r.by_pathway, 4, 0, 4);      // applications, granted, days to grant, active
  const std::vector<hsize_t> by_authority = {R, M, J, authority_count};
  batch.add("encounters_by_authority", {rep, month, jur, authority}, by_authority, std::move(authority_slots[0]),
            true, "1", "encounters by the authority the clinician acted under [jurisdiction: patient's home]");
  batch.add("adverse_events_by_authority", {rep, month, jur, authority}, by_authority,
            std::move(authority_slots[1]), true, "1", "adverse events by authority [jurisdiction: patient's home]");
  const std::vector<hsize_t> by_pathway = {R, M, J, pathway_count};
  const auto& granted = pathway_slots[1];
  auto& days_mean = pathway_slots[2];
  for (std::size_t i = 0; i < days_mean.size(); ++i)
    days_mean[i] = granted[i] > 0 ? days_mean[i] / granted[i] : std::numeric_limits<double>::quiet_NaN();
  batch.add("applications_by_pathway", {rep, month, jur, pathway}, by_pathway, std::move(pathway_slots[0]), true,
            "1", "applications submitted [jurisdiction: board applied to]");
  batch.add("authorizations_granted_by_pathway", {rep, month, jur, pathway}, by_pathway, granted, true, "1",
            "authorizations granted [jurisdiction: issuing board]");
  batch.add("days_to_authorization_mean", {rep, month, jur, pathway}, by_pathway, days_mean, false, "days",
            "mean days from application to grant of the authorizations granted that month (NaN when none)");
  batch.add("authorizations_active_by_pathway", {rep, month, jur, pathway}, by_pathway,
            std::move(pathway_slots[3]), true, "1",
            "authorizations in force at the end of the month [jurisdiction: issuing board; national licenses at "
            "the board of the principal license]");
  batch.add("relationships_disrupted_by_rule_change", {rep, month, jur, outcome},
            {R, M, J, disruption_outcome_count}, r.disruptions, true, "1",
            "follow-ups whose clinician's authority ended with a rule change, by what became of them "
            "[jurisdiction: patient's home]");
  batch.add("adverse_events_by_cause", {rep, month, jur, cause}, {R, M, J, harm_cause_count}, r.harm_causes,
            true, "1", "adverse events by attributed cause [jurisdiction: patient's home]");
  batch.add("wait_days_quantile", {rep, month, jur, quantile}, {R, M, J, wait_quantile_levels.size()},
            r.wait_quantiles, false, "days",
            "median and 90th percentile of the days from an episode's start to its service, over the month's "
            "served episodes (NaN when none) [jurisdiction: patient's home]");
  batch.write();
}

/// What the recorded days start from, in words (the file's `spinup` attribute).
std::string spinup_text(const Results& r) {
  if (r.spinup_days <= 0)
    return "none: the run starts from an empty history (no relationships, follow-ups, waiting lists or pending "
           "applications)";
  std::ostringstream text;
  text << "the " << r.spinup_days
       << " days before start_date were simulated under the rules in force then and not written: the recorded "
          "days start from that state";
  if (r.spinup_accelerated_days > 0 && r.spinup_licensing_speedup != 1)
    text << " (in the first " << r.spinup_accelerated_days << " of them clinicians' licensing responded "
         << r.spinup_licensing_speedup << " times as fast, to fill the licenses held for telemedicine)";
  return text.str();
}

}  // namespace

OutputMetadata make_metadata(const Scenario& scenario, const std::string& scenario_file, std::uint64_t seed,
                             int replicates, double scale, int days) {
  // The stored scenario records the horizon actually run.
  Scenario resolved = scenario;
  resolved.set("simulation.days", static_cast<std::int64_t>(days), Origin{"--days", 0});
  OutputMetadata meta;
  meta.scenario_toml = to_toml(resolved);
  meta.scenario_file = scenario_file;
  meta.jurisdictions_csv = scenario.jurisdictions_csv;
  meta.foreign_locations_csv = scenario.foreign_locations_csv;
  meta.seed = seed;
  meta.replicates = replicates;
  meta.scale = scale;
  meta.created_utc = created_utc_now();
  meta.days = days;
  for (const auto& [key, table] : scenario.tables) {
    std::string name = key.substr(0, key.size() - 5) + "_csv";  // "compact.members_file" -> "compact_members_csv"
    for (char& ch : name)
      if (ch == '.') ch = '_';
    meta.data_files.emplace_back(name, table.text);
  }
  meta.inputs = input_files(scenario);
  return meta;
}

std::string created_utc_now() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) t = static_cast<std::time_t>(std::atoll(epoch));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void check_output_path(const std::filesystem::path& path, bool force, const std::vector<std::filesystem::path>& inputs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status own = fs::symlink_status(path, ec);
  // A link is never replaced (the rename would replace the link, not what it
  // names), and --force replaces only a regular file: never a device, a FIFO,
  // a folder or one of the run's own inputs.
  if (own.type() == fs::file_type::symlink) {
    std::error_code lec;
    const auto target = fs::read_symlink(path, lec);
    throw OutputError(path.string() + ": is a symbolic link" + (lec ? "" : " to " + target.string()) +
                      (fs::exists(path, lec) ? "" : " that names nothing") +
                      "; licsim does not replace links: name the file itself");
  }
  if (own.type() == fs::file_type::directory) throw OutputError(path.string() + ": is " + file_kind(own.type()));
  if (fs::exists(own)) {
    if (own.type() != fs::file_type::regular)
      throw OutputError(path.string() + ": is " + file_kind(own.type()) +
                        "; licsim writes only to a new path or, with --force, over a regular file");
    for (const auto& input : inputs)
      if (fs::equivalent(path, input, ec))
        throw OutputError(path.string() + ": is one of the run's inputs (" + input.string() +
                          "); write the output elsewhere");
    if (!force) throw OutputError(path.string() + ": already exists (use --force to overwrite)");
  }
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    throw OutputError(path.string() + ": folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(path.string() + ": folder " + dir.string() + " is not writable");
  const auto name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  if (name_max > 0 && path.filename().string().size() > static_cast<std::size_t>(name_max))
    throw OutputError(path.string() + ": the file name is longer than " + std::to_string(name_max) +
                      " bytes, the most the folder's file system allows");
}

void write_results(const std::filesystem::path& path, const Results& r, const OutputMetadata& meta,
                   bool force, int threads) {
  check_output_path(path, force, meta.inputs);
  check_output_space(path, estimate_output_bytes(r, meta));
  remove_stale_temporaries(path);  // left by killed runs (see io/output_checks.hpp)
  quiet_hdf5_errors();  // errors become OutputError with the system's reason, not stderr noise
  const std::filesystem::path tmp = temporary_beside(path);
  try {
    {
      Handle fcpl(sealed_file_plist(), H5Pclose, "file properties");
      Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose, tmp.string());
      attr_scalar(file, output_format_attribute, static_cast<std::int32_t>(output_format_version), H5T_STD_I32LE);
      attr_string(file, "licsim_version", version);
      attr_string(file, "scenario_toml", meta.scenario_toml);
      attr_string(file, "scenario_file", meta.scenario_file);
      attr_string(file, "jurisdictions_csv", meta.jurisdictions_csv);
      attr_string(file, "foreign_locations_csv", meta.foreign_locations_csv);
      attr_scalar(file, "seed", meta.seed, H5T_STD_U64LE);
      attr_scalar(file, "replicates", static_cast<std::int32_t>(meta.replicates), H5T_STD_I32LE);
      attr_scalar(file, "scale", meta.scale, H5T_IEEE_F64LE);
      attr_scalar(file, "days", static_cast<std::int32_t>(meta.days), H5T_STD_I32LE);
      attr_scalar(file, "spinup_days", static_cast<std::int32_t>(r.spinup_days), H5T_STD_I32LE);
      attr_string(file, "spinup", spinup_text(r));
      attr_string(file, "created_utc", meta.created_utc);
      attr_string(file, "Conventions", "CF-1.8");
      write_metrics(file, r, threads);
      write_breakdown(file, r, threads);
      write_flows(file, r, threads);
      write_regimes(file, r, threads);
      for (const auto& [key, text] : meta.data_files) attr_string(file, key, text);
      if (meta.sweep_point >= 0) {
        attr_string(file, "sweep_plan_hash", meta.sweep_plan_hash);
        attr_scalar(file, "sweep_point", static_cast<std::int32_t>(meta.sweep_point), H5T_STD_I32LE);
      }
      check(H5Fflush(file, H5F_SCOPE_GLOBAL), tmp.string());
    }
    seal_file(tmp, output_format_version);
    commit_file(tmp, path);
  } catch (const OutputError& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    const std::string why = hdf5_error_detail();
    throw OutputError(path.string() + ": writing the output failed (" + e.what() + (why.empty() ? "" : ": " + why) +
                      "); nothing was written at " + path.string());
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace licsim
