// Giles' LIBOR market model workload (benchmarks/giles/giles_workload.hpp): 80 quarterly
// forwards, one factor, 40 steps, 15 swaptions. ratesim in both schemes (predictor-corrector and
// Giles' Euler), double and float path arithmetic, on the CPU (SIMD lanes across paths, OpenMP
// across cores) and, when one is usable, the GPU; and the peer, Giles' value-only code written
// from his published algorithm (benchmarks/peers/giles_libor.hpp), on the same cores.
//
//   build/<preset>/benchmarks/bench_lmm --benchmark_out=results.json
//
// Every run reports paths per second and the portfolio's value with its standard error, beside
// Rebonato's approximation, as a check. BM_GilesVersusPeer runs ratesim and the peer by turns in
// one process and reports the throughput ratios (ratesim / peer), the figure docs/performance.md
// quotes. GPU figures are device time of the kernel (CUDA events), the per-path values' copy back
// excluded. Both precisions draw the same double normals (docs/reproducibility.md); only the path
// arithmetic is float.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "benchmarks/giles/giles_workload.hpp"
#include "benchmarks/peers/giles_libor.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/risk/distribution.hpp"

namespace {

using namespace ratesim;

constexpr std::uint64_t kSeed = 20260630;

Distribution estimate(const std::vector<double>& values) { return describe(values, {}); }

const LmmTables& tables(LmmScheme scheme) {
  static const LmmTables pc = giles_tables(LmmScheme::kPredictorCorrector);
  static const LmmTables euler = giles_tables(LmmScheme::kEuler);
  return scheme == LmmScheme::kEuler ? euler : pc;
}

void report(benchmark::State& state, std::int64_t paths, const Distribution& e) {
  state.counters["paths/s"] = benchmark::Counter(static_cast<double>(paths), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["portfolio"] = e.mean;
  state.counters["portfolio_std_error"] = e.std_error;
  state.counters["portfolio_rebonato"] = giles_portfolio_rebonato();
}

void giles(benchmark::State& state, Backend backend, Precision precision, LmmScheme scheme) {
  if (backend == Backend::kCuda) {
    try {
      select_backend(DeviceChoice::kGpu);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  const std::int64_t paths = state.range(0);
  Distribution e;
  for (auto _ : state) {
    const SwaptionPortfolioValues run =
        lmm_swaption_portfolio_values(backend, precision, tables(scheme), giles_portfolio(), kSeed, 0, paths);
    state.SetIterationTime(run.compute_seconds);
    e = estimate(run.values);
  }
  report(state, paths, e);
}

double peer_seconds(std::vector<double>& values) {
  const auto start = std::chrono::steady_clock::now();
  peers::giles_libor_values(peers::GilesLiborWorkload{}, kSeed, 0, values);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_GilesPeerCpuFloat(benchmark::State& state) {
  std::vector<double> values(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) state.SetIterationTime(peer_seconds(values));
  report(state, state.range(0), estimate(values));
}

// ratesim's Euler and predictor-corrector runs against the peer, by turns in one process (float,
// the peer's precision; the CPU's cores): each iteration times all three once, and the ratios
// of their medians are reported, so a machine's load shifts all three alike.
void BM_GilesVersusPeer(benchmark::State& state) {
  const std::int64_t paths = state.range(0);
  std::vector<double> peer(static_cast<std::size_t>(paths));
  std::vector<double> peer_time, euler_time, pc_time;
  for (auto _ : state) {
    const double p = peer_seconds(peer);
    const double e = lmm_swaption_portfolio_values(Backend::kCpu, Precision::kFloat, tables(LmmScheme::kEuler),
                                                   giles_portfolio(), kSeed, 0, paths).compute_seconds;
    const double c = lmm_swaption_portfolio_values(Backend::kCpu, Precision::kFloat,
                                                   tables(LmmScheme::kPredictorCorrector), giles_portfolio(), kSeed,
                                                   0, paths).compute_seconds;
    peer_time.push_back(p);
    euler_time.push_back(e);
    pc_time.push_back(c);
    state.SetIterationTime(p + e + c);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  state.counters["peer_paths/s"] = static_cast<double>(paths) / median(peer_time);
  state.counters["euler_paths/s"] = static_cast<double>(paths) / median(euler_time);
  state.counters["predictor_corrector_paths/s"] = static_cast<double>(paths) / median(pc_time);
  state.counters["euler_over_peer"] = median(peer_time) / median(euler_time);
  state.counters["predictor_corrector_over_peer"] = median(peer_time) / median(pc_time);
}

constexpr auto kPc = LmmScheme::kPredictorCorrector;
constexpr auto kEuler = LmmScheme::kEuler;
void BM_GilesLiborCpuDouble(benchmark::State& s) { giles(s, Backend::kCpu, Precision::kDouble, kPc); }
void BM_GilesLiborCpuFloat(benchmark::State& s) { giles(s, Backend::kCpu, Precision::kFloat, kPc); }
void BM_GilesLiborCpuFloatEuler(benchmark::State& s) { giles(s, Backend::kCpu, Precision::kFloat, kEuler); }
void BM_GilesLiborGpuDouble(benchmark::State& s) { giles(s, Backend::kCuda, Precision::kDouble, kPc); }
void BM_GilesLiborGpuFloat(benchmark::State& s) { giles(s, Backend::kCuda, Precision::kFloat, kPc); }
void BM_GilesLiborGpuFloatEuler(benchmark::State& s) { giles(s, Backend::kCuda, Precision::kFloat, kEuler); }

#define CPU_SIZES ->Arg(96000)->Arg(2048000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1)
#define GPU_SIZES ->Arg(96000)->Arg(512000)->Arg(2048000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5)
BENCHMARK(BM_GilesVersusPeer)->Arg(96000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5);
BENCHMARK(BM_GilesPeerCpuFloat) CPU_SIZES;
BENCHMARK(BM_GilesLiborCpuDouble) CPU_SIZES;
BENCHMARK(BM_GilesLiborCpuFloat) CPU_SIZES;
BENCHMARK(BM_GilesLiborCpuFloatEuler) CPU_SIZES;
BENCHMARK(BM_GilesLiborGpuDouble) GPU_SIZES;
BENCHMARK(BM_GilesLiborGpuFloat) GPU_SIZES;
BENCHMARK(BM_GilesLiborGpuFloatEuler) GPU_SIZES;

}  // namespace

BENCHMARK_MAIN();
