// CPU/GPU parity: the CUDA kernel and the CPU loop run the same RATESIM_HD code on the same
// Philox streams; they may differ only by the last bits of the device math library (sincospi,
// log, exp), so every path must agree to 1e-12 relative.

#include <gtest/gtest.h>

#include <cmath>

#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

// Skips the test, with the reason, unless a GPU can be used.
#define RATESIM_REQUIRE_GPU()                                                           \
  do {                                                                                  \
    if (!cuda_backend_compiled()) GTEST_SKIP() << "built without the CUDA backend";     \
    try {                                                                               \
      select_backend(DeviceChoice::kGpu);                                               \
    } catch (const std::exception& e) {                                                 \
      GTEST_SKIP() << "no usable GPU: " << e.what();                                    \
    }                                                                                   \
  } while (0)

SimulationSpec parity_spec() { return test::hull_white_spec(0.03, 0.01, 120, 50000, 4242); }

// 1e-12 relative, with an absolute floor of 1e-15 for values that cross zero (x, rates).
bool close(double cpu, double gpu) {
  return std::fabs(cpu - gpu) <= 1e-12 * std::max(std::fabs(cpu), std::fabs(gpu)) + 1e-15;
}

TEST(GpuParity, EveryPathMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const SimulationSpec spec = parity_spec();
  const HullWhiteTables tables = build_hull_white_tables(spec.curve, spec.model, spec.grid,
                                                         spec.indices, spec.valuation_date,
                                                         spec.day_count);
  const auto cpu = make_cpu_path_engine(tables);
  const auto gpu = make_cuda_path_engine(tables);
  std::int64_t first = 0;
  std::size_t mismatches = 0, compared = 0;
  for (std::int64_t n : {20480, 17408, 12112}) {  // uneven chunks on both sides
    cpu->generate(spec.seed, first, static_cast<int>(n));
    gpu->generate(spec.seed, first, static_cast<int>(n));
    const HostPathTable a = cpu->download(), b = gpu->download();
    for (int p = 0; p < a.view.n_paths; ++p) {
      for (int k = 0; k < a.view.n_dates; ++k) {
        mismatches += !close(a.view.state_at(k, p), b.view.state_at(k, p));
        mismatches += !close(a.view.discount_at(k, p), b.view.discount_at(k, p));
        for (int i = 0; i < a.view.n_indices; ++i) {
          mismatches += !close(a.view.index_rate_at(i, k, p), b.view.index_rate_at(i, k, p));
        }
        compared += 2 + static_cast<std::size_t>(a.view.n_indices);
      }
    }
    first += n;
  }
  EXPECT_EQ(mismatches, 0u) << "of " << compared << " values";
}

TEST(GpuParity, SummaryMatchesTheCpuAndIgnoresChunking) {
  RATESIM_REQUIRE_GPU();
  const SimulationSpec spec = parity_spec();
  const SimulationResult cpu = run_simulation(spec, select_backend(DeviceChoice::kCpu));
  const BackendSelection gpu_backend = select_backend(DeviceChoice::kGpu);
  const SimulationResult gpu = run_simulation(spec, gpu_backend);
  const SimulationResult gpu_chunked =
      run_simulation(spec, gpu_backend, {3072, 1024, 7168, 2048, 5120, 1024, 30544});
  for (std::size_t k = 0; k < cpu.dates.size(); ++k) {
    EXPECT_TRUE(close(cpu.dates[k].mc_discount_mean, gpu.dates[k].mc_discount_mean)) << k;
    EXPECT_TRUE(close(cpu.dates[k].short_rate_std, gpu.dates[k].short_rate_std)) << k;
    EXPECT_EQ(gpu.dates[k].mc_discount_mean, gpu_chunked.dates[k].mc_discount_mean) << k;
    EXPECT_EQ(gpu.dates[k].short_rate_quantiles, gpu_chunked.dates[k].short_rate_quantiles) << k;
  }
}

TEST(GpuParity, CpuOnlyBuildsSayWhy) {
  if (cuda_backend_compiled()) GTEST_SKIP() << "this build has the CUDA backend";
  EXPECT_THROW(select_backend(DeviceChoice::kGpu), std::runtime_error);
  EXPECT_EQ(select_backend(DeviceChoice::kAuto).backend, Backend::kCpu);
}

}  // namespace
}  // namespace ratesim
