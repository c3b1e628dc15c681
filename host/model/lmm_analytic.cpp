#include "ratesim/model/lmm_analytic.hpp"

#include <algorithm>
#include <cmath>

#include "ratesim/model/hull_white.hpp"

namespace ratesim {

double black_caplet(double forward, double strike, double displacement, double variance,
                    double accrual, double discount_to_payment) {
  const double f = forward + displacement, k = strike + displacement;
  if (!(variance > 0.0)) return accrual * discount_to_payment * std::max(f - k, 0.0);
  const double sd = std::sqrt(variance);
  const double d1 = (std::log(f / k) + 0.5 * variance) / sd;
  return accrual * discount_to_payment * (f * normal_cdf(d1) - k * normal_cdf(d1 - sd));
}

double lmm_caplet_variance(const LmmTables& tables, int i) {
  const double scale = tables.spec.scales.empty() ? 1.0 : tables.spec.scales[static_cast<std::size_t>(i)];
  const double fixing = tables.tenor[static_cast<std::size_t>(i)];
  return lmm_integrated_variance(tables.spec.volatility, scale, fixing, 0.0, fixing);
}

double rebonato_swaption(const LmmTables& t, const DiscountCurve& curve, int first, int last,
                         double strike, bool is_payer) {
  const double s = t.spec.displacement;
  const int m = t.spec.n_factors;
  const double expiry = t.tenor[static_cast<std::size_t>(first)];
  double annuity = 0.0;
  for (int i = first; i < last; ++i) annuity += t.accrual[static_cast<std::size_t>(i)] * curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]);
  const double swap_rate = (curve.discount(expiry) - curve.discount(t.tenor[static_cast<std::size_t>(last)])) / annuity;
  // Covariance of the loadings integrated to expiry: sum over steps of lambda_i . lambda_j dt.
  const LmmGridView g = t.view();
  double variance = 0.0;
  for (int i = first; i < last; ++i) {
    const double wi = t.accrual[static_cast<std::size_t>(i)] * curve.discount(t.tenor[static_cast<std::size_t>(i) + 1]) / annuity;
    for (int j = first; j < last; ++j) {
      const double wj = t.accrual[static_cast<std::size_t>(j)] * curve.discount(t.tenor[static_cast<std::size_t>(j) + 1]) / annuity;
      double covariance = 0.0;
      for (int k = 0; k < g.n_steps && g.times[k + 1] <= expiry + 1e-12; ++k) {
        const double* li = g.loadings + (static_cast<std::size_t>(k) * g.n_rates + i) * m;
        const double* lj = g.loadings + (static_cast<std::size_t>(k) * g.n_rates + j) * m;
        double dot = 0.0;
        for (int f = 0; f < m; ++f) dot += li[f] * lj[f];
        covariance += dot * (g.times[k + 1] - g.times[k]);
      }
      variance += wi * wj * (t.initial_forwards[static_cast<std::size_t>(i)] + s) *
                  (t.initial_forwards[static_cast<std::size_t>(j)] + s) * covariance;
    }
  }
  variance /= (swap_rate + s) * (swap_rate + s);
  const double payer = black_caplet(swap_rate, strike, s, variance, 1.0, annuity);
  // Put-call parity on the swap rate: receiver = payer - annuity (S - K).
  return is_payer ? payer : payer - annuity * (swap_rate - strike);
}

}  // namespace ratesim
