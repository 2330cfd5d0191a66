#pragma once
#include <string>

namespace licsim {

/// The parameter dictionary as a Markdown document (docs/parameters.md).
std::string parameter_markdown();

/// One line per key for the terminal.
std::string parameter_listing();

}  // namespace licsim
