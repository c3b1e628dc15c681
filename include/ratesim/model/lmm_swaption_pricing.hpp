#pragma once
// Monte Carlo values of an LMM swaption portfolio on either backend, in double or float.

#include <cstdint>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/model/lmm_swaptions.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

struct SwaptionPortfolioValues {
  std::vector<double> values;   ///< discounted value per path, paths in order
  double compute_seconds = 0.0; ///< the paths' arithmetic: device time (CUDA events) or wall clock
};

/// Paths [first_path, first_path + n_paths) of `seed`. `lmm` must end at the portfolio's expiry.
/// Throws std::invalid_argument for a portfolio the tables cannot value, std::runtime_error for a
/// CUDA backend this build or machine lacks.
SwaptionPortfolioValues lmm_swaption_portfolio_values(Backend backend, Precision precision,
                                                      const LmmTables& lmm, const SwaptionPortfolio& book,
                                                      std::uint64_t seed, std::int64_t first_path,
                                                      std::int64_t n_paths);

}  // namespace ratesim
