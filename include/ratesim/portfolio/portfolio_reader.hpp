#pragma once
// Reads the positions CSV (docs/positions.md) into a validated Portfolio.

#include <string>

#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim {

/// Most problems listed before the reader stops looking (the count of the rest is reported).
inline constexpr int kMaxReportedIssues = 200;

/// Throws InputError listing every bad cell (up to kMaxReportedIssues) with file, line, column
/// and rule. Behaviour names are resolved against `behaviours`.
Portfolio read_positions_csv(const std::string& file, const BehaviourTable& behaviours);

}  // namespace ratesim
