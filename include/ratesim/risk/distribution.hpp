#pragma once
// Summary statistics of a Monte Carlo sample, each with its standard error or a 95% confidence
// interval (docs/nii.md): mean, standard deviation, quantiles (Hyndman-Fan type 7, with
// distribution-free intervals from order statistics), at-risk figures and expected shortfall.

#include <vector>

namespace ratesim {

struct QuantileEstimate {
  double level = 0.0;
  double value = 0.0;
  double ci_low = 0.0, ci_high = 0.0;  ///< 95%, from the order statistics around n q
};

struct Distribution {
  long long count = 0;
  double mean = 0.0, std = 0.0, std_error = 0.0;
  std::vector<QuantileEstimate> quantiles;
  /// Shortfall below the mean at 95% and 99%: mean - q(1 - a), and its 95% interval.
  double at_risk_95 = 0.0, at_risk_95_low = 0.0, at_risk_95_high = 0.0;
  double at_risk_99 = 0.0, at_risk_99_low = 0.0, at_risk_99_high = 0.0;
  /// Expected shortfall at 99% below the mean: mean - E[X | X <= q(0.01)], with its standard error.
  double es_99 = 0.0, es_99_std_error = 0.0;
};

/// `values` in any order (copied and sorted); `levels` the quantiles to report.
Distribution describe(const std::vector<double>& values, const std::vector<double>& levels);

/// The q-quantile of sorted values (type 7).
double sorted_quantile(const std::vector<double>& sorted, double q);

}  // namespace ratesim
