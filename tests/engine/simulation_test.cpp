// Reproducibility: the same seed gives the same bits for any chunking.

#include "ratesim/engine/simulation.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "ratesim/model/hull_white_tables.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

SimulationSpec small_spec(std::int64_t paths) { return test::hull_white_spec(0.03, 0.01, 24, paths, 77); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(ChunkPlan, WholeBlocksAndARaggedTail) {
  EXPECT_EQ(plan_chunks(5000, 2048), (std::vector<std::int64_t>{2048, 2048, 904}));
  EXPECT_EQ(plan_chunks(5000, 3000), (std::vector<std::int64_t>{2048, 2048, 904}));  // rounded down
  EXPECT_EQ(plan_chunks(100, 500), (std::vector<std::int64_t>{100}));
  EXPECT_EQ(plan_chunks(1, 1), (std::vector<std::int64_t>{1}));
  EXPECT_THROW(plan_chunks(0, 1024), std::invalid_argument);
}

const std::vector<std::int64_t> kSevenUnevenChunks{3072, 1024, 7168, 2048, 5120, 1024, 1544};

TEST(Reproducibility, PathsAreIdenticalForAnyChunking) {
  const SimulationSpec spec = small_spec(21000);
  const HullWhiteTables tables = build_hull_white_tables(spec.curve, spec.model, spec.grid,
                                                         spec.indices, spec.valuation_date,
                                                         spec.day_count);
  const auto whole_engine = make_cpu_path_engine(tables);
  whole_engine->generate(spec.seed, 0, static_cast<int>(spec.paths));
  const HostPathTable whole = whole_engine->download();

  const auto engine = make_cpu_path_engine(tables);
  std::int64_t first = 0;
  std::size_t compared = 0;
  for (std::int64_t n : kSevenUnevenChunks) {
    engine->generate(spec.seed, first, static_cast<int>(n));
    const HostPathTable part = engine->download();
    for (int p = 0; p < part.view.n_paths; ++p) {
      const int global = static_cast<int>(first) + p;
      for (int k = 0; k < part.view.n_dates; ++k) {
        ASSERT_TRUE(same_bits(part.view.state_at(k, p), whole.view.state_at(k, global)));
        ASSERT_TRUE(same_bits(part.view.discount_at(k, p), whole.view.discount_at(k, global)));
        for (int i = 0; i < part.view.n_indices; ++i) {
          ASSERT_TRUE(same_bits(part.view.index_rate_at(i, k, p), whole.view.index_rate_at(i, k, global)));
        }
        ++compared;
      }
    }
    first += n;
  }
  EXPECT_EQ(compared, static_cast<std::size_t>(spec.paths) * spec.grid.times.size());
}

TEST(Reproducibility, SummaryIsBitIdenticalForAnyChunking) {
  const SimulationSpec spec = small_spec(21000);
  const BackendSelection cpu = select_backend(DeviceChoice::kCpu);
  const SimulationResult one = run_simulation(spec, cpu, {21000});
  const SimulationResult seven = run_simulation(spec, cpu, kSevenUnevenChunks);
  const SimulationResult automatic = run_simulation(spec, cpu);
  ASSERT_EQ(seven.chunks.size(), 7u);
  for (const SimulationResult* other : {&seven, &automatic}) {
    ASSERT_EQ(one.dates.size(), other->dates.size());
    for (std::size_t k = 0; k < one.dates.size(); ++k) {
      const DateSummary &a = one.dates[k], &b = other->dates[k];
      EXPECT_TRUE(same_bits(a.mc_discount_mean, b.mc_discount_mean)) << k;
      EXPECT_TRUE(same_bits(a.mc_discount_std_error, b.mc_discount_std_error)) << k;
      EXPECT_TRUE(same_bits(a.short_rate_mean, b.short_rate_mean)) << k;
      EXPECT_TRUE(same_bits(a.short_rate_std, b.short_rate_std)) << k;
      for (std::size_t q = 0; q < a.short_rate_quantiles.size(); ++q) {
        EXPECT_TRUE(same_bits(a.short_rate_quantiles[q], b.short_rate_quantiles[q])) << k;
      }
    }
  }
}

TEST(Reproducibility, DifferentSeedsGiveDifferentPaths) {
  SimulationSpec spec = small_spec(2048);
  const BackendSelection cpu = select_backend(DeviceChoice::kCpu);
  const SimulationResult a = run_simulation(spec, cpu);
  spec.seed += 1;
  const SimulationResult b = run_simulation(spec, cpu);
  EXPECT_NE(a.dates[12].mc_discount_mean, b.dates[12].mc_discount_mean);
}

TEST(Reproducibility, RejectsChunksThatSplitAReductionBlock) {
  const SimulationSpec spec = small_spec(3000);
  const BackendSelection cpu = select_backend(DeviceChoice::kCpu);
  EXPECT_THROW(run_simulation(spec, cpu, {1000, 2000}), std::invalid_argument);
  EXPECT_THROW(run_simulation(spec, cpu, {1024, 1024}), std::invalid_argument);  // sum != paths
}

TEST(Simulation, ZeroVolatilityReproducesTheCurveExactly) {
  SimulationSpec spec = small_spec(1500);
  spec.model.volatility = 0.0;
  const SimulationResult r = run_simulation(spec, select_backend(DeviceChoice::kCpu));
  for (const DateSummary& d : r.dates) {
    EXPECT_NEAR(d.mc_discount_mean, d.curve_discount, 1e-15);
    EXPECT_EQ(d.mc_discount_std_error, 0.0);
    for (double q : d.short_rate_quantiles) EXPECT_EQ(q, d.model_short_rate_mean);
  }
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// `simulate` with the LMM: on its tenor dates the spot-measure martingale E[D(0,T_j)] = P(0,T_j)
// holds exactly, so the Monte Carlo must meet the curve within 4 standard errors; the summary is
// bit-identical for any chunking; the spot rate at t = 0 is today's first forward on every path.
TEST(LmmSimulation, DiscountFactorsMeetTheCurveOnTheTenorDates) {
  SimulationSpec spec = test::hull_white_spec(0.03, 0.01, 60, 8000, 91);
  LmmSpec lmm;
  lmm.n_rates = 40;
  lmm.accrual_months = 6;
  lmm.n_factors = 3;
  lmm.displacement = 0.01;
  lmm.volatility = AbcdVolatility{-0.02, 0.25, 0.8, 0.12};
  spec.lmm = lmm;
  const SimulationResult a = run_simulation(spec, select_backend(DeviceChoice::kCpu));
  ASSERT_EQ(a.dates.size(), 11u);  // T_0 .. T_10: five years of half-years
  test::Figure figure("LMM simulate: |E[D(0,T_j)] - P(0,T_j)| in standard errors", 4.0);
  for (std::size_t j = 1; j < a.dates.size(); ++j) {
    const DateSummary& d = a.dates[j];
    EXPECT_DOUBLE_EQ(d.time, 0.5 * static_cast<double>(j));
    if (j == 1) {
      // D(0,T_1) = 1 / (1 + delta L_0(0)) is known today: the same on every path.
      EXPECT_EQ(d.mc_discount_std_error, 0.0);
      EXPECT_NEAR(d.mc_discount_mean, d.curve_discount, 1e-15);
    } else {
      ASSERT_GT(d.mc_discount_std_error, 0.0);
      EXPECT_NEAR(figure(std::fabs(d.mc_discount_mean - d.curve_discount) / d.mc_discount_std_error), 0.0, 4.0) << j;
    }
    EXPECT_TRUE(std::isnan(d.model_short_rate_mean));
    for (std::size_t q = 1; q < d.short_rate_quantiles.size(); ++q) {
      EXPECT_LE(d.short_rate_quantiles[q - 1], d.short_rate_quantiles[q]);
    }
    EXPECT_GT(d.short_rate_std, 0.0);
  }
  const LmmTables today = build_lmm_tables(lmm, spec.curve);
  EXPECT_EQ(a.dates[0].short_rate_mean, today.initial_forwards[0]);
  EXPECT_EQ(a.dates[0].short_rate_std, 0.0);
  EXPECT_DOUBLE_EQ(a.dates[0].mc_discount_mean, 1.0);

  const SimulationResult b = run_simulation(spec, select_backend(DeviceChoice::kCpu), {1, 999, 2500, 4500});
  ASSERT_EQ(b.dates.size(), a.dates.size());
  for (std::size_t j = 0; j < a.dates.size(); ++j) {
    EXPECT_TRUE(same_bits(a.dates[j].mc_discount_mean, b.dates[j].mc_discount_mean)) << j;
    EXPECT_TRUE(same_bits(a.dates[j].mc_discount_std_error, b.dates[j].mc_discount_std_error)) << j;
    EXPECT_TRUE(same_bits(a.dates[j].short_rate_std, b.dates[j].short_rate_std)) << j;
    for (std::size_t q = 0; q < a.dates[j].short_rate_quantiles.size(); ++q) {
      EXPECT_TRUE(same_bits(a.dates[j].short_rate_quantiles[q], b.dates[j].short_rate_quantiles[q])) << j;
    }
  }
}

}  // namespace
}  // namespace ratesim
