#pragma once
// Quantiles of a large sample from an integer histogram, for quantities with too many values to
// keep (paths x dates). Order statistics are placed uniformly inside their bin, then the usual
// linear interpolation between order statistics (Hyndman-Fan type 7) applies, so the error is a
// fraction of one bin width.

#include <cstdint>
#include <vector>

namespace ratesim {

/// counts: [underflow, bin 1..n_bins, overflow] over [lo, lo + n_bins * width). Returns NaN if a
/// needed order statistic lies in the under- or overflow bin, or the sample is empty.
double histogram_quantile(const std::uint64_t* counts, int n_bins, double lo, double width,
                          double q);

}  // namespace ratesim
