// The machine's FP64 peak, measured: independent fused multiply-add chains in the widest vectors
// the CPU has (AVX-512, AVX2 + FMA, or SSE2 multiply and add), on every OpenMP thread. The NII and
// valuation benchmarks report their speed as a fraction of this figure (docs/performance.md).
//   bench_fp64_peak   (counters: GFLOPS for all threads, GFLOPS_per_core)

#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <omp.h>

#include <cstdint>

namespace {

// Twelve accumulators cover the FMA latency (4 cycles) times two FMA ports with room to spare.
constexpr int kChains = 12;
constexpr std::int64_t kIterations = 1 << 22;

__attribute__((target("avx512f"))) double chains_avx512() {
  __m512d acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_pd(1.0 + c * 1e-3);
  const __m512d a = _mm512_set1_pd(0.999999), b = _mm512_set1_pd(1e-7);
  for (std::int64_t k = 0; k < kIterations; ++k) {
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_pd(acc[c], a, b);
  }
  __m512d sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_pd(sum, acc[c]);
  alignas(64) double lanes[8];
  _mm512_store_pd(lanes, sum);
  double total = 0.0;
  for (const double lane : lanes) total += lane;
  return total;
}

__attribute__((target("avx2,fma"))) double chains_avx2() {
  __m256d acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_pd(1.0 + c * 1e-3);
  const __m256d a = _mm256_set1_pd(0.999999), b = _mm256_set1_pd(1e-7);
  for (std::int64_t k = 0; k < kIterations; ++k) {
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_pd(acc[c], a, b);
  }
  __m256d sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm256_add_pd(sum, acc[c]);
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// Without FMA: a multiply and an add, two flops, as the SSE2 baseline computes them.
double chains_sse2() {
  __m128d acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm_set1_pd(1.0 + c * 1e-3);
  const __m128d a = _mm_set1_pd(0.999999), b = _mm_set1_pd(1e-7);
  for (std::int64_t k = 0; k < kIterations; ++k) {
    for (int c = 0; c < kChains; ++c) acc[c] = _mm_add_pd(_mm_mul_pd(acc[c], a), b);
  }
  __m128d sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm_add_pd(sum, acc[c]);
  alignas(16) double lanes[2];
  _mm_store_pd(lanes, sum);
  return lanes[0] + lanes[1];
}

struct Isa {
  const char* name;
  int lanes;
  double (*run)();
};

Isa widest_isa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {"avx512", 8, chains_avx512};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {"avx2_fma", 4, chains_avx2};
  return {"sse2", 2, chains_sse2};
}

void BM_Fp64Peak(benchmark::State& state) {
  const Isa isa = widest_isa();
  const int threads = omp_get_max_threads();
  double sink = 0.0;
  for (auto _ : state) {
#pragma omp parallel reduction(+ : sink)
    sink += isa.run();
  }
  benchmark::DoNotOptimize(sink);
  const double flops_per_call = 2.0 * isa.lanes * kChains * static_cast<double>(kIterations);
  const double total = flops_per_call * threads * static_cast<double>(state.iterations());
  state.counters["GFLOPS"] = benchmark::Counter(total / 1e9, benchmark::Counter::kIsRate);
  state.counters["GFLOPS_per_core"] = benchmark::Counter(total / 1e9 / threads, benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
  state.counters["lanes"] = isa.lanes;
  state.SetLabel(isa.name);
}
BENCHMARK(BM_Fp64Peak)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
