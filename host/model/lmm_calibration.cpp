#include "ratesim/model/lmm_calibration.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace ratesim {

LmmSpec calibrate_to_caplets(const LmmSpec& spec, const std::vector<CapletQuote>& quotes,
                             std::vector<CalibrationFit>* fit) {
  if (quotes.empty()) throw std::invalid_argument("LMM calibration: no caplet quotes");
  LmmSpec out = spec;
  std::vector<double> quoted(static_cast<std::size_t>(spec.n_rates), -1.0);
  for (const CapletQuote& q : quotes) {
    if (q.rate < 1 || q.rate >= spec.n_rates || !(q.volatility > 0.0)) {
      throw std::invalid_argument("LMM calibration: quote for rate " + std::to_string(q.rate) +
                                  " outside 1..n_rates-1 or not positive");
    }
    quoted[static_cast<std::size_t>(q.rate)] = q.volatility;
  }
  out.scales.assign(static_cast<std::size_t>(spec.n_rates), 1.0);
  for (int i = 1; i < spec.n_rates; ++i) {
    if (quoted[static_cast<std::size_t>(i)] <= 0.0) continue;
    const double fixing = i * spec.accrual_years();
    const double unscaled = lmm_integrated_variance(spec.volatility, 1.0, fixing, 0.0, fixing);
    out.scales[static_cast<std::size_t>(i)] = quoted[static_cast<std::size_t>(i)] * std::sqrt(fixing / unscaled);
  }
  // Rates without a quote borrow the nearest quoted rate's scale (rate 0 is fixed today).
  for (int i = 0; i < spec.n_rates; ++i) {
    if (quoted[static_cast<std::size_t>(i)] > 0.0) continue;
    int best = -1;
    for (int j = 1; j < spec.n_rates; ++j) {
      if (quoted[static_cast<std::size_t>(j)] > 0.0 && (best < 0 || std::abs(j - i) < std::abs(best - i))) best = j;
    }
    out.scales[static_cast<std::size_t>(i)] = out.scales[static_cast<std::size_t>(best)];
  }
  if (fit) {
    fit->clear();
    for (const CapletQuote& q : quotes) {
      const double fixing = q.rate * spec.accrual_years();
      const double variance = lmm_integrated_variance(spec.volatility, out.scales[static_cast<std::size_t>(q.rate)], fixing, 0.0, fixing);
      fit->push_back({q.rate, q.volatility, std::sqrt(variance / fixing), out.scales[static_cast<std::size_t>(q.rate)]});
    }
  }
  return out;
}

}  // namespace ratesim
