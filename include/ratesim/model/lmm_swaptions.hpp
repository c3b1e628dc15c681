#pragma once
// A portfolio of European receiver swaptions sharing one expiry, valued path by path in the LMM:
// the workload of Giles' LIBOR benchmark (DOMAIN.md §3), shared by the CPU and GPU backends.

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
/// tenor[expiry_rate]) and the swaps must end by the last tenor date. Arithmetic in `Real`.
template <class Real, class NormalSource>
RATESIM_HD Real lmm_swaption_portfolio_path(const BasicLmmGridView<Real>& g, const SwaptionPortfolioView& book,
                                           NormalSource& normals) {
  Real numeraire = 1, value = 0;
  int next_fixing = 0;
  simulate_lmm_path_with(g, normals, [&](int k, const Real* L) {
    // Rate j fixes at tenor[j]: its period's growth enters the account then.
    while (next_fixing < book.expiry_rate && g.times[k] >= g.tenor[next_fixing] - Real(1e-6)) {
      numeraire *= Real(1) + g.accrual[next_fixing] * L[next_fixing];
      ++next_fixing;
    }
    if (k != g.n_steps) return;
    Real bond = 1, annuity = 0;
    Real bonds[kMaxLmmRates + 1], annuities[kMaxLmmRates + 1];
    for (int i = book.expiry_rate; i < g.n_rates; ++i) {
      bond /= Real(1) + g.accrual[i] * L[i];
      annuity += g.accrual[i] * bond;
      bonds[i] = bond;
      annuities[i] = annuity;
    }
    for (int o = 0; o < book.n_swaptions; ++o) {
      const int last = book.expiry_rate + book.periods[o] - 1;
      const Real receiver = static_cast<Real>(book.strikes[o]) * annuities[last] + bonds[last] - Real(1);
      if (receiver > Real(0)) value += static_cast<Real>(book.notional) * receiver;
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
