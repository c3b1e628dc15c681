// The CPU/GPU parity bounds (parity_bounds.hpp) tested where no GPU is needed: they must hold for
// every difference the two backends can have, and fail for every mistake a kernel can make.
//  * Normals perturbed within the math libraries' error stay inside the bounds.
//  * The same path code compiled with fused multiply-adds (as nvcc compiles it) stays inside the
//    bounds, and really differs: this is the measurement docs/reproducibility.md quotes for the
//    choice that the GPU contracts and the CPU does not.
//  * A neighbouring path, a swapped normal, an unwritten value (NaN) all fail.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "parity_bounds.hpp"
#include "ratesim/config/simulation_config.hpp"
#include "ratesim/engine/backend.hpp"
#include "ratesim/model/lmm_paths.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

// Normals as another math library would give them: each moved by up to 7u R, u = 2^-53, R the
// pair's radius (the model parity_bounds.hpp assumes, less one ulp).
struct PerturbedNormals {
  PhiloxPathNormals inner;
  std::mt19937_64 engine;
  RATESIM_HD NormalPair next_pair() {
    NormalPair z = inner.next_pair();
    const double radius = std::hypot(z.first, z.second);
    std::uniform_real_distribution<double> shift(-7.0 * test::kUnitRoundoff * radius, 7.0 * test::kUnitRoundoff * radius);
    z.first += shift(engine);
    z.second += shift(engine);
    return z;
  }
};

// The CPU's path code with every a*b+c a candidate for one fused rounding, as nvcc compiles it:
// flatten inlines the whole path into this function and target("fma") lets GCC contract it
// (this file is compiled with -ffp-contract=fast, tests/CMakeLists.txt). The library calls
// (exp, log, sin, cos) stay glibc's, so the difference is the contraction alone.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RATESIM_FMA_PROBE 1
__attribute__((target("fma"), flatten, noinline)) void hull_white_paths_with_fma(
    const HullWhiteGridView& grid, const HullWhiteIndexView& indices, std::uint64_t seed, const PathTableView& out) {
  for (int p = 0; p < out.n_paths; ++p) {
    PhiloxPathNormals normals{seed, static_cast<std::uint64_t>(p)};
    generate_hull_white_path(grid, indices, normals, out, p);
  }
}
__attribute__((target("fma"), flatten, noinline)) void lmm_paths_with_fma(
    const LmmGridView& g, const IndexScheduleView& schedule, const double* horizon_tau, std::uint64_t seed,
    const PathTableView& out) {
  for (int p = 0; p < out.n_paths; ++p) {
    PhiloxPathNormals normals{seed, static_cast<std::uint64_t>(p)};
    lmm_fill_path(g, schedule, horizon_tau, normals, out, p);
  }
}
#else
#define RATESIM_FMA_PROBE 0
#endif

bool fma_available() {
#if RATESIM_FMA_PROBE
  return __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

constexpr std::uint64_t kSeed = 4242;
constexpr int kPaths = 2000;

HullWhiteTables parity_tables() {
  const SimulationSpec spec = test::hull_white_spec(0.03, 0.01, 120, kPaths, kSeed);
  return build_hull_white_tables(spec.curve, spec.model, spec.grid, spec.indices, spec.valuation_date, spec.day_count);
}

HostPathTable empty_table(int paths, int dates, int indices) {
  HostPathTable t;
  t.view = make_path_table_layout(paths, dates, indices, PathLayout::kPathMajor);
  t.storage.assign(static_cast<std::size_t>(paths) * path_table_doubles_per_path(dates, indices), std::nan(""));
  bind_path_table(t.view, t.storage.data());
  return t;
}

struct Comparison {
  double worst_ratio = 0.0;  ///< max |a - b| / bound
  std::size_t outside = 0, compared = 0, differing = 0;
  double worst_relative = 0.0;  ///< max |a - b| / |a| over values of 1e-4 or more, for the record
  void add(double a, double b, double bound) {
    ++compared;
    const double d = std::fabs(a - b);
    if (!(d <= bound)) ++outside;
    if (d != 0.0) ++differing;
    if (d / bound > worst_ratio || std::isnan(d)) worst_ratio = std::isnan(d) ? INFINITY : d / bound;
    if (std::fabs(a) >= 1e-4) worst_relative = std::max(worst_relative, d / std::fabs(a));
  }
};

// Compares Hull-White tables path by path against the CPU's, path p of `b` against path
// p + offset of the reference.
Comparison compare_hull_white(const HullWhiteTables& t, const PathTableView& reference, const PathTableView& b,
                              int offset = 0) {
  Comparison c;
  test::for_each_hull_white_value(t, kSeed, 0, reference, b, [&](double x, double y, double bound) { c.add(x, y, bound); },
                                  offset);
  return c;
}

HostPathTable cpu_hull_white(const HullWhiteTables& t) {
  const auto engine = make_cpu_path_engine(t);
  engine->generate(kSeed, 0, kPaths);
  return engine->download();
}

TEST(ParityBounds, HullWhiteCoversNormalsFromAnotherMathLibrary) {
  const HullWhiteTables t = parity_tables();
  const HostPathTable cpu = cpu_hull_white(t);
  HostPathTable other = empty_table(kPaths, static_cast<int>(t.times.size()), t.n_indices());
  for (int p = 0; p < kPaths; ++p) {
    PerturbedNormals normals{{kSeed, static_cast<std::uint64_t>(p)}, std::mt19937_64(static_cast<std::uint64_t>(p))};
    generate_hull_white_path(t.grid_view(), t.index_view(), normals, other.view, p);
  }
  const Comparison c = compare_hull_white(t, cpu.view, other.view);
  test::Figure("Hull-White paths with perturbed normals, |diff| / parity bound", 1.0)(c.worst_ratio);
  EXPECT_EQ(c.outside, 0u) << "of " << c.compared << ", worst " << c.worst_ratio;
  EXPECT_GT(c.differing, c.compared / 4);  // the perturbation reached the values
}

TEST(ParityBounds, HullWhiteCatchesWhatAWrongKernelWouldDo) {
  const HullWhiteTables t = parity_tables();
  const HostPathTable cpu = cpu_hull_white(t);
  // The neighbouring path's values (a kernel indexing paths off by one).
  const Comparison shifted = compare_hull_white(t, cpu.view, cpu.view, 1);
  EXPECT_GT(shifted.outside, shifted.compared * 9 / 10);
  // One step's two normals swapped (a kernel drawing in the wrong order).
  struct SwappedAtStep {
    PhiloxPathNormals inner;
    int step = 0;
    NormalPair next_pair() {
      NormalPair z = inner.next_pair();
      return step++ == 60 ? NormalPair{z.second, z.first} : z;
    }
  };
  HostPathTable swapped = empty_table(kPaths, static_cast<int>(t.times.size()), t.n_indices());
  for (int p = 0; p < kPaths; ++p) {
    SwappedAtStep normals{{kSeed, static_cast<std::uint64_t>(p)}};
    generate_hull_white_path(t.grid_view(), t.index_view(), normals, swapped.view, p);
  }
  const Comparison c = compare_hull_white(t, cpu.view, swapped.view);
  EXPECT_GT(c.outside, c.compared / 3);  // every value from step 61 on
  // A value never written.
  HostPathTable unwritten = cpu;
  bind_path_table(unwritten.view, unwritten.storage.data());
  unwritten.view.index_rate_at(2, 17, 5) = std::nan("");
  EXPECT_EQ(compare_hull_white(t, cpu.view, unwritten.view).outside, 1u);
}

TEST(FmaContraction, HullWhitePathsStayWithinTheParityBounds) {
  if (!fma_available()) GTEST_SKIP() << "this CPU has no FMA instructions";
#if RATESIM_FMA_PROBE
  const HullWhiteTables t = parity_tables();
  const HostPathTable cpu = cpu_hull_white(t);
  HostPathTable fused = empty_table(kPaths, static_cast<int>(t.times.size()), t.n_indices());
  hull_white_paths_with_fma(t.grid_view(), t.index_view(), kSeed, fused.view);
  const Comparison c = compare_hull_white(t, cpu.view, fused.view);
  test::Figure("Hull-White paths with FMA contraction, |diff| / parity bound", 1.0)(c.worst_ratio);
  test::Figure("Hull-White paths with FMA contraction, largest relative difference (limit: the former fixed tolerance, not asserted)", 1e-12)(c.worst_relative);
  EXPECT_EQ(c.outside, 0u) << "of " << c.compared << ", worst " << c.worst_ratio;
  EXPECT_GT(c.differing, 0u) << "the probe did not contract: it measures nothing";
  RecordProperty("values differing with FMA", std::to_string(c.differing) + " of " + std::to_string(c.compared));
#endif
}

// The LMM: the NII run's monthly fill.
struct LmmCase {
  LmmTables lmm = build_lmm_tables(test::parity_lmm_spec(), test::sample_curve());
  IndexSchedule schedule;
  std::vector<double> nodes = horizon_curve_nodes();
  LmmCase() {
    const Date today = make_date(2026, 6, 30);
    schedule = build_index_schedule(make_calendar_grid(today, DayCount::kAct365Fixed, 1, 24), default_indices(), today,
                                    DayCount::kAct365Fixed);
  }
};

Comparison compare_lmm(const LmmCase& c, const PathTableView& reference, const PathTableView& b) {
  Comparison out;
  test::for_each_lmm_value(c.lmm.view(), c.schedule.view(), c.nodes, kSeed, 0, reference, b,
                           [&](double x, double y, double bound) { out.add(x, y, bound); });
  return out;
}

TEST(ParityBounds, LmmCoversNormalsFromAnotherMathLibraryAndContraction) {
  const LmmCase c;
  const int paths = 300;
  std::vector<double> cpu_curves;
  const HostPathTable cpu = lmm_path_table(Backend::kCpu, c.lmm, c.schedule, c.nodes, kSeed, 0, paths, cpu_curves);
  HostPathTable other = empty_table(paths, c.schedule.n_dates(), c.schedule.n_indices);
  std::vector<double> other_curves(cpu_curves.size(), std::nan(""));
  other.view.n_curve_nodes = static_cast<int>(c.nodes.size());
  other.view.horizon_curve = other_curves.data();
  for (int p = 0; p < paths; ++p) {
    PerturbedNormals normals{{kSeed, static_cast<std::uint64_t>(p)}, std::mt19937_64(static_cast<std::uint64_t>(p))};
    lmm_fill_path(c.lmm.view(), c.schedule.view(), c.nodes.data(), normals, other.view, p);
  }
  const Comparison perturbed = compare_lmm(c, cpu.view, other.view);
  test::Figure("LMM paths with perturbed normals, |diff| / parity bound", 1.0)(perturbed.worst_ratio);
  EXPECT_EQ(perturbed.outside, 0u) << "of " << perturbed.compared << ", worst " << perturbed.worst_ratio;
  EXPECT_GT(perturbed.differing, perturbed.compared / 4);
  // The neighbouring path fails.
  HostPathTable shifted = empty_table(paths, c.schedule.n_dates(), c.schedule.n_indices);
  std::vector<double> shifted_curves(cpu_curves.size());
  shifted.view.n_curve_nodes = other.view.n_curve_nodes;
  shifted.view.horizon_curve = shifted_curves.data();
  for (int p = 0; p < paths; ++p) {
    PhiloxPathNormals normals{kSeed, static_cast<std::uint64_t>(p + 1)};
    lmm_fill_path(c.lmm.view(), c.schedule.view(), c.nodes.data(), normals, shifted.view, p);
  }
  const Comparison wrong = compare_lmm(c, cpu.view, shifted.view);
  EXPECT_GT(wrong.outside, wrong.compared * 8 / 10);

  if (!fma_available()) GTEST_SKIP() << "this CPU has no FMA instructions: the contraction half is not run";
#if RATESIM_FMA_PROBE
  HostPathTable fused = empty_table(paths, c.schedule.n_dates(), c.schedule.n_indices);
  std::vector<double> fused_curves(cpu_curves.size(), std::nan(""));
  fused.view.n_curve_nodes = other.view.n_curve_nodes;
  fused.view.horizon_curve = fused_curves.data();
  lmm_paths_with_fma(c.lmm.view(), c.schedule.view(), c.nodes.data(), kSeed, fused.view);
  const Comparison contracted = compare_lmm(c, cpu.view, fused.view);
  test::Figure("LMM paths with FMA contraction, |diff| / parity bound", 1.0)(contracted.worst_ratio);
  test::Figure("LMM paths with FMA contraction, largest relative difference (limit: the former fixed tolerance, not asserted)", 1e-12)(contracted.worst_relative);
  EXPECT_EQ(contracted.outside, 0u) << "of " << contracted.compared << ", worst " << contracted.worst_ratio;
  EXPECT_GT(contracted.differing, 0u) << "the probe did not contract: it measures nothing";
#endif
}

// The money bounds of per-path NII and horizon EVE (test::BookScale): the sample bank carried
// along Hull-White paths whose index rates are all moved by 90% of their bounds in one direction,
// and whose horizon curve by 90% of its bound (the worst a GPU's paths could differ: errors of one
// sign), stays within them, on every path and every value. The bounds take the gross notional, a
// book of one sign; a balanced bank's net figures move about a thousandth of that.
TEST(ParityBounds, NiiAndHorizonEveMoveLessThanTheirBoundWhenThePathsDo) {
  const RunConfig config = load_run_config(test::source_path("scenarios/sample_bank/bank.yaml"), true);
  const EveSpec book = make_eve_spec(config);
  const int months = 12, paths = 24;
  const TimeGrid grid = make_calendar_grid(book.valuation_date, book.day_count, 1, months);
  const std::vector<IndexSpec> indices = required_indices(book.portfolio, book.behaviours);
  const HullWhiteTables hw = build_hull_white_tables(book.base_curves[0], book.model, grid, indices,
                                                     book.valuation_date, book.day_count);
  const NiiTables tables =
      build_nii_tables(book.portfolio, book.behaviours, book.valuation_date, months, today_index_rates(hw));
  HorizonCurve horizon = horizon_curve_for(book, grid.dates.back().days);
  const double t_h = grid.times.back();
  const DiscountCurve& curve = book.base_curves[0];

  const auto engine = make_cpu_path_engine(hw);
  engine->generate(kSeed, 0, paths);
  HostPathTable base = engine->download(), moved = engine->download();
  bind_path_table(base.view, base.storage.data());
  bind_path_table(moved.view, moved.storage.data());
  std::vector<double> base_curves, moved_curves;
  std::vector<double> rate_error(paths), x_error(paths);
  for (int p = 0; p < paths; ++p) {
    const test::HullWhitePathBounds b = test::hull_white_path_bounds(hw, kSeed, static_cast<std::uint64_t>(p));
    const double sign = p % 2 ? 1.0 : -1.0;
    for (int i = 0; i < moved.view.n_indices; ++i) {
      for (int k = 0; k < moved.view.n_dates; ++k) {
        moved.view.index_rate_at(i, k, p) += sign * 0.9 * b.rates[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)];
        rate_error[static_cast<std::size_t>(p)] = std::max(rate_error[static_cast<std::size_t>(p)], b.rates[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)]);
      }
    }
    x_error[static_cast<std::size_t>(p)] = b.state.back();
    const double x = base.view.state_at(months, p);
    for (double tau : horizon.tau) {
      const double log_a = tau == 0.0 ? 0.0 : hw_log_bond_price(book.model, curve.log_discount(t_h), curve.log_discount(t_h + tau), t_h, tau, 0.0);
      base_curves.push_back(log_a - hw_b(book.model.mean_reversion, tau) * x);
      moved_curves.push_back(log_a - hw_b(book.model.mean_reversion, tau) * (x + sign * 0.9 * b.state.back()));
    }
  }
  for (auto* t : {&base, &moved}) t->view.n_curve_nodes = static_cast<int>(horizon.tau.size());
  base.view.horizon_curve = base_curves.data();
  moved.view.horizon_curve = moved_curves.data();
  const int n_segments = static_cast<int>(book.portfolio.segments.size());
  const NiiOutput a = nii_on_paths(Backend::kCpu, book.portfolio, book.behaviours, tables, BalanceSheetAssumption::kConstant,
                                   n_segments, base.view, &horizon);
  const NiiOutput b = nii_on_paths(Backend::kCpu, book.portfolio, book.behaviours, tables, BalanceSheetAssumption::kConstant,
                                   n_segments, moved.view, &horizon);
  const test::BookScale scale = test::book_scale(book.portfolio, book.behaviours, book.valuation_date.days);
  const int width = nii_result_width(n_segments, months);
  Comparison nii, eve;
  const int eve_column = 1 + n_segments + months;
  for (int p = 0; p < paths; ++p) {
    const double dr = rate_error[static_cast<std::size_t>(p)], dx = x_error[static_cast<std::size_t>(p)];
    for (int j = 0; j + 1 < width; ++j) {
      const std::size_t at = static_cast<std::size_t>(p) * width + j;
      if (j < eve_column) {
        nii.add(a.values[at], b.values[at], scale.nii(1.0, dr));
      } else {
        eve.add(a.values[at], b.values[at], scale.eve(1.0, dr, dx));
      }
    }
  }
  test::Figure("per-path NII with the paths moved to 90% of their bounds, |diff| / money bound", 1.0)(nii.worst_ratio);
  test::Figure("per-path horizon EVE with the paths moved to 90% of their bounds, |diff| / money bound", 1.0)(eve.worst_ratio);
  EXPECT_EQ(nii.outside, 0u) << "of " << nii.compared << ", worst " << nii.worst_ratio;
  EXPECT_EQ(eve.outside, 0u) << "of " << eve.compared << ", worst " << eve.worst_ratio;
  EXPECT_GT(nii.differing, nii.compared / 2);  // the moved paths moved the money
  EXPECT_GT(eve.differing, eve.compared / 2);
}

}  // namespace
}  // namespace ratesim
