// The CPU's SIMD lanes (simd/lanes.hpp): lane arithmetic is the scalar arithmetic bit for bit, and
// the vector exp is within an ulp of the C library's over the whole range, with its edges right.

#include "ratesim/simd/lanes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "test_support.hpp"

namespace ratesim {
namespace {

template <class T>
double ulps_apart(T a, T b) {
  if (a == b) return 0.0;
  const T step = std::nextafter(b, std::numeric_limits<T>::infinity()) - b;
  return std::fabs(static_cast<double>(a) - static_cast<double>(b)) / static_cast<double>(step);
}

template <class T, int W>
double worst_exp_ulps(double lo, double hi, int draws) {
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> uniform(lo, hi);
  double worst = 0.0;
  for (int i = 0; i < draws; ++i) {
    Lanes<T, W> x;
    for (int l = 0; l < W; ++l) x.set(l, static_cast<T>(uniform(engine)));
    const Lanes<T, W> y = exp_of(x);
    for (int l = 0; l < W; ++l) worst = std::max(worst, ulps_apart(y[l], std::exp(x[l])));
  }
  return worst;
}

TEST(Lanes, ExpIsWithinAnUlpOfTheLibrary) {
  test::Figure dbl("vector exp, double, ulps from glibc exp", 1.0);
  test::Figure flt("vector exp, float, ulps from glibc expf", 1.0);
  // The LMM's arguments are small; the whole range checks the reduction and the scaling.
  EXPECT_LE(dbl(worst_exp_ulps<double, 4>(-1.0, 1.0, 250000)), 1.0);
  EXPECT_LE(dbl(worst_exp_ulps<double, 4>(-708.0, 709.7, 250000)), 1.0);
  EXPECT_LE(flt(worst_exp_ulps<float, 8>(-1.0, 1.0, 250000)), 1.0);
  EXPECT_LE(flt(worst_exp_ulps<float, 8>(-87.0, 88.7, 250000)), 1.0);
}

TEST(Lanes, ExpEdges) {
  Lanes<double, 4> x;
  x.set(0, 710.0);
  x.set(1, -746.0);
  x.set(2, std::nan(""));
  x.set(3, -740.0);  // subnormal result
  const Lanes<double, 4> y = exp_of(x);
  EXPECT_EQ(y[0], std::numeric_limits<double>::infinity());
  EXPECT_EQ(y[1], 0.0);
  EXPECT_TRUE(std::isnan(y[2]));
  EXPECT_LE(ulps_apart(y[3], std::exp(-740.0)), 1.0);
  Lanes<float, 8> f(0.0f);
  f.set(0, 88.72f);   // just below float's overflow
  f.set(1, -100.0f);  // subnormal
  f.set(2, 1000.0f);
  const Lanes<float, 8> g = exp_of(f);
  EXPECT_LE(ulps_apart(g[0], std::exp(88.72f)), 1.0);
  EXPECT_LE(ulps_apart(g[1], std::exp(-100.0f)), 1.0);
  EXPECT_EQ(g[2], std::numeric_limits<float>::infinity());
  EXPECT_EQ(g[3], 1.0f);
}

// + - * / and max_of lane by lane are exactly the scalar operations: the CPU's lanes and its
// scalar code agree bit for bit wherever exp is not involved.
TEST(Lanes, ArithmeticIsTheScalarArithmetic) {
  std::mt19937_64 engine(7);
  std::normal_distribution<double> normal;
  for (int i = 0; i < 10000; ++i) {
    Lanes<double, 4> a, b;
    double sa[4], sb[4];
    for (int l = 0; l < 4; ++l) {
      sa[l] = normal(engine);
      sb[l] = normal(engine);
      a.set(l, sa[l]);
      b.set(l, sb[l]);
    }
    const Lanes<double, 4> r = (a * b + 0.25) / (1.0 + b * b) - max_of(a, Lanes<double, 4>(0.1));
    for (int l = 0; l < 4; ++l) {
      const double expected = (sa[l] * sb[l] + 0.25) / (1.0 + sb[l] * sb[l]) - (sa[l] > 0.1 ? sa[l] : 0.1);
      ASSERT_EQ(r[l], expected);
    }
  }
}

}  // namespace
}  // namespace ratesim
