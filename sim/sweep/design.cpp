#include "sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <numeric>

#include "core/random.hpp"

namespace licsim {

std::vector<std::vector<double>> latin_hypercube(std::uint64_t seed, int points, int dims) {
  std::vector<std::vector<double>> out(static_cast<std::size_t>(points), std::vector<double>(dims));
  std::vector<int> strata(static_cast<std::size_t>(points));
  for (int d = 0; d < dims; ++d) {
    // Fisher-Yates over the strata, from a stream keyed by the dimension.
    std::iota(strata.begin(), strata.end(), 0);
    Stream perm(seed, 0, Purpose::sweep_design, 0, static_cast<std::uint64_t>(d));
    for (int i = points - 1; i > 0; --i)
      std::swap(strata[i], strata[perm.below(static_cast<std::uint64_t>(i) + 1)]);
    Stream jitter(seed, 0, Purpose::sweep_design, 1, static_cast<std::uint64_t>(d));
    for (int i = 0; i < points; ++i)
      out[i][d] = (strata[i] + jitter.uniform()) / static_cast<double>(points);
  }
  return out;
}

std::vector<std::vector<double>> sobol_points(int points, int dims) {
  boost::random::sobol engine(static_cast<std::size_t>(dims));
  std::vector<std::vector<double>> out(static_cast<std::size_t>(points), std::vector<double>(dims));
  // Boost starts after the origin; the sequence proper (whose first 2^m points
  // form a balanced net) starts at it.
  for (std::size_t i = 1; i < out.size(); ++i)
    for (auto& x : out[i]) x = static_cast<double>(engine()) * 0x1.0p-64;
  return out;
}

}  // namespace licsim
