// Hull-White path generation throughput: path-steps per second on the CPU backend (1..N OpenMP
// threads) and on the GPU (kernel time from CUDA events), 120 monthly steps, 2^16..2^22 paths.
//
//   build/<preset>/benchmarks/bench_hull_white_paths --benchmark_out=results.json
//
// Counters: path_steps/s; on the GPU also the path-table bytes written per second and their
// fraction of the device's peak memory bandwidth (the kernel's floor: it writes the table once).

#include <benchmark/benchmark.h>

#include <algorithm>

#include "ratesim/engine/backend.hpp"
#include "ratesim/model/hull_white_tables.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif
#if RATESIM_HAVE_CUDA
#include "kernels/engine/cuda_path_engine.hpp"
#endif

namespace {

using namespace ratesim;

constexpr int kSteps = 120;
constexpr std::uint64_t kSeed = 20260630;

// The workload of scenarios/examples/hull_white_usd.yaml, built in code so the benchmark needs no
// files: an upward curve, a = 3%, sigma = 0.9%, monthly for ten years.
HullWhiteTables workload_tables(int n_indices) {
  std::vector<double> t, df;
  for (double y : {0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0}) {
    t.push_back(y);
    df.push_back(std::exp(-(0.035 + 0.0015 * std::log1p(y)) * y));
  }
  const Date valuation = make_date(2026, 6, 30);
  std::vector<IndexSpec> indices = default_indices();
  indices.resize(static_cast<std::size_t>(n_indices));
  return build_hull_white_tables(DiscountCurve(t, df), HullWhiteParams{0.03, 0.009},
                                 make_calendar_grid(valuation, DayCount::kAct365Fixed, 1, kSteps),
                                 indices, valuation, DayCount::kAct365Fixed);
}

// Generates all paths chunk by chunk; returns the summed generate() seconds.
double generate_all(PathEngine& engine, std::int64_t paths) {
  double seconds = 0.0;
  const std::int64_t chunk = engine.max_chunk_paths();
  for (std::int64_t first = 0; first < paths; first += chunk) {
    engine.generate(kSeed, first, static_cast<int>(std::min(chunk, paths - first)));
    seconds += engine.last_generate_seconds();
  }
  return seconds;
}

void set_counters(benchmark::State& state, std::int64_t paths, int n_indices) {
  const double path_steps = static_cast<double>(paths) * kSteps;
  state.counters["path_steps/s"] =
      benchmark::Counter(path_steps, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["paths"] = static_cast<double>(paths);
  state.counters["indices"] = n_indices;
}

void BM_HullWhitePathsCpu(benchmark::State& state) {
  const std::int64_t paths = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  const int n_indices = static_cast<int>(state.range(2));
#if defined(_OPENMP)
  omp_set_num_threads(threads);
#endif
  const HullWhiteTables tables = workload_tables(n_indices);
  const auto engine = make_cpu_path_engine(tables);
  for (auto _ : state) {
    generate_all(*engine, paths);
    benchmark::ClobberMemory();
  }
  set_counters(state, paths, n_indices);
  state.counters["threads"] = threads;
}

void cpu_arguments(benchmark::internal::Benchmark* b) {
  int max_threads = 1;
#if defined(_OPENMP)
  max_threads = omp_get_num_procs();
#endif
  for (int indices : {0, 4}) {
    for (std::int64_t paths : {1 << 16, 1 << 18, 1 << 20, 1 << 22}) {
      for (int threads = 1; threads <= max_threads; threads *= 2) b->Args({paths, threads, indices});
      if ((max_threads & (max_threads - 1)) != 0) b->Args({paths, max_threads, indices});
    }
  }
}
BENCHMARK(BM_HullWhitePathsCpu)->Apply(cpu_arguments)->Unit(benchmark::kMillisecond)->UseRealTime();

#if RATESIM_HAVE_CUDA
void BM_HullWhitePathsGpu(benchmark::State& state) {
  const cuda::DeviceStatus device = cuda::query_device();
  if (!device.usable) {
    state.SkipWithError(("no usable GPU: " + device.reason).c_str());
    return;
  }
  const std::int64_t paths = state.range(0);
  const int n_indices = static_cast<int>(state.range(1));
  const HullWhiteTables tables = workload_tables(n_indices);
  const auto engine = make_cuda_path_engine(tables);
  generate_all(*engine, std::min<std::int64_t>(paths, 1 << 16));  // warm-up: module load, clocks
  for (auto _ : state) state.SetIterationTime(generate_all(*engine, paths));
  set_counters(state, paths, n_indices);
  const double bytes = static_cast<double>(paths) * sizeof(double) *
                       static_cast<double>(path_table_doubles_per_path(kSteps + 1, n_indices));
  state.counters["table_bytes/s"] =
      benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_bandwidth_GB/s"] = device.peak_bandwidth_gb_s;
  state.SetLabel(device.name);
}
BENCHMARK(BM_HullWhitePathsGpu)
    ->ArgsProduct({{1 << 16, 1 << 18, 1 << 20, 1 << 22}, {0, 4}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
