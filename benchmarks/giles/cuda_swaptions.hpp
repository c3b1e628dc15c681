#pragma once
// The LMM swaption portfolio on the GPU; plain C++ interface.

#include <cstdint>
#include <vector>

#include "benchmarks/giles/swaption_portfolio.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim::cuda {

/// One thread per path runs the shared swaption_portfolio_path() with cuRAND's Philox normals
/// (the CPU's stream), in float or double, specialised to the grid's scheme and factor count;
/// fills `values` (one per path) and returns the kernel's device seconds.
double lmm_swaption_portfolio_values(const LmmTables& lmm, const SwaptionPortfolio& book, bool single_precision,
                                     std::uint64_t seed, std::int64_t first_path, std::vector<double>& values);

}  // namespace ratesim::cuda
