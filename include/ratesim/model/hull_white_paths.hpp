#pragma once
// Hull-White path generation, shared by the CPU loop and the CUDA kernel.

#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/model/index_schedule.hpp"
#include "ratesim/model/path_table.hpp"
#include "ratesim/random/philox.hpp"

namespace ratesim {

/// Grid tables, computed once on the host (host/model/hull_white_tables.cpp), read by every path.
struct HullWhiteGridView {
  int n_dates = 0;                              ///< t_0 = 0 < t_1 < ... < t_{n-1}
  const double* times = nullptr;                ///< t_k, model years
  const HullWhiteStep* steps = nullptr;         ///< n_dates - 1 steps, k: t_k -> t_{k+1}
  const double* log_discount_drift = nullptr;   ///< ln P(0,t_k) - sigma^2/2 G(a, t_k)
  const double* short_rate_shift = nullptr;     ///< phi(t_k)
};

/// Index rates as par rates of bond strips seen from each grid date:
///   rate = (1 - P(t_k, T_last)) / sum_j accrual_j P(t_k, T_j),
/// so a simple (money-market) rate is the one-payment case (1/P - 1)/accrual and a par swap rate
/// the many-payment case. Under Hull-White P(t_k, T_j) = exp(log_a - b x(t_k)); log_a and b are
/// tabulated per schedule element (payment, date) so calendar schedules and day counts cost
/// nothing per path.
struct HullWhiteIndexView {
  IndexScheduleView schedule;
  const double* log_a = nullptr;  ///< [payment * n_dates + date]
  const double* b = nullptr;      ///< [payment * n_dates + date]
};

RATESIM_HD inline double index_rate(const HullWhiteIndexView& t, int index, int date, double x) {
  double annuity = 0.0, last_bond = 1.0;
  for (int j = t.schedule.payment_begin[index]; j < t.schedule.payment_begin[index + 1]; ++j) {
    const int row = t.schedule.row(j, date);
    last_bond = exp(t.log_a[row] - t.b[row] * x);
    annuity += t.schedule.accrual[row] * last_bond;
  }
  return (1.0 - last_bond) / annuity;
}

/// Fills column `local_path` of `out` for one path. `normals.next_pair()` is called once per step,
/// in step order; its first normal drives x, the second the part of int x ds independent of x.
template <class NormalSource>
RATESIM_HD void generate_hull_white_path(const HullWhiteGridView& grid,
                                         const HullWhiteIndexView& indices, NormalSource& normals,
                                         const PathTableView& out, int local_path) {
  HullWhiteState state;
  for (int k = 0; k < grid.n_dates; ++k) {
    if (k > 0) {
      const NormalPair z = normals.next_pair();
      state = hw_advance(grid.steps[k - 1], state, z.first, z.second);
    }
    out.state_at(k, local_path) = state.x;
    out.discount_at(k, local_path) = exp(grid.log_discount_drift[k] - state.integral);
    for (int i = 0; i < indices.schedule.n_indices; ++i) {
      out.index_rate_at(i, k, local_path) = index_rate(indices, i, k, state.x);
    }
  }
}

}  // namespace ratesim
