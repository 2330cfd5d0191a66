#include "sweep/runner.hpp"

#include <algorithm>
#include <new>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "io/run_to_file.hpp"
#include "io/output_checks.hpp"
#include "io/scenario_file.hpp"
#include "sweep/plan.hpp"

namespace licsim {

std::optional<std::string> run_point_to_file(const SweepPlan& plan, const std::string& plan_hash, int point,
                                             const std::filesystem::path& path, const SweepRunOptions& options,
                                             int done_before, int total) {
  const SweepPoint& p = plan.points.at(static_cast<std::size_t>(point));
  try {
    const Scenario scenario = point_scenario(plan, point);
    RunOptions run{plan.settings.run};  // checked when the sweep file was read
    run.seed = p.seed;
    run.threads = options.threads;
    run.cancelled = options.cancelled;
    if (options.progress)
      run.progress = [&](long day, long days) { options.progress(done_before, total, day, days); };
    FileTarget target;
    target.path = path;
    target.force = true;  // the work folder's own file, from an earlier try of this point
    target.scenario_file = p.scenario;
    target.sweep_plan_hash = plan_hash;
    target.sweep_point = point;
    run_to_file(scenario, run, target);
    return std::nullopt;
  } catch (const Cancelled&) {
    throw;
  } catch (const OutputError&) {
    throw;
  } catch (const std::bad_alloc&) {
    return std::string("out of memory");
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

void run_points(const SweepPlan& plan, const std::string& plan_hash, SweepStore& store,
                const std::vector<int>& points, const SweepRunOptions& options) {
  const int total = static_cast<int>(points.size());
  for (int k = 0; k < total; ++k) {
    const int point = points[static_cast<std::size_t>(k)];
    const auto error = run_point_to_file(plan, plan_hash, point, store.point_file(point), options, k, total);
    if (error) store.record_failure(point, *error);
    if (options.on_point) options.on_point(point, error.value_or(""));
  }
}

void check_sweep_space(const SweepPlan& plan, const std::filesystem::path& output, std::size_t points_to_run,
                       std::size_t points_in_file) {
  std::uint64_t per_point = 0;
  std::vector<std::string> seen;
  for (const auto& p : plan.points) {  // the largest base scenario bounds every point
    if (std::find(seen.begin(), seen.end(), p.scenario) != seen.end()) continue;
    seen.push_back(p.scenario);
    Scenario sc = load_scenario_file(p.scenario);
    finalize_scenario(sc);
    per_point = std::max(per_point, estimate_output_bytes(sc, plan.settings.run));
  }
  check_output_space(output, per_point * (points_to_run + points_in_file));
}

std::vector<int> shard_points(const SweepPlan& plan, int shard, int shards) {
  std::vector<int> out;
  for (const auto& p : plan.points)
    if (shards <= 1 || p.index % shards == shard) out.push_back(p.index);
  return out;
}

}  // namespace licsim
