// Hull-White building blocks against quad-precision evaluations of the textbook formulas, so the
// small-a branches (expm1, series) are checked where the naive formulas cancel in double.

#include "ratesim/model/hull_white.hpp"

#include <gtest/gtest.h>
#include <quadmath.h>

#include <cmath>

#include "ratesim/model/hull_white_analytic.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

using quad = __float128;

quad b_quad(quad a, quad tau) { return -expm1q(-a * tau) / a; }

// G(a,t) = Var(int_0^t x ds) / sigma^2 = int_0^t B(a,s)^2 ds. Where a t is small the closed form
// cancels even in quad precision, so there the reference integrates B^2 with Simpson's rule
// (exact for cubics; B^2 = s^2 - a s^3 + O(a^2 s^4), so the error is O(a^2 h^4), below 1e-20).
quad g_quad(quad a, quad t) {
  if (a * t >= 0.5) return (t - 2 * b_quad(a, t) + b_quad(2 * a, t)) / (a * a);
  const int n = 20000;
  const quad h = t / n;
  quad sum = 0;
  for (int i = 0; i <= n; ++i) {
    const quad b = b_quad(a, i * h);
    sum += (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2)) * b * b;
  }
  return sum * h / 3;
}

double relative_error(double value, quad reference) {
  return static_cast<double>(fabsq((static_cast<quad>(value) - reference) / reference));
}

const double kMeanReversions[] = {1e-8, 1e-6, 1e-4, 0.01, 0.03, 0.2, 1.0, 3.0};
const double kTimes[] = {1.0 / 365.0, 1.0 / 12.0, 0.5, 1.0, 5.0, 10.0, 30.0};

TEST(HullWhite, BFactorMatchesQuadPrecision) {
  for (double a : kMeanReversions) {
    for (double t : kTimes) {
      EXPECT_LT(relative_error(hw_b(a, t), b_quad(a, t)), 4e-16) << "a=" << a << " t=" << t;
    }
  }
  EXPECT_EQ(hw_b(0.0, 2.5), 2.5);
}

// The series (a t < 0.5) is good to a few ulp; the closed form loses about one digit to
// cancellation just above the switch, hence 1e-14 rather than machine precision.
TEST(HullWhite, IntegratedVarianceFactorMatchesQuadPrecision) {
  for (double a : kMeanReversions) {
    for (double t : kTimes) {
      EXPECT_LT(relative_error(hw_integrated_variance_factor(a, t), g_quad(a, t)), 1e-14)
          << "a=" << a << " t=" << t;
    }
  }
  EXPECT_NEAR(hw_integrated_variance_factor(0.0, 3.0), 9.0, 1e-14);  // t^3 / 3
  // Both sides of the switch from the series to the closed form at a t = 0.5.
  for (double a : {0.5 - 1e-9, 0.5 + 1e-9}) {
    EXPECT_LT(relative_error(hw_integrated_variance_factor(a, 1.0), g_quad(a, 1.0)), 1e-14) << a;
  }
}

TEST(HullWhite, StepCholeskyReproducesTheJointCovariance) {
  for (double a : {0.0, 1e-8, 0.03, 1.5}) {
    for (double dt : {1.0 / 12.0, 1.0, 5.0}) {
      const HullWhiteParams p{a, 0.012};
      const HullWhiteStep s = hw_make_step(p, dt);
      const double s2 = p.volatility * p.volatility;
      const double var_x = s2 * static_cast<double>(a == 0.0 ? dt : b_quad(2 * a, dt));
      const double var_i = s2 * (a == 0.0 ? dt * dt * dt / 3 : static_cast<double>(g_quad(a, dt)));
      const double cov = 0.5 * s2 * (a == 0.0 ? dt * dt : std::pow(static_cast<double>(b_quad(a, dt)), 2));
      EXPECT_NEAR(s.l11 * s.l11, var_x, 1e-14 * var_x);
      EXPECT_NEAR(s.l21 * s.l11, cov, 1e-13 * cov);
      EXPECT_NEAR(s.l21 * s.l21 + s.l22 * s.l22, var_i, 1e-13 * var_i);
      EXPECT_NEAR(s.decay, std::exp(-a * dt), 1e-16);
    }
  }
  const HullWhiteStep flat = hw_make_step(HullWhiteParams{0.1, 0.0}, 1.0);
  EXPECT_EQ(flat.l11, 0.0);
  EXPECT_EQ(flat.l22, 0.0);
}

TEST(HullWhite, BondPriceMatchesTheTextbookAffineFormula) {
  // P(t,T) = A e^{-B r}, ln A = ln(P(0,T)/P(0,t)) + B f(0,t) - sigma^2/(4a)(1 - e^{-2at}) B^2,
  // r = x + f(0,t) + sigma^2/(2a^2)(1 - e^{-at})^2, evaluated in quad precision.
  const DiscountCurve curve = test::sample_curve();
  for (double a : {1e-8, 0.001, 0.05, 0.8}) {
    const HullWhiteParams p{a, 0.01};
    for (double t : {0.3, 2.7, 9.1}) {
      for (double tau : {0.25, 4.0, 20.0}) {
        for (double x : {-0.03, 0.0, 0.02}) {
          const quad qa = a, qs = p.volatility, qt = t, b = b_quad(qa, tau);
          const quad f = curve.forward(t);
          const quad r = x + f + qs * qs / (2 * qa * qa) * powq(1 - expq(-qa * qt), 2);
          const quad ln_a = static_cast<quad>(curve.log_discount(t + tau)) - curve.log_discount(t) +
                            b * f - qs * qs / (4 * qa) * (1 - expq(-2 * qa * qt)) * b * b;
          const quad reference = expq(ln_a - b * r);
          const double mine = hw_discount_bond(curve, p, t, t + tau, x);
          EXPECT_LT(relative_error(mine, reference), 1e-14)
              << "a=" << a << " t=" << t << " tau=" << tau << " x=" << x;
        }
      }
    }
  }
}

TEST(HullWhite, ZeroBondOptionParityAndIntrinsicLimit) {
  const DiscountCurve curve = test::sample_curve();
  const HullWhiteParams p{0.05, 0.01};
  for (double strike : {0.8, 0.9, 0.95}) {
    const double call = hw_zero_bond_option(curve, p, true, 2.0, 7.0, strike);
    const double put = hw_zero_bond_option(curve, p, false, 2.0, 7.0, strike);
    // Put-call parity: C - P = P(0,S) - K P(0,T).
    EXPECT_NEAR(call - put, curve.discount(7.0) - strike * curve.discount(2.0), 1e-15);
    EXPECT_GT(call, 0.0);
    EXPECT_GT(put, 0.0);
  }
  const HullWhiteParams no_vol{0.05, 0.0};
  EXPECT_EQ(hw_zero_bond_option(curve, no_vol, true, 2.0, 7.0, 0.5),
            curve.discount(7.0) - 0.5 * curve.discount(2.0));
  EXPECT_EQ(hw_zero_bond_option(curve, no_vol, false, 2.0, 7.0, 0.5), 0.0);
}

TEST(HullWhite, CapletFloorletParity) {
  const DiscountCurve curve = test::sample_curve();
  const HullWhiteParams p{0.03, 0.011};
  const double start = 3.0, end = 3.25, accrual = 0.25, strike = 0.04;
  const double cap = hw_caplet(curve, p, true, start, end, accrual, strike);
  const double floor = hw_caplet(curve, p, false, start, end, accrual, strike);
  // Caplet - floorlet = forward-rate agreement: P(0,T) - (1 + K delta) P(0,S).
  EXPECT_NEAR(cap - floor, curve.discount(start) - (1 + strike * accrual) * curve.discount(end),
              1e-16);
}

}  // namespace
}  // namespace ratesim
