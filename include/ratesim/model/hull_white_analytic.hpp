#pragma once
// Closed-form Hull-White prices seen from today (t = 0), for validation and for the deterministic
// valuation of embedded and standalone options. Times in model years.

#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/hull_white.hpp"

namespace ratesim {

/// P(t, T) given the state x(t).
double hw_discount_bond(const DiscountCurve& curve, const HullWhiteParams& p, double t, double T,
                        double x);

/// P(t, T) given the short rate r(t) = x(t) + phi(t).
double hw_discount_bond_given_short_rate(const DiscountCurve& curve, const HullWhiteParams& p,
                                         double t, double T, double r);

/// Today's price of a European option expiring at `expiry` on the zero bond maturing at
/// `bond_maturity`, strike per unit face.
double hw_zero_bond_option(const DiscountCurve& curve, const HullWhiteParams& p, bool is_call,
                           double expiry, double bond_maturity, double strike);

/// Today's caplet (is_cap) or floorlet on the simple rate over [start, end], per unit notional.
double hw_caplet(const DiscountCurve& curve, const HullWhiteParams& p, bool is_cap, double start,
                 double end, double accrual, double strike);

/// European swaption on a fixed-for-floating swap starting at the expiry, per unit notional.
/// The floating leg is worth par at the start (single-curve); the fixed leg pays strike x
/// accrual[i] at payment_times[i].
struct SwaptionTerms {
  double expiry = 0.0;
  std::vector<double> payment_times;
  std::vector<double> accruals;
  double strike = 0.0;
  bool payer = true;  ///< payer: right to pay fixed (a put on the coupon bond)
};

/// Jamshidian's decomposition: the exercise boundary x* solves sum c_i P(T0, T_i; x*) = 1 (to
/// machine precision), then the swaption is a portfolio of zero-bond options struck at
/// P(T0, T_i; x*).
double hw_jamshidian_swaption(const DiscountCurve& curve, const HullWhiteParams& p,
                              const SwaptionTerms& terms);

}  // namespace ratesim
