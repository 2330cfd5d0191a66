#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"

using licsim::Purpose;
using licsim::Stream;

TEST_CASE("a stream depends only on its key") {
  Stream a(42, 3, Purpose::episode, 10, 99, 1);
  Stream b(42, 3, Purpose::episode, 10, 99, 1);
  for (int i = 0; i < 20; ++i) CHECK(a.next_u64() == b.next_u64());
}

TEST_CASE("every key component changes the stream") {
  const auto first = [](Stream s) { return s.next_u64(); };
  const auto base = first(Stream(42, 3, Purpose::episode, 10, 99, 1));
  CHECK(base != first(Stream(43, 3, Purpose::episode, 10, 99, 1)));
  CHECK(base != first(Stream(42, 4, Purpose::episode, 10, 99, 1)));
  CHECK(base != first(Stream(42, 3, Purpose::outcome, 10, 99, 1)));
  CHECK(base != first(Stream(42, 3, Purpose::episode, 11, 99, 1)));
  CHECK(base != first(Stream(42, 3, Purpose::episode, 10, 98, 1)));
  CHECK(base != first(Stream(42, 3, Purpose::episode, 10, 99, 2)));
}

TEST_CASE("uniform draws lie in (0,1) with mean 1/2") {
  Stream s(1, 0, Purpose::episode, 0, 0);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / n == doctest::Approx(0.5).epsilon(0.005));
}

TEST_CASE("below(n) stays in range and is uniform") {
  Stream s(5, 0, Purpose::routing, 0, 0);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const auto k = s.below(7);
    REQUIRE(k < 7);
    ++counts[k];
  }
  for (int c : counts) CHECK(c == doctest::Approx(10000).epsilon(0.05));
}

TEST_CASE("poisson has the right mean and variance, small and large") {
  for (double mean : {0.3, 4.0, 25.0, 900.0}) {
    Stream s(9, 0, Purpose::arrivals, 0, static_cast<std::uint64_t>(mean * 10));
    const int n = 40000;
    double sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) {
      const double k = static_cast<double>(s.poisson(mean));
      sum += k;
      sq += k * k;
    }
    const double m = sum / n;
    const double var = sq / n - m * m;
    CAPTURE(mean);
    CHECK(m == doctest::Approx(mean).epsilon(0.02));
    CHECK(var == doctest::Approx(mean).epsilon(0.05));
  }
  Stream s(9, 0, Purpose::arrivals, 0, 0);
  CHECK(s.poisson(0.0) == 0);
}

TEST_CASE("choose follows cumulative weights") {
  const std::vector<double> cumulative = {1.0, 1.0, 4.0};  // weights 1, 0, 3
  Stream s(2, 0, Purpose::routing, 0, 0);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 40000; ++i) ++counts[s.choose(cumulative)];
  CHECK(counts[1] == 0);
  CHECK(counts[0] == doctest::Approx(10000).epsilon(0.05));
  CHECK(counts[2] == doctest::Approx(30000).epsilon(0.05));
}

TEST_CASE("lognormal_with_mean has the requested mean") {
  Stream s(3, 0, Purpose::outcome, 0, 0);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) sum += s.lognormal_with_mean(100.0, 0.8);
  CHECK(sum / n == doctest::Approx(100.0).epsilon(0.02));
}
