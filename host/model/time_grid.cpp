#include "ratesim/model/time_grid.hpp"

#include <stdexcept>

namespace ratesim {

TimeGrid make_calendar_grid(Date valuation_date, DayCount day_count, int step_months,
                            int horizon_months) {
  if (step_months <= 0 || horizon_months < step_months) {
    throw std::invalid_argument("calendar grid: need 0 < step_months <= horizon_months");
  }
  TimeGrid grid;
  for (int m = 0; m <= horizon_months; m += step_months) {
    const Date d = add_months(valuation_date, m);
    grid.dates.push_back(d);
    grid.times.push_back(year_fraction(day_count, valuation_date, d));
  }
  if (grid.dates.back() != add_months(valuation_date, horizon_months)) {
    // A horizon that is not a whole number of steps still ends exactly at the horizon.
    const Date d = add_months(valuation_date, horizon_months);
    grid.dates.push_back(d);
    grid.times.push_back(year_fraction(day_count, valuation_date, d));
  }
  return grid;
}

TimeGrid make_year_grid(const std::vector<double>& times) {
  TimeGrid grid;
  grid.times.push_back(0.0);
  for (double t : times) {
    if (!(t > grid.times.back())) {
      throw std::invalid_argument("year grid: times must be positive and increase strictly");
    }
    grid.times.push_back(t);
  }
  return grid;
}

}  // namespace ratesim
