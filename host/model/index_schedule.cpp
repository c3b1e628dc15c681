#include "ratesim/model/index_schedule.hpp"

namespace ratesim {

IndexScheduleView IndexSchedule::view() const {
  return IndexScheduleView{n_indices, n_dates(), payment_begin.data(), accrual.data(), tau.data()};
}

IndexSchedule build_index_schedule(const TimeGrid& grid, const std::vector<IndexSpec>& indices,
                                   Date valuation_date, DayCount model_day_count) {
  IndexSchedule s;
  s.times = grid.times;
  s.n_indices = static_cast<int>(indices.size());
  s.payment_begin.push_back(0);
  const int n_dates = grid.size();
  for (const IndexSpec& index : indices) {
    const int period = index.kind == IndexKind::kSimple ? index.tenor_months : index.fixed_frequency_months;
    const int n_payments = index.tenor_months / period;
    for (int j = 1; j <= n_payments; ++j) {
      for (int k = 0; k < n_dates; ++k) {
        const double tk = grid.times[static_cast<std::size_t>(k)];
        double pay_time, accrual;
        if (grid.has_dates()) {
          const Date fixing = grid.dates[static_cast<std::size_t>(k)];
          const Date start = add_months(fixing, (j - 1) * period);
          const Date end = add_months(fixing, j * period);
          pay_time = year_fraction(model_day_count, valuation_date, end);
          accrual = year_fraction(index.day_count, start, end);
        } else {
          pay_time = tk + j * period / 12.0;
          accrual = period / 12.0;
        }
        s.pay_time.push_back(pay_time);
        s.tau.push_back(pay_time - tk);
        s.accrual.push_back(accrual);
      }
    }
    s.payment_begin.push_back(s.payment_begin.back() + n_payments);
  }
  return s;
}

}  // namespace ratesim
