#include "ratesim/model/hull_white_tables.hpp"

namespace ratesim {

HullWhiteGridView HullWhiteTables::grid_view() const {
  return HullWhiteGridView{static_cast<int>(times.size()), times.data(), steps.data(),
                           log_discount_drift.data(), short_rate_shift.data()};
}

HullWhiteIndexView HullWhiteTables::index_view() const {
  return HullWhiteIndexView{schedule.view(), index_log_a.data(), index_b.data()};
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

  t.schedule = build_index_schedule(grid, indices, valuation_date, model_day_count);
  for (std::size_t row = 0; row < t.schedule.tau.size(); ++row) {
    const double tk = grid.times[row % static_cast<std::size_t>(n_dates)];
    const double tau = t.schedule.tau[row];
    t.index_log_a.push_back(hw_log_bond_price(params, curve.log_discount(tk),
                                              curve.log_discount(t.schedule.pay_time[row]), tk, tau, 0.0));
    t.index_b.push_back(hw_b(params.mean_reversion, tau));
  }
  return t;
}

}  // namespace ratesim
