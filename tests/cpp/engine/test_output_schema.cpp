#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <set>

#include "engine/output_schema.hpp"
#include "model/authority.hpp"
#include "support.hpp"

using namespace licsim;

TEST_CASE("the output schema names each variable and dimension once, over its group's dimensions") {
  std::set<std::string> arrays;
  for (const auto& group : output_groups()) {
    CAPTURE(group.name);
    std::set<std::string> dims, variables;
    for (const auto& d : group.dims) CHECK(dims.insert(d.name).second);
    CHECK(group.dims_up_front <= group.dims.size());
    for (std::size_t a : group.arrays) {
      const ArraySpec& array = output_arrays()[a];
      CHECK(array.group == group.name);
      CHECK(arrays.insert(array.name).second);
      for (const auto& d : array.dims) CHECK(dims.count(d) == 1);
      for (const auto& v : array.slots) {
        CHECK(variables.insert(v.name).second);
        CHECK_FALSE(v.units.empty());
        for (std::size_t s : v.per) CHECK(s < array.slots.size());
      }
    }
  }
  CHECK(arrays.size() == output_arrays().size());  // every array belongs to a group
  CHECK(output_array("by_pathway").slots.size() == pathway_slot_count);  // the engine's slot enum
  CHECK(output_array("daily").slots.size() == static_cast<std::size_t>(daily_metric_count));
  CHECK(output_array("breakdown").slots.size() == static_cast<std::size_t>(breakdown_metric_count));
}

TEST_CASE("a run's arrays are allocated from the schema, in the layouts the engine indexes") {
  const Result r = licsim::run(test::baseline(), test::small_run(40, 0.0005));
  const Extents x = Extents::of(r);
  CHECK(r.daily.size() == r.daily_index(r.replicates - 1, r.days - 1, r.jurisdictions.size() - 1, 0) +
                              static_cast<std::size_t>(daily_metric_count));
  CHECK(r.by_pathway.size() ==
        r.monthly_index(r.replicates - 1, r.months - 1, r.jurisdictions.size() - 1, pathway_count * 4) +
            pathway_count * 4);
  double values = 0, largest = 0;
  for (const auto& array : output_arrays()) {
    CAPTURE(array.name);
    CHECK(array.data(r).size() == static_cast<std::size_t>(cells_of(array, x)) * array.slots.size());
    values += static_cast<double>(array.data(r).size());
    largest = std::max(largest, static_cast<double>(array.data(r).size() / array.slots.size()));
  }
  CHECK(results_bytes(x) == 8 * values);
  CHECK(largest_variable_values(x) == largest);
}

TEST_CASE("a mean variable divides its slot by the sum of its denominators, NaN where they are zero") {
  Result r = licsim::run(test::baseline(), test::small_run(40, 0.0005));
  const ArraySpec& daily = output_array("daily");
  const auto waits = variable_values(r, daily, m_wait_days_sum, 1)[0];
  std::size_t means = 0, empty = 0;
  for (std::size_t i = 0; i < waits.size(); ++i) {
    const double* row = &r.daily[i * daily_metric_count];
    const double served = row[m_served_in_person] + row[m_served_telehealth_in_state] +
                          row[m_served_telehealth_cross_state] + row[m_served_telehealth_international];
    if (served > 0) {
      CHECK(waits[i] == doctest::Approx(row[m_wait_days_sum] / served));
      ++means;
    } else {
      CHECK(std::isnan(waits[i]));
      ++empty;
    }
  }
  CHECK(means > 0);
  CHECK(empty > 0);
  // A plain slot is copied as it is, several at once.
  const auto two = variable_values(r, daily, 0, 2);
  for (std::size_t i = 0; i < two[0].size(); ++i) {
    CHECK(two[0][i] == r.daily[i * daily_metric_count]);
    CHECK(two[1][i] == r.daily[i * daily_metric_count + 1]);
  }
}

TEST_CASE("the markdown tables list every variable of the schema, one group or all") {
  const std::string all = output_schema_markdown();
  for (const auto& array : output_arrays())
    for (const auto& v : array.slots) CHECK(all.find("| `" + v.name + "` |") != std::string::npos);
  const std::string flows = output_schema_markdown("flows");
  CHECK(flows.find("`encounters_by_home`") != std::string::npos);
  CHECK(flows.find("`episodes`") == std::string::npos);
  CHECK_THROWS_AS(output_schema_markdown("nope"), std::out_of_range);
}

TEST_CASE("docs/output.md's variable tables are the output schema's") {
  std::ifstream in(test::source_dir() / "docs" / "output.md");
  REQUIRE(in.good());
  std::ostringstream read;
  read << in.rdbuf();
  const std::string doc = read.str();
  for (const auto& group : output_groups()) {
    CAPTURE(group.name);
    const std::string begin = "<!-- BEGIN licsim schema --markdown " + group.name + " ";
    const std::string end = "<!-- END licsim schema --markdown " + group.name + " -->";
    const auto b = doc.find(begin);
    REQUIRE(b != std::string::npos);
    const auto first = doc.find("-->\n", b) + 4;
    const auto e = doc.find(end, first);
    REQUIRE(e != std::string::npos);
    std::string expected = output_schema_markdown(group.name);
    expected.erase(expected.find_last_not_of('\n') + 1);
    // Regenerate with: scripts/output_doc.py
    CHECK(doc.substr(first, e - first) == expected + "\n");
  }
}
