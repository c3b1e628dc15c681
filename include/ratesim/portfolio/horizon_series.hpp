#pragma once
// Horizon EVE in the Hull-White state (issue 12, design 4; docs/nii.md "Horizon EVE"). Under
// one-factor Hull-White the path's curve at the horizon H is ln P(H, H + tau) = ln A(tau) -
// B(tau) x(H), so what a position's leg is worth at the horizon per unit of balance is a smooth
// function of x(H), and of the coupon the path left in force where that coupon is the path's.
// Each leg's function is fitted once per run as a Chebyshev series (model/chebyshev.hpp) from
// full revaluations at the Chebyshev points; a path then costs one short series in its x(H) (a few
// multiply-adds, no exp) instead of a revaluation of every remaining cash flow.
// A path whose state or coupon falls outside the fitted range, and a leg whose series does not
// reach the tolerance, is revalued in full: the full revaluation stays the reference everywhere.

#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/model/chebyshev.hpp"

namespace ratesim {

/// How a leg's value per unit of balance depends on the path.
enum class HorizonForm : std::int8_t {
  kRevalue,  ///< no series: revalued in full on the path's curve
  kState,    ///< f(x): the coupon cannot change on a path (fixed legs, swaps, caps, floors)
  kAffine,   ///< f0(x) + coupon f1(x): the coupon enters only the interest it pays
  kTensor,   ///< sum c_ml T_m(x) T_l(coupon): an annuity whose instalment follows its coupon
};

/// Terms of one series at most (in the state, and in the coupon).
inline constexpr int kMaxHorizonTerms = 32;
/// Largest error allowed per unit of balance (the fits' estimate; tests measure the real one).
inline constexpr double kHorizonSeriesTolerance = 1e-13;

/// One leg's series. The state's range is cut into `pieces` intervals where the value bends too
/// sharply for one series (an embedded floor near the money, a short caplet): at `offset` in the
/// pool sit the pieces - 1 inner breakpoints, then one block per piece of x_terms coefficients
/// (kState), 2 x_terms (kAffine: f0, then f1) or x_terms * coupon_terms (kTensor, [m * nc + l],
/// the coupon in [coupon_lo, coupon_hi]).
struct HorizonLeg {
  std::int64_t offset = 0;
  HorizonForm form = HorizonForm::kRevalue;
  std::int8_t x_terms = 0;
  std::int8_t coupon_terms = 0;
  std::int16_t pieces = 0;
  double coupon_lo = 0.0, coupon_hi = 0.0;
};

/// Every position's two legs, [2i] the original and [2i + 1] the replacement book (constant
/// balance sheet), fitted for x(H) in [x_lo, x_hi]. Replacement books of positions with the same
/// terms share their coefficients.
struct HorizonSeriesView {
  double x_lo = 0.0, x_hi = 0.0;
  const HorizonLeg* legs = nullptr;  ///< null: no series (LMM paths), every leg is revalued
  const double* coefficients = nullptr;

  RATESIM_HD bool covers(double x) const { return legs && x >= x_lo && x <= x_hi; }
};

/// sum_k c(k) T_k(u) by Clenshaw's recurrence, the coefficients from c(k): the same operations as
/// clenshaw() for Real = double, or for SIMD lanes of paths. Each step is (c(k) - b2) + 2u b1, so
/// the chain of steps waits on one multiply and one add.
template <class Real, class Coefficient>
RATESIM_HD RATESIM_FORCE_INLINE Real clenshaw_of(Coefficient c, int n, Real u) {
  Real b1(0.0), b2(0.0);
  for (int k = n - 1; k >= 1; --k) {
    const Real b0 = (c(k) - b2) + 2.0 * u * b1;
    b2 = b1;
    b1 = b0;
  }
  return (c(0) - b2) + u * b1;
}

/// Rows top, top - 1, ..., top - G + 1 of a tensor block, each summed over the coupon's nc terms
/// at v by Clenshaw's recurrence (the same operations per row as clenshaw_of, so the same bits):
/// out[j] = sum_l c(row * nc + l) T_l(v) for row = top - j. G independent chains at once, in
/// registers, so each step's latency overlaps the others'.
template <int G, class Real, class Coefficient>
RATESIM_HD RATESIM_FORCE_INLINE void tensor_rows(Coefficient c, int top, int nc, Real v, Real* out) {
  Real b1[G], b2[G];
  for (int j = 0; j < G; ++j) b1[j] = b2[j] = Real(0.0);
  for (int k = nc - 1; k >= 1; --k) {
    for (int j = 0; j < G; ++j) {
      const Real b0 = (c((top - j) * nc + k) - b2[j]) + 2.0 * v * b1[j];
      b2[j] = b1[j];
      b1[j] = b0;
    }
  }
  for (int j = 0; j < G; ++j) out[j] = (c((top - j) * nc) - b2[j]) + v * b1[j];
}

/// A leg's value per unit of balance from one piece's series: u is the state in the piece's
/// [-1, 1], c(j) the piece's j-th coefficient (HorizonLeg says how they are laid out), and the
/// coupon inside [coupon_lo, coupon_hi] for a tensor.
template <class Real, class Coefficient>
RATESIM_HD RATESIM_FORCE_INLINE Real horizon_piece_value(const HorizonLeg& leg, Coefficient c, Real u, Real coupon) {
  const int n = leg.x_terms;
  switch (leg.form) {
    case HorizonForm::kState: return clenshaw_of(c, n, u);
    case HorizonForm::kAffine:
      return clenshaw_of(c, n, u) + coupon * clenshaw_of([&](int k) { return c(n + k); }, n, u);
    case HorizonForm::kTensor: {
      // Each row m (a term in x) is a series in the coupon; the rows' sums are then the
      // coefficients of the series in x, consumed by its Clenshaw recurrence from the top row
      // down, four rows at a time (clenshaw_of's operations in x, tensor_rows' in the coupon).
      const int nc = leg.coupon_terms;
      const Real v = (2.0 * coupon - leg.coupon_lo - leg.coupon_hi) / (leg.coupon_hi - leg.coupon_lo);
      Real b1(0.0), b2(0.0), result(0.0);
      for (int top = n - 1; top >= 0; top -= 4) {
        Real rows[4];
        const int g = top >= 3 ? 4 : top + 1;
        switch (g) {
          case 4: tensor_rows<4>(c, top, nc, v, rows); break;
          case 3: tensor_rows<3>(c, top, nc, v, rows); break;
          case 2: tensor_rows<2>(c, top, nc, v, rows); break;
          default: tensor_rows<1>(c, top, nc, v, rows); break;
        }
        for (int j = 0; j < g; ++j) {
          if (top - j >= 1) {
            const Real b0 = (rows[j] - b2) + 2.0 * u * b1;
            b2 = b1;
            b1 = b0;
          } else {
            result = (rows[j] - b2) + u * b1;
          }
        }
      }
      return result;
    }
    case HorizonForm::kRevalue: break;
  }
  return Real(0.0);
}

/// Doubles in one piece's block of coefficients.
RATESIM_HD inline int horizon_piece_block(const HorizonLeg& leg) {
  const int n = leg.x_terms;
  return leg.form == HorizonForm::kState ? n : leg.form == HorizonForm::kAffine ? 2 * n : n * leg.coupon_terms;
}

/// The piece of `leg` holding x (the first whose upper breakpoint is above it), its interval in
/// [a, b] and its coefficients.
struct HorizonPiece {
  double a, b;
  const double* coefficients;
};
RATESIM_HD inline HorizonPiece horizon_piece_of(const HorizonSeriesView& s, const HorizonLeg& leg, double x) {
  const double* breaks = s.coefficients + leg.offset;
  const int inner = leg.pieces - 1;
  int lo = 0, hi = inner;  // the piece is in [lo, hi]
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (x < breaks[mid]) hi = mid; else lo = mid + 1;
  }
  return HorizonPiece{lo == 0 ? s.x_lo : breaks[lo - 1], lo == inner ? s.x_hi : breaks[lo],
                      breaks + inner + static_cast<std::ptrdiff_t>(lo) * horizon_piece_block(leg)};
}

/// True when the leg has a series that covers this coupon (a tensor's coupon range).
RATESIM_HD inline bool horizon_series_takes(const HorizonLeg& leg, double coupon) {
  if (leg.form == HorizonForm::kRevalue) return false;
  return leg.form != HorizonForm::kTensor || (coupon >= leg.coupon_lo && coupon <= leg.coupon_hi);
}

/// Leg value per unit of balance at state x (inside the view's range) from its series; false
/// when the leg must be revalued (no series, or a coupon outside its range).
RATESIM_HD inline bool horizon_leg_value(const HorizonSeriesView& s, const HorizonLeg& leg, double x,
                                         double coupon, double* value) {
  if (!horizon_series_takes(leg, coupon)) return false;
  const HorizonPiece piece = horizon_piece_of(s, leg, x);
  const double u = (2.0 * x - piece.a - piece.b) / (piece.b - piece.a);
  *value = horizon_piece_value(leg, [&](int j) { return piece.coefficients[j]; }, u, coupon);
  return true;
}

}  // namespace ratesim
