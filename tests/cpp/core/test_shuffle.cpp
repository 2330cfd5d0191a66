#include "core/shuffle.hpp"

#include <doctest/doctest.h>

#include <numeric>

namespace licsim {

TEST_CASE("shuffle_tail gives the permutation and the draws of the plain Fisher-Yates") {
  for (const std::size_t n : {0u, 1u, 2u, 3u, 100u, 16383u, 16384u, 16385u, 100000u}) {
    for (const std::size_t first : {0u, 7u}) {
      std::vector<std::uint64_t> a(first + n);
      std::iota(a.begin(), a.end(), 1000u);
      auto b = a;
      Stream ra(42, 1, Purpose::shuffle, 3, n), rb(42, 1, Purpose::shuffle, 3, n);
      shuffle_tail_direct(a, first, ra);
      shuffle_tail(b, first, rb);
      CAPTURE(n);
      CAPTURE(first);
      CHECK(a == b);
      CHECK(ra.next_u64() == rb.next_u64());  // same number of draws
    }
  }
}

}  // namespace licsim
