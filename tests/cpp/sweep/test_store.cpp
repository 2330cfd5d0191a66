#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/errors.hpp"
#include "io/sweep_file.hpp"
#include "io/sweep_output.hpp"
#include "support.hpp"
#include "sweep/plan.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"

namespace licsim {

namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("licsim-store-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::remove_all(dir / (name + ".parts"));
  fs::remove(dir / name);
  return dir / name;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SweepPlan tiny_plan() {
  return make_plan(load_sweep_string("[sweep]\nscenarios = [\"state_only.toml\"]\nscale = 0.0001\ndays = 5\n"
                                     "[grid]\n\"clinicians.two_licenses_share\" = [0.2, 0.99, 0.3]\n",
                                     "t.toml", test::source_dir() / "scenarios"));
}

}  // namespace

TEST_CASE("a fresh sweep refuses another sweep's work unless resumed or forced") {
  const auto out = scratch("fresh.h5");
  { SweepStore store(out, "plan A", false, false); }
  CHECK(fs::is_regular_file(out.string() + ".parts/plan.toml"));
  CHECK_THROWS_WITH_AS(SweepStore(out, "plan A", false, false), doctest::Contains("--resume"), OutputError);
  CHECK_THROWS_WITH_AS(SweepStore(out, "plan B", true, false), doctest::Contains("different sweep"), OutputError);
  CHECK_NOTHROW(SweepStore(out, "plan A", true, false));
  CHECK_NOTHROW(SweepStore(out, "plan B", false, true));  // --force starts over
  // A folder that is not ours is never cleared, even with --force.
  const auto foreign = scratch("foreign.h5");
  fs::create_directories(foreign.string() + ".parts");
  std::ofstream(foreign.string() + ".parts/keep.txt") << "user data";
  CHECK_THROWS_WITH_AS(SweepStore(foreign, "plan", false, true), doctest::Contains("not a licsim sweep work folder"),
                       OutputError);
  CHECK(fs::exists(foreign.string() + ".parts/keep.txt"));
}

TEST_CASE("points are done once recorded, failures are kept with their error, stray files are not trusted") {
  const auto plan = tiny_plan();
  const std::string text = plan_to_toml(plan);
  const std::string hash = plan_hash(text);
  const auto out = scratch("points.h5");
  SweepStore store(out, text, false, false);
  CHECK(store.missing({0, 1, 2}) == std::vector<int>{0, 1, 2});
  run_points(plan, hash, store, {0, 1}, SweepRunOptions{1, nullptr, nullptr, nullptr});
  CHECK(store.missing({0, 1, 2}) == std::vector<int>{2});
  const auto sources = store.sources({0, 1});
  CHECK(sources[0].ok);
  CHECK_FALSE(sources[1].ok);
  CHECK(sources[1].error.find("must not exceed 1") != std::string::npos);
  CHECK_THROWS_AS(store.sources({2}), OutputError);
  // Point 0's file is not point 2's: a copy under the wrong name does not count.
  fs::copy_file(store.point_file(0), store.point_file(2));
  CHECK(store.missing({2}) == std::vector<int>{2});
  CHECK_THROWS_WITH_AS(store.store_point_bytes(2, bytes_of(store.point_file(0))), doctest::Contains("not this sweep"),
                       OutputError);
  CHECK_THROWS_AS(store.store_point_bytes(2, "not HDF5 at all"), OutputError);
  // Received bytes of the right point are accepted.
  const auto elsewhere = scratch("elsewhere.h5");
  CHECK_FALSE(run_point_to_file(plan, hash, 2, elsewhere, SweepRunOptions{1, nullptr, nullptr, nullptr}));
  store.store_point_bytes(2, bytes_of(elsewhere));
  CHECK(store.missing({0, 1, 2}).empty());
  store.remove();
  CHECK_FALSE(fs::exists(store.folder()));
}

TEST_CASE("a damaged point file is not trusted: the point runs again, and the sweep file is whole") {
  const auto plan = tiny_plan();
  const std::string text = plan_to_toml(plan);
  const std::string hash = plan_hash(text);
  const auto out = scratch("damaged.h5");
  SweepStore store(out, text, false, false);
  run_points(plan, hash, store, {0, 2}, SweepRunOptions{1, nullptr, nullptr, nullptr});
  CHECK(store.missing({0, 2}).empty());
  const std::string good = bytes_of(store.point_file(0));
  // One changed byte anywhere (the seal, HDF5's structures, a value), or a cut.
  for (std::size_t at : {std::size_t{3}, std::size_t{600}, good.size() / 2, good.size() - 9}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    std::ofstream(store.point_file(0), std::ios::binary | std::ios::trunc) << bad;
    CAPTURE(at);
    CHECK(store.missing({0, 2}) == std::vector<int>{0});
    CHECK_THROWS_AS(store.store_point_bytes(0, bad), OutputError);  // received damaged: refused
  }
  std::ofstream(store.point_file(0), std::ios::binary | std::ios::trunc) << good.substr(0, good.size() / 3);
  CHECK(store.missing({0, 2}) == std::vector<int>{0});
  run_points(plan, hash, store, store.missing({0, 2}), SweepRunOptions{1, nullptr, nullptr, nullptr});
  CHECK(bytes_of(store.point_file(0)).size() == good.size());  // run again: whole (bytes differ only in created_utc)
  CHECK(store.missing({0, 2}).empty());
  // A damaged shard is refused by name; the sweep file is never built from it.
  const auto shard = scratch("shard.h5");
  write_sweep_file(shard, plan, text, "", store.sources({0, 2}), "0/1", false);
  const std::string shard_bytes = bytes_of(shard);
  std::string bad = shard_bytes;
  bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 0x40);
  std::ofstream(shard, std::ios::binary | std::ios::trunc) << bad;
  CHECK_THROWS_WITH_AS(read_sweep_file(shard), doctest::Contains((shard.string() + ": cannot be read").c_str()), OutputError);
  store.remove();
}

TEST_CASE("shards split the points round-robin and cover each once") {
  const auto plan = tiny_plan();
  CHECK(shard_points(plan, 0, 2) == std::vector<int>{0, 2});
  CHECK(shard_points(plan, 1, 2) == std::vector<int>{1});
  CHECK(shard_points(plan, 0, 1) == std::vector<int>{0, 1, 2});
}

}  // namespace licsim
