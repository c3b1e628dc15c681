#include "ratesim/model/hull_white_tables.hpp"

namespace ratesim {

HullWhiteGridView HullWhiteTables::grid_view() const {
  return HullWhiteGridView{static_cast<int>(times.size()), times.data(), steps.data(),
                           log_discount_drift.data(), short_rate_shift.data()};
}

IndexTableView HullWhiteTables::index_view() const {
  return IndexTableView{n_indices,          static_cast<int>(times.size()), payment_begin.data(),
                        index_log_a.data(), index_b.data(),                 index_accrual.data(),
                        index_tau.data()};
}

HullWhiteTables build_hull_white_tables(const DiscountCurve& curve, const HullWhiteParams& params,
                                        const TimeGrid& grid,
                                        const std::vector<IndexSpec>& indices,
                                        Date valuation_date, DayCount model_day_count) {
  HullWhiteTables t;
  t.params = params;
  t.times = grid.times;
  const int n_dates = grid.size();
  const double s2 = params.volatility * params.volatility;
  for (int k = 0; k < n_dates; ++k) {
    const double tk = grid.times[static_cast<std::size_t>(k)];
    // E[exp(-int x)] = exp(sigma^2/2 G(a,t)) is divided out so that E[D(0,t)] = P(0,t) exactly.
    t.log_discount_drift.push_back(curve.log_discount(tk) -
                                   0.5 * s2 * hw_integrated_variance_factor(params.mean_reversion, tk));
    t.short_rate_shift.push_back(curve.forward(tk) + hw_shift_convexity(params, tk));
    t.curve_discount.push_back(curve.discount(tk));
    if (k > 0) {
      t.steps.push_back(hw_make_step(params, tk - grid.times[static_cast<std::size_t>(k - 1)]));
    }
  }

  t.n_indices = static_cast<int>(indices.size());
  t.payment_begin.push_back(0);
  for (const IndexSpec& index : indices) {
    const int period = index.kind == IndexKind::kSimple ? index.tenor_months
                                                        : index.fixed_frequency_months;
    const int n_payments = index.tenor_months / period;
    for (int j = 1; j <= n_payments; ++j) {
      for (int k = 0; k < n_dates; ++k) {
        const double tk = grid.times[static_cast<std::size_t>(k)];
        double pay_time, accrual;
        if (grid.has_dates()) {
          const Date fixing = grid.dates[static_cast<std::size_t>(k)];
          const Date start = add_months(fixing, (j - 1) * period);
          const Date end = add_months(fixing, j * period);
          pay_time = year_fraction(model_day_count, valuation_date, end);
          accrual = year_fraction(index.day_count, start, end);
        } else {
          pay_time = tk + j * period / 12.0;
          accrual = period / 12.0;
        }
        const double tau = pay_time - tk;
        t.index_log_a.push_back(hw_log_bond_price(params, curve.log_discount(tk),
                                                  curve.log_discount(pay_time), tk, tau, 0.0));
        t.index_b.push_back(hw_b(params.mean_reversion, tau));
        t.index_accrual.push_back(accrual);
        t.index_tau.push_back(tau);
      }
    }
    t.payment_begin.push_back(t.payment_begin.back() + n_payments);
  }
  return t;
}

}  // namespace ratesim
