// Giles' LIBOR market model workload (DOMAIN.md §3; HeCBench `libor`): 80 quarterly forwards at
// 5.1%, all volatilities 20%, one factor, 40 time steps of 0.25, and a portfolio of 15 receiver
// swaptions expiring at step 40 on swaps of 4, 8, 20, 28 and 40 periods struck at 4.5%, 5% and
// 5.5%. Reports paths per second and the portfolio's value (with its standard error) as a check.
//
//   build/<preset>/benchmarks/bench_lmm --benchmark_out=results.json
//
// Double precision on the CPU backend; the GPU kernel and the float variant are still to come.

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/risk/statistics.hpp"

namespace {

using namespace ratesim;

constexpr int kRates = 80, kExpiry = 40;
constexpr double kDelta = 0.25, kForward = 0.051;
constexpr int kMaturities[15] = {4, 4, 4, 8, 8, 8, 20, 20, 20, 28, 28, 28, 40, 40, 40};
constexpr double kStrikes[15] = {0.045, 0.05, 0.055, 0.045, 0.05, 0.055, 0.045, 0.05,
                                 0.055, 0.045, 0.05,  0.055, 0.045, 0.05, 0.055};

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
    spec.accrual = kDelta;
    spec.n_factors = 1;
    spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, 0.2};
    spec.horizon_periods = kExpiry;
    return build_lmm_tables(spec, curve());
  }();
  return tables;
}

// The portfolio by Rebonato's approximation, beside the Monte Carlo value as a check.
double portfolio_rebonato() {
  double value = 0.0;
  for (int o = 0; o < 15; ++o) {
    value += 100.0 * rebonato_swaption(workload(), curve(), kExpiry, kExpiry + kMaturities[o], kStrikes[o], false);
  }
  return value;
}

// The discounted value of the swaption portfolio on one path (notional 100 each).
double portfolio(const LmmGridView& g, std::uint64_t path) {
  double numeraire = 1.0, value = 0.0;
  simulate_lmm_path(g, 20260630, path, [&](int k, const double* L) {
    if (k < kExpiry) {
      numeraire *= 1.0 + kDelta * L[k];  // rate k fixes at step k
      return;
    }
    double bond = 1.0, annuity = 0.0;
    double bonds[kRates], annuities[kRates];
    for (int i = kExpiry; i < kRates; ++i) {
      bond /= 1.0 + kDelta * L[i];
      annuity += kDelta * bond;
      bonds[i] = bond;
      annuities[i] = annuity;
    }
    for (int o = 0; o < 15; ++o) {
      const int last = kExpiry + kMaturities[o] - 1;
      const double receiver = kStrikes[o] * annuities[last] + bonds[last] - 1.0;
      if (receiver > 0.0) value += 100.0 * receiver;
    }
  });
  return value / numeraire;
}

void BM_GilesLiborCpu(benchmark::State& state) {
  const LmmGridView g = workload().view();
  const long long paths = state.range(0);
  double mean = 0.0, std_error = 0.0;
  for (auto _ : state) {
    std::vector<double> values(static_cast<std::size_t>(paths));
#pragma omp parallel for schedule(static)
    for (long long p = 0; p < paths; ++p) values[static_cast<std::size_t>(p)] = portfolio(g, static_cast<std::uint64_t>(p));
    CompensatedSum sum, squares;
    for (double v : values) {
      sum.add(v);
      squares.add(v * v);
    }
    mean = sum.value() / static_cast<double>(paths);
    std_error = std::sqrt((squares.value() / static_cast<double>(paths) - mean * mean) / static_cast<double>(paths - 1));
  }
  state.counters["paths/s"] = benchmark::Counter(static_cast<double>(paths), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["portfolio"] = mean;
  state.counters["portfolio_std_error"] = std_error;
  state.counters["portfolio_rebonato"] = portfolio_rebonato();
}
BENCHMARK(BM_GilesLiborCpu)->Arg(96000)->Arg(512000)->Arg(2048000)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
