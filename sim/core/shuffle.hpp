#pragma once
// Fisher-Yates shuffle of v[first, end) driven by a keyed stream, the same
// permutation however it is computed: for long ranges the swaps are applied to
// a 32-bit index array (4 bytes an element, cache-resident) and the elements
// are then gathered once with prefetches, instead of swapping large elements
// at random across an array that is many times the cache (the day's arrivals
// of a specialty at full scale: ~1.4 million episodes, 45 MB).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/random.hpp"

namespace licsim {

/// The plain algorithm: for i from the end down to first + 1, swap v[i] with
/// v[first + below(i - first + 1)].
template <class T>
void shuffle_tail_direct(std::vector<T>& v, std::size_t first, Stream& rng) {
  for (std::size_t i = v.size() - 1; i > first && i < v.size(); --i) {
    const std::size_t j = first + rng.below(i - first + 1);
    std::swap(v[i], v[j]);
  }
}

/// Same result as shuffle_tail_direct (and the same draws from `rng`).
template <class T>
void shuffle_tail(std::vector<T>& v, std::size_t first, Stream& rng) {
  constexpr std::size_t direct_below = std::size_t{1} << 14;  // fits the L2 cache either way
  const std::size_t n = v.size() > first ? v.size() - first : 0;
  if (n < direct_below || n > std::size_t{0xFFFFFFFF}) return shuffle_tail_direct(v, first, rng);
  thread_local std::vector<std::uint32_t> perm;
  thread_local std::vector<T> copy;
  perm.resize(n);
  for (std::size_t k = 0; k < n; ++k) perm[k] = static_cast<std::uint32_t>(k);
  for (std::size_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
  // v'[first + k] = v[first + perm[k]]
  copy.assign(v.begin() + static_cast<std::ptrdiff_t>(first), v.end());
  constexpr std::size_t ahead = 16;
  T* out = v.data() + first;
  for (std::size_t k = 0; k < n; ++k) {
    if (k + ahead < n) __builtin_prefetch(&copy[perm[k + ahead]]);
    out[k] = copy[perm[k]];
  }
}

}  // namespace licsim
