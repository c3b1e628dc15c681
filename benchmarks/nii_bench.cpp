// The `bank-1m` NII workload (issue 4): 1,000,000 positions of the generator's mix, 12 monthly
// steps on Hull-White paths, constant balance sheet. Reports position·path·steps per second.
// The design target is 10,000 paths in under 2 s on one H100; the CPU runs a few paths of the
// same book to measure its rate (the work is linear in paths).
//
//   build/<preset>/benchmarks/bench_nii --benchmark_out=results.json

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "ratesim/engine/backend.hpp"
#include "ratesim/engine/nii.hpp"
#include "ratesim/model/time_grid.hpp"
#include "ratesim/portfolio/bank_generator.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"

#if RATESIM_HAVE_CUDA
#include "kernels/engine/cuda_path_engine.hpp"
#endif

namespace {

using namespace ratesim;

const Date kValuation = make_date(2026, 6, 30);

// The sample bank's behaviour profiles (scenarios/sample_bank/bank.yaml) on a generated book.
EveSpec bank(int positions) {
  EveSpec spec;
  spec.valuation_date = kValuation;
  BehaviourProfile mortgage;
  mortgage.name = "mortgage_prepayment";
  mortgage.cpr = 0.06;
  mortgage.dynamics.has_s_curve = 1;
  mortgage.dynamics.base_cpr = 0.04;
  mortgage.dynamics.max_cpr = 0.35;
  mortgage.dynamics.steepness = 250;
  mortgage.dynamics.midpoint = 0.01;
  mortgage.dynamics.refinancing_spread = 0.017;
  mortgage.dynamics.seasoning_months = 30;
  spec.behaviours.add(mortgage);
  BehaviourProfile consumer;
  consumer.name = "consumer_prepayment";
  consumer.cpr = 0.10;
  spec.behaviours.add(consumer);
  for (auto [name, share, life, beta] : {std::tuple{"transactional_deposits", 0.85, 5.0, 0.15},
                                         std::tuple{"savings_deposits", 0.65, 4.0, 0.45},
                                         std::tuple{"operational_deposits", 0.40, 2.5, 0.7}}) {
    BehaviourProfile d;
    d.name = name;
    d.type = BehaviourType::kDeposit;
    d.core_share = share;
    d.core_average_life = life;
    d.dynamics.beta_up = d.dynamics.beta_down = beta;
    d.dynamics.lag_months = 2;
    d.dynamics.rate_floor = 0.0;
    d.dynamics.decay_rate = 0.05;
    spec.behaviours.add(d);
  }
  const auto file = std::filesystem::temp_directory_path() /
                    ("ratesim-bench-nii-" + std::to_string(positions) + ".csv");
  std::ofstream(file) << generate_bank_csv(positions, 20260630, kValuation);
  spec.portfolio = read_positions_csv(file.string(), spec.behaviours);
  std::filesystem::remove(file);
  spec.currencies = spec.portfolio.currencies;
  std::vector<double> t, df;
  for (double y : {1.0 / 12, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0}) {
    t.push_back(y);
    df.push_back(std::exp(-(0.035 + 0.0015 * std::log1p(y)) * y));
  }
  spec.base_curves = {DiscountCurve(t, df)};
  spec.fx = {1.0};
  spec.model = HullWhiteParams{0.03, 0.009};
  return spec;
}

const EveSpec& bank_1m() {
  static const EveSpec spec = bank(1000000);
  return spec;
}

void run(benchmark::State& state, Backend backend, HorizonSeriesMode series = HorizonSeriesMode::kAuto) {
  const EveSpec& book = bank_1m();
  NiiSpec spec;
  spec.horizon_months = 12;
  spec.paths = state.range(0);
  spec.seed = 20260630;
  spec.horizon_series = series;
  const BackendSelection selection{backend, backend == Backend::kCuda ? "GPU" : "CPU", ""};
  NiiResult r;
  for (auto _ : state) {
    r = run_nii(book, spec, selection);
    if (backend == Backend::kCuda) state.SetIterationTime(r.nii_seconds + r.path_seconds);
    benchmark::DoNotOptimize(r.total.mean);
  }
  state.counters["nii_s"] = r.nii_seconds;
  state.counters["path_generation_s"] = r.path_seconds;
  state.counters["fit_s"] = r.horizon_series.seconds;
  state.counters["wall_s"] = r.total_seconds;
  state.counters["legs_series"] = static_cast<double>(r.horizon_series.legs[1] + r.horizon_series.legs[2] +
                                                      r.horizon_series.legs[3]);
  state.counters["legs_revalued"] = static_cast<double>(r.horizon_series.legs[0]);
  // The Monte Carlo paths plus the deterministic base path.
  const double work = static_cast<double>(book.portfolio.size()) * static_cast<double>(spec.paths + 1) *
                      spec.horizon_months;
  state.counters["position_path_steps/s"] =
      benchmark::Counter(work, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["positions"] = book.portfolio.size();
  state.counters["paths"] = static_cast<double>(spec.paths);
}

void BM_NiiBank1mCpu(benchmark::State& state) { run(state, Backend::kCpu); }
BENCHMARK(BM_NiiBank1mCpu)->Arg(8)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// Horizon EVE on 10^4 positions of the same mix: every leg revalued on every path (mode 0), or
// from the legs' series in x(H) (mode 1, every leg the tolerance allows). Two path counts show
// the cost per path; the fit is reported apart (it does not depend on the paths).
void BM_HorizonEveCpu(benchmark::State& state) {
  static const EveSpec book = bank(10000);
  NiiSpec spec;
  spec.horizon_months = 12;
  spec.paths = state.range(1);
  spec.seed = 20260630;
  spec.horizon_series = state.range(0) == 0 ? HorizonSeriesMode::kOff : HorizonSeriesMode::kAlways;
  const BackendSelection selection{Backend::kCpu, "CPU", ""};
  NiiResult r;
  for (auto _ : state) {
    r = run_nii(book, spec, selection);
    benchmark::DoNotOptimize(r.eve.mean);
  }
  const HorizonSeriesSummary& s = r.horizon_series;
  state.counters["fit_s"] = s.seconds;
  state.counters["monte_carlo_nii_s"] = r.nii_seconds;
  state.counters["ms_per_path"] = 1e3 * r.nii_seconds / static_cast<double>(spec.paths + 1);
  state.counters["legs_series"] = static_cast<double>(s.legs[1] + s.legs[2] + s.legs[3]);
  state.counters["legs_revalued"] = static_cast<double>(s.legs[0]);
  state.counters["fit_valuations"] = static_cast<double>(s.valuations);
  state.counters["paths"] = static_cast<double>(spec.paths);
}
BENCHMARK(BM_HorizonEveCpu)
    ->ArgsProduct({{0, 1}, {64, 128}})
    ->ArgNames({"series", "paths"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// bank-1m with every leg's horizon EVE from its series, as a 10^4-path run does it (run fits a
// leg only when its fit costs less than revaluing it on every path). 64 and 128 paths show the
// cost per path is linear; the fit is paid once per run. projected_10k_paths_s is the fit plus 10^4 paths
// (NII, horizon EVE and path generation) at the measured cost per path.
void BM_Bank1mSeriesCpu(benchmark::State& state) {
  const EveSpec& book = bank_1m();
  NiiSpec spec;
  spec.horizon_months = 12;
  spec.paths = state.range(0);
  spec.seed = 20260630;
  spec.horizon_series = HorizonSeriesMode::kAlways;
  const BackendSelection selection{Backend::kCpu, "CPU", ""};
  NiiResult r;
  for (auto _ : state) {
    r = run_nii(book, spec, selection);
    benchmark::DoNotOptimize(r.eve.mean);
  }
  const double per_path = (r.nii_seconds + r.path_seconds) / static_cast<double>(spec.paths + 1);
  state.counters["fit_s"] = r.horizon_series.seconds;
  state.counters["monte_carlo_nii_s"] = r.nii_seconds;
  state.counters["path_generation_s"] = r.path_seconds;
  state.counters["ms_per_path"] = 1e3 * per_path;
  state.counters["ns_per_position_path_step"] =
      1e9 * r.nii_seconds / (static_cast<double>(spec.paths + 1) * book.portfolio.size() * spec.horizon_months);
  state.counters["projected_10k_paths_s"] = r.horizon_series.seconds + 1e4 * per_path;
  state.counters["legs_series"] = static_cast<double>(r.horizon_series.legs[1] + r.horizon_series.legs[2] +
                                                      r.horizon_series.legs[3]);
  state.counters["legs_revalued"] = static_cast<double>(r.horizon_series.legs[0]);
  state.counters["paths"] = static_cast<double>(spec.paths);
}
BENCHMARK(BM_Bank1mSeriesCpu)->Arg(64)->Arg(128)->ArgName("paths")->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// The Monte Carlo step alone, on 10^4 positions and 256 Hull-White paths generated once: the
// month step without the horizon EVE (horizon:0) and with it from the fitted series (horizon:1),
// so the horizon's share of the NII time and the month step's cost per position·path·step per
// core can be read off one run.
struct StepWorkload {
  /// A chunk of paths as run hands it to the backend: its table and its paths' horizon curves.
  struct Chunk {
    HostPathTable paths;
    std::vector<double> horizon_curves;
  };
  EveSpec book;
  int months = 12;
  NiiTables tables;
  std::unique_ptr<HullWhiteTables> hw;
  HorizonCurve horizon;
  HorizonSeriesSummary fit;
  std::vector<Chunk> chunks;
  std::vector<double> log_a, b;  ///< the horizon curve's ln A and B on its nodes

  StepWorkload(int positions, int n_paths, int chunk_paths) : book(bank(positions)) {
    const TimeGrid grid = make_calendar_grid(book.valuation_date, book.day_count, 1, months);
    const std::vector<IndexSpec> indices = required_indices(book.portfolio, book.behaviours);
    hw = std::make_unique<HullWhiteTables>(build_hull_white_tables(book.base_curves[0], book.model, grid, indices,
                                                                   book.valuation_date, book.day_count));
    tables = build_nii_tables(book.portfolio, book.behaviours, book.valuation_date, months, today_index_rates(*hw));
    horizon = horizon_curve_for(book, grid.dates.back().days);
    const HorizonSeriesInputs inputs = hull_white_horizon_inputs(*hw, book.base_curves[0], months, horizon.tau);
    fit = fit_horizon_series(book.portfolio, tables, BalanceSheetAssumption::kConstant, inputs, horizon);
    log_a = inputs.log_a;
    b = inputs.b;
    make_chunks(n_paths, chunk_paths);
  }

  /// The same n_paths paths (one seed) cut into chunks of chunk_paths.
  void make_chunks(int n_paths, int chunk_paths) {
    const auto engine = make_cpu_path_engine(*hw);
    const int nodes = static_cast<int>(horizon.tau.size());
    chunks.clear();
    chunks.resize(static_cast<std::size_t>((n_paths + chunk_paths - 1) / chunk_paths));
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const int first = static_cast<int>(c) * chunk_paths;
      engine->generate(20260630, first, std::min(chunk_paths, n_paths - first));
      Chunk& chunk = chunks[c];
      chunk.paths = engine->download();
      PathTableView& view = chunk.paths.view;
      chunk.horizon_curves.resize(static_cast<std::size_t>(view.n_paths) * nodes);
      view.n_curve_nodes = nodes;
      view.horizon_curve = chunk.horizon_curves.data();
      for (int p = 0; p < view.n_paths; ++p) {
        const double x = view.state_at(months, p);
        for (int j = 0; j < nodes; ++j) {
          view.horizon_curve_of(p)[j] = log_a[static_cast<std::size_t>(j)] - b[static_cast<std::size_t>(j)] * x;
        }
      }
    }
  }
};

void BM_NiiStepCpu(benchmark::State& state) {
  static const StepWorkload w(10000, 256, 256);
  const PathTableView& paths = w.chunks[0].paths.view;
  const bool with_horizon = state.range(0) != 0;
  const int n_segments = static_cast<int>(w.book.portfolio.segments.size());
  double seconds = 0.0;
  for (auto _ : state) {
    const NiiOutput out = nii_on_paths_cpu(w.book.portfolio, w.book.behaviours, w.tables, BalanceSheetAssumption::kConstant,
                                           n_segments, paths, with_horizon ? &w.horizon : nullptr);
    seconds += out.device_seconds;
    benchmark::DoNotOptimize(out.values.data());
  }
  const double steps = static_cast<double>(w.book.portfolio.size()) * paths.n_paths * w.months *
                       static_cast<double>(state.iterations());
  state.counters["ns_per_position_path_step_per_core"] = 1e9 * seconds * cpu_thread_count() / steps;
  state.counters["ms_per_path"] = 1e3 * seconds / (paths.n_paths * static_cast<double>(state.iterations()));
  state.counters["threads"] = cpu_thread_count();
  state.counters["fit_s"] = w.fit.seconds;  // once for the process
  state.counters["fit_samples"] = static_cast<double>(w.fit.valuations);
  state.counters["series_memory_mb"] = static_cast<double>(w.fit.coefficients) * sizeof(double) / 1e6;
}
BENCHMARK(BM_NiiStepCpu)->Arg(0)->Arg(1)->ArgName("horizon")->MinTime(2.0)->Unit(benchmark::kMillisecond)->UseRealTime();

// bank-1m's Monte Carlo step alone (NII and horizon EVE from the series, fitted once for the
// process), run as `run` runs it on the CPU: chunks of cpu_nii_chunk_paths paths, each a call of
// the CPU backend. 256, 512 and 1024 paths of one generated set (whole chunks) show whether the
// cost is linear in paths without paying the fit (about 3 minutes on two cores) for every count.
void BM_Bank1mStepCpu(benchmark::State& state) {
  // As run chunks the paths on the CPU (256 paths a chunk); one chunk run first, untimed, so that
  // the first count does not pay the first touch of the freshly built tables and series.
  static const StepWorkload w = [] {
    StepWorkload made(1000000, 0, 1);
    made.make_chunks(1024, static_cast<int>(cpu_nii_chunk_paths(made.tables.block_view().n_blocks, made.months)));
    nii_on_paths_cpu(made.book.portfolio, made.book.behaviours, made.tables, BalanceSheetAssumption::kConstant,
                     static_cast<int>(made.book.portfolio.segments.size()), made.chunks[0].paths.view, &made.horizon);
    return made;
  }();
  const int n_paths = static_cast<int>(state.range(0));
  const int n_segments = static_cast<int>(w.book.portfolio.segments.size());
  double seconds = 0.0;
  for (auto _ : state) {
    for (int done = 0, c = 0; done < n_paths; ++c) {
      const PathTableView& view = w.chunks[static_cast<std::size_t>(c)].paths.view;
      const NiiOutput out = nii_on_paths_cpu(w.book.portfolio, w.book.behaviours, w.tables,
                                             BalanceSheetAssumption::kConstant, n_segments, view, &w.horizon);
      seconds += out.device_seconds;
      done += view.n_paths;
      benchmark::DoNotOptimize(out.values.data());
    }
  }
  const double per_path = seconds / (n_paths * static_cast<double>(state.iterations()));
  state.counters["monte_carlo_nii_s"] = seconds / static_cast<double>(state.iterations());
  state.counters["ms_per_path"] = 1e3 * per_path;
  state.counters["ns_per_position_path_step_per_core"] =
      1e9 * per_path * cpu_thread_count() / (static_cast<double>(w.book.portfolio.size()) * w.months);
  state.counters["projected_10k_paths_monte_carlo_s"] = 1e4 * per_path;
  state.counters["fit_s"] = w.fit.seconds;  // once for the process, before the first count
  state.counters["series_memory_mb"] = static_cast<double>(w.fit.coefficients) * sizeof(double) / 1e6;
  state.counters["paths"] = n_paths;
  state.counters["threads"] = cpu_thread_count();
}
BENCHMARK(BM_Bank1mStepCpu)->Arg(256)->Arg(512)->Arg(1024)->ArgName("paths")->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

#if RATESIM_HAVE_CUDA
void BM_NiiBank1mGpu(benchmark::State& state) {
  const cuda::DeviceStatus device = cuda::query_device();
  if (!device.usable) {
    state.SkipWithError(("no usable GPU: " + device.reason).c_str());
    return;
  }
  state.SetLabel(device.name);
  // series 0: every leg revalued on every path (the oracle); 1: the series where they pay (kAuto,
  // the default). The time is the device's (paths and NII kernels); the fit runs on the host
  // before it and is reported as fit_s.
  run(state, Backend::kCuda, state.range(1) ? HorizonSeriesMode::kAuto : HorizonSeriesMode::kOff);
}
BENCHMARK(BM_NiiBank1mGpu)
    ->ArgsProduct({{1000, 10000}, {0, 1}})
    ->ArgNames({"paths", "series"})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();


// What the chunk size does to the CPU step on 10^5 positions (one fit, 256 paths cut into chunks
// of 32 or 256): each block of positions is carried along every group of eight paths of a chunk
// while its tables and series are in cache, so small chunks stream the book's tables from memory
// more often (cpu_nii_chunk_paths).
void BM_NiiChunkCpu(benchmark::State& state) {
  static StepWorkload w(100000, 0, 1);
  const int chunk = static_cast<int>(state.range(0));
  w.make_chunks(256, chunk);
  const int n_segments = static_cast<int>(w.book.portfolio.segments.size());
  double seconds = 0.0;
  for (auto _ : state) {
    for (const StepWorkload::Chunk& c : w.chunks) {
      const NiiOutput out = nii_on_paths_cpu(w.book.portfolio, w.book.behaviours, w.tables,
                                             BalanceSheetAssumption::kConstant, n_segments, c.paths.view, &w.horizon);
      seconds += out.device_seconds;
      benchmark::DoNotOptimize(out.values.data());
    }
  }
  const double per_path = seconds / (256 * static_cast<double>(state.iterations()));
  state.counters["ms_per_path"] = 1e3 * per_path;
  state.counters["ns_per_position_path_step_per_core"] =
      1e9 * per_path * cpu_thread_count() / (static_cast<double>(w.book.portfolio.size()) * w.months);
  state.counters["threads"] = cpu_thread_count();
}
BENCHMARK(BM_NiiChunkCpu)->Arg(32)->Arg(256)->Arg(32)->Arg(256)->ArgName("chunk")->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
