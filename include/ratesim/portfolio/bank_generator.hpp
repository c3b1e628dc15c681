#pragma once
// A synthetic but realistic bank balance sheet for examples, tests and benchmarks
// (product mix documented in docs/positions.md, "Synthetic banks").

#include <cstdint>
#include <string>

#include "ratesim/time/date.hpp"

namespace ratesim {

/// Positions CSV text for `positions` positions; the same (positions, seed, valuation date)
/// always gives the same bytes, on any platform. The behaviour names it uses are those of
/// scenarios/sample_bank/bank.yaml.
std::string generate_bank_csv(int positions, std::uint64_t seed, Date valuation_date);

}  // namespace ratesim
