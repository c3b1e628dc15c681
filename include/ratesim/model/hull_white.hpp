#pragma once
// Hull-White one-factor model in its shifted-OU form (DOMAIN.md §2):
//   r(t) = x(t) + phi(t),  dx = -a x dt + sigma dW,  x(0) = 0,
//   phi(t) = f(0,t) + sigma^2/2 * B(a,t)^2,  B(a,t) = (1 - e^{-a t}) / a.
// Every function is written so that a -> 0 goes to its limit smoothly (expm1 and series), never
// through 0/0. Times are model years (the run's day count from the valuation date).

#include <cmath>

#include "ratesim/core.hpp"
#include "ratesim/simd/real.hpp"

namespace ratesim {

struct HullWhiteParams {
  double mean_reversion = 0.0;  ///< a, per year; a = 0 is the Ho-Lee limit
  double volatility = 0.0;      ///< sigma, absolute (normal) short-rate volatility per sqrt(year)
};

/// B(a, tau) = (1 - e^{-a tau}) / a, with B(0, tau) = tau.
RATESIM_HD inline double hw_b(double a, double tau) {
  return a == 0.0 ? tau : -expm1(-a * tau) / a;
}

/// G(a, t) = (t - 2 B(a,t) + B(2a,t)) / a^2 = Var(int_0^t x ds) / sigma^2; G(0, t) = t^3 / 3.
/// For |a t| < 0.5 the closed form cancels catastrophically, so its Taylor series is used:
/// G = t^3 * sum_{n>=3} (-u)^{n-3} (2^{n-1} - 2) / n!,  u = a t.
RATESIM_HD inline double hw_integrated_variance_factor(double a, double t) {
  const double u = a * t;
  if (fabs(u) < 0.5) {
    double term = 1.0 / 6.0;  // (-u)^{n-3} / n! at n = 3
    double power_of_two = 4.0;  // 2^{n-1}
    double sum = 0.0;
    for (int n = 3; n < 30; ++n) {
      sum += term * (power_of_two - 2.0);
      term *= -u / (n + 1);
      power_of_two *= 2.0;
    }
    return t * t * t * sum;
  }
  return (t - 2.0 * hw_b(a, t) + hw_b(2.0 * a, t)) / (a * a);
}

/// Var x(t) = sigma^2 B(2a, t).
RATESIM_HD inline double hw_state_variance(const HullWhiteParams& p, double t) {
  return p.volatility * p.volatility * hw_b(2.0 * p.mean_reversion, t);
}

/// phi(t) - f(0,t) = sigma^2/2 B(a,t)^2: the convexity part of the short-rate shift.
RATESIM_HD inline double hw_shift_convexity(const HullWhiteParams& p, double t) {
  const double b = hw_b(p.mean_reversion, t);
  return 0.5 * p.volatility * p.volatility * b * b;
}

/// ln P(t, t+tau) given x(t), from ln P(0,t) and ln P(0,t+tau):
///   ln P = ln P(0,t+tau) - ln P(0,t) - B(a,tau) x - sigma^2/2 [B(a,t)^2 B(a,tau) + B(2a,t) B(a,tau)^2]
/// (the f(0,t) terms of the textbook A(t,T) cancel once r is written as x + phi).
RATESIM_HD inline double hw_log_bond_price(const HullWhiteParams& p, double log_p0_t,
                                           double log_p0_maturity, double t, double tau,
                                           double x) {
  const double a = p.mean_reversion, s2 = p.volatility * p.volatility;
  const double b_tau = hw_b(a, tau), b_t = hw_b(a, t);
  return log_p0_maturity - log_p0_t - b_tau * x -
         0.5 * s2 * (b_t * b_t * b_tau + hw_b(2.0 * a, t) * b_tau * b_tau);
}

/// Exact joint step of (x, I = int x ds) over dt: a bivariate Gaussian, lower Cholesky factor
///   x'  = decay x + l11 z1
///   I'  = I + b x + l21 z1 + l22 z2
/// with Var = sigma^2 B(2a,dt), Var_I = sigma^2 G(a,dt), Cov = sigma^2 B(a,dt)^2 / 2.
/// Depends on the grid only: tabulated once per step, never per path.
struct HullWhiteStep {
  double decay = 1.0;  ///< e^{-a dt}
  double b = 0.0;      ///< B(a, dt)
  double l11 = 0.0;
  double l21 = 0.0;
  double l22 = 0.0;
};

RATESIM_HD inline HullWhiteStep hw_make_step(const HullWhiteParams& p, double dt) {
  const double a = p.mean_reversion, s2 = p.volatility * p.volatility;
  HullWhiteStep step;
  step.decay = exp(-a * dt);
  step.b = hw_b(a, dt);
  const double var_x = s2 * hw_b(2.0 * a, dt);
  const double var_i = s2 * hw_integrated_variance_factor(a, dt);
  const double cov = 0.5 * s2 * step.b * step.b;
  if (var_x > 0.0) {
    step.l11 = sqrt(var_x);
    step.l21 = cov / step.l11;
    const double residual = var_i - step.l21 * step.l21;
    step.l22 = residual > 0.0 ? sqrt(residual) : 0.0;
  }
  return step;
}

struct HullWhiteState {
  double x = 0.0;         ///< x(t)
  double integral = 0.0;  ///< int_0^t x(s) ds
};

RATESIM_HD inline HullWhiteState hw_advance(const HullWhiteStep& s, HullWhiteState state,
                                            double z1, double z2) {
  return HullWhiteState{s.decay * state.x + s.l11 * z1,
                        state.integral + s.b * state.x + s.l21 * z1 + s.l22 * z2};
}

/// Standard normal cumulative distribution.
RATESIM_HD inline double normal_cdf(double z) { return 0.5 * erfc(-z * 0.70710678118654752440); }
/// normal_cdf by the name the templates below call: SIMD lanes of values have their own (the
/// horizon fit's, host/portfolio/horizon_series.cpp).
RATESIM_HD inline double normal_cdf_of(double z) { return normal_cdf(z); }

/// sigma_p of the zero-bond option on P(T, S) seen from t: sigma sqrt(B(2a, T - t)) B(a, S - T).
RATESIM_HD inline double hw_bond_option_vol(const HullWhiteParams& p, double t, double expiry,
                                            double bond_maturity) {
  return p.volatility * sqrt(hw_b(2.0 * p.mean_reversion, expiry - t)) *
         hw_b(p.mean_reversion, bond_maturity - expiry);
}

/// Zero-bond option at t on P(T, S) with strike K, given P(t,T) and P(t,S) (from today's curve,
/// or from a path's x(t)) and its sigma_p (hw_bond_option_vol), which depends on the dates alone:
/// a caller pricing the same option on many curves computes it once. call = P(t,S) N(h) - K P(t,T)
/// N(h - sp), put = K P(t,T) N(sp - h) - P(t,S) N(-h), h = ln(P(t,S) / (K P(t,T))) / sp + sp/2. At
/// zero volatility, the intrinsic value. Real is double, or SIMD lanes of curves (the horizon
/// fit's states) with scalar dates and strike.
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real hw_zero_bond_option_at_vol(double sp, bool is_call, Real p_t_expiry,
                                                                Real p_t_maturity, double strike) {
  const Real forward_value = p_t_maturity - strike * p_t_expiry;
  if (!(sp > 0.0)) {
    return is_call ? max_of(forward_value, Real(0.0)) : max_of(-forward_value, Real(0.0));
  }
  const Real h = log_of(p_t_maturity / (strike * p_t_expiry)) / sp + 0.5 * sp;
  return is_call ? p_t_maturity * normal_cdf_of(h) - strike * p_t_expiry * normal_cdf_of(h - sp)
                 : strike * p_t_expiry * normal_cdf_of(sp - h) - p_t_maturity * normal_cdf_of(-h);
}

RATESIM_HD inline double hw_zero_bond_option(const HullWhiteParams& p, bool is_call, double t,
                                             double expiry, double bond_maturity,
                                             double p_t_expiry, double p_t_maturity,
                                             double strike) {
  return hw_zero_bond_option_at_vol(hw_bond_option_vol(p, t, expiry, bond_maturity), is_call, p_t_expiry,
                                    p_t_maturity, strike);
}

/// Caplet (is_cap) or floorlet on the simple rate over [T, S] with accrual `accrual` and strike K,
/// per unit notional, paid at S: (1 + K delta) x zero-bond put (caplet) or call (floorlet) with
/// strike 1 / (1 + K delta). Real as hw_zero_bond_option_at_vol's.
template <class Real>
RATESIM_HD RATESIM_FORCE_INLINE Real hw_caplet_at_vol(double sp, bool is_cap, double accrual, Real p_t_start,
                                                      Real p_t_end, double strike) {
  const double scale = 1.0 + strike * accrual;
  return scale * hw_zero_bond_option_at_vol(sp, !is_cap, p_t_start, p_t_end, 1.0 / scale);
}

RATESIM_HD inline double hw_caplet(const HullWhiteParams& p, bool is_cap, double t, double start,
                                   double end, double accrual, double p_t_start, double p_t_end,
                                   double strike) {
  return hw_caplet_at_vol(hw_bond_option_vol(p, t, start, end), is_cap, accrual, p_t_start, p_t_end, strike);
}

}  // namespace ratesim
