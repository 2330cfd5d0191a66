// Layers point one way: core <- model <- scenario <- engine <- io <- sweep <- cli/bindings.
// Each third-party library is seen by one layer only.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "support.hpp"

namespace fs = std::filesystem;

TEST_CASE("includes never point upward and libraries stay in their layer") {
  const std::map<std::string, std::set<std::string>> allowed = {
      {"core", {"core"}},
      {"model", {"core", "model"}},
      {"scenario", {"core", "model", "scenario"}},
      {"engine", {"core", "model", "scenario", "engine"}},
      {"io", {"core", "model", "scenario", "engine", "io"}},
      {"sweep", {"core", "model", "scenario", "engine", "io", "sweep"}},
      {"cli", {"core", "model", "scenario", "engine", "io", "sweep", "cli"}},
  };
  const std::map<std::string, std::string> library_layer = {
      {"toml++", "io"},          {"hdf5", "io"},   {"boost/program_options", "cli"},
      {"boost/random", "sweep"}, {"mpi.h", "cli"},  {"pybind11", "bindings"},
      {"omp.h", "engine"},
      {"zlib.h", "io"}};
  const std::regex include(R"(#include [<"]([^>"]+)[>"])");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(licsim::test::source_dir() / "sim")) {
    if (!entry.is_regular_file()) continue;
    const auto layer = fs::relative(entry.path(), licsim::test::source_dir() / "sim").begin()->string();
    if (!allowed.count(layer)) continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      const std::string target = m[1];
      CAPTURE(entry.path().string());
      CAPTURE(target);
      const auto slash = target.find('/');
      if (slash != std::string::npos && allowed.count(target.substr(0, slash)))
        CHECK(allowed.at(layer).count(target.substr(0, slash)) == 1);
      for (const auto& [lib, owner] : library_layer)
        if (target.rfind(lib, 0) == 0) CHECK(owner == layer);
    }
  }
  CHECK(files > 20);
}
