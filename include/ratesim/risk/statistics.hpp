#pragma once
// Deterministic reductions shared by both backends (DESIGN.md invariant 7): compensated sums in a
// fixed order over fixed blocks of paths, and integer histograms; no floating-point atomics.

#include <cmath>
#include <cstdint>

#include "ratesim/core.hpp"
#include "ratesim/simd/real.hpp"

namespace ratesim {

/// Paths per reduction block. Blocks are aligned to global path indices and chunks are whole
/// numbers of blocks, so every block sum is the same whatever the chunking.
inline constexpr int kReductionBlockPaths = 1024;

/// Neumaier (Kahan-Babuska) compensated sum: error independent of the number of terms. Real is
/// double, or SIMD lanes of paths on the CPU (simd/lanes.hpp): the same operations in every lane.
/// Each add keeps the exact rounding error of sum + v by Knuth's TwoSum, six additions and no
/// branch (Neumaier's choice of which operand is larger was a compare and a select per add,
/// fourteen adds per position and path in the NII step). The error is exact either way, so the
/// sums are the same. Needs IEEE additions as written: no reassociation (the build has none).
template <class Real>
struct BasicCompensatedSum {
  Real sum = Real(0.0);
  Real compensation = Real(0.0);
  RATESIM_HD RATESIM_FORCE_INLINE void add(Real v) {
    const Real t = sum + v;
    const Real z = t - sum;
    compensation += (sum - (t - z)) + (v - z);
    sum = t;
  }
  RATESIM_HD RATESIM_FORCE_INLINE Real value() const { return sum + compensation; }
};
using CompensatedSum = BasicCompensatedSum<double>;

/// Sums of (v - centre) and (v - centre)^2 over a block: centring on a value close to the mean
/// (the analytic one) keeps the variance free of cancellation.
struct CentredMoments {
  double sum = 0.0;
  double sum_squares = 0.0;
};

template <class Get>
RATESIM_HD CentredMoments centred_block_moments(Get get, int begin, int end, double centre) {
  CompensatedSum s, s2;
  for (int i = begin; i < end; ++i) {
    const double d = get(i) - centre;
    s.add(d);
    s2.add(d * d);
  }
  return CentredMoments{s.value(), s2.value()};
}

/// Histogram bin of v on [lo, lo + n_bins * width): 0 is the underflow bin, n_bins + 1 the
/// overflow bin, 1..n_bins the regular bins.
RATESIM_HD inline int histogram_bin(double v, double lo, double inverse_width, int n_bins) {
  const double position = (v - lo) * inverse_width;
  if (!(position >= 0.0)) return 0;  // also NaN, which then shows in the underflow count
  if (position >= n_bins) return n_bins + 1;
  return 1 + static_cast<int>(position);
}

}  // namespace ratesim
