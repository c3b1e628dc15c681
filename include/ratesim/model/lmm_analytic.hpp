#pragma once
// Closed forms the LMM is checked against: Black's formula for caplets on the displaced forwards
// and Rebonato's approximation for swaptions (docs/model.md).

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

/// Black's formula for a (displaced) caplet on L_i: delta P(0,T_{i+1}) [F N(d1) - K N(d2)],
/// F = L_i(0) + s, K = strike + s, total variance v = int_0^{T_i} sigma_i(t)^2 dt.
double black_caplet(double forward, double strike, double displacement, double variance,
                    double accrual, double discount_to_payment);

/// int_0^{T_i} sigma_i(t)^2 dt for rate i of the tables.
double lmm_caplet_variance(const LmmTables& tables, int i);

/// Rebonato's approximation of a European swaption on the swap over forwards [first, last)
/// expiring at tenor[first]: Black on the forward swap rate with
///   sigma^2 T = sum_ij w_i w_j (F_i + s)(F_j + s) rho_ij int_0^T sigma_i sigma_j dt / (S + s)^2,
/// the weights w_i = delta P(0, T_{i+1}) / annuity frozen at today's values (displaced form).
/// Returns the price per unit notional of a receiver (is_payer false) or payer swaption.
double rebonato_swaption(const LmmTables& tables, const DiscountCurve& curve, int first, int last,
                         double strike, bool is_payer);

}  // namespace ratesim
