#include "sweep/plan.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "engine/resources.hpp"
#include "engine/scenario_check.hpp"
#include "io/scenario_file.hpp"
#include "sweep/design.hpp"

namespace licsim {

namespace {

namespace fs = std::filesystem;

std::string label_of(const std::string& path) { return fs::path(path).stem().string(); }

/// What the output's dimensions depend on, for one base scenario.
std::string shape_signature(const Scenario& sc, int sweep_days) {
  std::string sig = sc.text("simulation.start_date") + "|";
  sig += std::to_string(sweep_days > 0 ? sweep_days : sc.integer("simulation.days")) + "|";
  for (const auto& p : sc.places.us) sig += p.code + ",";
  sig += "|";
  for (const auto& p : sc.places.foreign) sig += p.code + ",";
  sig += "|";
  for (const auto& s : sc.members("specialty")) sig += s + ",";
  return sig;
}

void check_base_scenarios(const SweepSpec& spec) {
  std::string first;
  for (std::size_t i = 0; i < spec.scenarios.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (label_of(spec.scenarios[j]) == label_of(spec.scenarios[i]))
        throw ScenarioError(spec.file, spec.scenario_lines[i], "sweep.scenarios",
                            "two scenarios named '" + label_of(spec.scenarios[i]) +
                                "': points are labelled by file name, rename one");
    Scenario sc = load_scenario_file(spec.scenarios[i]);
    finalize_scenario(sc);
    check_scenario(sc);
    if (const auto problem = scale_problem(sc, spec.settings.run.scale)) {
      std::ostringstream scale;
      scale << spec.settings.run.scale;
      throw ScenarioError(spec.file, spec.scale_line, "sweep.scale",
                          "is " + scale.str() + ", for " + spec.scenarios[i] + ": " + *problem);
    }
    const std::string sig = shape_signature(sc, spec.settings.run.days);
    if (i == 0) first = sig;
    else if (sig != first)
      throw ScenarioError(spec.file, spec.scenario_lines[i], "sweep.scenarios",
                          spec.scenarios[i] + " differs from " + spec.scenarios[0] +
                              " in start date, days, places or specialties: their outputs cannot be stacked");
  }
}

/// Range samples as Values (rounded for integer keys), one row per sample.
std::vector<std::vector<Value>> sample_rows(const SweepSpec& spec) {
  if (spec.method == SampleMethod::none) return {{}};
  const int dims = static_cast<int>(spec.ranges.size());
  const auto unit = spec.method == SampleMethod::sobol ? sobol_points(spec.samples, dims)
                                                       : latin_hypercube(spec.settings.run.seed, spec.samples, dims);
  std::vector<std::vector<Value>> rows;
  for (const auto& u : unit) {
    std::vector<Value> row;
    for (int d = 0; d < dims; ++d) {
      const auto& r = spec.ranges[d];
      const double x = r.low + u[d] * (r.high - r.low);
      if (r.integer)
        row.emplace_back(static_cast<std::int64_t>(std::clamp(std::round(x), std::ceil(r.low), std::floor(r.high))));
      else
        row.emplace_back(x);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Heap bytes of a string beyond the object (none within the small-string buffer).
std::uint64_t heap_of(const std::string& s) { return s.size() < 16 ? 0 : s.size() + 1; }

std::uint64_t heap_of(const Value& v) {
  if (const auto* t = std::get_if<std::string>(&v)) return heap_of(*t);
  if (const auto* d = std::get_if<std::vector<double>>(&v)) return d->size() * sizeof(double);
  if (const auto* ts = std::get_if<std::vector<std::string>>(&v)) {
    std::uint64_t n = ts->size() * sizeof(std::string);
    for (const auto& t : *ts) n += heap_of(t);
    return n;
  }
  return 0;
}

}  // namespace

std::uint64_t estimate_plan_bytes(const SweepSpec& spec) {
  std::uint64_t cells = 1;
  for (const auto& axis : spec.grid) cells *= axis.values.size();
  const std::uint64_t samples = spec.method == SampleMethod::none ? 1 : static_cast<std::uint64_t>(spec.samples);
  // Per point, measured (peak RSS of building 100,000-point plans, docs/reliability.md):
  // 2.1 KB with one override, 2.5 KB with two. The peak is the plan's TOML as
  // toml++ nodes while it is formatted or parsed, about four bytes per byte of
  // the point's text on top of fixed costs per point and per override.
  constexpr std::uint64_t per_point = 1800, per_override = 450, per_text_byte = 4;
  std::uint64_t text = 0;
  for (const auto& sc : spec.scenarios) text = std::max<std::uint64_t>(text, 2 * sc.size());  // path and label
  for (const auto& axis : spec.grid) {
    std::uint64_t widest = 0;
    for (const auto& v : axis.values) widest = std::max<std::uint64_t>(widest, describe(v).size() + heap_of(v));
    text += axis.key.size() + widest;
  }
  for (const auto& range : spec.ranges) text += range.key.size() + 24;
  const std::uint64_t overrides = spec.grid.size() + spec.ranges.size();
  return spec.scenarios.size() * cells * samples * (per_point + per_override * overrides + per_text_byte * text);
}

void check_plan_memory(const SweepSpec& spec) {
  const std::uint64_t need = estimate_plan_bytes(spec);
  const auto available = available_memory();
  if (!available || need <= available->bytes) return;
  throw UsageError(spec.file + ": the sweep's plan needs an estimated " + format_bytes(static_cast<double>(need)) +
                   " before any point runs, but only " + format_bytes(static_cast<double>(available->bytes)) +
                   " is available (" + available->source + "); sweep fewer points, or free memory");
}

SweepPlan make_plan(const SweepSpec& spec) {
  check_plan_memory(spec);  // before the base scenarios are read or a point is built
  check_base_scenarios(spec);
  SweepPlan plan;
  std::error_code ec;
  const fs::path canonical = fs::exists(spec.file, ec) ? fs::weakly_canonical(spec.file, ec) : fs::path();
  plan.file = canonical.empty() || ec ? spec.file : canonical.string();
  plan.settings = spec.settings;
  for (const auto& axis : spec.grid) plan.coordinates.push_back(axis.key);
  for (const auto& range : spec.ranges) plan.coordinates.push_back(range.key);
  const auto samples = sample_rows(spec);
  std::size_t cells = 1;
  for (const auto& axis : spec.grid) cells *= axis.values.size();

  plan.points.reserve(spec.scenarios.size() * cells * samples.size());  // exactly: no growth slack
  for (const auto& scenario : spec.scenarios) {
    for (std::size_t cell = 0; cell < cells; ++cell) {
      // Row-major: the last axis varies fastest.
      std::vector<std::pair<std::string, Value>> grid_values(spec.grid.size());
      std::size_t rest = cell;
      for (std::size_t a = spec.grid.size(); a-- > 0;) {
        const auto& axis = spec.grid[a];
        grid_values[a] = {axis.key, axis.values[rest % axis.values.size()]};
        rest /= axis.values.size();
      }
      for (const auto& row : samples) {
        SweepPoint p;
        p.index = static_cast<int>(plan.points.size());
        p.scenario = scenario;
        p.label = label_of(scenario);
        p.seed = spec.settings.seeds == SeedPolicy::common
                     ? spec.settings.run.seed
                     : Stream(spec.settings.run.seed, 0, Purpose::sweep_point, 0, static_cast<std::uint64_t>(p.index))
                           .next_u64();
        p.overrides = grid_values;
        for (std::size_t d = 0; d < row.size(); ++d) p.overrides.emplace_back(spec.ranges[d].key, row[d]);
        plan.points.push_back(std::move(p));
      }
    }
  }
  return plan;
}

Scenario point_scenario(const SweepPlan& plan, int point) {
  const SweepPoint& p = plan.points.at(static_cast<std::size_t>(point));
  Scenario sc = load_scenario_file(p.scenario);
  for (const auto& [key, value] : p.overrides)
    sc.set(key, value, Origin{plan.file + " (point " + std::to_string(point) + ")", 0});
  finalize_scenario(sc);
  check_scenario(sc);
  return sc;
}

}  // namespace licsim
