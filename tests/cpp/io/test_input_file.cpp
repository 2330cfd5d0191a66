#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "core/errors.hpp"
#include "io/input_file.hpp"
#include "io/scenario_file.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("licsim_input_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::string scenario_error(const std::string& text) {
  try {
    load_scenario_string(text, "<t>", test::source_dir() / "scenarios");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("only regular files of bounded size are read, and nothing blocks") {
  std::string problem;
  CHECK_FALSE(read_input_file("/nonexistent/x.toml", problem));
  CHECK(problem == "cannot open the file: No such file or directory");
  CHECK_FALSE(read_input_file(std::filesystem::temp_directory_path(), problem));
  CHECK(problem == "not a regular file (a folder)");
  CHECK_FALSE(read_input_file("/dev/zero", problem));  // would never end
  CHECK(problem == "not a regular file (a character device)");
  const auto fifo = scratch("fifo.toml");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_FALSE(read_input_file(fifo, problem));  // would wait for a writer
  CHECK(problem == "not a regular file (a FIFO)");

  const auto big = scratch("big.toml");
  {
    std::ofstream out(big, std::ios::binary);
    const std::string block(1 << 20, '#');
    for (std::uintmax_t i = 0; i <= max_input_file_bytes >> 20; ++i) out << block;
  }
  CHECK_FALSE(read_input_file(big, problem));
  CHECK(problem.find("too large (17.0 MiB; a scenario or data file may be at most 16.0 MiB)") == 0);
  std::filesystem::resize_file(big, 5);
  const auto text = read_input_file(big, problem);
  REQUIRE(text);
  CHECK(*text == "#####");
  std::filesystem::remove_all(big.parent_path());
}

TEST_CASE("the deepest dotted key is found without parsing, skipping strings, comments and numbers") {
  CHECK(deepest_toml_key("").segments == 0);
  CHECK(deepest_toml_key("a = 1.5\n[b.c]\nd.e . f = [0.1, 0.2]\n").segments == 3);
  CHECK(deepest_toml_key("a = 1.5\n[b.c]\nd.e . f = [0.1, 0.2]\n").line == 3);
  CHECK(deepest_toml_key("x = \"a.b.c.d.e\" # f.g.h.i.j.k\n'l.m' = '''n.o.p.q\n.r.s'''\n").segments == 1);
  CHECK(deepest_toml_key("\"a\".'b'.c = 1").segments == 3);
  CHECK(deepest_toml_key("t = 12:00:00.5\nd = 2021-01-01").segments == 2);
}

TEST_CASE("keys nested deeper than toml++ can take are refused before parsing, with the line") {
  std::string deep = "meta.name = \"x\"\n[";
  for (int i = 0; i < 100000; ++i) deep += i ? ".a" : "a";
  deep += "]\n";
  CHECK(scenario_error(deep) == "<t>:2: a key nested too deeply (100000 levels; at most 32)");
  std::string inline_deep = "x = {";
  for (int i = 0; i < 100000; ++i) inline_deep += i ? ".a" : "a";
  CHECK(scenario_error(inline_deep + " = 1}").find("a key nested too deeply") != std::string::npos);
  std::string nested_values = "x = ";
  for (int i = 0; i < 100000; ++i) nested_values += "[";
  CHECK(scenario_error(nested_values).find("exceeded maximum nested value depth") != std::string::npos);
  Scenario s = test::baseline();
  std::string value = "{";
  for (int i = 0; i < 1000; ++i) value += i ? ".a" : "a";
  CHECK_THROWS_WITH_AS(apply_override(s, "meta.name=" + value + "=1}"),
                       "--set: key 'meta.name': a value with keys nested too deeply", ScenarioError);
}

TEST_CASE("hostile scenario text gets a ScenarioError naming the file, line and key") {
  const std::string base = "base = \"state_only.toml\"\n";
  CHECK(scenario_error(base + "[population]\nlep_share = nan\n") ==
        "<t>:3: key 'population.lep_share': expected a number in [0, 1], got nan");
  CHECK(scenario_error(base + "[population]\nlep_share = -inf\n") ==
        "<t>:3: key 'population.lep_share': expected a number in [0, 1], got -inf");
  CHECK(scenario_error(base + "x = 1\xff\xfe\n").find("<t>:2: invalid TOML") == 0);
  CHECK(scenario_error("base = \"/dev/zero\"\n") == "/dev/zero: not a regular file (a character device)");
  // Found by the fuzzer: a base name longer than the system allows threw std::filesystem_error.
  CHECK(scenario_error("base = \"" + std::string(5000, 'x') + "\"\n").find("<t>:1: key 'base': cannot use \"xxx") == 0);
  CHECK(scenario_error(base + "[simulation]\ndays = 99999999999999999999\n").find("<t>:3: invalid TOML") == 0);
  std::string many = base + "[population]\nage_band_share = [";
  for (int i = 0; i < 100000; ++i) many += i ? ", 0.1" : "0.1";
  const auto msg = scenario_error(many + "]\n");
  CHECK(msg.find("<t>:3: key 'population.age_band_share': expected an array of 4 numbers") == 0);
  CHECK(msg.size() < 300);  // the value is cut, not printed whole
  CHECK(msg.find("(100000 values)") != std::string::npos);
}
