#include "ratesim/model/lmm_swaption_pricing.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#if RATESIM_HAVE_CUDA
#include "kernels/model/cuda_lmm_swaptions.hpp"
#endif

namespace ratesim {
namespace {

template <class Real>
void values_on_cpu(const BasicLmmGridView<Real>& g, const SwaptionPortfolioView& book, std::uint64_t seed,
                   std::int64_t first_path, std::vector<double>& out) {
  const auto n = static_cast<std::int64_t>(out.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t p = 0; p < n; ++p) {
    PhiloxPathNormals normals{seed, static_cast<std::uint64_t>(first_path + p)};
    out[static_cast<std::size_t>(p)] = static_cast<double>(lmm_swaption_portfolio_path(g, book, normals));
  }
}

}  // namespace

SwaptionPortfolioValues lmm_swaption_portfolio_values(Backend backend, Precision precision,
                                                      const LmmTables& lmm, const SwaptionPortfolio& book,
                                                      std::uint64_t seed, std::int64_t first_path,
                                                      std::int64_t n_paths) {
  const double expiry = lmm.tenor.at(static_cast<std::size_t>(book.expiry_rate));
  if (book.expiry_rate < 1 || std::fabs(lmm.times.back() - expiry) > 1e-12) {
    throw std::invalid_argument("swaption portfolio: the LMM grid must end at the expiry date");
  }
  if (book.periods.size() != book.strikes.size() || book.periods.size() > kMaxPortfolioSwaptions) {
    throw std::invalid_argument("swaption portfolio: one strike per swaption, at most 64");
  }
  for (int periods : book.periods) {
    if (periods < 1 || book.expiry_rate + periods > lmm.spec.n_rates) {
      throw std::invalid_argument("swaption portfolio: every swap must end by the last tenor date");
    }
  }
  if (n_paths < 1) throw std::invalid_argument("swaption portfolio: at least one path");
  SwaptionPortfolioValues result;
  result.values.resize(static_cast<std::size_t>(n_paths));
#if RATESIM_HAVE_CUDA
  if (backend == Backend::kCuda) {
    result.compute_seconds = cuda::lmm_swaption_portfolio_values(lmm, book, precision == Precision::kFloat,
                                                                 seed, first_path, result.values);
    return result;
  }
#else
  if (backend == Backend::kCuda) throw std::runtime_error("this build has no CUDA backend");
#endif
  const auto start = std::chrono::steady_clock::now();
  if (precision == Precision::kFloat) {
    const LmmFloatTables narrow = to_float(lmm);
    values_on_cpu(narrow.view(), book.view(), seed, first_path, result.values);
  } else {
    values_on_cpu(lmm.view(), book.view(), seed, first_path, result.values);
  }
  result.compute_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ratesim
