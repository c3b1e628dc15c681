#pragma once
// A smooth function of one model state as a Chebyshev series on an interval: fitted once on the
// host from its values at the Chebyshev points, evaluated per path by Clenshaw's recurrence (n
// multiply-adds, no exp) on either backend. Under one-factor Hull-White every horizon discount
// factor is exp(ln A(H, T) - B(H, T) x(H)), so a position's value at the horizon per unit of
// balance is an entire function of x(H) alone: tabulated this way once per position, each path
// costs a short series instead of a revaluation of every remaining cash flow (issue 12, design 4).

#include <cmath>
#include <functional>
#include <vector>

#include "ratesim/core.hpp"

namespace ratesim {

/// sum_k c_k T_k(u), u in [-1, 1], by Clenshaw's recurrence. Each step is (c_k - b2) + 2u b1:
/// c_k - b2 is ready a step early, so the chain the steps wait on is one multiply and one add.
RATESIM_HD inline double clenshaw(const double* c, int n, double u) {
  double b1 = 0.0, b2 = 0.0;
  for (int k = n - 1; k >= 1; --k) {
    const double b0 = (c[k] - b2) + 2.0 * u * b1;
    b2 = b1;
    b1 = b0;
  }
  return (c[0] - b2) + u * b1;
}

/// The series sum_k c_k T_k(u), u = (2x - lo - hi) / (hi - lo), at x in [lo, hi].
RATESIM_HD inline double chebyshev_value(const double* c, int n, double lo, double hi, double x) {
  return clenshaw(c, n, (2.0 * x - lo - hi) / (hi - lo));
}

/// The n Chebyshev points (of the first kind) of [lo, hi], where a fit samples its function.
inline std::vector<double> chebyshev_points(int n, double lo, double hi) {
  std::vector<double> x(static_cast<std::size_t>(n));
  const double pi = std::acos(-1.0);
  for (int j = 0; j < n; ++j) {
    const double u = std::cos(pi * (j + 0.5) / n);
    x[static_cast<std::size_t>(j)] = 0.5 * (lo + hi) + 0.5 * (hi - lo) * u;
  }
  return x;
}

/// The coefficients of the degree n - 1 interpolant of the values f(x_j) at chebyshev_points(n):
/// c_k = (2 - [k = 0]) / n sum_j f_j cos(pi k (j + 1/2) / n).
inline std::vector<double> chebyshev_coefficients(const std::vector<double>& values) {
  const int n = static_cast<int>(values.size());
  const double pi = std::acos(-1.0);
  std::vector<double> c(static_cast<std::size_t>(n), 0.0);
  for (int k = 0; k < n; ++k) {
    double sum = 0.0;
    for (int j = 0; j < n; ++j) sum += values[static_cast<std::size_t>(j)] * std::cos(pi * k * (j + 0.5) / n);
    c[static_cast<std::size_t>(k)] = (k == 0 ? 1.0 : 2.0) * sum / n;
  }
  return c;
}

inline std::vector<double> chebyshev_fit(const std::function<double(double)>& f, int n, double lo, double hi) {
  std::vector<double> values;
  for (const double x : chebyshev_points(n, lo, hi)) values.push_back(f(x));
  return chebyshev_coefficients(values);
}

/// An estimate of the interpolant's largest error on [lo, hi] for an entire function, whose
/// coefficients fall geometrically: the last two coefficients' sizes, doubled (the truncated tail
/// is at most about the first omitted term, and the aliasing of the interpolant doubles it). A
/// fit whose estimate exceeds what the caller allows takes more points, or is not used.
inline double chebyshev_error_estimate(const std::vector<double>& c) {
  const std::size_t n = c.size();
  if (n < 2) return INFINITY;
  return 2.0 * (std::fabs(c[n - 1]) + std::fabs(c[n - 2]));
}

/// A function on [lo, hi] as `pieces` equal intervals of one Chebyshev series each (n points):
/// where a function changes character across the state's range (the long flows dominate for low
/// rates, the short ones for high) one series would need hundreds of terms, a few pieces of 16 do.
struct PiecewiseChebyshev {
  double lo = 0.0, hi = 0.0;
  int n = 0, pieces = 0;
  std::vector<double> coefficients;  ///< [piece * n + k]
  double error_estimate = INFINITY;  ///< the largest piece's chebyshev_error_estimate
};

/// The series' value at x in [lo, hi] (the caller keeps x inside: outside, it extrapolates).
RATESIM_HD inline double piecewise_chebyshev_value(const double* coefficients, int n, int pieces, double lo,
                                                   double hi, double x) {
  const double width = (hi - lo) / pieces;
  int piece = static_cast<int>((x - lo) / width);
  piece = piece < 0 ? 0 : (piece >= pieces ? pieces - 1 : piece);
  const double a = lo + piece * width;
  return chebyshev_value(coefficients + piece * n, n, a, a + width, x);
}

/// Fits f with n points a piece, doubling the pieces (1, 2, 4, ... up to max_pieces) until every
/// piece's error estimate is at most `tolerance`; the result's error_estimate says whether it got
/// there (a caller that needs the tolerance uses something else when it did not).
inline PiecewiseChebyshev fit_piecewise_chebyshev(const std::function<double(double)>& f, int n, double lo,
                                                  double hi, double tolerance, int max_pieces = 64) {
  PiecewiseChebyshev fit;
  for (int pieces = 1; pieces <= max_pieces; pieces *= 2) {
    fit = PiecewiseChebyshev{lo, hi, n, pieces, {}, 0.0};
    const double width = (hi - lo) / pieces;
    for (int piece = 0; piece < pieces; ++piece) {
      const double a = lo + piece * width;
      const std::vector<double> c = chebyshev_fit(f, n, a, a + width);
      fit.error_estimate = std::fmax(fit.error_estimate, chebyshev_error_estimate(c));
      fit.coefficients.insert(fit.coefficients.end(), c.begin(), c.end());
    }
    if (fit.error_estimate <= tolerance) break;
  }
  return fit;
}

}  // namespace ratesim
