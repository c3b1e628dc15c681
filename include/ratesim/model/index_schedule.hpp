#pragma once
// The schedules of the index rates the path table carries, seen from every grid date: for each
// index and grid date t_k, its payments' times and accruals. A model turns them into rates on a
// path (Hull-White through its bond-price coefficients, the LMM through its forward curve); the
// schedule itself belongs to no model.

#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/model/index_spec.hpp"
#include "ratesim/model/time_grid.hpp"

namespace ratesim {

/// Payment rows j of index i run over [payment_begin[i], payment_begin[i + 1]); element
/// [j * n_dates + k] belongs to payment j seen from grid date k.
struct IndexScheduleView {
  int n_indices = 0;
  int n_dates = 0;
  const int* payment_begin = nullptr;  ///< n_indices + 1 offsets into the payment rows
  const double* accrual = nullptr;     ///< year fraction in the index's day count
  const double* tau = nullptr;         ///< payment time - t_k, model years

  RATESIM_HD int row(int payment, int date) const { return payment * n_dates + date; }
};

struct IndexSchedule {
  std::vector<double> times;     ///< t_k, model years (the grid's)
  int n_indices = 0;
  std::vector<int> payment_begin;
  std::vector<double> accrual;
  std::vector<double> pay_time;  ///< model years from the valuation date
  std::vector<double> tau;       ///< pay_time - t_k

  int n_dates() const { return static_cast<int>(times.size()); }
  IndexScheduleView view() const;
};

/// Model years from the valuation date under `model_day_count`; schedules roll on calendar dates
/// when the grid has them (end-of-month convention of add_months), on tenor/12 years otherwise.
IndexSchedule build_index_schedule(const TimeGrid& grid, const std::vector<IndexSpec>& indices,
                                   Date valuation_date, DayCount model_day_count);

}  // namespace ratesim
