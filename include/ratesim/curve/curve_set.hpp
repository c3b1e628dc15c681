#pragma once
// Many curves in flat arrays: one per (scenario, currency), for batched valuation on either backend.

#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/curve/discount_curve.hpp"

namespace ratesim {

struct CurveSetView {
  int n_scenarios = 0;
  int n_currencies = 0;
  /// Scenarios before it are held, not valued: scenario 0 is always the base, whose curves
  /// stand in for past fixings, also when a batch values only later scenarios.
  int first_valued = 0;
  const int* offset = nullptr;  ///< n_scenarios * n_currencies + 1 offsets into the node arrays
  const double* times = nullptr;
  const double* log_discount = nullptr;

  RATESIM_HD CurveView curve(int scenario, int currency) const {
    const int at = scenario * n_currencies + currency;
    return CurveView{times + offset[at], log_discount + offset[at], offset[at + 1] - offset[at]};
  }
  RATESIM_HD int n_valued() const { return n_scenarios - first_valued; }
};

struct CurveSet {
  int n_scenarios = 0;
  int n_currencies = 0;
  int first_valued = 0;  ///< as CurveSetView::first_valued
  std::vector<int> offset{0};
  std::vector<double> times, log_discount;

  /// Appends the curves of one scenario, one per currency in portfolio order.
  void add_scenario(const std::vector<DiscountCurve>& by_currency) {
    n_currencies = static_cast<int>(by_currency.size());
    for (const DiscountCurve& c : by_currency) {
      times.insert(times.end(), c.times().begin(), c.times().end());
      log_discount.insert(log_discount.end(), c.log_discounts().begin(), c.log_discounts().end());
      offset.push_back(static_cast<int>(times.size()));
    }
    ++n_scenarios;
  }
  CurveSetView view() const {
    return CurveSetView{n_scenarios, n_currencies, first_valued, offset.data(), times.data(), log_discount.data()};
  }
};

}  // namespace ratesim
