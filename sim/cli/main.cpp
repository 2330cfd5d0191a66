// licsim command line: `licsim run`, `licsim sweep`, `licsim merge`,
// `licsim validate`, `licsim params`.
// The only place that sees Boost.Program_options and picks exit codes:
// 0 success, 2 bad usage or input, 1 any other failure, 130 interrupted,
// 3 a sweep written with failed points.
#include <boost/program_options.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/options.hpp"
#include "cli/progress_bar.hpp"
#include "cli/shipped_scenarios.hpp"
#include "cli/sweep_command.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"
#include "engine/engine.hpp"
#include "engine/output_schema.hpp"
#include "engine/scenario_check.hpp"
#include "engine/summary.hpp"
#include "io/hdf5_writer.hpp"
#include "io/run_to_file.hpp"
#include "io/output_checks.hpp"
#include "scenario/parameter_docs.hpp"
#include "io/scenario_file.hpp"
#include "io/sweep_file.hpp"
#include "scenario/parameter_spec.hpp"
#include "sweep/plan.hpp"

namespace po = boost::program_options;

namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_signal(int) { interrupted = true; }

constexpr const char* usage_text =
    "usage: licsim <command> [options]\n\n"
    "commands (SCENARIO: a file, or a shipped scenario's name: imlc, us_2020, ...):\n"
    "  run SCENARIO.toml -o OUT.h5   simulate and write HDF5 (licsim run --help)\n"
    "  sweep SWEEP.toml -o OUT.h5    run every point of a sweep (licsim sweep --help)\n"
    "  merge -o OUT.h5 SHARD.h5...   join the shards of a sweep run with --shard\n"
    "  validate SCENARIO.toml        check a scenario (or a sweep file) and its data files\n"
    "  params [FILTER] [--markdown]  list scenario keys: unit, meaning, source, baseline value\n"
    "  schema [--markdown] [GROUP]   list every output variable with dimensions, units, meaning\n\n"
    "options:\n"
    "  -h [ --help ]                 this help\n"
    "  --version                     print the version\n";

/// The headline table as `licsim run` prints it: national figures (agents scaled by
/// 1 / scale), with what they are said above them.
void print_summary(const licsim::Result& results, double scale, std::ostream& out) {
  const auto rows = licsim::headline(results, 1.0 / scale);
  out << "\nNational figures: totals over the " << results.days << " days from " << results.start_date
      << ", scaled up from agents at 1:" << licsim::format_headline_value(licsim::HeadlineKind::count, 1.0 / scale)
      << " (scale " << std::defaultfloat << scale << "); ";
  if (results.replicates > 1)
    out << "mean and 95% interval over " << results.replicates << " replicates.\n\n";
  else
    out << "one replicate (no interval: run --replicates 2 or more).\n\n";
  out << std::left << std::setw(34) << "metric" << std::right << std::setw(18) << "mean" << std::setw(34)
      << "95% interval" << "\n";
  out << std::string(86, '-') << "\n";
  for (const auto& row : rows) {
    std::string interval = "-";
    if (results.replicates > 1)
      interval = "[" + licsim::format_headline_value(row.kind, row.low) + ", " +
                 licsim::format_headline_value(row.kind, row.high) + "]";
    out << std::left << std::setw(34) << row.name + (row.kind == licsim::HeadlineKind::days ? " (days)" : "")
        << std::right << std::setw(18) << licsim::format_headline_value(row.kind, row.mean) << std::setw(34)
        << interval << "\n";
  }
}

// Boost would wrap "-1" round to 2^64-1: read the seed as text.
std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    throw licsim::UsageError("--seed: expected an integer in [0, 18446744073709551615], got " + licsim::printable(text));
  return seed;
}

std::vector<std::string> notes;  // explanations of module combinations from the last load

licsim::Scenario load(const std::string& path, const std::vector<std::string>& overrides) {
  auto scenario = licsim::load_scenario_file(path);
  std::vector<std::string> keys;
  for (const auto& o : overrides) keys.push_back(licsim::apply_override(scenario, o));
  licsim::finalize_scenario(scenario);
  notes = licsim::check_scenario(scenario);  // everything a run would check, before any work
  for (const auto& w : licsim::ineffective_key_warnings(scenario, keys))
    std::cerr << "licsim: warning: --set " << licsim::printable(w, 0) << "\n";
  return scenario;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("licsim run SCENARIO.toml -o OUT.h5 [options]\n"
                              "SCENARIO: a file, or the name of a shipped scenario (imlc, us_2020, ...)");
  std::string scenario_path, output;
  std::vector<std::string> overrides;
  licsim::RunOptions run;
  std::string seed_text = "1", replicates_text = "1", threads_text = "0", scale_text = "0.001", days_text = "0";
  bool force = false, quiet = false;
  opts.add_options()
      ("help,h", "this help")
      ("output,o", po::value(&output), "HDF5 file to write (required)")
      ("seed", po::value(&seed_text)->default_value("1"), "random seed (0 to 2^64-1)")
      ("replicates", po::value(&replicates_text)->default_value("1"), "independent replicates")
      ("threads", po::value(&threads_text)->default_value("0"), "OpenMP threads (0: all cores)")
      ("scale", po::value(&scale_text)->default_value("0.001"), "agents per person (1.0 = full size)")
      ("days", po::value(&days_text)->default_value("0"), "days to simulate (0: the scenario's)")
      ("set", po::value(&overrides)->composing(), "override a scenario key: --set key=value")
      ("force", po::bool_switch(&force), "overwrite an existing output file")
      ("quiet,q", po::bool_switch(&quiet), "no summary table");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&scenario_path));
  if (!licsim::cli::parse_options(args, opts, hidden, 1)) return 0;
  run.seed = parse_seed(seed_text);
  // As text, strictly: Boost would take "+5" or " 5" (validate() checks the ranges).
  using licsim::cli::parse_setting;
  run.replicates = parse_setting(licsim::replicates_bounds, replicates_text);
  run.threads = parse_setting(licsim::threads_bounds, threads_text);
  run.days = parse_setting(licsim::days_bounds, days_text);
  run.scale = licsim::cli::parse_real_option("--scale", scale_text, "a number in (0, 1]");
  if (scenario_path.empty()) throw licsim::UsageError("missing SCENARIO.toml (see licsim run --help)");
  if (output.empty()) throw licsim::UsageError("missing -o OUT.h5 (see licsim run --help)");
  licsim::validate(run);
  scenario_path = licsim::cli::resolve_scenario_argument(scenario_path).string();  // "imlc": the shipped one
  const auto scenario = load(scenario_path, overrides);
  try {
    licsim::check_output(output, force, scenario, run);  // folder, --force, free space for the estimated size
  } catch (const licsim::OutputError& e) {
    throw licsim::UsageError(e.what());
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  licsim::cli::ProgressBar bar;
  run.progress = [&](long done, long total) { bar.update(done, total); };
  run.cancelled = [] { return interrupted.load(); };
  const auto start = std::chrono::steady_clock::now();
  licsim::FileTarget target;
  target.path = output;
  target.force = force;
  target.scenario_file = scenario_path;
  const auto results = licsim::run_to_file(scenario, run, target);
  bar.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) {
    std::cout << "licsim " << licsim::version << ": " << scenario_path << ", seed " << run.seed
              << ", " << run.replicates << " replicate(s), " << results.days << " days, scale "
              << run.scale << " (" << std::fixed << std::setprecision(2) << seconds << " s)\n";
    print_summary(results, run.scale, std::cout);
    std::cout << "\nwrote " << output << "\n";
  }
  return 0;
}

/// `licsim validate SWEEP.toml`: every point's scenario, as `licsim sweep --dry-run` checks it.
int validate_sweep(const std::string& path) {
  const auto spec = licsim::load_sweep_file(path);
  const auto plan = licsim::make_plan(spec);
  const int invalid = licsim::cli::check_sweep_points(plan, std::cerr);
  if (invalid) {
    std::cerr << "licsim: " << path << ": " << invalid << " of " << plan.points.size() << " point(s) would fail\n";
    return 2;
  }
  std::cout << path << ": ok (sweep '" << plan.settings.name << "', " << plan.points.size() << " points over "
            << spec.scenarios.size() << " scenario(s), " << plan.settings.run.replicates << " replicate(s) each)\n";
  return 0;
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("licsim validate SCENARIO.toml [--set key=value ...]\n"
                               "SCENARIO: a scenario file, a shipped scenario's name or a sweep file");
  std::string path;
  std::vector<std::string> overrides;
  opts.add_options()
      ("help,h", "this help")
      ("set", po::value(&overrides)->composing(), "override a scenario key: --set key=value");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&path));
  if (!licsim::cli::parse_options(args, opts, hidden, 1)) return 0;
  if (path.empty()) throw licsim::UsageError("missing SCENARIO.toml (see licsim validate --help)");
  path = licsim::cli::resolve_scenario_argument(path).string();
  if (licsim::is_sweep_file(path)) {
    if (!overrides.empty()) throw licsim::UsageError(path + " is a sweep file: --set applies to scenarios only");
    return validate_sweep(path);
  }
  const auto scenario = load(path, overrides);
  std::cout << path << ": ok (" << scenario.values().size() << " keys, "
            << scenario.places.us.size() << " jurisdictions, " << scenario.places.foreign.size()
            << " foreign locations)\n";
  for (const auto& note : notes) std::cout << "note: " << note << "\n";
  return 0;
}

int cmd_params(const std::vector<std::string>& args) {
  constexpr const char* usage = "usage: licsim params [--markdown] [FILTER]\n"
                                "  lists the scenario keys whose name contains FILTER, with the values of the\n"
                                "  shipped baseline (scenarios/state_only.toml) and where each is set\n";
  bool markdown = false;
  std::string filter;
  bool have_filter = false;
  for (const auto& arg : args) {
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    if (arg == "--markdown" && !markdown) markdown = true;
    else if (!have_filter && !arg.starts_with("-")) filter = arg, have_filter = true;
    else {
      std::cerr << usage;
      return 2;
    }
  }
  if (markdown) {
    if (have_filter) {
      std::cerr << "licsim params: --markdown writes the whole dictionary (docs/parameters.md); no FILTER\n";
      return 2;
    }
    std::cout << licsim::parameter_markdown();
    return 0;
  }
  std::optional<licsim::Scenario> baseline;
  try {
    baseline = licsim::load_scenario_file(licsim::cli::resolve_scenario_argument("state_only"));
  } catch (const licsim::Error&) {
    std::cerr << "licsim params: the shipped baseline was not found; values not shown (set LICSIM_SCENARIOS)\n";
  }
  const std::string listing = licsim::parameter_listing(filter, baseline ? &*baseline : nullptr);
  if (listing.empty()) {
    std::cerr << "licsim params: no key contains '" << licsim::printable(filter) << "'";
    const auto near = licsim::nearest_key(filter);
    if (!near.empty()) std::cerr << " (did you mean " << near << "?)";
    std::cerr << "\n";
    return 2;
  }
  std::cout << listing;
  return 0;
}

int cmd_schema(const std::vector<std::string>& args) {
  bool markdown = false;
  std::string group;
  for (const auto& arg : args) {
    if (arg == "--markdown" && !markdown) {
      markdown = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << "usage: licsim schema [--markdown] [GROUP]\n";
      return 0;
    } else if (group.empty() && !arg.starts_with("-")) {
      group = arg;
    } else {
      std::cerr << "usage: licsim schema [--markdown] [GROUP]\n";
      return 2;
    }
  }
  try {
    std::cout << (markdown ? licsim::output_schema_markdown(group) : licsim::output_schema_listing(group));
  } catch (const std::out_of_range&) {
    std::string groups;
    for (const auto& g : licsim::output_groups()) groups += (groups.empty() ? "" : ", ") + g.name;
    std::cerr << "licsim schema: no output group '" << licsim::printable(group) << "' (groups: " << groups << ")\n";
    return 2;
  }
  return 0;
}

int dispatch(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << usage_text;
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << usage_text;
    return 0;
  }
  if (command == "--version") {
    std::cout << "licsim " << licsim::version << "\n";
    return 0;
  }
  if (command == "run") return cmd_run(args);
  if (command == "validate") return cmd_validate(args);
  if (command == "sweep")
    return licsim::cli::cmd_sweep(args, interrupted, [] {
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
    });
  if (command == "merge") return licsim::cli::cmd_merge(args);
  if (command == "params") return cmd_params(args);
  if (command == "schema") return cmd_schema(args);
  std::cerr << "licsim: unknown command '" << licsim::printable(command) << "'\n\n" << usage_text;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Messages may quote what was typed (an unknown option, a value): printable()
  // escapes control characters, so nothing reaches the terminal as a command.
  const auto report = [](const std::exception& e) { std::cerr << "licsim: " << licsim::printable(e.what(), 0) << "\n"; };
  try {
    return dispatch(argc, argv);
  } catch (const po::error& e) {
    report(e);
    return 2;
  } catch (const licsim::Cancelled&) {
    std::cerr << "\nlicsim: interrupted; no output written\n";
    return 130;
  } catch (const licsim::ScenarioError& e) {
    report(e);
    return 2;
  } catch (const licsim::DataError& e) {
    report(e);
    return 2;
  } catch (const licsim::UsageError& e) {
    report(e);
    return 2;
  } catch (const std::exception& e) {
    report(e);
    return 1;
  }
}
