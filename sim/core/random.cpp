#include "core/random.hpp"

#include <math.h>  // lgamma_r

#include <algorithm>
#include <numbers>

namespace licsim {

namespace {
/// lgamma without its data race: std::lgamma also writes the global `signgam`,
/// which partitions running in parallel would share (found by ThreadSanitizer).
double log_gamma(double x) noexcept {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}
}  // namespace

Stream::Stream(std::uint64_t seed, std::uint32_t replicate, Purpose purpose, std::uint64_t day,
               std::uint64_t entity_a, std::uint64_t entity_b) noexcept {
  key_ = {{seed, (static_cast<std::uint64_t>(replicate) << 8) | static_cast<std::uint64_t>(purpose)}};
  // Word 0 counts blocks drawn from this stream; words 1-3 carry the decision key.
  counter_ = {{0, day, entity_a, entity_b}};
}

void Stream::refill() noexcept {
  block_ = r123::Philox4x64()(counter_, key_);
  ++counter_.v[0];
  index_ = 0;
}

double Stream::normal() noexcept {
  // Box-Muller; one of the pair is discarded so a draw never depends on a cached value.
  const double u1 = uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Stream::poisson(double mean) noexcept {
  if (!(mean > 0.0)) return 0;
  if (mean < 12.0) {
    // Inversion by sequential search from one uniform: exact, O(mean) steps.
    const double u = uniform();
    double p = std::exp(-mean);
    double cdf = p;
    std::uint64_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze (Hormann 1993); exact, valid for mean >= 10.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - log_gamma(k + 1.0))
      return static_cast<std::uint64_t>(k);
  }
}

std::size_t Stream::choose(std::span<const double> cumulative_weights) noexcept {
  const double target = uniform() * cumulative_weights.back();
  const auto it = std::upper_bound(cumulative_weights.begin(), cumulative_weights.end(), target);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_weights.begin()),
                               cumulative_weights.size() - 1);
}

}  // namespace licsim
