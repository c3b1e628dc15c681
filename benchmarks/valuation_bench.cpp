// Deterministic valuation throughput: position x scenario valuations per second for synthetic
// banks of 10^4..10^6 positions under 20 scenarios (the base curve, the six BCBS 368 shocks, the
// eight US shocks and five parallel bumps), on the CPU (OpenMP) and the GPU (CUDA events).
//
//   build/<preset>/benchmarks/bench_valuation --benchmark_out=results.json

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "ratesim/engine/backend.hpp"
#include "ratesim/portfolio/bank_generator.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"
#include "ratesim/scenario/scenario.hpp"

#if RATESIM_HAVE_CUDA
#include "kernels/engine/cuda_path_engine.hpp"
#endif

namespace {

using namespace ratesim;

const Date kValuation = make_date(2026, 6, 30);

struct Workload {
  BehaviourTable behaviours;
  Portfolio portfolio;
  CurveSet curves;
  ValuationSettings settings;
};

// Built once per size: the generator's bank (the sample bank's mix) and 20 scenario curves.
const Workload& workload(int positions) {
  static std::map<int, Workload> cache;
  auto [it, inserted] = cache.try_emplace(positions);
  Workload& w = it->second;
  if (!inserted) return w;
  w.behaviours.add({"mortgage_prepayment", BehaviourType::kPrepayment, 0.06, 0, 0, {}});
  w.behaviours.add({"consumer_prepayment", BehaviourType::kPrepayment, 0.10, 0, 0, {}});
  w.behaviours.add({"transactional_deposits", BehaviourType::kDeposit, 0, 0.85, 5.0, {}});
  w.behaviours.add({"savings_deposits", BehaviourType::kDeposit, 0, 0.65, 4.0, {}});
  w.behaviours.add({"operational_deposits", BehaviourType::kDeposit, 0, 0.40, 2.5, {}});
  const auto file = std::filesystem::temp_directory_path() /
                    ("ratesim-bench-bank-" + std::to_string(positions) + ".csv");
  std::ofstream(file) << generate_bank_csv(positions, 20260630, kValuation);
  w.portfolio = read_positions_csv(file.string(), w.behaviours);
  std::filesystem::remove(file);

  std::vector<double> t, df;
  for (double y : {1.0 / 12, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0}) {
    t.push_back(y);
    df.push_back(std::exp(-(0.035 + 0.0015 * std::log1p(y)) * y));
  }
  const DiscountCurve base(t, df);
  std::vector<Scenario> scenarios = bcbs_scenarios(builtin_bcbs_table("2016"));
  for (const Scenario& s : us_scenarios()) scenarios.push_back(s);
  for (double bp : {-50.0, -25.0, 25.0, 50.0, 75.0}) scenarios.push_back(parallel_bump("bump", bp));
  w.curves.add_scenario({base});
  for (const Scenario& s : scenarios) w.curves.add_scenario({shocked_curve(base, s, "USD", {})});
  w.settings.valuation_day = kValuation.days;
  w.settings.model = HullWhiteParams{0.03, 0.009};
  w.settings.behaviours = w.behaviours.view();
  return w;
}

void set_counters(benchmark::State& state, const Workload& w) {
  const double valuations = static_cast<double>(w.portfolio.size()) * w.curves.n_scenarios;
  state.counters["valuations/s"] =
      benchmark::Counter(valuations, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["positions"] = w.portfolio.size();
  state.counters["scenarios"] = w.curves.n_scenarios;
}

void BM_ValuationCpu(benchmark::State& state) {
  const Workload& w = workload(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(value_positions_cpu(w.portfolio, w.curves, w.settings).values.data());
  }
  set_counters(state, w);
}
BENCHMARK(BM_ValuationCpu)->Arg(10000)->Arg(100000)->Arg(1000000)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

#if RATESIM_HAVE_CUDA
void BM_ValuationGpu(benchmark::State& state) {
  const cuda::DeviceStatus device = cuda::query_device();
  if (!device.usable) {
    state.SkipWithError(("no usable GPU: " + device.reason).c_str());
    return;
  }
  const Workload& w = workload(static_cast<int>(state.range(0)));
  value_positions(Backend::kCuda, w.portfolio, w.behaviours, w.curves, w.settings);  // warm-up
  for (auto _ : state) {
    state.SetIterationTime(
        value_positions(Backend::kCuda, w.portfolio, w.behaviours, w.curves, w.settings).device_seconds);
  }
  set_counters(state, w);
  state.SetLabel(device.name);
}
BENCHMARK(BM_ValuationGpu)->Arg(10000)->Arg(100000)->Arg(1000000)->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
