#pragma once
// Giles' LIBOR market model workload (DOMAIN.md §3; M. Giles' `libor` code): 80 quarterly
// forwards at 5.1%, all volatilities 20%, one factor, 40 time steps of 0.25, and a portfolio of
// 15 swaptions expiring at step 40 on swaps of 4, 8, 20, 28 and 40 periods struck at 4.5%, 5% and
// 5.5%; and Monte Carlo values of any swaption portfolio on either backend, in double or float.

#include <cstdint>
#include <vector>

#include "benchmarks/giles/swaption_portfolio.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

struct SwaptionPortfolioValues {
  std::vector<double> values;   ///< discounted value per path, paths in order
  double compute_seconds = 0.0; ///< the paths' arithmetic: device time (CUDA events) or wall clock
};

/// Paths [first_path, first_path + n_paths) of `seed`. `lmm` must end at the portfolio's expiry.
/// The CPU runs 8 (float) or 4 (double) paths at once in SIMD lanes, each path's value the same
/// whichever lanes and threads it ran in; the GPU one path per thread. Throws
/// std::invalid_argument for a portfolio the tables cannot value, std::runtime_error for a CUDA
/// backend this build or machine lacks.
SwaptionPortfolioValues lmm_swaption_portfolio_values(Backend backend, Precision precision,
                                                      const LmmTables& lmm, const SwaptionPortfolio& book,
                                                      std::uint64_t seed, std::int64_t first_path,
                                                      std::int64_t n_paths);

/// The workload's pieces.
inline constexpr int kGilesRates = 80, kGilesExpiry = 40;
inline constexpr double kGilesDelta = 0.25, kGilesForward = 0.051, kGilesVolatility = 0.2;
/// The flat curve on which every forward is 5.1%.
const DiscountCurve& giles_curve();
/// The model: 80 forwards, one factor, one step per period up to the expiry.
LmmTables giles_tables(LmmScheme scheme);
/// The 15 swaptions, notional 100.
const SwaptionPortfolio& giles_portfolio();
/// The portfolio's value by Rebonato's approximation (a check on the Monte Carlo).
double giles_portfolio_rebonato();

}  // namespace ratesim
