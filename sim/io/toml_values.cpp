#include "io/toml_values.hpp"

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/input_file.hpp"

namespace licsim {

Value to_value(const toml::node& node, const std::string& file, const std::string& key) {
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
                            "expected an array of numbers or of strings, got a mixed array");
    }
    return out;
  }
  throw ScenarioError(file, line_of(node), key,
                      "expected a number, string, boolean or array, got a date/time value");
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
