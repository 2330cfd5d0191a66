#pragma once
#include <string>

namespace licsim {

/// The parameter dictionary as a Markdown document (docs/parameters.md).
std::string parameter_markdown();

class Scenario;

/// The keys for the terminal whose pattern contains `filter` (all when empty), each with
/// its type, unit and meaning and, when `baseline` is given, the baseline's value(s) of it
/// and where they were set. Empty when no key matches.
std::string parameter_listing(const std::string& filter = "", const Scenario* baseline = nullptr);

}  // namespace licsim
