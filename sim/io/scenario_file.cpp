#include "io/scenario_file.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "io/data_files.hpp"
#include "io/input_file.hpp"
#include "engine/read_model_params.hpp"
#include "io/toml_values.hpp"
#include "scenario/parameter_spec.hpp"

namespace licsim {

namespace {

constexpr int max_base_depth = 8;
constexpr int max_nesting = 8;

void collect(const toml::table& table, const std::string& prefix, Scenario& scenario,
             const std::string& file, int depth) {
  if (depth > max_nesting)
    throw ScenarioError(file, line_of(table), prefix, "tables nested too deeply");
  for (const auto& [raw_key, node] : table) {
    const std::string key = prefix.empty() ? std::string(raw_key.str())
                                           : prefix + "." + std::string(raw_key.str());
    if (key == "base") continue;  // handled by the loader
    if (auto sub = node.as_table()) {
      collect(*sub, key, scenario, file, depth + 1);
      continue;
    }
    if (node.is_array_of_tables())
      throw ScenarioError(file, line_of(node), key,
                          "arrays of tables are not used; write [" + key + ".<name>] tables");
    scenario.set(key, to_value(node, file, key), Origin{file, line_of(node)});
  }
}

void load_into(Scenario& scenario, const std::string& text, const std::string& name,
               const std::filesystem::path& base_dir, std::set<std::string>& chain, int depth) {
  const toml::table table = parse_toml_text(text, name);
  if (const auto* base = table.get("base")) {
    const auto* base_name = base->as_string();
    if (!base_name)
      throw ScenarioError(name, line_of(*base), "base", "expected a string (a scenario file path)");
    if (depth >= max_base_depth)
      throw ScenarioError(name, line_of(*base), "base", "too many nested base files");
    std::error_code ec;  // e.g. a name longer than the system allows (found by the fuzzer)
    const auto base_path = std::filesystem::weakly_canonical(base_dir / base_name->get(), ec);
    if (ec)
      throw ScenarioError(name, line_of(*base), "base",
                          "cannot use \"" + base_name->get().substr(0, 100) +
                              (base_name->get().size() > 100 ? "...\"" : "\"") + ": " + ec.message());
    if (!chain.insert(base_path.string()).second)
      throw ScenarioError(name, line_of(*base), "base", "base files form a cycle");
    load_into(scenario, read_text_file(base_path), base_path.string(), base_path.parent_path(), chain,
              depth + 1);
  }
  collect(table, "", scenario, name, 0);
}

// Values of an override parse as one TOML value; a bare word is a string.
Value parse_override_value(const std::string& key, const std::string& raw, const std::string& origin) {
  const std::string text = "v = " + raw;
  if (deepest_toml_key(text).segments > max_toml_key_depth)  // toml++ would recurse that deep
    throw ScenarioError(origin, 0, key, "a value with keys nested too deeply");
  toml::table table;
  try {
    table = toml::parse(std::string_view(text), std::string_view(origin));
  } catch (const toml::parse_error& e) {
    // A number TOML cannot hold (beyond 64 bits, "1_"): say so, for a numeric key,
    // rather than call it a string.
    const ParamSpec* spec = find_spec(key);
    const bool numeric = spec && (spec->kind == Kind::integer || spec->kind == Kind::real || spec->kind == Kind::real_list);
    const std::size_t digit = !raw.empty() && (raw[0] == '+' || raw[0] == '-') ? 1 : 0;
    if (numeric && raw.size() > digit && ((raw[digit] >= '0' && raw[digit] <= '9') || raw[0] == '['))
      throw ScenarioError(origin, 0, key,
                          "expected " + expected_text(*spec) + ", got " + printable(raw) + " (invalid TOML: " +
                              printable(e.description(), 200) + ")");
    // Not TOML: a bare word, taken as a string, if it is one line of text.
    for (const char c : raw)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        throw ScenarioError(origin, 0, key,
                            "expected one TOML value (a bare word is a string of one line), got \"" +
                                printable(raw) + "\" (invalid TOML: " + printable(e.description(), 200) + ")");
    return raw;
  }
  // "1\nother.key = 2" parses, as two keys: the rest would be lost silently.
  if (table.size() != 1 || !table.get("v"))
    throw ScenarioError(origin, 0, key,
                        "expected one TOML value, got \"" + printable(raw) +
                            "\" (more than a value: the text goes on after it to set other keys)");
  return to_value(*table.get("v"), origin, key, false);
}

}  // namespace

Scenario load_scenario_string(const std::string& toml_text, const std::string& name,
                              const std::filesystem::path& base_dir) {
  Scenario scenario;
  scenario.source_name = name;
  scenario.base_dir = base_dir;
  std::set<std::string> chain;
  load_into(scenario, toml_text, name, base_dir, chain, 0);
  return scenario;
}

Scenario load_scenario_file(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  return load_scenario_string(text, path.string(), dir);
}

void apply_value(Scenario& scenario, const std::string& key, const std::string& toml_value,
                 const std::string& origin_name) {
  scenario.set(key, parse_override_value(key, toml_value, origin_name), Origin{origin_name, 0});
}

std::string apply_override(Scenario& scenario, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("--set", 0, assignment, "expected key=value");
  auto trim = [](std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
  };
  std::string key = trim(assignment.substr(0, eq));
  apply_value(scenario, key, trim(assignment.substr(eq + 1)), "--set");
  return key;
}

void finalize_scenario(Scenario& scenario) {
  scenario.check_complete();
  load_world(scenario);
  scenario.set_params(read_model_params(scenario));  // resolved once, read by every check and run
}

std::string to_toml(const Scenario& scenario) {
  toml::table root;
  for (const auto& [key, value] : scenario.values()) {
    toml::table* table = &root;
    std::string_view rest = key;
    for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
      const std::string part(rest.substr(0, dot));
      if (!table->contains(part)) table->insert(part, toml::table{});
      table = table->get(part)->as_table();
      rest.remove_prefix(dot + 1);
    }
    const std::string leaf(rest);
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::vector<double>> ||
                        std::is_same_v<T, std::vector<std::string>>) {
            toml::array arr;
            for (const auto& x : v) arr.push_back(x);
            table->insert(leaf, std::move(arr));
          } else {
            table->insert(leaf, v);
          }
        },
        value);
  }
  std::ostringstream out;
  out << toml::toml_formatter(root);
  return out.str();
}

}  // namespace licsim
