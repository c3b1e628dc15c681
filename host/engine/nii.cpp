#include "ratesim/engine/nii.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "ratesim/engine/simulation.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/lmm_paths.hpp"

namespace ratesim {
namespace {

using Clock = std::chrono::steady_clock;

// What one leg's revaluation on one path costs, in the fit's valuations: the fit walks a leg's
// schedule once for a whole grid of states and coupons, so a sample costs a fraction of a
// revaluation. Measured on the sample bank at 1000 paths (Intel Xeon, 2 cores): 0.33 us per fit
// sample (8.3 million in 2.7 s), 11.6 us per revaluation (1600 legs on 1001 paths, 18.5 s).
constexpr std::int64_t kRevaluationCostInFitValuations = 32;

NiiFigures figures_of(const std::vector<double>& values, int path, int n_segments, int months) {
  const int width = nii_result_width(n_segments, months);
  const double* row = values.data() + static_cast<std::size_t>(path) * width;
  NiiFigures f;
  f.total = row[0];
  f.by_segment.assign(row + 1, row + 1 + n_segments);
  f.by_month.assign(row + 1 + n_segments, row + width);
  return f;
}

}  // namespace

std::vector<NiiScenario> nii_scenarios(const std::vector<Scenario>& eve_scenarios,
                                       bool include_us_ramps) {
  std::vector<NiiScenario> out;
  for (const Scenario& s : eve_scenarios) {
    const bool nii_shock = s.set == "us" || s.set == "custom" ||
                           s.name == "bcbs368/parallel_up" || s.name == "bcbs368/parallel_down";
    if (nii_shock) out.push_back(NiiScenario{s.name, s.set, s.description, s, false, 0.0, 12});
  }
  if (include_us_ramps) {
    for (int bp : {100, -100, 200, -200, 300, -300, 400, -400}) {
      NiiScenario r;
      r.name = "us/ramp_" + std::string(bp > 0 ? "+" : "") + std::to_string(bp);
      r.set = "us";
      r.description = "US gradual shock: every rate moves " + std::to_string(bp) +
                      " bp linearly over 12 months, then holds";
      r.ramp = true;
      r.ramp_bp = bp;
      out.push_back(std::move(r));
    }
  }
  return out;
}

HorizonCurve horizon_curve_for(const EveSpec& book, std::int32_t horizon_day) {
  HorizonCurve horizon;
  horizon.tau = horizon_curve_nodes();
  horizon.settings.valuation_day = horizon_day;
  horizon.settings.time_basis = book.day_count;
  horizon.settings.model = book.model;
  horizon.settings.behaviours = book.behaviours.view();
  horizon.settings.nmd_caps = book.nmd_caps;
  return horizon;
}

NiiResult run_nii(const EveSpec& book, const NiiSpec& spec, const BackendSelection& backend,
                  const RunObserver* observer) {
  const auto start = Clock::now();
  if (book.currencies.size() != 1) {
    throw std::invalid_argument("the NII engine simulates one currency; this book has " +
                                std::to_string(book.currencies.size()));
  }
  if (spec.horizon_months < 1 || spec.horizon_months > kMaxNiiMonths) {
    throw std::invalid_argument("NII horizon must be 1.." + std::to_string(kMaxNiiMonths) + " months");
  }
  if (book.portfolio.segments.size() > static_cast<std::size_t>(kMaxNiiSegments)) {
    throw std::invalid_argument("the NII engine reports at most " + std::to_string(kMaxNiiSegments) +
                                " segments");
  }
  const int months = spec.horizon_months;
  const int n_segments = static_cast<int>(book.portfolio.segments.size());
  const DiscountCurve& curve = book.base_curves[0];
  const std::string& currency = book.currencies[0];
  const TimeGrid grid = make_calendar_grid(book.valuation_date, book.day_count, 1, months);

  NiiResult result;
  result.segments = book.portfolio.segments;
  result.month_starts.assign(grid.dates.begin(), grid.dates.end() - 1);

  // Deterministic paths: today's forwards, and each scenario's, with no volatility.
  const std::vector<IndexSpec> indices = required_indices(book.portfolio, book.behaviours);
  const HullWhiteParams deterministic{book.model.mean_reversion, 0.0};
  auto forwards = [&](const DiscountCurve& c) {
    return build_hull_white_tables(c, deterministic, grid, indices, book.valuation_date, book.day_count);
  };
  const HullWhiteTables base_tables = forwards(curve);
  const std::vector<double> today_rates = today_index_rates(base_tables);
  const NiiTables tables = build_nii_tables(book.portfolio, book.behaviours, book.valuation_date,
                                            months, today_rates, observer ? observer->stop : nullptr);

  const int n_deterministic = 1 + static_cast<int>(spec.scenarios.size());
  begin_phase(observer, "NII scenarios", 0, "");
  const auto deterministic_start = Clock::now();
  HostPathTable deterministic_paths;
  deterministic_paths.view = make_path_table_layout(n_deterministic, grid.size(),
                                                    static_cast<int>(indices.size()), PathLayout::kPathMajor);
  deterministic_paths.storage.assign(static_cast<std::size_t>(n_deterministic) *
                                         path_table_doubles_per_path(grid.size(), static_cast<int>(indices.size())),
                                     0.0);
  bind_path_table(deterministic_paths.view, deterministic_paths.storage.data());
  for (int s = 0; s < n_deterministic; ++s) {
    const NiiScenario* scenario = s == 0 ? nullptr : &spec.scenarios[static_cast<std::size_t>(s - 1)];
    const HullWhiteTables shocked =
        scenario && !scenario->ramp ? forwards(shocked_curve(curve, scenario->shock, currency, book.floor))
                                    : base_tables;
    const PathTableView& v = deterministic_paths.view;
    for (int k = 0; k < grid.size(); ++k) {
      v.discount_at(k, s) = shocked.curve_discount[static_cast<std::size_t>(k)];
      const double ramp = scenario && scenario->ramp
                              ? scenario->ramp_bp * 1e-4 * std::min(1.0, static_cast<double>(k) / scenario->ramp_months)
                              : 0.0;
      for (int plane = 0; plane < v.n_indices; ++plane) {
        v.index_rate_at(plane, k, s) = index_rate(shocked.index_view(), plane, k, 0.0) + ramp;
      }
    }
  }
  const NiiOutput deterministic_out =
      nii_on_paths(backend.backend, book.portfolio, book.behaviours, tables, spec.assumption,
                   n_segments, deterministic_paths.view, nullptr, observer ? observer->stop : nullptr,
                   backend.cpu_isa);
  result.base = figures_of(deterministic_out.values, 0, n_segments, months);
  result.base.name = "base";
  result.base.set = "base";
  result.base.description = "today's forward rates";
  for (int s = 1; s < n_deterministic; ++s) {
    NiiFigures f = figures_of(deterministic_out.values, s, n_segments, months);
    const NiiScenario& scenario = spec.scenarios[static_cast<std::size_t>(s - 1)];
    f.name = scenario.name;
    f.set = scenario.set;
    f.description = scenario.description;
    result.scenarios.push_back(std::move(f));
  }
  result.nii_seconds += deterministic_out.device_seconds;
  end_phase(observer, "NII scenarios", std::chrono::duration<double>(Clock::now() - deterministic_start).count());

  // Monte Carlo: Hull-White paths chunk by chunk; per-path results kept in path order, so the
  // statistics are the same for any chunking.
  if (spec.monte_carlo) {
    // Hull-White's grid tables, or the LMM's with the indices' schedules (the engine must keep
    // the tables alive as long as it runs).
    std::optional<HullWhiteTables> hw;
    std::optional<IndexSchedule> schedule;
    // The path's curve at the horizon: ln P(H, H + tau) = ln A(tau) - B(tau) x(H), with A and B
    // tabulated once on the horizon nodes (Hull-White: hw_inputs).
    HorizonCurve horizon = horizon_curve_for(book, grid.dates.back().days);
    HorizonSeriesInputs hw_inputs;
    const int nodes = static_cast<int>(horizon.tau.size());
    std::unique_ptr<PathEngine> engine;
    std::optional<LmmTables> lmm;
    // Chunks never change the results (bit-identical for any chunking, and any chunk size: each
    // path's values are kept whole); on a GPU a chunk is large. The CPU carries each block of
    // positions along every group of eight paths of its chunk while the block's tables and series
    // are in cache, so a chunk of 32 paths streamed bank-1m's 3 GB of tables from memory once per
    // 32 paths: 256 paths cut the step's time per path by a fifth on 10^5 positions (perf.md).
    // The partials of a chunk (a row per path and block) stay within 256 MB; a stop request is
    // heard between blocks, whatever the chunk.
    std::int64_t max_chunk = backend.backend == Backend::kCpu ? cpu_nii_chunk_paths(tables.block_view().n_blocks, months)
                                                              : 65536;
    if (spec.lmm) {
      lmm = build_lmm_tables(on_monthly_steps(*spec.lmm, periods_covering(*spec.lmm, months)), curve);
      schedule = build_index_schedule(grid, indices, book.valuation_date, book.day_count);
    } else {
      hw = build_hull_white_tables(curve, book.model, grid, indices, book.valuation_date, book.day_count);
      engine = make_path_engine(backend.backend, *hw);
      // Each leg's horizon value as a series in x(H), fitted once: a path then costs a dot
      // product per leg instead of a revaluation of its remaining cash flows.
      // A fit that would cost more than the revaluations the paths save is not made (kAuto).
      hw_inputs = hull_white_horizon_inputs(*hw, curve, months, horizon.tau);
      if (spec.horizon_series != HorizonSeriesMode::kOff) {
        if (spec.horizon_series == HorizonSeriesMode::kAuto) {
          hw_inputs.most_valuations =
              std::min(hw_inputs.most_valuations, spec.paths * kRevaluationCostInFitValuations);
        }
        result.horizon_series = fit_horizon_series(book.portfolio, tables, spec.assumption, hw_inputs, horizon,
                                                   observer);
      }
      max_chunk = std::min<std::int64_t>(engine->max_chunk_paths(), max_chunk);
    }
    if (spec.chunk_paths > 0) {
      max_chunk = engine ? std::min(engine->max_chunk_paths(), spec.chunk_paths) : spec.chunk_paths;
    }
    result.chunks = plan_equal_chunks(spec.paths, max_chunk);
    begin_phase(observer, "NII Monte Carlo", spec.paths, "paths");
    const auto monte_carlo_start = Clock::now();
    result.paths = spec.paths;
    result.path_values.reserve(static_cast<std::size_t>(spec.paths) * result.width());
    std::int64_t first = 0;
    for (std::int64_t n : result.chunks) {
      HostPathTable chunk;
      std::vector<double> horizon_curves;
      if (lmm) {
        const auto lmm_start = Clock::now();
        chunk = lmm_path_table(backend.backend, *lmm, *schedule, horizon.tau, spec.seed, first, static_cast<int>(n),
                               horizon_curves);
        result.path_seconds += std::chrono::duration<double>(Clock::now() - lmm_start).count();
      } else {
        engine->generate(spec.seed, first, static_cast<int>(n));
        result.path_seconds += engine->last_generate_seconds();
        // The chunk's table is handed to the NII backend in host memory (on a GPU this is a
        // round trip; fusing it is a planned optimisation).
        chunk = engine->download();
        horizon_curves.resize(static_cast<std::size_t>(n) * nodes);
        chunk.view.n_curve_nodes = nodes;
        chunk.view.horizon_curve = horizon_curves.data();
        for (int p = 0; p < chunk.view.n_paths; ++p) {
          const double x = chunk.view.state_at(months, p);
          double* c = chunk.view.horizon_curve_of(p);
          for (int j = 0; j < nodes; ++j) {
            c[j] = hw_inputs.log_a[static_cast<std::size_t>(j)] - hw_inputs.b[static_cast<std::size_t>(j)] * x;
          }
        }
      }
      const NiiOutput out = nii_on_paths(backend.backend, book.portfolio, book.behaviours, tables,
                                         spec.assumption, n_segments, chunk.view, &horizon,
                                         observer ? observer->stop : nullptr, backend.cpu_isa);
      result.nii_seconds += out.device_seconds;
      result.path_values.insert(result.path_values.end(), out.values.begin(), out.values.end());
      first += n;
      advance(observer, first);
    }
    end_phase(observer, "NII Monte Carlo", std::chrono::duration<double>(Clock::now() - monte_carlo_start).count());
    const int width = result.width();
    auto column = [&](int j) {
      std::vector<double> c(static_cast<std::size_t>(result.paths));
      for (std::int64_t p = 0; p < result.paths; ++p) c[static_cast<std::size_t>(p)] = result.path_values[static_cast<std::size_t>(p) * width + j];
      return c;
    };
    result.total = describe(column(0), spec.quantiles);
    for (int s = 0; s < n_segments; ++s) result.by_segment.push_back(describe(column(1 + s), spec.quantiles));
    for (int k = 0; k < months; ++k) result.by_month.push_back(describe(column(1 + n_segments + k), spec.quantiles));
    const int eve = result.eve_column();
    result.eve = describe(column(eve), spec.quantiles);
    for (int s = 0; s < n_segments; ++s) result.eve_by_segment.push_back(describe(column(eve + 1 + s), spec.quantiles));
    std::vector<double> discounted = column(eve);
    const std::vector<double> discount = column(eve + 1 + n_segments);
    for (std::size_t p = 0; p < discounted.size(); ++p) discounted[p] *= discount[p];
    const Distribution d = describe(discounted, {});
    result.eve_discounted_mean = d.mean;
    result.eve_discounted_std_error = d.std_error;
  }
  result.total_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace ratesim
