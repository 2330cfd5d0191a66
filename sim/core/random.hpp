#pragma once
// Counter-based random streams (Random123 Philox4x64-10).
//
// Every random decision in licsim draws from a Stream keyed by *what is being
// decided* — (seed, replicate, purpose, day, entity) — never by which thread
// decides it. Two streams with different keys are statistically independent and
// a stream's values depend only on its key, so results are identical for any
// thread count or processing order.
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <span>

namespace licsim {

/// What a stream is used for; part of the key so that purposes never share draws.
enum class Purpose : std::uint8_t {
  world_patients = 1,
  world_clinicians,
  arrivals,
  episode,
  shuffle,
  routing,
  outcome,
  licensing,
  regulator,
  renewal,
  patient_trait,
  follow_up,
  sweep_design,  ///< Latin hypercube strata and jitter
  sweep_point,   ///< seeds of sweep points
  locum_assignment,  ///< locum physicians' assignments in other states
  recognition_revocation,  ///< a recognition revoked after a paid claim
  telehealth_uptake,       ///< a clinician's adoption of telemedicine (engine/uptake)
  in_person_avoidance,     ///< whether an episode's patient will not be seen in person
  disrupted_follow_up,     ///< whether a follow-up cut by a rule change is forgone
};

class Stream {
 public:
  /// `entity_a`/`entity_b` identify the agent or event the decision is about.
  Stream(std::uint64_t seed, std::uint32_t replicate, Purpose purpose, std::uint64_t day,
         std::uint64_t entity_a, std::uint64_t entity_b = 0) noexcept;

  std::uint64_t next_u64() noexcept {
    if (index_ == 4) refill();
    return block_.v[index_++];
  }
  /// Uniform in the open interval (0, 1).
  double uniform() noexcept { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
  bool bernoulli(double p) noexcept { return uniform() < p; }
  /// Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias < 2^-32 for n < 2^32).
  std::uint64_t below(std::uint64_t n) noexcept {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next_u64()) * n) >> 64);
  }
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  double normal() noexcept;
  /// Lognormal with the given *mean* (not median) and log-scale sigma.
  double lognormal_with_mean(double mean, double sigma) noexcept {
    return mean * std::exp(sigma * normal() - 0.5 * sigma * sigma);
  }
  double exponential(double mean) noexcept { return -mean * std::log(uniform()); }
  std::uint64_t poisson(double mean) noexcept;
  /// Index drawn with probability proportional to weights (weights >= 0, sum > 0).
  std::size_t choose(std::span<const double> cumulative_weights) noexcept;

 private:
  void refill() noexcept;

  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type block_;
  unsigned index_ = 4;
};

}  // namespace licsim
