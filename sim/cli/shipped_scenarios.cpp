#include "cli/shipped_scenarios.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "core/errors.hpp"

namespace fs = std::filesystem;

namespace licsim::cli {

namespace {

/// <prefix>/lib/python3.*/{site,dist}-packages/licsim/scenarios for the prefix above bin/.
void add_package_dirs(const fs::path& prefix, std::vector<fs::path>& dirs) {
  std::error_code ec;
  const fs::path lib = prefix / "lib";
  if (!fs::is_directory(lib, ec)) return;
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(lib, ec)) {
    if (!entry.path().filename().string().starts_with("python3")) continue;
    for (const char* packages : {"site-packages", "dist-packages"}) {
      const fs::path dir = entry.path() / packages / "licsim" / "scenarios";
      if (fs::is_directory(dir, ec)) found.push_back(dir);
    }
  }
  std::sort(found.begin(), found.end());  // one order whatever the directory listing's
  dirs.insert(dirs.end(), found.begin(), found.end());
}

bool is_shipped_name(const std::string& s) {
  if (s.empty() || s.find('/') != std::string::npos || s.starts_with(".")) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

}  // namespace

std::vector<fs::path> shipped_scenario_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("LICSIM_SCENARIOS"); env && *env) dirs.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) add_package_dirs(exe.parent_path().parent_path(), dirs);
#ifdef LICSIM_SOURCE_SCENARIOS_DIR
  dirs.emplace_back(LICSIM_SOURCE_SCENARIOS_DIR);
#endif
  return dirs;
}

std::vector<std::string> shipped_scenario_names() {
  std::error_code ec;
  for (const auto& dir : shipped_scenario_dirs()) {
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".toml" && entry.is_regular_file(ec)) names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  return {};
}

fs::path resolve_scenario_argument(const std::string& argument) {
  std::error_code ec;
  if (fs::exists(argument, ec) || !is_shipped_name(argument)) return argument;
  const std::string file = argument.ends_with(".toml") ? argument : argument + ".toml";
  for (const auto& dir : shipped_scenario_dirs())
    if (fs::is_regular_file(dir / file, ec)) return dir / file;
  std::string names;
  for (const auto& n : shipped_scenario_names()) names += (names.empty() ? "" : ", ") + n;
  throw UsageError(printable(argument) + ": no such file, and no shipped scenario of that name" +
                   (names.empty() ? std::string(" (no shipped scenarios found; set LICSIM_SCENARIOS)")
                                  : " (shipped: " + names + ")"));
}

}  // namespace licsim::cli
