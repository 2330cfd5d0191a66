#include "io/toml_values.hpp"

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/input_file.hpp"

namespace licsim {

std::string toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return node.is_array_of_tables() ? "an array of tables" : "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a TOML date/time value (a date)";
    case toml::node_type::time: return "a TOML date/time value (a time of day)";
    case toml::node_type::date_time: return "a TOML date/time value (a date and time)";
    default: return "a value of no known TOML type";
  }
}

namespace {

/// The node as its TOML text (for a date: 2021-02-03), for messages.
std::string toml_text_of(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& n) { out << n; });
  return out.str();
}

}  // namespace

Value to_value(const toml::node& node, const std::string& file, const std::string& key, bool with_lines) {
  const auto line_of = [with_lines](const toml::node& n) { return with_lines ? licsim::line_of(n) : 0; };
  if (auto v = node.as_boolean()) return v->get();
  if (auto v = node.as_integer()) return v->get();
  if (auto v = node.as_floating_point()) return v->get();
  if (auto v = node.as_string()) return v->get();
  if (auto arr = node.as_array()) {
    if (arr->empty()) return std::vector<double>{};
    if (arr->is_homogeneous<std::string>()) {
      std::vector<std::string> out;
      for (const auto& item : *arr) out.push_back(item.as_string()->get());
      return out;
    }
    std::vector<double> out;
    for (const auto& item : *arr) {
      if (auto i = item.as_integer()) out.push_back(static_cast<double>(i->get()));
      else if (auto f = item.as_floating_point()) out.push_back(f->get());
      else
        throw ScenarioError(file, line_of(item), key,
                            "expected an array of numbers or of strings, got an array holding " +
                                toml_type_name(item));
    }
    return out;
  }
  std::string problem = "expected a number, string, boolean or array, got " + toml_type_name(node);
  if (node.is_date() || node.is_time() || node.is_date_time()) {
    const std::string text = toml_text_of(node);
    problem += " " + printable(text) + "; write a date as a string: \"" + printable(text) + "\"";
  }
  throw ScenarioError(file, line_of(node), key, problem);
}

toml::table parse_toml_text(const std::string& text, const std::string& name) {
  if (const auto depth = deepest_toml_key(text); depth.segments > max_toml_key_depth)
    throw ScenarioError(name, depth.line, "",
                        "a key nested too deeply (" + std::to_string(depth.segments) + " levels; at most " +
                            std::to_string(max_toml_key_depth) + ")");
  try {
    return toml::parse(std::string_view(text), std::string_view(name));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(name, static_cast<int>(e.source().begin.line), "",
                        "invalid TOML: " + std::string(e.description()));
  }
}

std::string read_text_file(const std::filesystem::path& path) {
  std::string problem;  // bounded, and never blocks on a FIFO or device (io/input_file.hpp)
  if (auto text = read_input_file(path, problem)) return std::move(*text);
  throw ScenarioError(path.string(), 0, "", problem);
}

}  // namespace licsim
