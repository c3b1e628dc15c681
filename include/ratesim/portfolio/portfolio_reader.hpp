#pragma once
// Reads the positions CSV (docs/positions.md) into a validated Portfolio.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "ratesim/io/input_error.hpp"

#include "ratesim/time/date.hpp"

#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"

namespace ratesim {

/// Most problems listed before the reader stops looking (the count of the rest is reported).
inline constexpr int kMaxReportedIssues = 200;

/// The ranges every position must lie in (docs/positions.md): beyond them the arithmetic of a
/// risk engine overflows or means nothing.
inline constexpr double kMaxNotional = 1e15;      ///< |notional| in its currency: sums of 10^7 stay exact to cents' order
inline constexpr double kMaxAbsRate = 1.0;        ///< |rate|, |spread|, |strike|, cap and floor: 100% a year
inline constexpr int kMaxMaturityYears = 100;     ///< maturity at most this long after the valuation date

/// Throws InputError listing every bad cell (up to kMaxReportedIssues) with file, line, column
/// and rule. Behaviour names are resolved against `behaviours`; with a valuation date, maturities
/// beyond kMaxMaturityYears after it are refused (open-ended placeholders such as 9999-12-31).
/// The file is streamed (a row at a time); with `stop`, Ctrl-C ends the reading (RunInterrupted).
Portfolio read_positions_csv(const std::string& file, const BehaviourTable& behaviours,
                             std::optional<Date> valuation_date = std::nullopt,
                             const std::atomic<bool>* stop = nullptr);

/// The same, adding every problem to `issues` instead of throwing; returns the rows without
/// problems (so that the rest of the check can look at their currencies and segments). Throws
/// InputError only when the file cannot be opened.
Portfolio read_positions_csv(const std::string& file, const BehaviourTable& behaviours,
                             std::optional<Date> valuation_date, const std::atomic<bool>* stop,
                             std::vector<InputIssue>& issues);

}  // namespace ratesim
