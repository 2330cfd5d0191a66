#pragma once
// `licsim sweep` and `licsim merge`. Exit codes as for `run`, plus 3: the
// sweep file was written but some points failed (listed on stderr and in
// points/status).
#include <atomic>
#include <string>
#include <vector>

namespace licsim::cli {

int cmd_sweep(const std::vector<std::string>& args, const std::atomic<bool>& interrupted);
int cmd_merge(const std::vector<std::string>& args);

}  // namespace licsim::cli
