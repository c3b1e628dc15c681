#include "benchmarks/giles/giles_workload.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "ratesim/model/lmm_analytic.hpp"
#include "ratesim/simd/lanes.hpp"

#if RATESIM_HAVE_CUDA
#include "benchmarks/giles/cuda_swaptions.hpp"
#endif

namespace ratesim {
namespace {

// W paths at a time in SIMD lanes: 32 bytes of path values, one AVX register (two SSE ones).
// Each lane draws its own path's stream; the last group is padded with paths past the range,
// computed and dropped, so a path's value never depends on its neighbours.
template <class Real>
void values_on_cpu(const BasicLmmGridView<Real>& g, const SwaptionPortfolioView& book, std::uint64_t seed,
                   std::int64_t first_path, std::vector<double>& out) {
  constexpr int kWidth = 32 / sizeof(Real);
  using Paths = Lanes<Real, kWidth>;
  const auto n = static_cast<std::int64_t>(out.size());
  const std::int64_t groups = (n + kWidth - 1) / kWidth;
  const int m = g.n_factors;
  with_lmm_specialisation(g, [&](auto scheme, auto factors) {
#pragma omp parallel for schedule(static)
    for (std::int64_t group = 0; group < groups; ++group) {
      PhiloxPathNormals sources[kWidth];
      FlatNormals<PhiloxPathNormals> normals[kWidth];
      for (int lane = 0; lane < kWidth; ++lane) {
        sources[lane] = PhiloxPathNormals{seed, static_cast<std::uint64_t>(first_path + group * kWidth + lane)};
        normals[lane] = FlatNormals<PhiloxPathNormals>{&sources[lane]};
      }
      const Paths value = swaption_portfolio_path<decltype(scheme)::value, decltype(factors)::value, Paths>(
          g, book, [&](int, Paths* z) {
            for (int f = 0; f < m; ++f) {
              for (int lane = 0; lane < kWidth; ++lane) z[f].set(lane, static_cast<Real>(normals[lane].next()));
            }
          });
      for (int lane = 0; lane < kWidth; ++lane) {
        const std::int64_t p = group * kWidth + lane;
        if (p < n) out[static_cast<std::size_t>(p)] = static_cast<double>(value[lane]);
      }
    }
  });
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

const DiscountCurve& giles_curve() {
  static const DiscountCurve curve = [] {
    std::vector<double> t, df;
    for (int i = 1; i <= kGilesRates + 1; ++i) {
      t.push_back(i * kGilesDelta);
      df.push_back(std::pow(1.0 + kGilesDelta * kGilesForward, -i));
    }
    return DiscountCurve(t, df);
  }();
  return curve;
}

LmmTables giles_tables(LmmScheme scheme) {
  LmmSpec spec;
  spec.n_rates = kGilesRates;
  spec.accrual_months = 3;
  spec.n_factors = 1;
  spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, kGilesVolatility};
  spec.horizon_periods = kGilesExpiry;
  spec.scheme = scheme;
  return build_lmm_tables(spec, giles_curve());
}

const SwaptionPortfolio& giles_portfolio() {
  static const SwaptionPortfolio book{kGilesExpiry,
                                      {4, 4, 4, 8, 8, 8, 20, 20, 20, 28, 28, 28, 40, 40, 40},
                                      {0.045, 0.05, 0.055, 0.045, 0.05, 0.055, 0.045, 0.05, 0.055,
                                       0.045, 0.05, 0.055, 0.045, 0.05, 0.055},
                                      100.0};
  return book;
}

double giles_portfolio_rebonato() {
  const LmmTables tables = giles_tables(LmmScheme::kPredictorCorrector);
  const SwaptionPortfolio& book = giles_portfolio();
  double value = 0.0;
  for (std::size_t o = 0; o < book.periods.size(); ++o) {
    value += book.notional * rebonato_swaption(tables, giles_curve(), kGilesExpiry, kGilesExpiry + book.periods[o],
                                               book.strikes[o], false);
  }
  return value;
}

}  // namespace ratesim
