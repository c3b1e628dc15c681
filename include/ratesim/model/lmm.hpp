#pragma once
// Displaced-diffusion LIBOR / forward market model under the spot-LIBOR measure (DOMAIN.md §3):
//   d ln(L_i + s) = (mu_i - |lambda_i|^2 / 2) dt + lambda_i . dW,
//   mu_i = lambda_i . sum_{j = eta(t)}^{i} delta_j (L_j + s) lambda_j / (1 + delta_j L_j),
// lambda_i the rate's factor loadings (abcd volatility times the reduced correlation's
// loadings), stepped in ln(L + s) with a predictor-corrector drift; a rate is frozen once its
// fixing date has passed. The grid tables come from host/model/lmm_tables.cpp.

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/random/philox.hpp"

namespace ratesim {

inline constexpr int kMaxLmmRates = 128;
inline constexpr int kMaxLmmFactors = 8;

/// The model on its grid, in the precision `Real` of the path arithmetic (double for the engine;
/// float for the single-precision variant of the Giles benchmark, docs/model.md).
template <class Real>
struct BasicLmmGridView {
  int n_rates = 0;     ///< N forwards: L_i accrues over [tenor[i], tenor[i+1]]
  int n_factors = 0;   ///< m
  int n_steps = 0;     ///< step k runs from times[k] to times[k + 1]
  Real displacement = 0;
  const Real* tenor = nullptr;             ///< N + 1 dates, model years
  const Real* accrual = nullptr;           ///< delta_i
  const Real* initial_forwards = nullptr;  ///< L_i(0)
  const Real* times = nullptr;             ///< n_steps + 1
  const int* first_alive = nullptr;        ///< [k]: first rate not fixed at times[k]
  /// [(k * N + i) * m + f]: loading of rate i on factor f over step k, per sqrt(year); the rate's
  /// volatility over the step is its root-mean-square abcd volatility, so total variances are exact.
  const Real* loadings = nullptr;
};
using LmmGridView = BasicLmmGridView<double>;

/// Blocks of normals per step: factor f of step k is element f % 2 of block
/// k * lmm_blocks_per_step(m) + f / 2 of the path's Philox subsequence.
RATESIM_HD inline int lmm_blocks_per_step(int n_factors) { return (n_factors + 1) / 2; }

/// Advances the forwards L (n_rates values, in place) over step k with normals z (n_factors).
template <class Real>
RATESIM_HD void lmm_step(const BasicLmmGridView<Real>& g, int k, const Real* z, Real* L) {
  using std::exp;
  using std::sqrt;
  const int n = g.n_rates, m = g.n_factors;
  const Real dt = g.times[k + 1] - g.times[k];
  const Real sqdt = sqrt(dt);
  const Real s = g.displacement;
  const Real* lambda = g.loadings + static_cast<std::size_t>(k) * n * m;
  Real v[kMaxLmmFactors];
  Real drift0[kMaxLmmRates], shock[kMaxLmmRates], predicted[kMaxLmmRates];
  for (int f = 0; f < m; ++f) v[f] = 0;
  const int eta = g.first_alive[k];
  // Predictor: the drift at the step's start.
  for (int i = eta; i < n; ++i) {
    const Real* li = lambda + i * m;
    const Real weight = g.accrual[i] * (L[i] + s) / (Real(1) + g.accrual[i] * L[i]);
    Real drift = 0, var = 0, dw = 0;
    for (int f = 0; f < m; ++f) {
      v[f] += weight * li[f];
      drift += li[f] * v[f];
      var += li[f] * li[f];
      dw += li[f] * z[f];
    }
    drift0[i] = drift;
    shock[i] = dw * sqdt - Real(0.5) * var * dt;
    predicted[i] = (L[i] + s) * exp(drift * dt + shock[i]) - s;
  }
  // Corrector: the average of the drifts at the start and at the predicted end.
  for (int f = 0; f < m; ++f) v[f] = 0;
  for (int i = eta; i < n; ++i) {
    const Real* li = lambda + i * m;
    const Real weight = g.accrual[i] * (predicted[i] + s) / (Real(1) + g.accrual[i] * predicted[i]);
    Real drift = 0;
    for (int f = 0; f < m; ++f) {
      v[f] += weight * li[f];
      drift += li[f] * v[f];
    }
    L[i] = (L[i] + s) * exp(Real(0.5) * (drift0[i] + drift) * dt + shock[i]) - s;
  }
}

/// Simulates one path from L(0), calling visit(k, L) at every grid time (k = 0 .. n_steps).
/// `normals.next_pair()` is called for the path's blocks in order (the CPU's Philox, or cuRAND's
/// device API on the GPU: the same stream, drawn in double whatever `Real` is).
template <class Real, class NormalSource, class Visit>
RATESIM_HD void simulate_lmm_path_with(const BasicLmmGridView<Real>& g, NormalSource& normals, Visit visit) {
  Real L[kMaxLmmRates];
  for (int i = 0; i < g.n_rates; ++i) L[i] = g.initial_forwards[i];
  visit(0, static_cast<const Real*>(L));
  const int blocks = lmm_blocks_per_step(g.n_factors);
  for (int k = 0; k < g.n_steps; ++k) {
    Real z[kMaxLmmFactors + 1];
    for (int b = 0; b < blocks; ++b) {
      const NormalPair pair = normals.next_pair();
      z[2 * b] = static_cast<Real>(pair.first);
      z[2 * b + 1] = static_cast<Real>(pair.second);
    }
    lmm_step(g, k, z, L);
    visit(k + 1, static_cast<const Real*>(L));
  }
}

template <class Real, class Visit>
RATESIM_HD void simulate_lmm_path(const BasicLmmGridView<Real>& g, std::uint64_t seed, std::uint64_t path,
                                  Visit visit) {
  PhiloxPathNormals normals{seed, path};
  simulate_lmm_path_with(g, normals, visit);
}

/// A path's discount curve at time t from its forwards: ln P(t, T_j) on the tenor dates from the
/// first not yet fixed (the stub at the running period's fixed rate, then the forwards),
/// log-linear in maturity in between and flat-forward beyond the last tenor date.
struct LmmForwardCurve {
  const LmmGridView* g;
  double t;
  int eta;                         ///< first tenor date after t
  double log_p[kMaxLmmRates + 1];  ///< ln P(t, T_j), j >= eta

  RATESIM_HD LmmForwardCurve(const LmmGridView& grid, double time, const double* L) : g(&grid), t(time) {
    eta = 0;
    while (eta < g->n_rates && g->tenor[eta] <= t + 1e-12) ++eta;
    log_p[eta] = -log1p((g->tenor[eta] - t) * L[eta > 0 ? eta - 1 : 0]);
    for (int j = eta; j < g->n_rates; ++j) log_p[j + 1] = log_p[j] - log1p(g->accrual[j] * L[j]);
  }

  RATESIM_HD double log_discount(double tau) const {
    const double u = t + tau;
    const int n = g->n_rates;
    if (u <= g->tenor[eta]) return log_p[eta] * tau / (g->tenor[eta] - t);
    if (u >= g->tenor[n]) {
      const double last = (log_p[n - 1] - log_p[n]) / (g->tenor[n] - g->tenor[n - 1]);
      return log_p[n] - last * (u - g->tenor[n]);
    }
    int j = eta;
    while (g->tenor[j + 1] < u) ++j;
    const double w = (u - g->tenor[j]) / (g->tenor[j + 1] - g->tenor[j]);
    return log_p[j] + w * (log_p[j + 1] - log_p[j]);
  }
};

}  // namespace ratesim
