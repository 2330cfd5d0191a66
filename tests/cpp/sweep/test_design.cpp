#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "sweep/design.hpp"

namespace licsim {

TEST_CASE("a Latin hypercube puts exactly one point in every stratum of every dimension") {
  const int n = 50, dims = 4;
  const auto rows = latin_hypercube(9, n, dims);
  REQUIRE(rows.size() == static_cast<std::size_t>(n));
  for (int d = 0; d < dims; ++d) {
    std::set<int> strata;
    for (const auto& row : rows) {
      CHECK(row[d] > 0.0);
      CHECK(row[d] < 1.0);
      strata.insert(static_cast<int>(row[d] * n));
    }
    CHECK(strata.size() == static_cast<std::size_t>(n));
  }
  CHECK(latin_hypercube(9, n, dims) == rows);   // keyed by the seed only
  CHECK(latin_hypercube(10, n, dims) != rows);
  // Dimensions are permuted independently: not the same order twice.
  std::vector<double> a, b;
  for (const auto& row : rows) a.push_back(row[0]), b.push_back(row[1]);
  CHECK(std::is_sorted(a.begin(), a.end()) == false);
  CHECK(a != b);
}

TEST_CASE("Sobol points are the Sobol sequence: balanced halves and quarters") {
  const auto rows = sobol_points(16, 3);
  REQUIRE(rows.size() == 16);
  CHECK(rows[0] == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(rows[1] == std::vector<double>{0.5, 0.5, 0.5});
  for (int d = 0; d < 3; ++d) {
    // A (0, m, s)-net property: each of 4 equal intervals holds exactly 4 of the first 16 points.
    int counts[4] = {0, 0, 0, 0};
    for (const auto& row : rows) ++counts[static_cast<int>(row[d] * 4)];
    for (int c : counts) CHECK(c == 4);
  }
  // Two dimensions together: each of the 16 cells of a 4 x 4 grid holds one point.
  std::set<int> cells;
  for (const auto& row : rows) cells.insert(static_cast<int>(row[0] * 4) * 4 + static_cast<int>(row[1] * 4));
  CHECK(cells.size() == 16);
}

}  // namespace licsim
