#pragma once
// A portfolio of European receiver swaptions sharing one expiry, valued path by path in the LMM:
// the workload of Giles' LIBOR benchmark (DOMAIN.md §3). One RATESIM_HD template for the CUDA
// kernel (one path per thread, Real = float or double) and the CPU (Real = Lanes of W paths).
// A benchmark product, not a bank position: it lives here, beside the benchmark, not in the
// engine's library.

#include <cstdint>
#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/model/lmm.hpp"

namespace ratesim {

inline constexpr int kMaxPortfolioSwaptions = 64;

/// Swaption o receives strike[o] on the swap over forwards [expiry_rate, expiry_rate +
/// periods[o]), exercised at tenor[expiry_rate]; each pays `notional` per unit of swap notional.
struct SwaptionPortfolioView {
  int expiry_rate = 0;
  int n_swaptions = 0;
  const int* periods = nullptr;
  const double* strikes = nullptr;
  double notional = 1.0;
};

/// The path's discounted portfolio value, payoff / B(T_expiry), B the spot-LIBOR account
/// prod_{j < expiry} (1 + delta_j L_j(T_j)). The grid must run to the expiry (n_steps steps up to
/// tenor[expiry_rate]) and the swaps must end by the last tenor date. draw(k, z) gives step k's
/// normals (lmm.hpp); arithmetic in the path type Real over grid values of type Scalar.
template <LmmScheme S, int M, class Real, class Scalar, class Draw>
RATESIM_HD Real swaption_portfolio_path(const BasicLmmGridView<Scalar>& g, const SwaptionPortfolioView& book,
                                        Draw draw) {
  Real numeraire = splat<Real>(Scalar(1)), value = splat<Real>(Scalar(0));
  int next_fixing = 0;
  simulate_lmm<S, M, Real>(g, draw, [&](int k, const Real* L) {
    // Rate j fixes at tenor[j]: its period's growth enters the account then.
    while (next_fixing < book.expiry_rate && g.times[k] >= g.tenor[next_fixing] - Scalar(1e-6)) {
      numeraire *= Scalar(1) + g.accrual[next_fixing] * L[next_fixing];
      ++next_fixing;
    }
    if (k != g.n_steps) return;
    Real bond = splat<Real>(Scalar(1)), annuity = splat<Real>(Scalar(0));
    Real bonds[kMaxLmmRates + 1], annuities[kMaxLmmRates + 1];
    for (int i = book.expiry_rate; i < g.n_rates; ++i) {
      bond /= Scalar(1) + g.accrual[i] * L[i];
      annuity += g.accrual[i] * bond;
      bonds[i] = bond;
      annuities[i] = annuity;
    }
    for (int o = 0; o < book.n_swaptions; ++o) {
      const int last = book.expiry_rate + book.periods[o] - 1;
      const Real receiver = static_cast<Scalar>(book.strikes[o]) * annuities[last] + bonds[last] - Scalar(1);
      value += static_cast<Scalar>(book.notional) * max_of(receiver, splat<Real>(Scalar(0)));
    }
  });
  return value / numeraire;
}

enum class Precision { kDouble, kFloat };

/// The host's copy of a swaption portfolio (the view points into it).
struct SwaptionPortfolio {
  int expiry_rate = 0;
  std::vector<int> periods;
  std::vector<double> strikes;
  double notional = 1.0;
  SwaptionPortfolioView view() const {
    return {expiry_rate, static_cast<int>(periods.size()), periods.data(), strikes.data(), notional};
  }
};

}  // namespace ratesim
