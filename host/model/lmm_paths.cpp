#include "ratesim/model/lmm_paths.hpp"

#include <cmath>
#include <stdexcept>

namespace ratesim {
namespace {

// A path's discount curve at time t from its forwards: ln P(t, T_j) on the tenor dates from the
// first not yet fixed, and log-linear interpolation in maturity.
struct ForwardCurve {
  const LmmGridView& g;
  double t;
  int eta;                         // first tenor date after t
  double log_p[kMaxLmmRates + 1];  // ln P(t, T_j), j >= eta

  ForwardCurve(const LmmGridView& grid, double time, const double* L) : g(grid), t(time) {
    eta = 0;
    while (eta <= g.n_rates && g.tenor[eta] <= t + 1e-12) ++eta;
    if (eta == 0 || eta > g.n_rates) throw std::invalid_argument("LMM curve outside the tenor");
    // The running period accrues at its fixed rate to its end (the stub).
    log_p[eta] = -std::log1p((g.tenor[eta] - t) * L[eta - 1]);
    for (int j = eta; j < g.n_rates; ++j) log_p[j + 1] = log_p[j] - std::log1p(g.accrual[j] * L[j]);
  }

  double log_discount(double tau) const {
    const double u = t + tau;
    if (u <= g.tenor[eta]) return log_p[eta] * tau / (g.tenor[eta] - t);
    const int n = g.n_rates;
    if (u >= g.tenor[n]) {
      const double last = (log_p[n - 1] - log_p[n]) / (g.tenor[n] - g.tenor[n - 1]);
      return log_p[n] - last * (u - g.tenor[n]);
    }
    int j = eta;
    while (g.tenor[j + 1] < u) ++j;
    const double w = (u - g.tenor[j]) / (g.tenor[j + 1] - g.tenor[j]);
    return log_p[j] + w * (log_p[j + 1] - log_p[j]);
  }
};

}  // namespace

HostPathTable lmm_path_table(const LmmTables& lmm, const HullWhiteTables& schedule,
                             const std::vector<double>& horizon_nodes, std::uint64_t seed,
                             std::int64_t first_path, int n_paths,
                             std::vector<double>& horizon_storage) {
  const LmmGridView g = lmm.view();
  const int n_dates = static_cast<int>(schedule.times.size());
  if (g.n_steps + 1 < n_dates) throw std::invalid_argument("LMM grid shorter than the path table's");
  const IndexTableView idx = schedule.index_view();
  HostPathTable table;
  table.view = make_path_table_layout(n_paths, n_dates, idx.n_indices, PathLayout::kPathMajor);
  table.storage.assign(static_cast<std::size_t>(n_paths) * path_table_doubles_per_path(n_dates, idx.n_indices), 0.0);
  bind_path_table(table.view, table.storage.data());
  const int nodes = static_cast<int>(horizon_nodes.size());
  horizon_storage.assign(static_cast<std::size_t>(n_paths) * nodes, 0.0);
  table.view.n_curve_nodes = nodes;
  table.view.horizon_curve = horizon_storage.data();
  const PathTableView v = table.view;

#pragma omp parallel for schedule(dynamic, 16)
  for (int p = 0; p < n_paths; ++p) {
    simulate_lmm_path(g, seed, static_cast<std::uint64_t>(first_path + p), [&](int k, const double* L) {
      if (k >= n_dates) return;
      const ForwardCurve curve(g, g.times[k], L);
      // Numeraire: the spot-LIBOR account valued at t_k, B(T_eta) P(t_k, T_eta).
      double log_account = 0.0;
      for (int i = 0; i < curve.eta; ++i) log_account += std::log1p(g.accrual[i] * L[i]);
      v.discount_at(k, p) = std::exp(-(log_account + curve.log_p[curve.eta]));
      v.state_at(k, p) = curve.eta < g.n_rates ? L[curve.eta] : L[g.n_rates - 1];
      for (int i = 0; i < idx.n_indices; ++i) {
        double annuity = 0.0, last = 1.0;
        for (int j = idx.payment_begin[i]; j < idx.payment_begin[i + 1]; ++j) {
          const std::size_t row = static_cast<std::size_t>(j) * n_dates + k;
          last = std::exp(curve.log_discount(schedule.index_tau[row]));
          annuity += idx.accrual[row] * last;
        }
        v.index_rate_at(i, k, p) = (1.0 - last) / annuity;
      }
      if (k == n_dates - 1) {
        double* c = v.horizon_curve_of(p);
        for (int j = 0; j < nodes; ++j) c[j] = curve.log_discount(horizon_nodes[static_cast<std::size_t>(j)]);
      }
    });
  }
  return table;
}

}  // namespace ratesim
