#pragma once
// Reads a zero curve from CSV (format in docs/curve.md).

#include <string>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/time/date.hpp"

namespace ratesim {

enum class Compounding { kContinuous, kAnnual };

struct CurveInputSpec {
  std::string file;
  Compounding compounding = Compounding::kContinuous;  ///< for a zero_rate column
  Date valuation_date;
  DayCount day_count = DayCount::kAct365Fixed;  ///< turns date tenors into model years
};

/// The longest tenor any input may name (curve nodes, key rates, scenario shifts): positions mature
/// within 100 years, and a curve node beyond 200 years is a typing error.
inline constexpr double kMaxTenorYears = 200.0;
/// The largest zero rate, in absolute value, a curve may imply at any node (continuous, per year).
inline constexpr double kMaxAbsZeroRate = 1.0;

/// Tenor cell: years ("2.5"), a period ("3M", "10Y", "2W", "1D") or an ISO date. Returns model
/// years from the valuation date, or nothing if the cell is none of those; a period longer than
/// kMaxTenorYears is nothing too (its day arithmetic would overflow).
std::optional<double> parse_tenor(std::string_view text, Date valuation_date, DayCount day_count);

/// Reads the curve; throws InputError listing every bad cell (file, line, column, rule).
DiscountCurve read_curve_csv(const CurveInputSpec& spec);

}  // namespace ratesim
