#include <doctest/doctest.h>
#include <hdf5.h>

#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/hdf5_writer.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "licsim_tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

OutputMetadata meta_for(const Scenario& s, int days = 40) {
  return make_metadata(s, "state_only.toml", 7, 1, 0.0005, days);
}

std::vector<hsize_t> dims_of(hid_t file, const char* path) {
  const hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  H5Dclose(d);
  return dims;
}

}  // namespace

TEST_CASE("results are written with the documented layout") {
  const Scenario s = test::baseline();
  const Results r = run(s, test::small_run(40));
  const auto path = fresh_dir("layout") / "out.h5";
  write_results(path, r, meta_for(s), false);
  REQUIRE(std::filesystem::exists(path));
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(dims_of(file, "metrics/episodes") == std::vector<hsize_t>{1, 40, 51});
  CHECK(dims_of(file, "breakdown/episodes") == std::vector<hsize_t>{1, 2, 51, 4, 2, 4});
  CHECK(dims_of(file, "flows/encounters")[2] == 51 + s.places.foreign.size());
  for (const auto& info : daily_metrics)
    CHECK(H5Lexists(file, ("metrics/" + std::string(info.name)).c_str(), H5P_DEFAULT) > 0);
  for (const char* attr : {"licsim_version", "scenario_toml", "seed", "created_utc"})
    CHECK(H5Aexists(file, attr) > 0);
  H5Fclose(file);
  // Nothing but the file itself is left in the folder.
  CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}) == 1);
}

TEST_CASE("an existing file is never overwritten without force") {
  const auto dir = fresh_dir("exists");
  const auto path = dir / "out.h5";
  std::ofstream(path) << "precious";
  const Scenario s = test::baseline();
  const Results r = run(s, test::small_run(5));
  CHECK_THROWS_AS(write_results(path, r, meta_for(s, 5), false), OutputError);
  std::ifstream in(path);
  std::string content;
  in >> content;
  CHECK(content == "precious");
  write_results(path, r, meta_for(s, 5), true);
  CHECK(H5Fis_hdf5(path.c_str()) > 0);
}

TEST_CASE("a missing folder is reported before any work") {
  CHECK_THROWS_WITH_AS(check_output_path("/nonexistent-dir/out.h5", false),
                       "/nonexistent-dir/out.h5: folder /nonexistent-dir does not exist", OutputError);
}

TEST_CASE("SOURCE_DATE_EPOCH fixes created_utc") {
  setenv("SOURCE_DATE_EPOCH", "0", 1);
  CHECK(created_utc_now() == "1970-01-01T00:00:00Z");
  unsetenv("SOURCE_DATE_EPOCH");
  CHECK(created_utc_now().size() == 20);
}

TEST_CASE("docs/output.md documents every written variable") {
  std::ifstream in(test::source_dir() / "docs" / "output.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const auto documented = [&](std::string_view name) {
    std::string quoted = "`";
    quoted.append(name).append("`");
    return text.str().find(quoted) != std::string::npos;
  };
  for (const auto& info : daily_metrics) CHECK(documented(info.name));
  for (const auto& info : breakdown_metrics) CHECK(documented(info.name));
}
