// libFuzzer target: the readers of licsim's own HDF5 files, given damaged or
// forged bytes. The first input byte chooses how the rest is presented:
//   bit 0 clear  as it is (the seal is checked: damage must be refused)
//   bit 0 set    sealed again over the damaged bytes, as a forger would, so
//                the checks behind the seal (structure, shapes, point indices)
//                and HDF5's parser are reached
// and the file is then read as a run file (check_result_file), as a shard
// (read_sweep_file, then merged into a sweep file as `licsim merge` does), as a
// point file of a sweep (is_point_file, then merged as `--resume` does). Any
// licsim::Error is an expected refusal; anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_probe.hpp"
#include "io/result_file.hpp"
#include "io/sweep_file.hpp"
#include "io/sweep_output.hpp"
#include "sweep/plan.hpp"
#include "sweep/runner.hpp"

namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("licsim-fuzz-" + std::to_string(::getpid()) + "-" + name);
}

/// A one-point plan for reading the input as that point's file.
const licsim::SweepPlan& one_point_plan() {
  static const licsim::SweepPlan plan = licsim::make_plan(licsim::load_sweep_string(
      "[sweep]\nscenarios = [\"tests/fuzz/tiny_world/tiny.toml\"]\nscale = 0.0002\ndays = 3\n"
      "[grid]\n\"compact.loq_fee_usd\" = [700]\n",
      "<fuzz>", LICSIM_SOURCE_DIR));
  return plan;
}

void quietly(void (*read)(const fs::path&), const fs::path& input) {
  try {
    read(input);
  } catch (const licsim::Error&) {
  }
}

void as_run_file(const fs::path& input) { (void)licsim::check_result_file(input); }

void as_shard(const fs::path& input) {
  const auto contents = licsim::read_sweep_file(input);
  const auto plan = licsim::plan_from_toml(contents.plan_text, input.string());
  for (const auto& p : contents.points)
    if (p.point < 0 || static_cast<std::size_t>(p.point) >= plan.points.size()) return;  // merge refuses these
  licsim::write_sweep_file(scratch("merged.h5"), plan, contents.plan_text, "", contents.points, "", true);
}

void as_point_file(const fs::path& input) {
  // A point file lives in the sweep's own work folder, where licsim checks for
  // damage, not forgery: it is read as --resume reads only once the probe in
  // LLVMFuzzerTestOneInput passed, as a forged file would have to.
  const auto& plan = one_point_plan();
  const std::string text = licsim::plan_to_toml(plan);
  if (!licsim::is_point_file(input, licsim::plan_hash(text), 0)) return;  // the point would run again
  licsim::write_sweep_file(scratch("resumed.h5"), plan, text, "", {{0, true, "", input, -1}}, "", true);
}

}  // namespace

// With LICSIM_FUZZ_WRITE_SEED=PATH, writes the one-point plan's point file to
// PATH and exits: the seed scripts/fuzz_seeds.sh needs for as_point_file.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* seed = std::getenv("LICSIM_FUZZ_WRITE_SEED")) {
    const auto& plan = one_point_plan();
    const bool failed = licsim::run_point_to_file(plan, licsim::plan_hash(licsim::plan_to_toml(plan)), 0, seed,
                                                  licsim::SweepRunOptions{1, nullptr, nullptr, nullptr})
                            .has_value();
    std::exit(failed ? 1 : 0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const fs::path input = scratch("input.h5");
  {
    std::ofstream out(input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  if ((data[0] & 1) && size - 1 >= licsim::seal_bytes) {
    try {
      licsim::seal_file(input, licsim::output_format_version);
    } catch (const licsim::Error&) {
    }
  }
  // Probed once here: every reader probes (or seal-checks) first and would
  // refuse a file this refuses, so only what passes is read further.
  try {
    licsim::verify_seal(input);
    licsim::probe_hdf5_file(input);
    quietly(as_run_file, input);
    quietly(as_shard, input);
    quietly(as_point_file, input);
  } catch (const licsim::Error&) {
  }
  std::error_code ec;
  for (const char* name : {"input.h5", "merged.h5", "resumed.h5"}) fs::remove(scratch(name), ec);
  return 0;
}
