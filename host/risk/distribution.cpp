#include "ratesim/risk/distribution.hpp"

#include <algorithm>
#include <cmath>

#include "ratesim/risk/statistics.hpp"

namespace ratesim {

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto j = static_cast<std::size_t>(std::floor(h));
  if (j + 1 >= sorted.size()) return sorted.back();
  return sorted[j] + (h - static_cast<double>(j)) * (sorted[j + 1] - sorted[j]);
}

namespace {

// 95% interval for the q-quantile: the order statistics at n q -+ 1.96 sqrt(n q (1 - q)).
QuantileEstimate estimate(const std::vector<double>& sorted, double q) {
  const double n = static_cast<double>(sorted.size());
  const double centre = n * q, half = 1.959963984540054 * std::sqrt(n * q * (1.0 - q));
  auto at = [&](double rank) {
    const double clamped = std::clamp(rank, 0.0, n - 1.0);
    return sorted[static_cast<std::size_t>(clamped)];
  };
  return QuantileEstimate{q, sorted_quantile(sorted, q), at(std::floor(centre - half)),
                          at(std::ceil(centre + half))};
}

}  // namespace

Distribution describe(const std::vector<double>& values, const std::vector<double>& levels) {
  Distribution d;
  d.count = static_cast<long long>(values.size());
  if (values.empty()) return d;
  const double n = static_cast<double>(values.size());
  CompensatedSum sum;
  for (double v : values) sum.add(v);
  d.mean = sum.value() / n;
  CompensatedSum squares;
  for (double v : values) squares.add((v - d.mean) * (v - d.mean));
  d.std = values.size() > 1 ? std::sqrt(squares.value() / (n - 1.0)) : 0.0;
  d.std_error = d.std / std::sqrt(n);

  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (double q : levels) d.quantiles.push_back(estimate(sorted, q));
  const QuantileEstimate q05 = estimate(sorted, 0.05), q01 = estimate(sorted, 0.01);
  d.at_risk_95 = d.mean - q05.value;
  d.at_risk_95_low = d.mean - q05.ci_high;
  d.at_risk_95_high = d.mean - q05.ci_low;
  d.at_risk_99 = d.mean - q01.value;
  d.at_risk_99_low = d.mean - q01.ci_high;
  d.at_risk_99_high = d.mean - q01.ci_low;

  const std::size_t tail = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(0.01 * n)));
  CompensatedSum tail_sum;
  for (std::size_t i = 0; i < tail; ++i) tail_sum.add(sorted[i]);
  const double tail_mean = tail_sum.value() / static_cast<double>(tail);
  CompensatedSum tail_squares;
  for (std::size_t i = 0; i < tail; ++i) tail_squares.add((sorted[i] - tail_mean) * (sorted[i] - tail_mean));
  d.es_99 = d.mean - tail_mean;
  const double m = static_cast<double>(tail);
  d.es_99_std_error = tail > 1 ? std::sqrt(tail_squares.value() / (m - 1.0) / m) : 0.0;
  return d;
}

}  // namespace ratesim
