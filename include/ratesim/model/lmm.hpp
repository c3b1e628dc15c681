#pragma once
// Displaced-diffusion LIBOR / forward market model under the spot-LIBOR measure (DOMAIN.md §3):
//   d ln(L_i + s) = (mu_i - |lambda_i|^2 / 2) dt + lambda_i . dW,
//   mu_i = lambda_i . sum_{j = eta(t)}^{i} delta_j (L_j + s) lambda_j / (1 + delta_j L_j),
// lambda_i the rate's factor loadings (abcd volatility times the reduced correlation's
// loadings), stepped in ln(L + s) with the drift at the step's start (Euler, Giles' scheme) or
// the average of the drifts at the start and at the Euler-predicted end (predictor-corrector, the
// default); a rate is frozen once its fixing date has passed. The grid tables come from
// host/model/lmm_tables.cpp.
//
// The path code is written once for a path value type `Real`: double or float on the GPU (one
// path per thread) and in the CPU's scalar code, or Lanes<float|double, W> (simd/lanes.hpp) when
// the CPU runs W paths at once. Grid values are of the tables' precision `Scalar`.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "ratesim/core.hpp"
#include "ratesim/random/philox.hpp"
#include "ratesim/simd/real.hpp"

namespace ratesim {

inline constexpr int kMaxLmmRates = 128;
inline constexpr int kMaxLmmFactors = 8;

enum class LmmScheme : std::uint8_t {
  kPredictorCorrector,  ///< drift averaged over the start and the predicted end of the step
  kEuler,               ///< drift at the step's start (Giles' benchmark): one exp per rate and step
};

/// The model on its grid, in the precision `Real` of the path arithmetic (double for the engine;
/// float for the single-precision variant of the Giles benchmark, docs/model.md).
template <class Real>
struct BasicLmmGridView {
  int n_rates = 0;     ///< N forwards: L_i accrues over [tenor[i], tenor[i+1]]
  int n_factors = 0;   ///< m
  int n_steps = 0;     ///< step k runs from times[k] to times[k + 1]
  LmmScheme scheme = LmmScheme::kPredictorCorrector;
  Real displacement = 0;
  const Real* tenor = nullptr;             ///< N + 1 dates, model years
  const Real* accrual = nullptr;           ///< delta_i
  const Real* initial_forwards = nullptr;  ///< L_i(0)
  const Real* times = nullptr;             ///< n_steps + 1
  const Real* sqrt_dt = nullptr;           ///< [k]: sqrt(times[k + 1] - times[k])
  const int* first_alive = nullptr;        ///< [k]: first rate not fixed at times[k]
  /// [(k * N + i) * m + f]: loading of rate i on factor f over step k, per sqrt(year); the rate's
  /// volatility over the step is its root-mean-square abcd volatility, so total variances are exact.
  const Real* loadings = nullptr;
  /// [k * N + i]: |lambda_i|^2 dt / 2 over step k, the Ito term of ln(L_i + s).
  const Real* ito_correction = nullptr;
};
using LmmGridView = BasicLmmGridView<double>;

/// A path value with every lane set to x (for scalar Real, x itself).
template <class Real, class Scalar>
RATESIM_HD Real splat(Scalar x) {
  return Real(x);
}

/// Normal n = k * m + f of a path's stream drives factor f of step k: normals are taken in order
/// from the path's Philox blocks, two to a block (docs/reproducibility.md), so no draw is wasted
/// whatever the factor count.
template <class NormalSource>
struct FlatNormals {
  NormalSource* source;
  double pending = 0.0;
  bool has_pending = false;
  RATESIM_HD double next() {
    if (has_pending) {
      has_pending = false;
      return pending;
    }
    const NormalPair pair = source->next_pair();
    pending = pair.second;
    has_pending = true;
    return pair.first;
  }
};

/// Advances the forwards L (n_rates values, in place) over step k with normals z (n_factors), in
/// one pass over the rates: rate i's predictor needs the start-of-step forwards j <= i (summed in
/// v) and its corrector the predicted forwards j <= i (summed in v_end), so each rate is final once
/// visited and only L is kept. M > 0 fixes the factor count at compile time (M = 0: any count up
/// to kMaxLmmFactors, read from the grid).
template <LmmScheme S, int M, class Scalar, class Real>
RATESIM_HD void lmm_step(const BasicLmmGridView<Scalar>& g, int k, const Real* z, Real* L) {
  constexpr int kFactors = M > 0 ? M : kMaxLmmFactors;
  const int n = g.n_rates, m = M > 0 ? M : g.n_factors;
  const Scalar dt = g.times[k + 1] - g.times[k];
  const Scalar sqdt = g.sqrt_dt[k];
  const Scalar s = g.displacement;
  const Scalar* lambda = g.loadings + static_cast<std::size_t>(k) * n * m;
  const Scalar* ito = g.ito_correction + static_cast<std::size_t>(k) * n;
  Real v[kFactors], v_end[kFactors];
  for (int f = 0; f < m; ++f) v[f] = v_end[f] = splat<Real>(Scalar(0));
  for (int i = g.first_alive[k]; i < n; ++i) {
    const Scalar* li = lambda + i * m;
    const Scalar a = g.accrual[i];
    const Real weight = a * (L[i] + s) / (Scalar(1) + a * L[i]);
    Real drift = splat<Real>(Scalar(0)), dw = splat<Real>(Scalar(0));
    for (int f = 0; f < m; ++f) {
      v[f] += weight * li[f];
      drift += li[f] * v[f];
      dw += li[f] * z[f];
    }
    const Real shock = dw * sqdt - ito[i];
    if constexpr (S == LmmScheme::kEuler) {
      L[i] = (L[i] + s) * exp_of(drift * dt + shock) - s;
    } else {
      const Real predicted = (L[i] + s) * exp_of(drift * dt + shock) - s;
      const Real weight_end = a * (predicted + s) / (Scalar(1) + a * predicted);
      Real drift_end = splat<Real>(Scalar(0));
      for (int f = 0; f < m; ++f) {
        v_end[f] += weight_end * li[f];
        drift_end += li[f] * v_end[f];
      }
      L[i] = (L[i] + s) * exp_of(Scalar(0.5) * (drift + drift_end) * dt + shock) - s;
    }
  }
}

/// Simulates one path from L(0), calling draw(k, z) for step k's n_factors normals and
/// visit(k, L) at every grid time (k = 0 .. n_steps).
template <LmmScheme S, int M, class Real, class Scalar, class Draw, class Visit>
RATESIM_HD void simulate_lmm(const BasicLmmGridView<Scalar>& g, Draw draw, Visit visit) {
  Real L[kMaxLmmRates];
  for (int i = 0; i < g.n_rates; ++i) L[i] = splat<Real>(g.initial_forwards[i]);
  visit(0, static_cast<const Real*>(L));
  for (int k = 0; k < g.n_steps; ++k) {
    Real z[M > 0 ? M : kMaxLmmFactors];
    draw(k, z);
    lmm_step<S, M>(g, k, z, L);
    visit(k + 1, static_cast<const Real*>(L));
  }
}

/// Calls run(scheme, factors) with both as compile-time constants (std::integral_constant): 1, 2
/// and 3 factors are specialised, other counts run with factors = 0 (read from the grid).
template <class Scalar, class Run>
RATESIM_HD void with_lmm_specialisation(const BasicLmmGridView<Scalar>& g, Run run) {
  using PC = std::integral_constant<LmmScheme, LmmScheme::kPredictorCorrector>;
  using Euler = std::integral_constant<LmmScheme, LmmScheme::kEuler>;
  auto by_factors = [&](auto scheme) {
    switch (g.n_factors) {
      case 1: run(scheme, std::integral_constant<int, 1>{}); break;
      case 2: run(scheme, std::integral_constant<int, 2>{}); break;
      case 3: run(scheme, std::integral_constant<int, 3>{}); break;
      default: run(scheme, std::integral_constant<int, 0>{}); break;
    }
  };
  if (g.scheme == LmmScheme::kEuler) {
    by_factors(Euler{});
  } else {
    by_factors(PC{});
  }
}

/// One path in the precision `Real` of the grid, its normals from `normals.next_pair()` (the
/// CPU's Philox, or cuRAND's device API on the GPU: the same stream, drawn in double whatever
/// `Real` is), dispatched to the grid's scheme and factor count.
template <class Real, class NormalSource, class Visit>
RATESIM_HD void simulate_lmm_path_with(const BasicLmmGridView<Real>& g, NormalSource& normals, Visit visit) {
  with_lmm_specialisation(g, [&](auto scheme, auto factors) {
    FlatNormals<NormalSource> flat{&normals};
    const int m = g.n_factors;
    simulate_lmm<decltype(scheme)::value, decltype(factors)::value, Real>(
        g,
        [&](int, Real* z) {
          for (int f = 0; f < m; ++f) z[f] = static_cast<Real>(flat.next());
        },
        visit);
  });
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
