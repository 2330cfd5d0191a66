#include "io/sweep_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "core/errors.hpp"
#include "io/file_kind.hpp"
#include "io/input_file.hpp"
#include "io/toml_values.hpp"
#include "scenario/parameter_spec.hpp"

namespace licsim {

namespace {

namespace fs = std::filesystem;

/// Keys a sweep may not vary: they would change the shape of the output.
bool fixed_by_sweep(const std::string& key) {
  return key == "simulation.days" || key == "simulation.start_date" || key.rfind("world.", 0) == 0;
}

class Reader {
 public:
  Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& problem) const {
    throw ScenarioError(file_, node ? line_of(*node) : 0, key, problem);
  }

  /// Rejects keys of `table` outside `allowed`, suggesting the nearest.
  void only(const toml::table& table, const std::string& prefix, const std::vector<std::string>& allowed) const {
    for (const auto& [k, node] : table) {
      const std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(&node, prefix + key, "unknown key (did you mean '" + prefix + printable(nearest_of(key, allowed)) + "'?)");
    }
  }

  const toml::table* table(const toml::table& parent, const std::string& key, const std::string& prefix) const {
    const auto* node = parent.get(key);
    if (!node) return nullptr;
    if (!node->is_table()) fail(node, prefix + key, "expected a table [" + prefix + key + "]");
    return node->as_table();
  }

  std::int64_t integer(const toml::table& t, const std::string& key, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi, const std::string& prefix) const {
    const auto* node = t.get(key);
    if (!node) return fallback;
    const auto* v = node->as_integer();
    if (!v || v->get() < lo || v->get() > hi)
      fail(node, prefix + key,
           "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v->get();
  }

  std::string text(const toml::table& t, const std::string& key, const std::string& fallback,
                   const std::string& prefix) const {
    const auto* node = t.get(key);
    if (!node) return fallback;
    const auto* v = node->as_string();
    if (!v) fail(node, prefix + key, "expected a string");
    return v->get();
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

/// Children of a table in the order they appear in the file (toml++ sorts them).
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& table) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (const auto& [k, node] : table) out.emplace_back(std::string(k.str()), &node);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.second->source().begin;
    const auto& pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return out;
}

/// The spec of a varied key, or an error naming it.
const ParamSpec& varied_spec(const Reader& r, const toml::node& node, const std::string& key) {
  const ParamSpec* spec = find_spec(key);
  if (!spec) r.fail(&node, key, "unknown scenario key (did you mean '" + printable(nearest_key(key)) + "'?)");
  if (fixed_by_sweep(key))
    r.fail(&node, key, "cannot be varied by a sweep (it changes the output's shape); set [sweep] days or "
                       "use scenarios with the same world and start date");
  return *spec;
}

void read_settings(const Reader& r, const toml::table& sweep, SweepSpec& spec, const fs::path& base_dir) {
  const std::string p = "sweep.";
  r.only(sweep, p, {"name", "description", "scenarios", "seed", "replicates", "scale", "days", "random_numbers"});
  auto& s = spec.settings;
  s.name = r.text(sweep, "name", "", p);
  s.description = r.text(sweep, "description", "", p);
  // The bounds of `licsim run` (scenario/run_settings.hpp); TOML integers stop at 2^63.
  s.run.seed = static_cast<std::uint64_t>(r.integer(sweep, "seed", 1, 0, INT64_MAX, p));
  s.run.replicates = static_cast<int>(
      r.integer(sweep, "replicates", 1, replicates_bounds.low, replicates_bounds.high, p));
  s.run.days = static_cast<int>(r.integer(sweep, "days", 0, days_bounds.low, days_bounds.high, p));
  if (const auto* node = sweep.get("scale")) {
    const auto v = node->value<double>();
    if (!v || !(*v > 0 && *v <= 1)) r.fail(node, p + "scale", "expected a number in (0, 1] (agents per person)");
    s.run.scale = *v;
    spec.scale_line = line_of(*node);
  }
  const std::string seeds = r.text(sweep, "random_numbers", "independent", p);
  if (seeds == "independent") s.seeds = SeedPolicy::independent;
  else if (seeds == "common") s.seeds = SeedPolicy::common;
  else r.fail(sweep.get("random_numbers"), p + "random_numbers", "expected \"independent\" or \"common\", got \"" + printable(seeds) + "\"");

  const auto* scenarios = sweep.get("scenarios");
  if (!scenarios) r.fail(&sweep, p + "scenarios", "missing: list the base scenario files");
  const auto* arr = scenarios->as_array();
  if (!arr || arr->empty() || !arr->is_homogeneous<std::string>())
    r.fail(scenarios, p + "scenarios", "expected a non-empty array of scenario file paths");
  for (const auto& item : *arr) {
    const fs::path path = base_dir / item.as_string()->get();
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) r.fail(&item, p + "scenarios", "no such scenario file: " + printable(path.string(), 0));
    if (!fs::is_regular_file(status))
      r.fail(&item, p + "scenarios",
             printable(path.string(), 0) + ": not a regular file (" + file_kind(status.type()) + ")");
    const fs::path canonical = fs::weakly_canonical(path, ec);
    spec.scenarios.push_back(ec ? path.string() : canonical.string());
    spec.scenario_lines.push_back(line_of(item));
  }
}

void read_grid(const Reader& r, const toml::table& grid, SweepSpec& spec) {
  for (const auto& [key, node] : in_file_order(grid)) {
    if (node->is_table()) r.fail(node, key, "expected an array of values; quote dotted keys: \"a.b\" = [...]");
    const ParamSpec& ps = varied_spec(r, *node, key);
    const auto* arr = node->as_array();
    if (!arr || arr->empty()) r.fail(node, key, "expected a non-empty array of values to try");
    SweepAxis axis{key, {}, line_of(*node)};
    for (const auto& item : *arr) {
      Value v = to_value(item, r.file(), key);
      if (auto problem = check_value(ps, v)) r.fail(&item, key, *problem);
      axis.values.push_back(std::move(v));
    }
    spec.grid.push_back(std::move(axis));
  }
}

void read_sample(const Reader& r, const toml::table& sample, SweepSpec& spec) {
  const std::string p = "sample.";
  r.only(sample, p, {"method", "points", "ranges"});
  const std::string method = r.text(sample, "method", "", p);
  if (method == "latin_hypercube") spec.method = SampleMethod::latin_hypercube;
  else if (method == "sobol") spec.method = SampleMethod::sobol;
  else r.fail(sample.get("method") ? sample.get("method") : &sample, p + "method",
              "expected \"latin_hypercube\" or \"sobol\", got " +
                  (sample.get("method") ? "\"" + printable(method) + "\"" : std::string("none")));
  spec.samples = static_cast<int>(r.integer(sample, "points", 0, 1, max_sweep_points, p));
  if (!sample.get("points")) r.fail(&sample, p + "points", "missing: how many points to sample");
  const auto* ranges = r.table(sample, "ranges", p);
  if (!ranges || ranges->empty()) r.fail(&sample, p + "ranges", "missing: [sample.ranges] \"key\" = [low, high]");
  for (const auto& [key, node] : in_file_order(*ranges)) {
    const ParamSpec& ps = varied_spec(r, *node, key);
    if (ps.kind != Kind::real && ps.kind != Kind::integer)
      r.fail(node, key, "only numeric keys can be sampled from a range (this one takes " + kind_name(ps.kind) + ")");
    const auto* arr = node->as_array();
    const auto lo = arr && arr->size() == 2 ? (*arr)[0].value<double>() : std::nullopt;
    const auto hi = arr && arr->size() == 2 ? (*arr)[1].value<double>() : std::nullopt;
    if (!lo || !hi || !std::isfinite(*lo) || !std::isfinite(*hi) || !(*lo < *hi))
      r.fail(node, key, "expected [low, high] with finite numbers, low < high");
    if (*lo < ps.min || *hi > ps.max)
      r.fail(node, key, "range [" + std::to_string(*lo) + ", " + std::to_string(*hi) + "] leaves " +
                            expected_text(ps));
    spec.ranges.push_back({key, *lo, *hi, ps.kind == Kind::integer, line_of(*node)});
  }
}

void check_sizes(const Reader& r, const toml::table& root, const SweepSpec& spec) {
  std::vector<std::string> keys;
  long points = static_cast<long>(spec.scenarios.size());
  for (const auto& axis : spec.grid) {
    keys.push_back(axis.key);
    points *= static_cast<long>(axis.values.size());
    if (points > max_sweep_points) break;
  }
  if (spec.method != SampleMethod::none && points <= max_sweep_points) points *= spec.samples;
  if (points > max_sweep_points)
    r.fail(&root, "", "the sweep has more than " + std::to_string(max_sweep_points) +
                          " points (scenarios x grid values x samples); split it");
  for (const auto& range : spec.ranges) {
    if (std::find(keys.begin(), keys.end(), range.key) != keys.end())
      r.fail(root.get("sample"), range.key, "is both a grid axis and a sampled range");
    keys.push_back(range.key);
  }
}

// --- plan <-> TOML -------------------------------------------------------------

toml::array value_array(const std::vector<double>& v) {
  toml::array a;
  for (double x : v) a.push_back(x);
  return a;
}

void insert_value(toml::table& t, const std::string& key, const Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<double>>) {
          t.insert(key, value_array(v));
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          toml::array a;
          for (const auto& x : v) a.push_back(x);
          t.insert(key, std::move(a));
        } else {
          t.insert(key, v);
        }
      },
      value);
}

std::uint64_t parse_u64(const std::string& text, const std::string& file, const std::string& key) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    throw ScenarioError(file, 0, key, "expected an unsigned 64-bit integer as text, got '" + text + "'");
  return v;
}

}  // namespace

SweepSpec load_sweep_string(const std::string& toml_text, const std::string& name, const fs::path& base_dir) {
  const Reader r(name);
  const toml::table root = parse_toml_text(toml_text, name);
  r.only(root, "", {"sweep", "grid", "sample"});
  SweepSpec spec;
  spec.file = name;
  spec.text = toml_text;
  const auto* sweep = r.table(root, "sweep", "");
  if (!sweep) r.fail(nullptr, "sweep", "missing: a sweep file needs a [sweep] table with scenarios = [...]");
  read_settings(r, *sweep, spec, base_dir);
  if (const auto* grid = r.table(root, "grid", "")) read_grid(r, *grid, spec);
  if (const auto* sample = r.table(root, "sample", "")) read_sample(r, *sample, spec);
  check_sizes(r, root, spec);
  return spec;
}

SweepSpec load_sweep_file(const fs::path& path) {
  const std::string text = read_text_file(path);
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  return load_sweep_string(text, path.string(), dir);
}

bool is_sweep_file(const fs::path& path) {
  try {
    const toml::table root = parse_toml_text(read_text_file(path), path.string());
    return root["sweep"].is_table();
  } catch (const std::exception&) {  // unreadable or not TOML: the scenario loader says why
    return false;
  }
}

std::string plan_to_toml(const SweepPlan& plan) {
  toml::table root;
  toml::table sweep;
  const auto& s = plan.settings;
  sweep.insert("file", plan.file);
  sweep.insert("name", s.name);
  sweep.insert("description", s.description);
  sweep.insert("seed", std::to_string(s.run.seed));  // text: TOML integers stop at 2^63
  sweep.insert("replicates", s.run.replicates);
  sweep.insert("scale", s.run.scale);
  sweep.insert("days", s.run.days);
  sweep.insert("random_numbers", s.seeds == SeedPolicy::common ? "common" : "independent");
  toml::array coords;
  for (const auto& c : plan.coordinates) coords.push_back(c);
  sweep.insert("coordinates", std::move(coords));
  root.insert("sweep", std::move(sweep));
  toml::array points;
  for (const auto& p : plan.points) {
    toml::table t;
    t.insert("index", p.index);
    t.insert("scenario", p.scenario);
    t.insert("label", p.label);
    t.insert("seed", std::to_string(p.seed));
    toml::table set;
    for (const auto& [key, value] : p.overrides) insert_value(set, key, value);
    t.insert("set", std::move(set));
    points.push_back(std::move(t));
  }
  root.insert("point", std::move(points));
  std::ostringstream out;
  out << toml::toml_formatter(root);
  return out.str();
}

SweepPlan plan_from_toml(const std::string& text, const std::string& name) {
  const toml::table root = parse_toml_text(text, name);
  const auto bad = [&](const std::string& key) {
    return ScenarioError(name, 0, key, "not a resolved licsim sweep plan");
  };
  const auto* sweep = root.get_as<toml::table>("sweep");
  const auto* points = root.get_as<toml::array>("point");
  if (!sweep) throw bad("sweep");
  SweepPlan plan;
  auto& s = plan.settings;
  plan.file = sweep->get("file") ? sweep->get("file")->value_or(std::string{}) : std::string{};
  s.name = (*sweep)["name"].value_or(std::string{});
  s.description = (*sweep)["description"].value_or(std::string{});
  s.run.seed = parse_u64((*sweep)["seed"].value_or(std::string{}), name, "sweep.seed");
  s.run.replicates = (*sweep)["replicates"].value_or(0);
  s.run.scale = (*sweep)["scale"].value_or(0.0);
  s.run.days = (*sweep)["days"].value_or(-1);
  s.seeds = (*sweep)["random_numbers"].value_or(std::string{}) == "common" ? SeedPolicy::common
                                                                           : SeedPolicy::independent;
  try {
    validate(s.run);
  } catch (const UsageError&) {
    throw bad("sweep");
  }
  if (const auto* coords = sweep->get_as<toml::array>("coordinates"))
    for (const auto& c : *coords) plan.coordinates.push_back(c.value_or(std::string{}));
  if (points) {
    for (const auto& node : *points) {
      const auto* t = node.as_table();
      if (!t) throw bad("point");
      SweepPoint p;
      p.index = (*t)["index"].value_or(-1);
      p.scenario = (*t)["scenario"].value_or(std::string{});
      p.label = (*t)["label"].value_or(std::string{});
      p.seed = parse_u64((*t)["seed"].value_or(std::string{}), name, "point.seed");
      if (p.index != static_cast<int>(plan.points.size())) throw bad("point.index");
      if (const auto* set = t->get_as<toml::table>("set")) {
        // Overrides come back in coordinate order (the table itself is sorted).
        for (const auto& key : plan.coordinates)
          if (const auto* v = set->get(key)) p.overrides.emplace_back(key, to_value(*v, name, key));
      }
      plan.points.push_back(std::move(p));
    }
  }
  return plan;
}

}  // namespace licsim
