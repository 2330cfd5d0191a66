#include "io/run_to_file.hpp"

#include "io/hdf5_writer.hpp"

namespace licsim {

Result run_to_file(const Scenario& scenario, const RunOptions& options, const FileTarget& target) {
  Result results = run(scenario, options);
  OutputMetadata meta = make_metadata(scenario, target.scenario_file, options, results.days);
  meta.sweep_plan_hash = target.sweep_plan_hash;
  meta.sweep_point = target.sweep_point;
  write_results(target.path, results, meta, target.force, options.threads);
  return results;
}

}  // namespace licsim
