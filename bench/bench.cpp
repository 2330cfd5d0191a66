// licsim_bench: one benchmark workload, one row of figures. Run each workload in
// a fresh process (bench/run.sh does) so that peak memory is the workload's own.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "engine/engine.hpp"
#include "engine/scenario_check.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_checks.hpp"
#include "io/scenario_file.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int usage() {
  std::cerr << "usage: licsim_bench SCENARIO.toml LABEL SCALE DAYS THREADS OUTPUT_DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) return usage();
  const std::string scenario_path = argv[1], label = argv[2];
  const std::filesystem::path out = std::filesystem::path(argv[6]) / (label + ".h5");
  try {
    licsim::RunOptions options;
    try {
      options.scale = std::stod(argv[3]);
      options.days = std::stoi(argv[4]);
      options.threads = std::stoi(argv[5]);
    } catch (const std::logic_error&) {  // std::invalid_argument, std::out_of_range
      std::cerr << "licsim_bench: SCALE, DAYS and THREADS must be numbers\n";
      return usage();
    }
    licsim::validate(options);
    auto scenario = licsim::load_scenario_file(scenario_path);
    licsim::finalize_scenario(scenario);
    (void)licsim::check_scenario(scenario);
    // What `licsim run` checks before any work: the output folder exists and is writable,
    // and its file system has room for the estimated file (a full-scale run is minutes).
    licsim::check_output(out, /*force=*/true, scenario, options);

    const auto t0 = std::chrono::steady_clock::now();
    const auto results = licsim::run(scenario, options);
    const double run_s = seconds_since(t0);

    const auto t1 = std::chrono::steady_clock::now();
    licsim::write_results(out, results,
                          licsim::make_metadata(scenario, scenario_path, options, results.days),
                          true, options.threads);
    const double write_s = seconds_since(t1);
    std::filesystem::remove(out);

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peak_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
    double episodes = 0;
    for (int r = 0; r < results.replicates; ++r) episodes += results.total(r, licsim::m_episodes);
    const double total_s = run_s + write_s;
    std::printf("| %-24s | %7g | %7d | %11llu | %13.0f | %8.2f | %12.3g | %12.3g | %8.0f | %8.1f | %6.2f%% |\n",
                label.c_str(), options.scale, options.threads, static_cast<unsigned long long>(results.patients),
                episodes, total_s, episodes / run_s / options.threads,
                static_cast<double>(results.patients) * results.days / run_s, peak_bytes / (1 << 20),
                peak_bytes / static_cast<double>(results.patients), 100.0 * write_s / total_s);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "licsim_bench: " << e.what() << "\n";
    return 1;
  }
}
