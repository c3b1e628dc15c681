// Giles' LIBOR market model workload (DOMAIN.md §3; HeCBench `libor`): 80 quarterly forwards at
// 5.1%, all volatilities 20%, one factor, 40 time steps of 0.25, and a portfolio of 15 receiver
// swaptions expiring at step 40 on swaps of 4, 8, 20, 28 and 40 periods struck at 4.5%, 5% and
// 5.5%. Double and float path arithmetic, on the CPU and (when one is usable) the GPU; reports
// paths per second and the portfolio's value with its standard error, beside Rebonato's
// approximation, as a check.
//
//   build/<preset>/benchmarks/bench_lmm --benchmark_out=results.json
//
// Both precisions draw the same double normals (one stream for every backend and precision,
// docs/reproducibility.md); only the path arithmetic is float. GPU figures are device time of the
// kernel (CUDA events), the per-path values' copy back excluded.

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/model/lmm_analytic.hpp"
#include "ratesim/model/lmm_swaption_pricing.hpp"
#include "ratesim/risk/statistics.hpp"

namespace {

using namespace ratesim;

constexpr int kRates = 80, kExpiry = 40;
constexpr double kDelta = 0.25, kForward = 0.051;
constexpr std::uint64_t kSeed = 20260630;

const DiscountCurve& curve() {
  static const DiscountCurve c = [] {
    std::vector<double> t, df;
    for (int i = 1; i <= kRates + 1; ++i) {
      t.push_back(i * kDelta);
      df.push_back(std::pow(1.0 + kDelta * kForward, -i));
    }
    return DiscountCurve(t, df);
  }();
  return c;
}

const LmmTables& workload() {
  static const LmmTables tables = [] {
    LmmSpec spec;
    spec.n_rates = kRates;
    spec.accrual_months = 3;
    spec.n_factors = 1;
    spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, 0.2};
    spec.horizon_periods = kExpiry;
    return build_lmm_tables(spec, curve());
  }();
  return tables;
}

const SwaptionPortfolio& portfolio() {
  static const SwaptionPortfolio book{kExpiry,
                                      {4, 4, 4, 8, 8, 8, 20, 20, 20, 28, 28, 28, 40, 40, 40},
                                      {0.045, 0.05, 0.055, 0.045, 0.05, 0.055, 0.045, 0.05, 0.055,
                                       0.045, 0.05, 0.055, 0.045, 0.05, 0.055},
                                      100.0};
  return book;
}

double portfolio_rebonato() {
  double value = 0.0;
  const SwaptionPortfolio& book = portfolio();
  for (std::size_t o = 0; o < book.periods.size(); ++o) {
    value += book.notional * rebonato_swaption(workload(), curve(), kExpiry, kExpiry + book.periods[o],
                                               book.strikes[o], false);
  }
  return value;
}

void giles(benchmark::State& state, Backend backend, Precision precision) {
  if (backend == Backend::kCuda) {
    try {
      select_backend(DeviceChoice::kGpu);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  const std::int64_t paths = state.range(0);
  double mean = 0.0, std_error = 0.0;
  for (auto _ : state) {
    const SwaptionPortfolioValues run =
        lmm_swaption_portfolio_values(backend, precision, workload(), portfolio(), kSeed, 0, paths);
    state.SetIterationTime(run.compute_seconds);
    CompensatedSum sum, squares;
    for (double v : run.values) {
      sum.add(v);
      squares.add(v * v);
    }
    const auto n = static_cast<double>(paths);
    mean = sum.value() / n;
    std_error = std::sqrt((squares.value() / n - mean * mean) / (n - 1.0));
  }
  state.counters["paths/s"] = benchmark::Counter(static_cast<double>(paths), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["portfolio"] = mean;
  state.counters["portfolio_std_error"] = std_error;
  state.counters["portfolio_rebonato"] = portfolio_rebonato();
}

void BM_GilesLiborCpuDouble(benchmark::State& s) { giles(s, Backend::kCpu, Precision::kDouble); }
void BM_GilesLiborCpuFloat(benchmark::State& s) { giles(s, Backend::kCpu, Precision::kFloat); }
void BM_GilesLiborGpuDouble(benchmark::State& s) { giles(s, Backend::kCuda, Precision::kDouble); }
void BM_GilesLiborGpuFloat(benchmark::State& s) { giles(s, Backend::kCuda, Precision::kFloat); }

#define GILES_SIZES ->Arg(96000)->Arg(512000)->Arg(2048000)->Unit(benchmark::kMillisecond)->UseManualTime()
BENCHMARK(BM_GilesLiborCpuDouble) GILES_SIZES->Iterations(1);
BENCHMARK(BM_GilesLiborCpuFloat) GILES_SIZES->Iterations(1);
BENCHMARK(BM_GilesLiborGpuDouble) GILES_SIZES->Iterations(5);
BENCHMARK(BM_GilesLiborGpuFloat) GILES_SIZES->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
