#pragma once
// A sweep as plain data: what a sweep file asks for (SweepSpec) and the points
// it resolves to (SweepPlan). io/ reads and writes both; sweep/ expands a spec
// into a plan and runs it. See docs/sweeps.md.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scenario/run_settings.hpp"
#include "scenario/value.hpp"

namespace licsim {

/// One grid axis: every listed value is combined with every value of the others.
struct SweepAxis {
  std::string key;
  std::vector<Value> values;
  int line = 0;
};

/// A continuous range sampled by a Latin hypercube or a Sobol sequence.
struct SweepRange {
  std::string key;
  double low = 0;
  double high = 0;
  bool integer = false;  ///< the key takes integers: samples are rounded
  int line = 0;
};

enum class SampleMethod { none, latin_hypercube, sobol };

/// How points get their seeds: each its own (derived from the sweep seed and
/// the point index), or all the sweep seed (common random numbers).
enum class SeedPolicy { independent, common };

/// Run settings shared by every point.
struct SweepSettings {
  std::string name;
  std::string description;
  /// seed: the sweep seed (points derive theirs from it, or share it);
  /// days 0: each scenario's simulation.days (they must agree).
  RunSettings run;
  SeedPolicy seeds = SeedPolicy::independent;
};

/// A sweep file as written: scenarios x grid x sample.
struct SweepSpec {
  std::string file;  ///< the sweep file, for errors and provenance
  std::string text;  ///< the sweep file verbatim
  SweepSettings settings;
  std::vector<std::string> scenarios;  ///< absolute paths
  std::vector<int> scenario_lines;
  int scale_line = 0;  ///< line of [sweep] scale (0: not given)
  std::vector<SweepAxis> grid;
  SampleMethod method = SampleMethod::none;
  int samples = 0;
  std::vector<SweepRange> ranges;
};

/// One point: a base scenario plus overrides, with its own seed.
struct SweepPoint {
  int index = 0;
  std::string scenario;  ///< absolute path of the base scenario
  std::string label;     ///< the scenario's file name without .toml
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, Value>> overrides;  ///< in coordinate order
};

/// The resolved sweep: every point, in a fixed order. Its TOML form
/// (io/sweep_file.hpp) is the identity of the sweep: resume, shards and merge
/// check it.
struct SweepPlan {
  std::string file;  ///< the sweep file it came from
  SweepSettings settings;
  std::vector<std::string> coordinates;  ///< the varied keys, in file order
  std::vector<SweepPoint> points;
};

}  // namespace licsim
