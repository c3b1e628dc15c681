#pragma once
// Host-owned grid tables for Hull-White path generation (DESIGN.md invariant 4): everything that
// depends only on the grid is computed here once; kernels read the views.

#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/hull_white_paths.hpp"
#include "ratesim/model/index_spec.hpp"
#include "ratesim/model/time_grid.hpp"

namespace ratesim {

struct HullWhiteTables {
  HullWhiteParams params;
  std::vector<double> times;
  std::vector<HullWhiteStep> steps;
  std::vector<double> log_discount_drift;
  std::vector<double> short_rate_shift;
  std::vector<double> curve_discount;  ///< P(0, t_k), for reports and checks

  std::vector<int> payment_begin;
  std::vector<double> index_log_a;
  std::vector<double> index_b;
  std::vector<double> index_accrual;
  std::vector<double> index_tau;  ///< [payment * n_dates + date]: payment time - t_k, years
  int n_indices = 0;

  HullWhiteGridView grid_view() const;
  IndexTableView index_view() const;
};

/// Model years from the valuation date under `model_day_count` index the curve and the grid;
/// index schedules roll on calendar dates when the grid has them, on tenor/12 years otherwise.
HullWhiteTables build_hull_white_tables(const DiscountCurve& curve, const HullWhiteParams& params,
                                        const TimeGrid& grid,
                                        const std::vector<IndexSpec>& indices,
                                        Date valuation_date, DayCount model_day_count);

}  // namespace ratesim
