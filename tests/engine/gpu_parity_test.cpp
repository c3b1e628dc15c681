// CPU/GPU parity: the CUDA kernels and the CPU loops run the same RATESIM_HD code on the same
// Philox streams. They may differ by the device math library's last bits and by nvcc's fused
// multiply-adds; every value must stay within the bound its conditioning gives
// (parity_bounds.hpp, itself tested without a GPU in parity_bounds_test.cpp). Every device output
// is filled with NaN before its kernel runs (kernels/device_buffer.cuh: fill_nan), so a kernel
// that leaves a value unwritten fails here. Each test skips, saying why, without a GPU;
// scripts/device-check fails any skip on a machine that has one.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <regex>

#include "parity_bounds.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/lmm_paths.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "portfolio/kinds_book.hpp"
#include "test_support.hpp"
#if RATESIM_WITH_GILES
#include "benchmarks/giles/giles_workload.hpp"
#endif

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

constexpr std::uint64_t kSeed = 4242;

SimulationSpec parity_spec() { return test::hull_white_spec(0.03, 0.01, 120, 50000, kSeed); }

// Counts values outside their bound and keeps the worst |cpu - gpu| / bound.
struct Tally {
  std::size_t compared = 0, outside = 0;
  double worst = 0.0;
  void add(double cpu, double gpu, double bound) {
    ++compared;
    const double d = std::fabs(cpu - gpu);
    if (!(d <= bound)) ++outside;  // NaN is outside
    worst = std::isnan(d) ? INFINITY : std::max(worst, d / bound);
  }
};

TEST(GpuParity, EveryPathMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const SimulationSpec spec = parity_spec();
  const HullWhiteTables tables = build_hull_white_tables(spec.curve, spec.model, spec.grid, spec.indices,
                                                         spec.valuation_date, spec.day_count);
  const auto cpu = make_cpu_path_engine(tables);
  const auto gpu = make_cuda_path_engine(tables);
  test::Figure figure("GPU vs CPU Hull-White paths, |diff| / parity bound", 1.0);
  Tally tally;
  std::int64_t first = 0;
  for (std::int64_t n : {20480, 17408, 12112}) {  // uneven chunks on both sides
    cpu->generate(spec.seed, first, static_cast<int>(n));
    gpu->generate(spec.seed, first, static_cast<int>(n));
    const HostPathTable a = cpu->download(), b = gpu->download();
    test::for_each_hull_white_value(tables, spec.seed, first, a.view, b.view,
                                    [&](double x, double y, double bound) { tally.add(x, y, bound); });
    first += n;
  }
  figure(tally.worst);
  EXPECT_EQ(tally.outside, 0u) << "of " << tally.compared << " values; worst " << tally.worst << " of its bound";
}

// The summary: a mean over paths moves by at most the largest per-path bound, a standard deviation
// by at most the largest bound times sqrt(n / (n - 1)); a histogram quantile by one bin width (a
// path within its bound of a bin edge may fall on either side). The GPU's own summary is
// bit-identical for any chunking.
TEST(GpuParity, SummaryMatchesTheCpuAndIgnoresChunking) {
  RATESIM_REQUIRE_GPU();
  const SimulationSpec spec = parity_spec();
  const HullWhiteTables tables = build_hull_white_tables(spec.curve, spec.model, spec.grid, spec.indices,
                                                         spec.valuation_date, spec.day_count);
  std::vector<double> worst_x(tables.times.size(), 0.0), worst_d(tables.times.size(), 0.0);
  for (std::int64_t p = 0; p < spec.paths; ++p) {
    const test::HullWhitePathBounds b = test::hull_white_path_bounds(tables, spec.seed, static_cast<std::uint64_t>(p));
    for (std::size_t k = 0; k < worst_x.size(); ++k) {
      worst_x[k] = std::max(worst_x[k], b.state[k]);
      worst_d[k] = std::max(worst_d[k], b.discount[k]);
    }
  }
  const SimulationResult cpu = run_simulation(spec, select_backend(DeviceChoice::kCpu));
  const BackendSelection gpu_backend = select_backend(DeviceChoice::kGpu);
  const SimulationResult gpu = run_simulation(spec, gpu_backend);
  const SimulationResult gpu_chunked =
      run_simulation(spec, gpu_backend, {3072, 1024, 7168, 2048, 5120, 1024, 30544});
  const double n = static_cast<double>(spec.paths);
  for (std::size_t k = 0; k < cpu.dates.size(); ++k) {
    const double sd = std::sqrt(hw_state_variance(spec.model, cpu.dates[k].time));
    const double bin = sd > 0.0 ? 20.0 * sd / spec.histogram_bins : 0.0;
    EXPECT_LE(std::fabs(cpu.dates[k].mc_discount_mean - gpu.dates[k].mc_discount_mean), worst_d[k] + 1e-16) << k;
    EXPECT_LE(std::fabs(cpu.dates[k].short_rate_std - gpu.dates[k].short_rate_std),
              worst_x[k] * std::sqrt(n / (n - 1.0)) + 1e-16) << k;
    for (std::size_t q = 0; q < cpu.dates[k].short_rate_quantiles.size(); ++q) {
      EXPECT_LE(std::fabs(cpu.dates[k].short_rate_quantiles[q] - gpu.dates[k].short_rate_quantiles[q]), bin + 1e-15)
          << k << " q" << q;
    }
    EXPECT_EQ(gpu.dates[k].mc_discount_mean, gpu_chunked.dates[k].mc_discount_mean) << k;
    EXPECT_EQ(gpu.dates[k].short_rate_quantiles, gpu_chunked.dates[k].short_rate_quantiles) << k;
  }
}

// Position values: each within 64 u |notional| (1 + T) (test::BookScale::position).
void expect_valuations_match(const EveSpec& spec, const char* what) {
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
  const test::BookScale scale = test::book_scale(spec.portfolio, spec.behaviours, spec.valuation_date.days);
  test::Figure figure(std::string("GPU vs CPU position values (") + what + "), |diff| / parity bound", 1.0);
  Tally tally;
  const auto n = static_cast<std::size_t>(spec.portfolio.size());
  for (std::size_t j = 0; j < a.values.size(); ++j) {
    const std::size_t i = j % n;
    const double years = (spec.portfolio.maturity_day[i] - spec.valuation_date.days) / 365.25;
    tally.add(a.values[j], b.values[j], scale.position(spec.portfolio.notional[i], std::max(years, 10.0)));
  }
  figure(tally.worst);
  EXPECT_EQ(tally.outside, 0u) << what << ": of " << tally.compared << ", worst " << tally.worst;
}

// Every position of the bundled sample bank, every scenario and bump of its run.
TEST(GpuParity, SampleBankValuationMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec spec = make_eve_spec(config);
  const EveResult cpu = run_eve(spec, select_backend(DeviceChoice::kCpu));
  const EveResult gpu = run_eve(spec, select_backend(DeviceChoice::kGpu));
  EXPECT_EQ(cpu.valuations, gpu.valuations);
  const test::BookScale scale = test::book_scale(spec.portfolio, spec.behaviours, spec.valuation_date.days);
  const double book = scale.position(scale.gross, scale.longest_years);
  EXPECT_LE(std::fabs(cpu.base.value - gpu.base.value), book);
  for (std::size_t s = 0; s < cpu.scenarios.size(); ++s) {
    EXPECT_LE(std::fabs(cpu.scenarios[s].value - gpu.scenarios[s].value), book) << cpu.scenarios[s].name;
  }
  // DV01 is a difference of two revaluations divided by 2 bp.
  EXPECT_LE(std::fabs(cpu.sensitivities.dv01 - gpu.sensitivities.dv01), book / 2e-4 * 1e-4);
  expect_valuations_match(spec, "sample bank");
}

// Two currencies, each valued on its own curve and converted: a third of the sample bank in EUR
// on a curve of its own.
TEST(GpuParity, MultiCurrencyValuationMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const auto dir = test::temp_dir("gpu-multicurrency");
  std::ifstream in(test::source_path("scenarios/sample_bank/positions.csv"));
  std::ofstream out(dir / "positions.csv");
  std::string line;
  for (int n = 0; std::getline(in, line); ++n) {
    if (n > 0 && n % 3 == 0) line = std::regex_replace(line, std::regex(",USD,"), ",EUR,");
    out << line << '\n';
  }
  out.close();
  std::ofstream(dir / "eur.csv") << "tenor,zero_rate\n3M,0.021\n1Y,0.022\n2Y,0.023\n5Y,0.025\n10Y,0.027\n30Y,0.028\n";
  std::ofstream(dir / "bank.yaml")
      << "valuation_date: 2026-06-30\nday_count: ACT/365F\nreporting_currency: USD\n"
      << "curves:\n  USD: {file: " << test::source_path("scenarios/curves/usd_sofr_2026-06-30.csv")
      << ", compounding: continuous}\n  EUR: {file: eur.csv, compounding: continuous}\n"
      << "fx: {EUR: 1.08}\nmodel: {type: hull_white, mean_reversion: 0.03, volatility: 0.009}\n"
      << "positions: positions.csv\nbehaviours: " << test::source_path("scenarios/sample_bank/behaviours.yaml") << "\n"
      << "scenarios: {sets: [bcbs368]}\nnii: {monte_carlo: false}\n";
  const RunConfig config = load_run_config((dir / "bank.yaml").string(), true);
  const EveSpec spec = make_eve_spec(config);
  ASSERT_EQ(spec.currencies.size(), 2u);
  const EveResult cpu = run_eve(spec, select_backend(DeviceChoice::kCpu));
  const EveResult gpu = run_eve(spec, select_backend(DeviceChoice::kGpu));
  const test::BookScale scale = test::book_scale(spec.portfolio, spec.behaviours, spec.valuation_date.days);
  const double book = 1.08 * scale.position(scale.gross, scale.longest_years);
  EXPECT_LE(std::fabs(cpu.base.value - gpu.base.value), book);
  for (std::size_t s = 0; s < cpu.scenarios.size(); ++s) {
    EXPECT_LE(std::fabs(cpu.scenarios[s].value - gpu.scenarios[s].value), book) << cpu.scenarios[s].name;
  }
  expect_valuations_match(spec, "two currencies");
}

// Per-path NII and horizon EVE: each value within test::BookScale's bound for the path's own
// bounds (its worst index-rate bound over the horizon and, for the EVE, its horizon-curve bound:
// ln P(H, H + tau) = log_a(tau) - B(tau) x(H), so B(tau) dx(H) <= tau dx(H)).
void expect_nii_matches(const EveSpec& eve, const NiiSpec& spec, const char* what) {
  const NiiResult cpu = run_nii(eve, spec, select_backend(DeviceChoice::kCpu));
  const NiiResult gpu = run_nii(eve, spec, select_backend(DeviceChoice::kGpu));
  ASSERT_EQ(cpu.path_values.size(), gpu.path_values.size());
  const test::BookScale scale = test::book_scale(eve.portfolio, eve.behaviours, eve.valuation_date.days);
  const double horizon_years = spec.horizon_months / 12.0;
  // The deterministic scenarios run on tables filled on the host: arithmetic alone differs.
  for (std::size_t s = 0; s < cpu.scenarios.size(); ++s) {
    EXPECT_LE(std::fabs(cpu.scenarios[s].total - gpu.scenarios[s].total), scale.nii(horizon_years, 0.0))
        << what << ": " << cpu.scenarios[s].name;
  }
  EXPECT_LE(std::fabs(cpu.base.total - gpu.base.total), scale.nii(horizon_years, 0.0)) << what;
  const int width = cpu.width();
  const TimeGrid grid = make_calendar_grid(eve.valuation_date, eve.day_count, 1, spec.horizon_months);
  const std::vector<IndexSpec> indices = required_indices(eve.portfolio, eve.behaviours);
  std::optional<HullWhiteTables> hw;
  std::optional<LmmTables> lmm;
  if (spec.lmm) {
    lmm = build_lmm_tables(on_monthly_steps(*spec.lmm, periods_covering(*spec.lmm, spec.horizon_months)),
                           eve.base_curves[0]);
  } else {
    hw = build_hull_white_tables(eve.base_curves[0], eve.model, grid, indices, eve.valuation_date, eve.day_count);
  }
  test::Figure figure(std::string("GPU vs CPU per-path NII and horizon EVE (") + what + "), |diff| / parity bound", 1.0);
  Tally tally;
  for (std::int64_t p = 0; p < cpu.paths; ++p) {
    double rate_error = 0.0, curve_error = 0.0;
    if (hw) {
      const test::HullWhitePathBounds b = test::hull_white_path_bounds(*hw, spec.seed, static_cast<std::uint64_t>(p));
      for (const auto& r : b.rates) rate_error = std::max(rate_error, *std::max_element(r.begin(), r.end()));
      curve_error = b.state.back();  // times tau, which BookScale::eve's T supplies
    } else {
      const std::vector<double> rho = test::lmm_forward_error_bounds(lmm->view(), spec.seed, static_cast<std::uint64_t>(p));
      const double worst = *std::max_element(rho.begin(), rho.end());
      rate_error = 2.0 * worst + 64.0 * test::kUnitRoundoff;  // forwards below 100%, through BondStrip's terms
      curve_error = worst;
    }
    const int eve_column = cpu.eve_column();
    for (int j = 0; j < width; ++j) {
      const std::size_t at = static_cast<std::size_t>(p) * width + j;
      // The last column is D(0, H), a path-table value with its own, far smaller, bound.
      const double bound = j < eve_column ? scale.nii(horizon_years, rate_error)
                           : j + 1 < width ? scale.eve(horizon_years, rate_error, curve_error)
                                           : 1e-12;
      tally.add(cpu.path_values[at], gpu.path_values[at], bound);
    }
  }
  figure(tally.worst);
  EXPECT_EQ(tally.outside, 0u) << what << ": of " << tally.compared << ", worst " << tally.worst;
}

struct SampleBank {
  RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  EveSpec eve = make_eve_spec(config);
  NiiSpec nii = make_nii_spec(config, eve);
};

TEST(GpuParity, SampleBankNiiMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  SampleBank bank;
  bank.nii.paths = 512;
  expect_nii_matches(bank.eve, bank.nii, "constant balance sheet");
}

TEST(GpuParity, RunOffBalanceSheetNiiMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  SampleBank bank;
  bank.nii.paths = 256;
  bank.nii.assumption = BalanceSheetAssumption::kRunOff;
  bank.nii.horizon_months = 24;
  expect_nii_matches(bank.eve, bank.nii, "run-off, 24 months");
}

// Several chunks on the GPU: the paths' results bit-identical to one chunk, and to the CPU within
// the bounds.
TEST(GpuParity, MultiChunkNiiMatchesOneChunkAndTheCpu) {
  RATESIM_REQUIRE_GPU();
  SampleBank bank;
  bank.nii.paths = 300;
  const BackendSelection gpu = select_backend(DeviceChoice::kGpu);
  NiiSpec chunked = bank.nii;
  chunked.chunk_paths = 37;
  const NiiResult one = run_nii(bank.eve, bank.nii, gpu);
  const NiiResult many = run_nii(bank.eve, chunked, gpu);
  EXPECT_GT(many.chunks.size(), 8u);
  EXPECT_EQ(one.path_values, many.path_values);
  expect_nii_matches(bank.eve, chunked, "chunks of 37 paths");
}

TEST(GpuParity, NiiOnLmmPathsMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  const RunConfig config = load_run_config(test::source_path("scenarios/examples/lmm_bank.yaml"), true);
  const EveSpec eve = make_eve_spec(config);
  NiiSpec spec = make_nii_spec(config, eve);
  ASSERT_TRUE(spec.lmm.has_value());
  spec.paths = 256;
  spec.chunk_paths = 100;
  expect_nii_matches(eve, spec, "LMM paths");
}

// The horizon EVE from the legs' series on the GPU (issue 12): every position of the kinds book, in
// a segment of its own, on every path, against the full revaluation on the same device within the
// bounds horizon_series_test holds on the CPU (docs/validation.md); and the series run against the
// CPU's within the parity bounds.
TEST(GpuParity, HorizonSeriesMatchTheFullRevaluationOnTheGpu) {
  RATESIM_REQUIRE_GPU();
  const EveSpec book = test::kinds_book();
  const BackendSelection gpu = select_backend(DeviceChoice::kGpu);
  for (const BalanceSheetAssumption assumption : {BalanceSheetAssumption::kConstant, BalanceSheetAssumption::kRunOff}) {
    const char* what = assumption == BalanceSheetAssumption::kConstant ? "kinds book, series, constant" : "kinds book, series, run-off";
    const NiiSpec series_spec = test::kinds_book_run(256, assumption, HorizonSeriesMode::kAlways);
    const NiiResult series = run_nii(book, series_spec, gpu);
    const NiiResult revalued = run_nii(book, test::kinds_book_run(256, assumption, HorizonSeriesMode::kOff), gpu);
    EXPECT_GT(series.horizon_series.legs[static_cast<int>(HorizonForm::kTensor)], 0) << what;
    test::expect_series_match_revaluation(series, revalued, book.portfolio, std::string("GPU, ") + what,
                                          "each position's horizon value");
    expect_nii_matches(book, series_spec, what);
  }
}

// LMM paths: the shared fill with the CPU's Philox and with cuRAND, every value of the table and
// of the horizon curves within its bound (test::lmm_table_bound).
TEST(GpuParity, LmmPathsMatchTheCpu) {
  RATESIM_REQUIRE_GPU();
  const LmmTables lmm = build_lmm_tables(test::parity_lmm_spec(), test::sample_curve());
  const Date today = make_date(2026, 6, 30);
  const IndexSchedule schedule = build_index_schedule(make_calendar_grid(today, DayCount::kAct365Fixed, 1, 24),
                                                      default_indices(), today, DayCount::kAct365Fixed);
  const std::vector<double> nodes = horizon_curve_nodes();
  std::vector<double> cpu_curves, gpu_curves;
  const int first = 1000, paths = 3000;
  const HostPathTable a = lmm_path_table(Backend::kCpu, lmm, schedule, nodes, 99, first, paths, cpu_curves);
  const HostPathTable b = lmm_path_table(Backend::kCuda, lmm, schedule, nodes, 99, first, paths, gpu_curves);
  test::Figure figure("GPU vs CPU LMM paths, |diff| / parity bound", 1.0);
  Tally tally;
  test::for_each_lmm_value(lmm.view(), schedule.view(), nodes, 99, first, a.view, b.view,
                           [&](double x, double y, double bound) { tally.add(x, y, bound); });
  figure(tally.worst);
  EXPECT_EQ(tally.outside, 0u) << "of " << tally.compared << ", worst " << tally.worst;
}

// `simulate` with the LMM on both backends: the mean discount factors within the largest path
// bound, the spot-LIBOR quantiles (exact order statistics) within the largest state bound; the
// GPU bit-identical for any chunking.
TEST(GpuParity, LmmSimulateMatchesTheCpuAndIgnoresChunking) {
  RATESIM_REQUIRE_GPU();
  SimulationSpec spec = load_simulation_config(test::source_path("scenarios/examples/lmm_bank.yaml"));
  spec.paths = 4000;
  const SimulationResult cpu = run_simulation(spec, select_backend(DeviceChoice::kCpu));
  const BackendSelection gpu_backend = select_backend(DeviceChoice::kGpu);
  const SimulationResult gpu = run_simulation(spec, gpu_backend);
  const SimulationResult chunked = run_simulation(spec, gpu_backend, {1000, 1, 2999});
  const LmmTables lmm = build_lmm_tables(on_monthly_steps(*spec.lmm, static_cast<int>(cpu.dates.size()) - 1), spec.curve);
  double worst = 0.0;
  for (std::int64_t p = 0; p < spec.paths; ++p) {
    const auto rho = test::lmm_forward_error_bounds(lmm.view(), spec.seed, static_cast<std::uint64_t>(p));
    worst = std::max(worst, rho.back());
  }
  for (std::size_t j = 0; j < cpu.dates.size(); ++j) {
    const double t = cpu.dates[j].time;
    EXPECT_LE(std::fabs(cpu.dates[j].mc_discount_mean - gpu.dates[j].mc_discount_mean),
              (t + 0.25) * worst + 1e-15) << j;
    for (std::size_t q = 0; q < cpu.dates[j].short_rate_quantiles.size(); ++q) {
      EXPECT_LE(std::fabs(cpu.dates[j].short_rate_quantiles[q] - gpu.dates[j].short_rate_quantiles[q]),
                (1.0 + spec.lmm->displacement) * worst) << j;
    }
    EXPECT_EQ(gpu.dates[j].mc_discount_mean, chunked.dates[j].mc_discount_mean) << j;
    EXPECT_EQ(gpu.dates[j].short_rate_quantiles, chunked.dates[j].short_rate_quantiles) << j;
  }
}

#if RATESIM_WITH_GILES
// Giles' swaption workload (benchmarks/giles), smaller, in both schemes and precisions. A path's
// value is 100 sum_o max(K A_o + B_o - 1, 0) / B(T): with the forwards' relative error rho (of
// L + s, at most F = max L + s on the path), every bond and the annuities move relatively by at
// most (swap years) F rho and the numeraire by (expiry years) F rho, so
// |dV| <= (|V| + 100 n_swaptions (K A + B)) (T_swap + T_expiry) F rho.
TEST(GpuParity, GilesSwaptionPortfolioMatchesTheCpu) {
  RATESIM_REQUIRE_GPU();
  for (LmmScheme scheme : {LmmScheme::kPredictorCorrector, LmmScheme::kEuler}) {
    LmmSpec spec;
    spec.n_rates = 80;
    spec.n_factors = 2;
    spec.volatility = AbcdVolatility{0.0, 0.0, 0.0, 0.2};
    spec.horizon_periods = 40;
    spec.scheme = scheme;
    const LmmTables lmm = build_lmm_tables(spec, test::sample_curve());
    const LmmFloatTables narrow = to_float(lmm);
    const SwaptionPortfolio book{40, {4, 20, 40}, {0.03, 0.035, 0.04}, 100.0};
    for (Precision precision : {Precision::kDouble, Precision::kFloat}) {
      const auto cpu = lmm_swaption_portfolio_values(Backend::kCpu, precision, lmm, book, 11, 500, 4000);
      const auto gpu = lmm_swaption_portfolio_values(Backend::kCuda, precision, lmm, book, 11, 500, 4000);
      const bool single = precision == Precision::kFloat;
      test::Figure figure(std::string("GPU vs CPU Giles portfolio (") + (single ? "float" : "double") + "), |diff| / parity bound", 1.0);
      Tally tally;
      for (std::size_t p = 0; p < cpu.values.size(); ++p) {
        double forward = 0.0;
        const std::vector<double> rho = single ? test::lmm_forward_error_bounds(narrow.view(), 11, 500 + p, &forward)
                                               : test::lmm_forward_error_bounds(lmm.view(), 11, 500 + p, &forward);
        const double scale = std::fabs(cpu.values[p]) + 100.0 * 3.0 * (0.04 * 10.0 + 1.0);
        tally.add(cpu.values[p], gpu.values[p], scale * (10.0 + 10.0) * forward * rho.back());
      }
      figure(tally.worst);
      EXPECT_EQ(tally.outside, 0u) << (single ? "float" : "double") << ": worst " << tally.worst;
    }
  }
}
#endif

TEST(GpuParity, CpuOnlyBuildsSayWhy) {
  if (cuda_backend_compiled()) GTEST_SKIP() << "this build has the CUDA backend";
  EXPECT_THROW(select_backend(DeviceChoice::kGpu), std::runtime_error);
  EXPECT_EQ(select_backend(DeviceChoice::kAuto).backend, Backend::kCpu);
}

}  // namespace
}  // namespace ratesim
