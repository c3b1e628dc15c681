#pragma once
// Host set-up of the LMM: tenor structure, initial forwards from the curve, Rebonato abcd
// volatilities with per-rate scales, correlation exp(-beta |Ti - Tj|) or a user matrix reduced to
// m factors by its leading eigenvectors (Eigen), rows rescaled to unit length.

#include <string>
#include <vector>

#include "ratesim/curve/discount_curve.hpp"
#include "ratesim/model/lmm.hpp"

namespace ratesim {

struct AbcdVolatility {
  double a = 0.0, b = 0.0, c = 0.0, d = 0.2;  ///< sigma(tau) = (a + b tau) e^{-c tau} + d
  double at(double tau) const;
};

struct LmmSpec {
  int n_rates = 40;
  int accrual_months = 3;      ///< months per forward (quarterly 3, semiannual 6); model years k/12
  double accrual_years() const { return accrual_months / 12.0; }
  int n_factors = 1;
  double displacement = 0.0;
  AbcdVolatility volatility;
  std::vector<double> scales;  ///< per rate, empty: all 1
  double correlation_beta = 0.1;
  std::vector<std::vector<double>> correlation;  ///< a user matrix instead of exp(-beta |dT|)
  std::string correlation_file;                  ///< where that matrix was read from (reported)
  int steps_per_accrual = 1;   ///< time steps per forward period
  LmmScheme scheme = LmmScheme::kPredictorCorrector;
  int horizon_periods = 0;     ///< simulate up to tenor[horizon_periods]; 0: to the last fixing
};

struct LmmTables {
  LmmSpec spec;
  std::vector<double> tenor, accrual, initial_forwards, times, sqrt_dt, loadings, ito_correction;
  std::vector<int> first_alive;
  /// The reduced correlation's loadings (N x m, rows of unit length) and the target's eigenvalues.
  std::vector<double> factor_loadings;
  std::vector<double> eigenvalues;
  LmmGridView view() const;
};

/// The tables rounded to single precision, for float path arithmetic (the Giles benchmark's
/// float variant); the view points into this object.
struct LmmFloatTables {
  int n_rates = 0, n_factors = 0;
  LmmScheme scheme = LmmScheme::kPredictorCorrector;
  float displacement = 0.0f;
  std::vector<float> tenor, accrual, initial_forwards, times, sqrt_dt, loadings, ito_correction;
  std::vector<int> first_alive;
  BasicLmmGridView<float> view() const;
};
LmmFloatTables to_float(const LmmTables& tables);

/// The spec on one step a month (step k at k/12 years, as the path table's monthly grid dates)
/// up to tenor[periods]: how `run` and `simulate` use the LMM.
inline LmmSpec on_monthly_steps(LmmSpec spec, int periods) {
  spec.steps_per_accrual = spec.accrual_months;
  spec.horizon_periods = periods;
  return spec;
}

/// Whole accrual periods that cover `months` months.
inline int periods_covering(const LmmSpec& spec, int months) {
  return (months + spec.accrual_months - 1) / spec.accrual_months;
}

/// Forwards L_i(0) = (P(0,T_i)/P(0,T_{i+1}) - 1)/delta from the curve; T_i = i * accrual.
LmmTables build_lmm_tables(const LmmSpec& spec, const DiscountCurve& curve);

/// int_{t0}^{t1} (scale sigma(fixing - t))^2 dt, the variance a rate fixing at `fixing` takes on
/// over [t0, t1] (zero after its fixing).
double lmm_integrated_variance(const AbcdVolatility& vol, double scale, double fixing, double t0, double t1);

}  // namespace ratesim
