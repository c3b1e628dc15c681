#pragma once
// The LMM's input files: caplet quotes to calibrate to and a user correlation matrix.

#include <string>
#include <vector>

#include "ratesim/model/lmm_calibration.hpp"

namespace ratesim {

/// Reads quotes from CSV: columns `expiry_years` (the fixing time, a multiple of the accrual) and
/// `black_volatility`. Throws InputError naming file, line, column and rule.
std::vector<CapletQuote> read_caplet_quotes(const std::string& file, int accrual_months, int n_rates);

/// Reads a user correlation matrix for n_rates forwards of `accrual_months` months. The header
/// names the forwards by fixing time in years (0, accrual, 2 accrual, ...); then n_rates rows of
/// n_rates numbers. Rules: entries in [-1, 1], unit diagonal, symmetric to 1e-10, positive
/// semidefinite (smallest eigenvalue >= -1e-8). Throws InputError naming file, line, column and rule.
std::vector<std::vector<double>> read_correlation_matrix(const std::string& file, int accrual_months,
                                                         int n_rates);

}  // namespace ratesim
