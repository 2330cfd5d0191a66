#pragma once
// toml++ nodes to scenario Values, shared by the scenario and sweep readers
// (io-internal: nothing outside io/ sees toml++).
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "scenario/value.hpp"

namespace licsim {

inline int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

/// "a table", "an integer", "a TOML date/time value (a date)"... for messages.
std::string toml_type_name(const toml::node& node);

/// A scalar or a homogeneous array as a Value; throws ScenarioError naming
/// `file`, the node's line and `key` for anything else.
/// `with_lines` false: errors name no line (a --set value is not a file).
Value to_value(const toml::node& node, const std::string& file, const std::string& key, bool with_lines = true);

/// Parses TOML text; syntax errors become ScenarioError with the line.
toml::table parse_toml_text(const std::string& text, const std::string& name);

/// A file's bytes; a missing or unreadable file is a ScenarioError naming it.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace licsim
