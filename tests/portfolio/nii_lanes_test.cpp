// The CPU's month step runs eight paths side by side in SIMD lanes (host/engine/cpu_nii.cpp);
// the reference is the shared scalar code one path at a time, as each GPU thread runs it
// (CpuVectorIsa::kScalar). Every instruction set the machine has must give the same bits as the
// others, and every value on every path must be within 1e-10 of the reference, relative: the
// lanes differ from it only in their own exp and log, each within an ulp of the library's.

#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>
#include <cstring>

#include "kinds_book.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/nii.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

constexpr CpuVectorIsa kLanes[] = {CpuVectorIsa::kSse2, CpuVectorIsa::kAvx2, CpuVectorIsa::kAvx512};

BackendSelection cpu(CpuVectorIsa isa) { return {Backend::kCpu, "CPU", "", isa}; }

/// The worst relative gap between two runs' per-path values and deterministic figures. A value
/// whose reference is zero counts relative to the largest reference value of its column, so an
/// exact zero that comes out as rounding noise is caught without dividing by zero.
double worst_relative_gap(const NiiResult& lanes, const NiiResult& scalar) {
  EXPECT_EQ(lanes.path_values.size(), scalar.path_values.size());
  if (lanes.path_values.size() != scalar.path_values.size()) return INFINITY;
  const int width = scalar.width();
  std::vector<double> column_scale(static_cast<std::size_t>(width), 0.0);
  for (std::size_t k = 0; k < scalar.path_values.size(); ++k) {
    double& s = column_scale[k % static_cast<std::size_t>(width)];
    s = std::fmax(s, std::fabs(scalar.path_values[k]));
  }
  double worst = 0.0;
  auto note = [&](double a, double b, double scale) {
    const double denominator = b != 0.0 ? std::fabs(b) : scale;
    const double gap = a == b ? 0.0 : std::fabs(a - b) / denominator;
    worst = std::isnan(gap) ? INFINITY : std::fmax(worst, gap);
  };
  for (std::size_t k = 0; k < scalar.path_values.size(); ++k) {
    note(lanes.path_values[k], scalar.path_values[k], column_scale[k % static_cast<std::size_t>(width)]);
  }
  // The deterministic paths (base and scenarios) go through the same month step.
  note(lanes.base.total, scalar.base.total, std::fabs(scalar.base.total));
  EXPECT_EQ(lanes.scenarios.size(), scalar.scenarios.size());
  for (std::size_t s = 0; s < scalar.scenarios.size() && s < lanes.scenarios.size(); ++s) {
    note(lanes.scenarios[s].total, scalar.scenarios[s].total, std::fabs(scalar.scenarios[s].total));
    for (std::size_t m = 0; m < scalar.scenarios[s].by_month.size(); ++m) {
      note(lanes.scenarios[s].by_month[m], scalar.scenarios[s].by_month[m], std::fabs(scalar.scenarios[s].total));
    }
  }
  return worst;
}

bool same_bits(const NiiResult& a, const NiiResult& b) {
  return a.path_values.size() == b.path_values.size() &&
         std::memcmp(a.path_values.data(), b.path_values.data(), a.path_values.size() * sizeof(double)) == 0 &&
         std::memcmp(&a.base.total, &b.base.total, sizeof(double)) == 0;
}

/// Runs `spec` on the reference and on every instruction set this CPU has: each within `limit`
/// of the reference, all of them the same bits.
void check_lanes(const EveSpec& book, const NiiSpec& spec, test::Figure& figure, double limit) {
  const NiiResult scalar = run_nii(book, spec, cpu(CpuVectorIsa::kScalar));
  ASSERT_GT(scalar.path_values.size(), 0u);
  const NiiResult* first = nullptr;
  std::vector<NiiResult> runs;
  runs.reserve(3);
  for (const CpuVectorIsa isa : kLanes) {
    if (!cpu_supports(isa)) {
      std::printf("this CPU has no %s: its lanes are not compared\n", cpu_vector_isa_name(isa));
      continue;
    }
    runs.push_back(run_nii(book, spec, cpu(isa)));
    EXPECT_LE(figure(worst_relative_gap(runs.back(), scalar)), limit) << cpu_vector_isa_name(isa);
    if (!first) first = &runs.back();
    EXPECT_TRUE(same_bits(runs.back(), *first)) << cpu_vector_isa_name(isa) << " against " << cpu_vector_isa_name(kLanes[0]);
  }
}

TEST(NiiLanes, KindsBookEveryValueOnEveryPathMatchesTheScalarStep) {
  // 61 paths: the last group of eight has spare lanes. Both assumptions, the horizon EVE from the
  // series and by revaluation (the lanes hand each path's state to the scalar horizon valuation).
  const EveSpec book = test::kinds_book();
  test::Figure figure("kinds book: per-path NII and horizon EVE, SIMD lanes vs the scalar step, relative", 1e-10);
  for (const auto assumption : {BalanceSheetAssumption::kConstant, BalanceSheetAssumption::kRunOff}) {
    for (const auto series : {HorizonSeriesMode::kAlways, HorizonSeriesMode::kOff}) {
      SCOPED_TRACE(testing::Message() << (assumption == BalanceSheetAssumption::kConstant ? "constant" : "run-off")
                                      << (series == HorizonSeriesMode::kOff ? ", revalued" : ", series"));
      check_lanes(book, test::kinds_book_run(61, assumption, series), figure, 1e-10);
    }
  }
}

TEST(NiiLanes, SampleBankAndItsScenariosMatchTheScalarStep) {
  RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec book = make_eve_spec(config);
  NiiSpec spec = make_nii_spec(config, book);
  spec.paths = 45;
  ASSERT_FALSE(spec.scenarios.empty());
  test::Figure figure("sample bank: per-path NII and horizon EVE, SIMD lanes vs the scalar step, relative", 1e-10);
  check_lanes(book, spec, figure, 1e-10);
}

TEST(NiiLanes, LmmPathsMatchTheScalarStep) {
  RunConfig config = load_run_config(test::source_path("scenarios/examples/lmm_bank.yaml"), true);
  const EveSpec book = make_eve_spec(config);
  NiiSpec spec = make_nii_spec(config, book);
  ASSERT_TRUE(spec.lmm.has_value());
  spec.paths = 29;
  spec.scenarios.clear();
  test::Figure figure("LMM example: per-path NII and horizon EVE, SIMD lanes vs the scalar step, relative", 1e-10);
  check_lanes(book, spec, figure, 1e-10);
}

TEST(NiiLanes, BitsIgnoreThreadsAndChunks) {
  const EveSpec book = test::kinds_book();
  NiiSpec spec = test::kinds_book_run(75, BalanceSheetAssumption::kConstant, HorizonSeriesMode::kAlways);
  const NiiResult whole = run_nii(book, spec, cpu(CpuVectorIsa::kBest));
  const int before = omp_get_max_threads();
  for (const int threads : {1, 3}) {
    for (const std::int64_t chunk : {std::int64_t{0}, std::int64_t{13}}) {
      omp_set_num_threads(threads);
      spec.chunk_paths = chunk;
      const NiiResult r = run_nii(book, spec, cpu(CpuVectorIsa::kBest));
      omp_set_num_threads(before);
      EXPECT_TRUE(same_bits(r, whole)) << threads << " threads, chunks of " << chunk << " paths";
    }
  }
}

TEST(NiiLanes, AnInstructionSetTheCpuLacksIsAnError) {
  for (const CpuVectorIsa isa : kLanes) {
    if (cpu_supports(isa)) continue;
    EXPECT_THROW(run_nii(test::kinds_book(), test::kinds_book_run(8, BalanceSheetAssumption::kConstant, HorizonSeriesMode::kOff),
                         cpu(isa)),
                 std::runtime_error);
    return;
  }
  GTEST_SKIP() << "this CPU has every instruction set the month step is compiled for (SSE2, AVX2, AVX-512)";
}

}  // namespace
}  // namespace ratesim
