#pragma once
// The simulation grid: t_0 = 0 (the valuation date) < t_1 < ... in model years.

#include <string>
#include <vector>

#include "ratesim/time/date.hpp"

namespace ratesim {

struct TimeGrid {
  std::vector<double> times;  ///< times[0] = 0
  std::vector<Date> dates;    ///< calendar dates of the times, or empty for a grid given in years

  int size() const { return static_cast<int>(times.size()); }
  bool has_dates() const { return !dates.empty(); }
};

/// valuation, valuation + step, ... up to valuation + horizon_months (end-of-month roll), each
/// date's time the day count's year fraction from the valuation date.
TimeGrid make_calendar_grid(Date valuation_date, DayCount day_count, int step_months,
                            int horizon_months);

/// A grid given in years; 0 is prepended. Times must increase strictly and be positive.
TimeGrid make_year_grid(const std::vector<double>& times);

}  // namespace ratesim
