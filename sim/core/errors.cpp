#include "core/errors.hpp"

#include <sstream>

namespace licsim {

namespace {
std::string format_scenario_error(const std::string& file, int line, const std::string& key,
                                  const std::string& problem) {
  std::ostringstream out;
  out << file;
  if (line > 0) out << ':' << line;
  if (!key.empty()) out << ": key '" << key << '\'';
  out << ": " << problem;
  return out.str();
}
}  // namespace

ScenarioError::ScenarioError(std::string file, int line, std::string key, std::string problem)
    : Error(format_scenario_error(file, line, key, problem)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)) {}

}  // namespace licsim
