#pragma once
// Host-owned grid tables for Hull-White path generation (DESIGN.md invariant 4): everything that
// depends only on the grid is computed here once; kernels read the views.

#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/hull_white_paths.hpp"
#include "ratesim/model/index_schedule.hpp"
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

  /// The indices' schedules, and their bond-price coefficients per schedule element:
  /// P(t_k, T_j) = exp(index_log_a - index_b x(t_k)).
  IndexSchedule schedule;
  std::vector<double> index_log_a;
  std::vector<double> index_b;

  int n_indices() const { return schedule.n_indices; }
  HullWhiteGridView grid_view() const;
  HullWhiteIndexView index_view() const;
};

/// Model years from the valuation date under `model_day_count` index the curve and the grid;
/// index schedules roll on calendar dates when the grid has them, on tenor/12 years otherwise
/// (build_index_schedule).
HullWhiteTables build_hull_white_tables(const DiscountCurve& curve, const HullWhiteParams& params,
                                        const TimeGrid& grid,
                                        const std::vector<IndexSpec>& indices,
                                        Date valuation_date, DayCount model_day_count);

}  // namespace ratesim
