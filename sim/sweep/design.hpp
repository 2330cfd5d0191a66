#pragma once
// Space-filling designs over parameter ranges, in the unit cube: a Latin
// hypercube (keyed random streams) and a Sobol sequence (Boost.Random).
#include <cstdint>
#include <vector>

namespace licsim {

/// `points` rows of `dims` values in (0, 1): each dimension split into
/// `points` equal strata with exactly one value in each, strata permuted
/// independently per dimension. Depends only on (seed, points, dims).
std::vector<std::vector<double>> latin_hypercube(std::uint64_t seed, int points, int dims);

/// The first `points` points of the `dims`-dimensional Sobol sequence (Joe-Kuo
/// direction numbers as shipped by Boost), starting at the origin.
std::vector<std::vector<double>> sobol_points(int points, int dims);

}  // namespace licsim
