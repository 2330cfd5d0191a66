// libFuzzer target: a scenario as TOML text, through everything `licsim
// validate` does (parse, base files, key checks, data files, completeness,
// whole-scenario checks), then the run's up-front estimates. Any licsim::Error
// is an expected rejection; anything else (a crash, a sanitizer report, another
// exception, a hang past -timeout) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "engine/resources.hpp"
#include "engine/scenario_check.hpp"
#include "io/output_checks.hpp"
#include "io/scenario_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Relative base files and data files resolve against scenarios/, so the
    // seed corpus (scenarios/*.toml and variants) loads as it does from there.
    licsim::Scenario scenario = licsim::load_scenario_string(text, "<fuzz>", LICSIM_SCENARIOS_DIR);
    licsim::finalize_scenario(scenario);
    (void)licsim::check_scenario(scenario);
    licsim::RunOptions options;
    options.scale = 1.0;
    options.replicates = 1000;
    (void)licsim::estimate_memory(scenario, options).describe();
    (void)licsim::estimate_output_bytes(scenario, options);
    (void)licsim::to_toml(scenario);
  } catch (const licsim::Error&) {
  }
  return 0;
}
