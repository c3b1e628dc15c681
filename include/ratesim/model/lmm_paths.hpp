#pragma once
// The LMM filling the path table (model/path_table.hpp) the revaluation kernels read, as
// Hull-White does: index rates, D(0, t_k) and the horizon curve, from each path's forwards.

#include <cstdint>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/model/index_schedule.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

/// One path of the LMM into column `local_path` of `out`: the shared fill of both backends.
/// Grid date k is LMM step k; index schedules (accruals, payment times) come from `indices`; the
/// horizon curve (last date) is written on `horizon_tau`.
template <class NormalSource>
RATESIM_HD void lmm_fill_path(const LmmGridView& g, const IndexScheduleView& indices,
                              const double* horizon_tau, NormalSource& normals,
                              const PathTableView& out, int local_path) {
  const int n_dates = out.n_dates;
  simulate_lmm_path_with(g, normals, [&](int k, const double* L) {
    if (k >= n_dates) return;
    const LmmForwardCurve curve(g, g.times[k], L);
    // The spot-LIBOR account valued at t_k: B(T_eta) P(t_k, T_eta).
    double log_account = 0.0;
    for (int i = 0; i < curve.eta; ++i) log_account += log1p(g.accrual[i] * L[i]);
    out.discount_at(k, local_path) = exp(-(log_account + curve.log_p[curve.eta]));
    // The state: the rate of the accrual period running at t_k, fixed at its start (at a tenor
    // date T_j, the spot LIBOR L_j(T_j) just fixed).
    out.state_at(k, local_path) = L[curve.eta > 0 ? curve.eta - 1 : 0];
    for (int i = 0; i < indices.n_indices; ++i) {
      double annuity = 0.0, last = 1.0;
      for (int j = indices.payment_begin[i]; j < indices.payment_begin[i + 1]; ++j) {
        const int row = indices.row(j, k);
        last = exp(curve.log_discount(indices.tau[row]));
        annuity += indices.accrual[row] * last;
      }
      out.index_rate_at(i, k, local_path) = (1.0 - last) / annuity;
    }
    if (k == n_dates - 1) {
      double* c = out.horizon_curve_of(local_path);
      for (int j = 0; j < out.n_curve_nodes; ++j) c[j] = curve.log_discount(horizon_tau[j]);
    }
  });
}

/// Fills a path-major table of n_paths paths, paths [first_path, first_path + n_paths) of the
/// seed, on a monthly grid: grid date k is LMM step k (k/12 years; `lmm` built with monthly
/// steps). `schedule` supplies the indices' payment times and accruals per grid date. Each
/// path's curve at t_k: the stub to the
/// next tenor date at the fixed rate of the running period, then the forwards, log-linear in
/// between, flat-forward beyond the last tenor. D(0, t_k) is the inverse of the spot-LIBOR
/// numeraire valued at t_k. The horizon curve (last date) is written on `horizon_nodes`.
HostPathTable lmm_path_table(Backend backend, const LmmTables& lmm, const IndexSchedule& schedule,
                             const std::vector<double>& horizon_nodes, std::uint64_t seed,
                             std::int64_t first_path, int n_paths,
                             std::vector<double>& horizon_storage);

}  // namespace ratesim
