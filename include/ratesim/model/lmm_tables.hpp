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
  double accrual = 0.25;       ///< years per forward (quarterly 0.25, semiannual 0.5)
  int n_factors = 1;
  double displacement = 0.0;
  AbcdVolatility volatility;
  std::vector<double> scales;  ///< per rate, empty: all 1
  double correlation_beta = 0.1;
  std::vector<std::vector<double>> correlation;  ///< a user matrix instead of exp(-beta |dT|)
  std::string correlation_file;                  ///< where that matrix was read from (reported)
  int steps_per_accrual = 1;   ///< time steps per forward period
  int horizon_periods = 0;     ///< simulate up to tenor[horizon_periods]; 0: to the last fixing
};

struct LmmTables {
  LmmSpec spec;
  std::vector<double> tenor, accrual, initial_forwards, times, loadings;
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
  float displacement = 0.0f;
  std::vector<float> tenor, accrual, initial_forwards, times, loadings;
  std::vector<int> first_alive;
  BasicLmmGridView<float> view() const;
};
LmmFloatTables to_float(const LmmTables& tables);

/// Forwards L_i(0) = (P(0,T_i)/P(0,T_{i+1}) - 1)/delta from the curve; T_i = i * accrual.
LmmTables build_lmm_tables(const LmmSpec& spec, const DiscountCurve& curve);

/// Black's formula for a (displaced) caplet on L_i: delta P(0,T_{i+1}) [F N(d1) - K N(d2)],
/// F = L_i(0) + s, K = strike + s, total variance v = int_0^{T_i} sigma_i(t)^2 dt.
double black_caplet(double forward, double strike, double displacement, double variance,
                    double accrual, double discount_to_payment);

/// int_0^{T_i} sigma_i(t)^2 dt for rate i of the tables.
double lmm_caplet_variance(const LmmTables& tables, int i);

/// Black caplet volatilities to calibrate to: the caplet on forward i (fixing at T_i) quotes
/// `volatility` (lognormal on L + displacement).
struct CapletQuote {
  int rate = 0;
  double volatility = 0.0;
};

struct CalibrationFit {
  int rate;
  double target;     ///< quoted Black volatility
  double model;      ///< the model's Black volatility after calibration
  double scale;      ///< the rate's volatility scale
};

/// Per-rate scales so that each quoted caplet's integrated model variance equals the quote's
/// Black variance: scale_i = sigma_i sqrt(T_i / int_0^{T_i} abcd(T_i - t)^2 dt). Rates without a
/// quote take the scale of the nearest quoted rate. Returns the spec with scales set, and the fit.
LmmSpec calibrate_to_caplets(const LmmSpec& spec, const std::vector<CapletQuote>& quotes,
                             std::vector<CalibrationFit>* fit);

/// Reads quotes from CSV: columns `expiry_years` (the fixing time, a multiple of the accrual) and
/// `black_volatility`. Throws InputError naming file, line, column and rule.
std::vector<CapletQuote> read_caplet_quotes(const std::string& file, double accrual, int n_rates);

/// Reads a user correlation matrix for n_rates forwards of `accrual` years. The header names the
/// forwards by fixing time in years (0, accrual, 2 accrual, ...); then n_rates rows of n_rates
/// numbers. Rules: entries in [-1, 1], unit diagonal, symmetric to 1e-10, positive semidefinite
/// (smallest eigenvalue >= -1e-8). Throws InputError naming file, line, column and rule.
std::vector<std::vector<double>> read_correlation_matrix(const std::string& file, double accrual,
                                                         int n_rates);

/// Rebonato's approximation of a European swaption on the swap over forwards [first, last)
/// expiring at tenor[first]: Black on the forward swap rate with
///   sigma^2 T = sum_ij w_i w_j (F_i + s)(F_j + s) rho_ij int_0^T sigma_i sigma_j dt / (S + s)^2,
/// the weights w_i = delta P(0, T_{i+1}) / annuity frozen at today's values (displaced form).
/// Returns the price per unit notional of a receiver (is_payer false) or payer swaption.
double rebonato_swaption(const LmmTables& tables, const DiscountCurve& curve, int first, int last,
                         double strike, bool is_payer);

}  // namespace ratesim
