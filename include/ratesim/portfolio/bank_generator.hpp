#pragma once
// A synthetic but realistic bank balance sheet for examples, tests and benchmarks
// (product mix documented in docs/positions.md, "Synthetic banks").

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ratesim/time/date.hpp"

namespace ratesim {

/// Positions CSV text for `positions` positions; the same (positions, seed, valuation date)
/// always gives the same bytes, on any platform. The behaviour names it uses are those of
/// scenarios/sample_bank/bank.yaml.
std::string generate_bank_csv(int positions, std::uint64_t seed, Date valuation_date);

/// The same CSV handed to `write` piece by piece, never held whole (10^7 positions are 1.5 GB);
/// with `stop`, Ctrl-C ends it (RunInterrupted) within a few thousand positions.
void generate_bank_csv(int positions, std::uint64_t seed, Date valuation_date,
                       const std::function<void(std::string_view)>& write, const std::atomic<bool>* stop = nullptr);

}  // namespace ratesim
