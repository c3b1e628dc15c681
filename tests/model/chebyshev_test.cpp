// Chebyshev series of a function of the Hull-White state (model/chebyshev.hpp): exact on
// polynomials, and on the functions a horizon value is made of (sums of exp(ln A - B x) over a
// position's remaining flows) the measured error, reported, stays under the fit's own estimate.

#include "ratesim/model/chebyshev.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "ratesim/model/hull_white.hpp"

namespace ratesim {
namespace {

TEST(Chebyshev, InterpolatesPolynomialsExactly) {
  auto cubic = [](double x) { return 1.0 - 2.0 * x + 0.5 * x * x * x; };
  const std::vector<double> c = chebyshev_fit(cubic, 6, -3.0, 2.0);
  for (double x = -3.0; x <= 2.0; x += 0.01) {
    EXPECT_NEAR(chebyshev_value(c.data(), 6, -3.0, 2.0, x), cubic(x), 1e-13) << x;
  }
  EXPECT_LT(chebyshev_error_estimate(c), 1e-13);
}

struct HorizonCase {
  const char* name;
  double a, sigma, horizon, last_flow_years, step_years;
};

// u(x) = sum_k exp(-r T_k) exp(-B(T_k - H) x) for flows every step from the horizon to the last:
// the horizon value per unit of a level-payment position (the A(H, T) factors folded into the
// weights, a flat 4% curve), as a function of x(H) over +-8 standard deviations of the state.
TEST(Chebyshev, HorizonValuesOfAPositionAreSeriesOfFewTerms) {
  const std::vector<HorizonCase> cases{
      {"30y monthly mortgage, H = 1y", 0.03, 0.009, 1.0, 30.0, 1.0 / 12.0},
      {"10y annual bond, H = 1y", 0.03, 0.009, 1.0, 10.0, 1.0},
      {"100y flows, low mean reversion, high volatility, H = 5y", 0.01, 0.02, 5.0, 100.0, 0.5},
  };
  for (const HorizonCase& h : cases) {
    const double sd = std::sqrt(hw_state_variance(HullWhiteParams{h.a, h.sigma}, h.horizon));
    const double lo = -8.0 * sd, hi = 8.0 * sd;
    auto u = [&](double x) {
      double sum = 0.0;
      for (double t = h.horizon + h.step_years; t <= h.last_flow_years + 1e-9; t += h.step_years) {
        sum += std::exp(-0.04 * t) * std::exp(-hw_b(h.a, t - h.horizon) * x);
      }
      return sum;
    };
    // ln u is nearly affine in x (u is a positive sum of exponentials of x): its series converges
    // far faster than u's, and an absolute error e in ln u is a relative error e in u. Where the
    // exponents span tens (long flows, high volatility) one series of 16 is not enough: the fit
    // doubles its pieces until each piece's estimate is below the tolerance.
    auto log_u = [&](double x) { return std::log(u(x)); };
    const PiecewiseChebyshev fit = fit_piecewise_chebyshev(log_u, 16, lo, hi, 1e-12);
    double worst = 0.0;
    for (int j = 0; j <= 4000; ++j) {
      const double x = lo + (hi - lo) * j / 4000.0;
      const double value = std::exp(piecewise_chebyshev_value(fit.coefficients.data(), fit.n, fit.pieces, lo, hi, x));
      worst = std::max(worst, std::fabs(value / u(x) - 1.0));
    }
    std::printf("%-55s %2d piece(s) of 16: worst relative error %.2e, estimate %.2e\n", h.name, fit.pieces, worst,
                fit.error_estimate);
    EXPECT_LE(fit.error_estimate, 1e-12) << h.name;
    // Measured against the estimate, above the rounding of the evaluation: Clenshaw's 16 steps
    // and exp of an ln u of order 10 leave about 16 * 10 * 2^-52 = 4e-14, bounded here by 1e-13
    // (the horizon EVE's target is 1e-10).
    EXPECT_LE(worst, std::max(fit.error_estimate, 1e-13)) << h.name;
  }
}

}  // namespace
}  // namespace ratesim
