#include "cli/sweep_command.hpp"

#include <boost/program_options.hpp>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <tuple>
#include <thread>

#include "cli/mpi_sweep.hpp"
#include "cli/options.hpp"
#include "cli/progress_bar.hpp"
#include "core/errors.hpp"
#include "engine/scenario_check.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_checks.hpp"
#include "io/sweep_file.hpp"
#include "io/sweep_output.hpp"
#include "sweep/plan.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace licsim::cli {

namespace {

/// "i/N" with 0 <= i < N.
std::pair<int, int> parse_shard(const std::string& text) {
  // Exactly two decimal numbers around one '/': "1/2/3", "1 /2" and "+1/2" are refused.
  const auto slash = text.find('/');
  int i = -1, n = 0;
  const auto whole = [](const char* first, const char* last, int& value) {
    const auto [end, ec] = std::from_chars(first, last, value);
    return first != last && ec == std::errc{} && end == last;
  };
  const bool ok = slash != std::string::npos && whole(text.data(), text.data() + slash, i) &&
                  whole(text.data() + slash + 1, text.data() + text.size(), n) && n >= 1 && i >= 0 && i < n;
  if (!ok) throw UsageError("--shard: expected i/N with 0 <= i < N (e.g. 0/4), got '" + printable(text) + "'");
  return {i, n};
}

std::string shard_label(int i, int n) { return n > 1 ? std::to_string(i) + "/" + std::to_string(n) : ""; }

/// True when `output` is this sweep's finished file: a kill between writing it
/// and clearing the work folder leaves both; --resume then only tidies up.
bool already_written(const fs::path& output, const std::string& plan_text, const std::vector<int>& points) {
  std::error_code ec;
  if (!fs::exists(output, ec)) return false;
  try {
    const auto contents = read_sweep_file(output);
    std::vector<int> stored;
    for (const auto& p : contents.points) stored.push_back(p.point);
    if (contents.plan_text != plan_text || stored != points) return false;
  } catch (const OutputError&) {
    return false;
  }
  const fs::path parts = output.string() + ".parts";
  if (fs::is_regular_file(parts / "plan.toml", ec)) SweepStore(output, plan_text, true, false).remove();
  return true;
}

/// Warning -> the points whose overrides of it change nothing.
using IneffectiveOverrides = std::map<std::string, std::vector<int>>;

/// Adds the overrides of `point` that change nothing in its (built) scenario.
void note_ineffective(const SweepPoint& point, const Scenario& scenario, IneffectiveOverrides& out) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : point.overrides) keys.push_back(key);
  for (const auto& w : ineffective_key_warnings(scenario, keys)) out[w].push_back(point.index);
}

/// Overrides that change nothing, once per warning, with the points concerned.
void report_ineffective(const IneffectiveOverrides& ineffective, std::size_t points,
                        std::ostream& err) {
  for (const auto& [warning, at] : ineffective) {
    err << "licsim: warning: at " << at.size() << " of " << points << " points (";
    for (std::size_t i = 0; i < at.size() && i < 10; ++i) err << (i ? " " : "") << at[i];
    err << (at.size() > 10 ? " ...): " : "): ") << printable(warning, 0) << "\n";
  }
}

/// `--dry-run`: every point of the shard with its scenario, overrides, seed and
/// whether its scenario is valid. Exit 3 when some would fail.
int print_plan(const SweepPlan& plan, const std::vector<int>& points) {
  int invalid = 0;
  IneffectiveOverrides ineffective;
  std::cout << "point  scenario  seed  overrides  -> check\n";
  for (int i : points) {
    const auto& p = plan.points[static_cast<std::size_t>(i)];
    std::cout << i << "  " << p.label << "  " << p.seed << " ";
    for (const auto& [key, value] : p.overrides) std::cout << " " << key << "=" << describe(value);
    try {
      note_ineffective(p, point_scenario(plan, i), ineffective);
      std::cout << "  -> ok\n";
    } catch (const Error& e) {
      ++invalid;
      std::cout << "  -> would fail: " << e.what() << "\n";
    }
  }
  std::cout.flush();
  report_ineffective(ineffective, points.size(), std::cerr);
  std::cout << points.size() << " point(s), " << invalid << " would fail; " << plan.settings.run.replicates
            << " replicate(s) each, scale " << plan.settings.run.scale << "\n";
  return invalid ? 3 : 0;
}

/// `licsim sweep`'s command line, parsed and checked.
struct SweepArgs {
  std::string sweep_path, output;
  int threads = 0;
  int shard = 0, shards = 1;
  bool resume = false, force = false, quiet = false, dry_run = false;
};

/// Parses the options; nullopt after --help.
std::optional<SweepArgs> parse_sweep_args(const std::vector<std::string>& args) {
  po::options_description opts("licsim sweep SWEEP.toml -o OUT.h5 [options]");
  SweepArgs a;
  std::string shard_text, threads_text = "0";
  opts.add_options()
      ("help,h", "this help")
      ("output,o", po::value(&a.output), "sweep file to write (required); work goes to OUT.h5.parts/ until done")
      ("resume", po::bool_switch(&a.resume), "finish an interrupted sweep: run only the points not yet done")
      ("force", po::bool_switch(&a.force), "overwrite an existing output, or discard an interrupted sweep's work")
      ("threads", po::value(&threads_text)->default_value("0"), "OpenMP threads per point (0: all cores, shared by ranks)")
      ("shard", po::value(&shard_text), "run only shard i of N (points with index % N == i), then licsim merge")
      ("dry-run", po::bool_switch(&a.dry_run), "list the points (scenario, overrides, seed, valid or why not); run nothing")
      ("quiet,q", po::bool_switch(&a.quiet), "no progress or summary");
  po::options_description hidden;
  hidden.add_options()("sweep", po::value(&a.sweep_path));
  if (!licsim::cli::parse_options(args, opts, hidden, 1)) return std::nullopt;
  if (a.sweep_path.empty()) throw UsageError("missing SWEEP.toml (see licsim sweep --help)");
  if (a.output.empty() && !a.dry_run) throw UsageError("missing -o OUT.h5 (see licsim sweep --help)");
  a.threads = parse_setting(threads_bounds, threads_text);
  if (!shard_text.empty()) std::tie(a.shard, a.shards) = parse_shard(shard_text);
  return a;
}

enum SetupState { failed_setup = 0, run_points_now = 1, already_complete = 2 };

/// Rank 0 (or the only process) checks the output and opens the work folder; every
/// rank learns the outcome. Throws UsageError on rank 0 when the output is refused.
SetupState set_up_output(const SweepArgs& a, const SweepSpec& spec, const SweepPlan& plan,
                         const std::string& plan_text, const std::string& hash, const std::vector<int>& mine,
                         std::optional<MpiSession>& mpi, bool lead, std::optional<SweepStore>& store) {
  int state = run_points_now;
  std::string setup_error;
  if (lead) {
    try {
      if (a.resume && !a.force && already_written(a.output, plan_text, mine)) {
        state = already_complete;
      } else {
        remove_stale_temporaries(a.output);  // sweep files half-written by killed runs
        std::vector<std::filesystem::path> inputs{a.sweep_path};
        inputs.insert(inputs.end(), spec.scenarios.begin(), spec.scenarios.end());
        check_output_path(a.output, a.force, inputs);
        check_sweep_space(plan, a.output, mine.size(), mine.size());  // before any work folder exists
        store.emplace(a.output, plan_text, a.resume, a.force);
      }
    } catch (const OutputError& e) {
      setup_error = e.what();
      state = failed_setup;
    }
  }
  if (mpi) state = mpi->agree(state, hash);
  if (!setup_error.empty()) throw UsageError(setup_error);
  return static_cast<SetupState>(state);
}

/// The runner's callbacks: a signal cancels between points, progress on a bar, failures reported.
SweepRunOptions run_options(const SweepArgs& a, const std::atomic<bool>& interrupted, bool show, bool lead,
                            ProgressBar& bar, int& failed) {
  SweepRunOptions options;
  options.threads = a.threads;
  options.cancelled = [&interrupted] { return interrupted.load(); };
  if (show) {
    options.progress = [&bar](int done, int total, long day, long days) {
      const long unit = std::max(days, 1L);
      bar.update(done * unit + day, static_cast<long>(total) * unit,
                 std::to_string(done) + "/" + std::to_string(total) + " points");
    };
  }
  options.on_point = [&failed, lead](int point, const std::string& error) {
    if (error.empty()) return;
    ++failed;
    if (lead) std::cerr << "\nlicsim sweep: point " << point << " failed: " << error << "\n";
  };
  return options;
}

/// The closing summary; exit 3 when some point failed.
int report_sweep(const SweepArgs& a, const std::vector<PointSource>& sources, std::size_t run_now, double seconds) {
  int failed_total = 0;
  for (const auto& s : sources) failed_total += s.ok ? 0 : 1;
  if (!a.quiet) {
    std::cout << "licsim sweep: " << sources.size() - failed_total << " of " << sources.size() << " points ok";
    if (run_now > 0)
      std::cout << ", " << run_now << " run in " << std::fixed << std::setprecision(1) << seconds << " s ("
                << std::setprecision(1) << 60.0 * static_cast<double>(run_now) / std::max(seconds, 1e-9)
                << " points/min)";
    std::cout << "\nwrote " << a.output << "\n";
  }
  if (failed_total > 0) {
    std::cerr << "licsim sweep: " << failed_total << " point(s) failed; see points/status and points/error in "
              << a.output << "\n";
    return 3;
  }
  return 0;
}

}  // namespace

int check_sweep_points(const SweepPlan& plan, std::ostream& err) {
  int invalid = 0;
  IneffectiveOverrides ineffective;
  for (const auto& p : plan.points) {
    try {
      note_ineffective(p, point_scenario(plan, p.index), ineffective);
    } catch (const Error& e) {
      if (++invalid <= 10) err << "licsim: point " << p.index << " would fail: " << printable(e.what(), 0) << "\n";
    }
  }
  report_ineffective(ineffective, plan.points.size(), err);
  return invalid;
}

int cmd_sweep(const std::vector<std::string>& args, const std::atomic<bool>& interrupted,
              const std::function<void()>& catch_signals) {
  const auto parsed = parse_sweep_args(args);
  if (!parsed) return 0;
  SweepArgs a = *parsed;
  const SweepSpec spec = load_sweep_file(a.sweep_path);
  const SweepPlan plan = make_plan(spec);
  const std::string plan_text = plan_to_toml(plan);
  const std::string hash = plan_hash(plan_text);
  const std::vector<int> mine = shard_points(plan, a.shard, a.shards);
  if (a.dry_run) return print_plan(plan, mine);

  catch_signals();  // from here on, work is kept and a signal stops between points
  std::optional<MpiSession> mpi;
  if (launched_by_mpi()) mpi.emplace();
  const bool lead = !mpi || mpi->rank() == 0;
  if (a.threads == 0 && mpi) a.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / local_ranks());

  std::optional<SweepStore> store;
  const SetupState state = set_up_output(a, spec, plan, plan_text, hash, mine, mpi, lead, store);
  if (state == failed_setup) return 2;  // the other ranks: rank 0 has said why
  if (state == already_complete) {
    if (!a.quiet && lead) std::cout << "licsim sweep: " << a.output << " is already complete\n";
    return 0;
  }

  std::vector<int> todo = lead ? store->missing(mine) : std::vector<int>{};
  const bool show = lead && !a.quiet;
  if (show)
    std::cerr << "licsim sweep: " << plan.points.size() << " points"
              << (a.shards > 1 ? " (shard " + shard_label(a.shard, a.shards) + ": " + std::to_string(mine.size()) + ")" : "")
              << ", " << mine.size() - todo.size() << " already done, " << todo.size() << " to run"
              << (mpi ? " on " + std::to_string(mpi->size()) + " ranks" : "") << "\n";

  ProgressBar bar;
  int failed = 0;
  const SweepRunOptions options = run_options(a, interrupted, show, lead, bar, failed);
  const auto start = std::chrono::steady_clock::now();
  try {
    if (mpi) mpi->run(plan, hash, lead ? &*store : nullptr, todo, options);
    else run_points(plan, hash, *store, todo, options);
  } catch (const Cancelled&) {
    if (lead) std::cerr << "\nlicsim: interrupted; finished points are kept in " << store->folder().string()
                        << " (continue with --resume)\n";
    if (mpi) mpi->abort(130);
    return 130;
  }
  bar.finish();
  if (!lead) return 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto sources = store->sources(mine);
  write_sweep_file(a.output, plan, plan_text, spec.text, sources, shard_label(a.shard, a.shards), /*force=*/true);
  store->remove();
  return report_sweep(a, sources, todo.size(), seconds);
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("licsim merge -o OUT.h5 SHARD.h5... [options]");
  std::string output;
  std::vector<std::string> inputs;
  bool force = false;
  opts.add_options()
      ("help,h", "this help")
      ("output,o", po::value(&output), "sweep file to write (required)")
      ("force", po::bool_switch(&force), "overwrite an existing output");
  po::options_description hidden;
  hidden.add_options()("inputs", po::value(&inputs)->composing());
  if (!licsim::cli::parse_options(args, opts, hidden, -1)) return 0;
  if (output.empty()) throw UsageError("missing -o OUT.h5 (see licsim merge --help)");
  if (inputs.empty()) throw UsageError("missing shard files to merge (see licsim merge --help)");
  try {
    check_output_path(output, force, {inputs.begin(), inputs.end()});
  } catch (const OutputError& e) {
    throw UsageError(e.what());
  }

  std::string plan_text, sweep_file_text;
  std::map<int, PointSource> by_point;
  std::map<int, std::string> origin;
  for (const auto& input : inputs) {
    SweepFileContents c;
    try {
      c = read_sweep_file(input);
    } catch (const OutputError& e) {
      throw UsageError(e.what());
    }
    if (plan_text.empty()) {
      plan_text = c.plan_text;
      sweep_file_text = c.sweep_file_text;
    } else if (c.plan_text != plan_text) {
      throw UsageError(input + ": belongs to a different sweep than " + inputs.front());
    }
    for (auto& p : c.points) {
      if (by_point.count(p.point))
        throw UsageError("point " + std::to_string(p.point) + " is in both " + origin[p.point] + " and " + input);
      origin[p.point] = input;
      by_point[p.point] = p;
    }
  }
  const SweepPlan plan = plan_from_toml(plan_text, inputs.front());
  for (const auto& [point, source] : by_point)
    if (point < 0 || static_cast<std::size_t>(point) >= plan.points.size())
      throw UsageError(origin[point] + ": holds point " + std::to_string(point) + ", which its sweep plan does not have");
  std::string missing;
  int missing_count = 0;
  for (const auto& p : plan.points)
    if (!by_point.count(p.index) && ++missing_count <= 10) missing += " " + std::to_string(p.index);
  if (missing_count > 0)
    throw UsageError(std::to_string(missing_count) + " point(s) missing from the shards (first:" + missing +
                     "); run the missing shards and merge again");
  std::vector<PointSource> sources;
  int failed = 0;
  for (const auto& [point, source] : by_point) {
    sources.push_back(source);
    failed += source.ok ? 0 : 1;
  }
  write_sweep_file(output, plan, plan_text, sweep_file_text, sources, "", force);
  std::cout << "licsim merge: " << sources.size() << " points from " << inputs.size() << " file(s)"
            << (failed ? ", " + std::to_string(failed) + " failed" : "") << "\nwrote " << output << "\n";
  return failed ? 3 : 0;
}

}  // namespace licsim::cli
