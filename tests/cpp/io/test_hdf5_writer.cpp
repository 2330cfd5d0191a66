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
  return make_metadata(s, "state_only.toml", RunSettings{7, 1, 0.0005}, days);
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
  const Result r = run(s, test::small_run(40));
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
  const Result r = run(s, test::small_run(5));
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
  for (const auto& info : user_metrics) CHECK(documented(info.name));
}

TEST_CASE("metrics split out in several passes keep every value in its place") {
  // 120 replicates of 10 days: more daily and breakdown values than the writer
  // holds at once, so it splits their columns in blocks.
  const Scenario s = test::baseline();
  Result r = run(s, test::small_run(10));
  const int reps = 120;
  const auto tile = [&](std::vector<double>& v) {
    const std::vector<double> one = v;
    v.clear();
    for (int k = 0; k < reps; ++k)
      for (double x : one) v.push_back(x + k);  // whole numbers, different in each replicate
  };
  for (auto* v : {&r.daily, &r.breakdown, &r.flows, &r.home_flows, &r.by_authority, &r.by_pathway, &r.disruptions,
                  &r.harm_causes, &r.wait_quantiles})
    tile(*v);
  for (auto& u : r.users) tile(u.counts);
  r.replicates = reps;
  const std::size_t daily_cells = r.daily.size() / daily_metric_count;
  const std::size_t breakdown_cells = r.breakdown.size() / breakdown_metric_count;
  REQUIRE(daily_cells * daily_metric_count > writer_batch_values);
  REQUIRE(breakdown_cells * breakdown_metric_count > writer_batch_values);

  const auto dir = fresh_dir("passes");
  const auto out = dir / "out.h5";
  write_results(out, r, make_metadata(s, "state_only.toml", RunSettings{7, reps, 0.0005}, r.days), false, 2);
  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const auto read = [&](const std::string& path, std::size_t n) {
    std::vector<double> v(n);
    const hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
    REQUIRE(d >= 0);
    REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
    H5Dclose(d);
    return v;
  };
  for (int m = 0; m < daily_metric_count; ++m) {
    if (m == m_wait_days_sum) continue;  // written as a mean (tested with the layout)
    CAPTURE(daily_metrics[m].name);
    const auto v = read("metrics/" + std::string(daily_metrics[m].name), daily_cells);
    for (std::size_t i = 0; i < daily_cells; ++i) REQUIRE(v[i] == r.daily[i * daily_metric_count + m]);
  }
  for (int m = 0; m < breakdown_metric_count; ++m) {
    CAPTURE(breakdown_metrics[m].name);
    const auto v = read("breakdown/" + std::string(breakdown_metrics[m].name), breakdown_cells);
    for (std::size_t i = 0; i < breakdown_cells; ++i) REQUIRE(v[i] == r.breakdown[i * breakdown_metric_count + m]);
  }
  H5Fclose(file);
  std::filesystem::remove_all(dir);
}
