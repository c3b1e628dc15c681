// The CPU's SIMD lanes (simd/lanes.hpp): lane arithmetic is the scalar arithmetic bit for bit, and
// the vector exp is within an ulp of the C library's over the whole range, with its edges right.

#include "ratesim/simd/lanes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "ratesim/risk/statistics.hpp"
#include "ratesim/simd/real.hpp"
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

template <int W, int B>
double worst_log_ulps(double lo, double hi, int draws, bool log_uniform) {
  std::mt19937_64 engine(43);
  std::uniform_real_distribution<double> uniform(lo, hi);
  double worst = 0.0;
  for (int i = 0; i < draws; ++i) {
    Lanes<double, W, B> x;
    for (int l = 0; l < W; ++l) x.set(l, log_uniform ? std::exp(uniform(engine)) : uniform(engine));
    const Lanes<double, W, B> y = log_of(x);
    for (int l = 0; l < W; ++l) worst = std::max(worst, ulps_apart(y[l], std::log(x[l])));
  }
  return worst;
}

TEST(Lanes, LogIsWithinAnUlpOfTheLibrary) {
  test::Figure figure("vector log, double, ulps from glibc log", 1.0);
  // The NII's monthly survival takes ln(1 - CPR), in (0, 1]; the rest checks the reduction.
  EXPECT_LE(figure(worst_log_ulps<8, 16>(0.0, 1.0, 250000, false)), 1.0);
  EXPECT_LE(figure(worst_log_ulps<8, 16>(0.99, 1.01, 250000, false)), 1.0);
  EXPECT_LE(figure(worst_log_ulps<4, 16>(-740.0, 709.0, 250000, true)), 1.0);  // subnormals to huge
}

TEST(Lanes, LogEdges) {
  Lanes<double, 8> x(1.0);
  x.set(0, 0.0);
  x.set(1, -1.0);
  x.set(2, std::numeric_limits<double>::infinity());
  x.set(3, std::nan(""));
  x.set(4, std::numeric_limits<double>::denorm_min());
  x.set(5, -0.0);
  const Lanes<double, 8> y = log_of(x);
  EXPECT_EQ(y[0], -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(y[1]));
  EXPECT_EQ(y[2], std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(y[3]));
  EXPECT_LE(ulps_apart(y[4], std::log(std::numeric_limits<double>::denorm_min())), 1.0);
  EXPECT_EQ(y[5], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(y[6], 0.0);
}

// Comparisons, choose, min_of, abs_of and any_of lane by lane are the scalar expressions
// (simd/real.hpp), NaN included, at every part width.
template <int B>
inline __attribute__((always_inline)) void check_selection_is_scalar() {
  std::mt19937_64 engine(11);
  std::normal_distribution<double> normal;
  using L = Lanes<double, 8, B>;
  for (int i = 0; i < 2000; ++i) {
    L a, b;
    double sa[8], sb[8];
    for (int l = 0; l < 8; ++l) {
      sa[l] = l == 3 && i % 7 == 0 ? std::nan("") : normal(engine);
      sb[l] = l == 5 && i % 5 == 0 ? -0.0 : normal(engine);
      a.set(l, sa[l]);
      b.set(l, sb[l]);
    }
    const L picked = choose((a > b) & !(b < 0.0), min_of(a, b), abs_of(a - b));
    const L stored = L::load(sa);
    bool any_greater = false;
    for (int l = 0; l < 8; ++l) {
      const bool greater = sa[l] > sb[l];
      any_greater = any_greater || greater;
      const double expected = choose(greater && !(sb[l] < 0.0), min_of(sa[l], sb[l]), abs_of(sa[l] - sb[l]));
      double bits_got, bits_want;
      std::memcpy(&bits_got, &picked.part[l / L::kPerPart][l % L::kPerPart], sizeof(double));
      bits_want = expected;
      ASSERT_EQ(std::memcmp(&bits_got, &bits_want, sizeof(double)), 0) << "lane " << l;
      ASSERT_EQ((a >= b)[l], sa[l] >= sb[l]);
      ASSERT_EQ((a <= 0.5)[l], sa[l] <= 0.5);
      ASSERT_EQ(std::memcmp(&stored.part[l / L::kPerPart][l % L::kPerPart], &sa[l], sizeof(double)), 0);
    }
    ASSERT_EQ(any_of(a > b), any_greater);
  }
  EXPECT_FALSE(any_of(L(1.0) > L(2.0)));
}

// Parts wider than the build's vectors exist only in functions compiled for them, as in the NII's
// month step (host/engine/cpu_nii.cpp).
void check_selection_sse2() { check_selection_is_scalar<16>(); }
#if defined(__x86_64__)
__attribute__((target("avx2"))) void check_selection_avx2() { check_selection_is_scalar<32>(); }
__attribute__((target("avx512f,avx512dq"))) void check_selection_avx512() { check_selection_is_scalar<64>(); }
#endif

TEST(CompensatedSum, TwoSumKeepsNeumaiersBits) {
  // BasicCompensatedSum keeps each add's rounding error by Knuth's TwoSum (no branch); Neumaier's
  // form picks the larger operand first. Both errors are exact, so the running sum and its
  // compensation must be the same bits after every add: terms of every sign and of magnitudes
  // 1e-20 to 1e20, with exact cancellations, on one path and on eight lanes.
  std::mt19937_64 engine(7);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-20, 20);
  double sum = 0.0, compensation = 0.0;
  CompensatedSum two_sum;
  Lanes<double, 8> lane_value;
  BasicCompensatedSum<Lanes<double, 8>> lanes_sum;
  int added = 0;
  for (int i = 0; i < 200000; ++i) {
    double v = mantissa(engine) * std::pow(10.0, exponent(engine));
    if (i % 97 == 0) v = -sum;  // an exact cancellation now and then
    const double t = sum + v;  // Neumaier
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
    two_sum.add(v);
    ASSERT_EQ(std::memcmp(&two_sum.sum, &sum, sizeof sum), 0) << i;
    ASSERT_EQ(std::memcmp(&two_sum.compensation, &compensation, sizeof sum), 0) << i;
    for (int l = 0; l < 8; ++l) lane_value.set(l, l % 2 ? v : -v);
    lanes_sum.add(lane_value);
    ASSERT_EQ(lanes_sum.sum[0], -sum);
    ASSERT_EQ(lanes_sum.sum[1], sum);
    ASSERT_EQ(lanes_sum.compensation[1], compensation);
    ++added;
  }
  EXPECT_EQ(two_sum.value(), sum + compensation);
  EXPECT_EQ(added, 200000);
}

TEST(Lanes, SelectionIsTheScalarSelection) {
  check_selection_sse2();
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) check_selection_avx2();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) check_selection_avx512();
#endif
}

}  // namespace
}  // namespace ratesim
