// CPU/GPU parity: the CUDA kernel and the CPU loop run the same RATESIM_HD code on the same
// Philox streams; they may differ only by the last bits of the device math library (sincospi,
// log, exp), so every path must agree to 1e-12 relative.

#include <gtest/gtest.h>

#include <cmath>

#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/lmm_paths.hpp"
#if RATESIM_WITH_GILES
#include "benchmarks/giles/giles_workload.hpp"
#endif
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

// Money amounts: 1e-12 relative, with a 1e-9 absolute floor (currency units) for amounts near 0.
bool close_money(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b)) + 1e-9;
}

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

// Every position of the bundled sample bank under every scenario and bump of its run: the same
// RATESIM_HD valuation on both backends, so the values agree to 1e-12 relative (plus a 1e-9
// absolute floor, in currency units, for positions worth nothing).
TEST(GpuParity, SampleBankValuationMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec spec = make_eve_spec(config);
  const EveResult cpu = run_eve(spec, select_backend(DeviceChoice::kCpu));
  const EveResult gpu = run_eve(spec, select_backend(DeviceChoice::kGpu));
  EXPECT_EQ(cpu.valuations, gpu.valuations);
  auto near = [](double a, double b) {
    return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b)) + 1e-9;
  };
  EXPECT_TRUE(near(cpu.base.value, gpu.base.value)) << cpu.base.value << " vs " << gpu.base.value;
  for (std::size_t s = 0; s < cpu.scenarios.size(); ++s) {
    EXPECT_TRUE(near(cpu.scenarios[s].value, gpu.scenarios[s].value)) << cpu.scenarios[s].name;
  }
  EXPECT_TRUE(near(cpu.sensitivities.dv01, gpu.sensitivities.dv01));

  // And position by position, through the backend interface.
  CurveSet curves;
  curves.add_scenario(spec.base_curves);
  ValuationSettings settings;
  settings.valuation_day = spec.valuation_date.days;
  settings.model = spec.model;
  settings.behaviours = spec.behaviours.view();
  settings.nmd_caps = spec.nmd_caps;
  const ValuationOutput a = value_positions(Backend::kCpu, spec.portfolio, spec.behaviours, curves, settings);
  const ValuationOutput b = value_positions(Backend::kCuda, spec.portfolio, spec.behaviours, curves, settings);
  ASSERT_EQ(a.values.size(), b.values.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    if (!(std::fabs(a.values[i] - b.values[i]) <=
          1e-12 * std::max(std::fabs(a.values[i]), std::fabs(b.values[i])) + 1e-9)) {
      ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

// Per-path NII of the sample bank, deterministic scenarios and Monte Carlo paths, on both
// backends: the same paths (cuRAND vs the CPU Philox) and the same shared NII step.
TEST(GpuParity, SampleBankNiiMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec eve = make_eve_spec(config);
  NiiSpec spec = make_nii_spec(config, eve);
  spec.paths = 512;
  const NiiResult cpu = run_nii(eve, spec, select_backend(DeviceChoice::kCpu));
  const NiiResult gpu = run_nii(eve, spec, select_backend(DeviceChoice::kGpu));
  ASSERT_EQ(cpu.path_values.size(), gpu.path_values.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < cpu.path_values.size(); ++i) {
    if (!close_money(cpu.path_values[i], gpu.path_values[i])) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
  for (std::size_t s = 0; s < cpu.scenarios.size(); ++s) {
    EXPECT_TRUE(close_money(cpu.scenarios[s].total, gpu.scenarios[s].total)) << cpu.scenarios[s].name;
  }
}

// LMM paths: the shared fill with the CPU's Philox and with cuRAND, every value of the table and
// of the horizon curves to 1e-12 relative.
TEST(GpuParity, LmmPathsMatchTheCpu) {
  RATESIM_REQUIRE_GPU();
  LmmSpec spec;
  spec.n_rates = 120;
  spec.n_factors = 3;
  spec.displacement = 0.02;
  spec.volatility = AbcdVolatility{-0.02, 0.25, 0.8, 0.12};
  spec.steps_per_accrual = 3;
  spec.horizon_periods = 8;
  const DiscountCurve curve = test::sample_curve();
  const LmmTables lmm = build_lmm_tables(spec, curve);
  const Date today = make_date(2026, 6, 30);
  const IndexSchedule schedule = build_index_schedule(make_calendar_grid(today, DayCount::kAct365Fixed, 1, 24),
                                                      default_indices(), today, DayCount::kAct365Fixed);
  const std::vector<double> nodes = horizon_curve_nodes();
  std::vector<double> cpu_curves, gpu_curves;
  const HostPathTable a = lmm_path_table(Backend::kCpu, lmm, schedule, nodes, 99, 1000, 3000, cpu_curves);
  const HostPathTable b = lmm_path_table(Backend::kCuda, lmm, schedule, nodes, 99, 1000, 3000, gpu_curves);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < a.storage.size(); ++i) mismatches += !close(a.storage[i], b.storage[i]);
  for (std::size_t i = 0; i < cpu_curves.size(); ++i) mismatches += !close(cpu_curves[i], gpu_curves[i]);
  EXPECT_EQ(mismatches, 0u);
}

// Giles' swaption workload (benchmarks/lmm_bench.cpp), smaller: double paths to 1e-12; float
// paths to 1e-5 relative, the host's and the device's expf/logf differing in their last bits and
// the differences compounding over 40 steps of 80 rates.
TEST(GpuParity, LmmSwaptionPortfolioMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  LmmSpec spec;
  spec.n_rates = 80;
  spec.n_factors = 2;
  spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, 0.2};
  spec.horizon_periods = 40;
  const LmmTables lmm = build_lmm_tables(spec, test::sample_curve());
  const SwaptionPortfolio book{40, {4, 20, 40}, {0.03, 0.035, 0.04}, 100.0};
  for (Precision precision : {Precision::kDouble, Precision::kFloat}) {
    const auto cpu = lmm_swaption_portfolio_values(Backend::kCpu, precision, lmm, book, 11, 500, 4000);
    const auto gpu = lmm_swaption_portfolio_values(Backend::kCuda, precision, lmm, book, 11, 500, 4000);
    const double tolerance = precision == Precision::kDouble ? 1e-12 : 1e-5;
    std::size_t mismatches = 0;
    for (std::size_t p = 0; p < cpu.values.size(); ++p) {
      const double scale = std::max(std::fabs(cpu.values[p]), 1.0);
      mismatches += !(std::fabs(cpu.values[p] - gpu.values[p]) <= tolerance * scale);
    }
    EXPECT_EQ(mismatches, 0u) << (precision == Precision::kDouble ? "double" : "float");
  }
}

TEST(GpuParity, CpuOnlyBuildsSayWhy) {
  if (cuda_backend_compiled()) GTEST_SKIP() << "this build has the CUDA backend";
  EXPECT_THROW(select_backend(DeviceChoice::kGpu), std::runtime_error);
  EXPECT_EQ(select_backend(DeviceChoice::kAuto).backend, Backend::kCpu);
}

}  // namespace
}  // namespace ratesim
