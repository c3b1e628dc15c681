#include "ratesim/risk/histogram_quantile.hpp"

#include <cmath>
#include <limits>

namespace ratesim {
namespace {

// Value of order statistic `rank` (0-based).
double order_statistic(const std::uint64_t* counts, int n_bins, double lo, double width,
                       std::uint64_t rank) {
  std::uint64_t below = 0;
  for (int bin = 0; bin < n_bins + 2; ++bin) {
    const std::uint64_t c = counts[bin];
    if (rank < below + c) {
      if (bin == 0 || bin == n_bins + 1) return std::numeric_limits<double>::quiet_NaN();
      const double within = (static_cast<double>(rank - below) + 0.5) / static_cast<double>(c);
      return lo + width * ((bin - 1) + within);
    }
    below += c;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

double histogram_quantile(const std::uint64_t* counts, int n_bins, double lo, double width,
                          double q) {
  std::uint64_t total = 0;
  for (int bin = 0; bin < n_bins + 2; ++bin) total += counts[bin];
  if (total == 0) return std::numeric_limits<double>::quiet_NaN();
  const double h = q * static_cast<double>(total - 1);
  const auto j = static_cast<std::uint64_t>(std::floor(h));
  const double lower = order_statistic(counts, n_bins, lo, width, j);
  if (j + 1 >= total) return lower;
  const double upper = order_statistic(counts, n_bins, lo, width, j + 1);
  return lower + (h - static_cast<double>(j)) * (upper - lower);
}

}  // namespace ratesim
