#include "ratesim/model/hull_white_analytic.hpp"

#include <cmath>
#include <stdexcept>

namespace ratesim {

double hw_discount_bond(const DiscountCurve& curve, const HullWhiteParams& p, double t, double T,
                        double x) {
  return std::exp(
      hw_log_bond_price(p, curve.log_discount(t), curve.log_discount(T), t, T - t, x));
}

double hw_discount_bond_given_short_rate(const DiscountCurve& curve, const HullWhiteParams& p,
                                         double t, double T, double r) {
  const double phi = curve.forward(t) + hw_shift_convexity(p, t);
  return hw_discount_bond(curve, p, t, T, r - phi);
}

double hw_zero_bond_option(const DiscountCurve& curve, const HullWhiteParams& p, bool is_call,
                           double expiry, double bond_maturity, double strike) {
  return ratesim::hw_zero_bond_option(p, is_call, 0.0, expiry, bond_maturity,
                                      curve.discount(expiry), curve.discount(bond_maturity),
                                      strike);
}

double hw_caplet(const DiscountCurve& curve, const HullWhiteParams& p, bool is_cap, double start,
                 double end, double accrual, double strike) {
  return ratesim::hw_caplet(p, is_cap, 0.0, start, end, accrual, curve.discount(start),
                            curve.discount(end), strike);
}

double hw_jamshidian_swaption(const DiscountCurve& curve, const HullWhiteParams& p,
                              const SwaptionTerms& terms) {
  const std::size_t n = terms.payment_times.size();
  if (n == 0 || terms.accruals.size() != n || !(terms.payment_times.front() > terms.expiry)) {
    throw std::invalid_argument("swaption: need payments after the expiry, one accrual each");
  }
  std::vector<double> coupons(n);
  for (std::size_t i = 0; i < n; ++i) coupons[i] = terms.strike * terms.accruals[i];
  coupons.back() += 1.0;

  const double t0 = terms.expiry;
  // Coupon-bond value at T0 minus par as a function of x(T0): strictly decreasing in x when
  // the coupons are positive, so bracket it and bisect, then polish with Newton.
  auto excess = [&](double x, double* derivative) {
    double value = -1.0, slope = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double tau = terms.payment_times[i] - t0;
      const double bond = hw_discount_bond(curve, p, t0, terms.payment_times[i], x);
      value += coupons[i] * bond;
      slope -= coupons[i] * bond * hw_b(p.mean_reversion, tau);
    }
    if (derivative) *derivative = slope;
    return value;
  };
  double lo = -0.05, hi = 0.05;
  for (int i = 0; i < 200 && excess(lo, nullptr) < 0.0; ++i) lo *= 2.0;
  for (int i = 0; i < 200 && excess(hi, nullptr) > 0.0; ++i) hi *= 2.0;
  if (excess(lo, nullptr) < 0.0 || excess(hi, nullptr) > 0.0) {
    throw std::runtime_error("swaption: no exercise boundary (non-positive coupons?)");
  }
  for (int i = 0; i < 200 && hi - lo > 1e-15 * (1.0 + std::fabs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (excess(mid, nullptr) > 0.0 ? lo : hi) = mid;
  }
  double x_star = 0.5 * (lo + hi);
  for (int i = 0; i < 3; ++i) {
    double slope = 0.0;
    const double f = excess(x_star, &slope);
    if (slope == 0.0) break;
    const double next = x_star - f / slope;
    if (!(next >= lo - 1e-12 && next <= hi + 1e-12)) break;
    x_star = next;
  }

  double value = 0.0;
  const double p_t0 = curve.discount(t0);
  for (std::size_t i = 0; i < n; ++i) {
    const double ti = terms.payment_times[i];
    const double strike_i = hw_discount_bond(curve, p, t0, ti, x_star);
    value += coupons[i] * ratesim::hw_zero_bond_option(p, !terms.payer, 0.0, t0, ti, p_t0,
                                                       curve.discount(ti), strike_i);
  }
  return value;
}

}  // namespace ratesim
