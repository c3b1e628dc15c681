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

/// Tenor cell: years ("2.5"), a period ("3M", "10Y", "2W", "1D") or an ISO date. Returns model
/// years from the valuation date, or nothing if the cell is none of those.
std::optional<double> parse_tenor(std::string_view text, Date valuation_date, DayCount day_count);

/// Reads the curve; throws InputError listing every bad cell (file, line, column, rule).
DiscountCurve read_curve_csv(const CurveInputSpec& spec);

}  // namespace ratesim
