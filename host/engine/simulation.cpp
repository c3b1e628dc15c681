#include "ratesim/engine/simulation.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/lmm_paths.hpp"
#include "ratesim/risk/distribution.hpp"
#include "ratesim/risk/histogram_quantile.hpp"
#include "ratesim/risk/statistics.hpp"

namespace ratesim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr double kHistogramHalfWidthSd = 10.0;

ReductionParams make_reduction_params(const HullWhiteTables& tables, int n_bins) {
  ReductionParams params;
  params.n_bins = n_bins;
  params.discount_centre = tables.curve_discount;
  for (double t : tables.times) {
    // x(t) is exactly Gaussian with mean 0; +-10 sd holds every path with certainty in practice.
    double sd = std::sqrt(hw_state_variance(tables.params, t));
    if (!(sd > 0.0)) sd = 1.0;  // x(t) = 0 exactly (t = 0 or sigma = 0); see the quantiles below
    const double width = 2.0 * kHistogramHalfWidthSd * sd / n_bins;
    params.histogram_lo.push_back(-kHistogramHalfWidthSd * sd);
    params.histogram_inverse_width.push_back(1.0 / width);
  }
  return params;
}

}  // namespace

int lmm_simulation_periods(const SimulationSpec& spec) {
  return std::min(static_cast<int>(std::floor(spec.grid.times.back() / spec.lmm->accrual_years() + 1e-9)),
                  spec.lmm->n_rates - 1);
}

namespace {

// `simulate` with the LMM: the model's monthly steps (one step a month, as in the NII run), reported
// on its tenor dates T_j up to the grid's horizon, where E[D(0,T_j)] = P(0,T_j) holds exactly
// under the spot-LIBOR measure. Paths come from lmm_path_table (the same fill as the NII run, on
// either backend); every path's values are kept, so the quantiles are exact order statistics and
// the results are bit-identical for any chunking.
SimulationResult run_lmm_simulation(const SimulationSpec& spec, const BackendSelection& backend,
                                    const std::vector<std::int64_t>& chunk_sizes, const RunObserver* observer) {
  const auto start = Clock::now();
  SimulationResult result;
  result.backend = backend;
  result.paths = spec.paths;

  const int months_per_period = spec.lmm->accrual_months;
  const int periods = lmm_simulation_periods(spec);
  if (periods < 1) throw std::invalid_argument("LMM simulation: the grid is shorter than one accrual period");
  const LmmTables lmm = build_lmm_tables(on_monthly_steps(*spec.lmm, periods), spec.curve);
  // The schedule of the path table: the LMM's own step times, no indices (none are reported).
  const IndexSchedule schedule =
      build_index_schedule(make_year_grid({lmm.times.begin() + 1, lmm.times.end()}), {}, spec.valuation_date,
                           spec.day_count);

  if (chunk_sizes.empty()) {
    const std::int64_t chunk = spec.chunk_paths > 0 ? spec.chunk_paths : backend.backend == Backend::kCpu ? 1024 : 65536;
    result.chunks = plan_equal_chunks(spec.paths, chunk);
  } else {
    check_chunk_sizes(chunk_sizes, spec.paths, false);
    result.chunks = chunk_sizes;
  }
  result.setup_seconds = seconds_since(start);

  const auto n_dates = static_cast<std::size_t>(periods) + 1;
  std::vector<CompensatedSum> discount(n_dates), discount_squares(n_dates);
  std::vector<std::vector<double>> spot(n_dates);
  for (auto& v : spot) v.reserve(static_cast<std::size_t>(spec.paths));
  begin_phase(observer, "LMM paths", spec.paths, "paths");
  std::int64_t first = 0;
  for (const std::int64_t n : result.chunks) {
    const auto generate_start = Clock::now();
    std::vector<double> no_curves;
    const HostPathTable chunk = lmm_path_table(backend.backend, lmm, schedule, {}, spec.seed, first,
                                               static_cast<int>(n), no_curves);
    result.generate_seconds += seconds_since(generate_start);
    const auto reduce_start = Clock::now();
    for (std::size_t j = 0; j < n_dates; ++j) {
      const int k = static_cast<int>(j) * months_per_period;
      for (int p = 0; p < chunk.view.n_paths; ++p) {
        const double d = chunk.view.discount_at(k, p);
        discount[j].add(d);
        discount_squares[j].add(d * d);
        spot[j].push_back(chunk.view.state_at(k, p));
      }
    }
    result.reduce_seconds += seconds_since(reduce_start);
    first += n;
    advance(observer, first);
  }
  end_phase(observer, "LMM paths", seconds_since(start) - result.setup_seconds);

  const double n_paths = static_cast<double>(spec.paths);
  const double no_closed_form = std::nan("");
  for (std::size_t j = 0; j < n_dates; ++j) {
    DateSummary s;
    s.time = lmm.tenor[j];
    s.date = add_months(spec.valuation_date, static_cast<int>(j) * months_per_period);
    s.curve_discount = spec.curve.discount(s.time);
    const double mean = discount[j].value() / n_paths;
    s.mc_discount_mean = mean;
    s.mc_discount_std_error =
        std::sqrt(std::max(0.0, (discount_squares[j].value() - discount[j].value() * mean) / (n_paths - 1)) / n_paths);
    const Distribution rate = describe(spot[j], spec.quantiles);
    s.short_rate_mean = rate.mean;
    s.short_rate_std = rate.std;
    for (const QuantileEstimate& q : rate.quantiles) s.short_rate_quantiles.push_back(q.value);
    s.model_short_rate_mean = s.model_short_rate_std = no_closed_form;  // none under the spot measure
    result.dates.push_back(std::move(s));
  }
  result.total_seconds = seconds_since(start);
  return result;
}

}  // namespace

std::vector<std::int64_t> plan_chunks(std::int64_t total, std::int64_t max_chunk) {
  if (total <= 0) throw std::invalid_argument("plan_chunks: need at least one path");
  return plan_equal_chunks(total, std::max<std::int64_t>(kReductionBlockPaths,
                                                        max_chunk / kReductionBlockPaths * kReductionBlockPaths));
}

std::vector<std::int64_t> plan_equal_chunks(std::int64_t total, std::int64_t chunk) {
  if (total <= 0 || chunk <= 0) throw std::invalid_argument("plan_equal_chunks: need paths and a chunk size");
  std::vector<std::int64_t> plan;
  for (std::int64_t done = 0; done < total; done += chunk) plan.push_back(std::min(chunk, total - done));
  return plan;
}

void check_chunk_sizes(const std::vector<std::int64_t>& chunks, std::int64_t total, bool block_aligned) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const bool last = i + 1 == chunks.size();
    if (chunks[i] <= 0 || (block_aligned && !last && chunks[i] % kReductionBlockPaths != 0)) {
      throw std::invalid_argument(block_aligned ? "chunk sizes: every chunk but the last must be a positive multiple of " +
                                                      std::to_string(kReductionBlockPaths)
                                                : std::string("chunk sizes must be positive"));
    }
    sum += chunks[i];
  }
  if (sum != total) throw std::invalid_argument("chunk sizes must add up to the paths");
}

SimulationResult run_simulation(const SimulationSpec& spec, const BackendSelection& backend,
                                const std::vector<std::int64_t>& chunk_sizes, const RunObserver* observer) {
  if (spec.lmm) return run_lmm_simulation(spec, backend, chunk_sizes, observer);
  const auto start = Clock::now();
  SimulationResult result;
  result.backend = backend;
  result.paths = spec.paths;

  const HullWhiteTables tables = build_hull_white_tables(
      spec.curve, spec.model, spec.grid, spec.indices, spec.valuation_date, spec.day_count);
  const ReductionParams params = make_reduction_params(tables, spec.histogram_bins);
  const std::unique_ptr<PathEngine> engine = make_path_engine(backend.backend, tables);

  if (chunk_sizes.empty()) {
    std::int64_t max_chunk = engine->max_chunk_paths();
    if (spec.chunk_paths > 0) max_chunk = std::min(max_chunk, spec.chunk_paths);
    result.chunks = plan_chunks(spec.paths, max_chunk);
  } else {
    check_chunk_sizes(chunk_sizes, spec.paths, true);
    result.chunks = chunk_sizes;
  }
  result.setup_seconds = seconds_since(start);

  const int n_dates = spec.grid.size();
  const int n_bins = spec.histogram_bins;
  // Block sums are folded into one compensated sum per date in global block order. Chunks are
  // whole blocks and arrive in path order, so the sequence of additions, and the result, is the
  // same for any chunking.
  struct DateAccumulator {
    CompensatedSum discount, discount_squares, state, state_squares;
  };
  std::vector<DateAccumulator> accumulators(static_cast<std::size_t>(n_dates));
  std::vector<std::uint64_t> histogram(static_cast<std::size_t>(n_dates) * (n_bins + 2), 0);

  std::int64_t first_path = 0;
  begin_phase(observer, "Hull-White paths", spec.paths, "paths");
  const auto paths_start = Clock::now();
  for (const std::int64_t n : result.chunks) {
    engine->generate(spec.seed, first_path, static_cast<int>(n));
    result.generate_seconds += engine->last_generate_seconds();
    const auto reduce_start = Clock::now();
    const ChunkReduction chunk = engine->reduce(params);
    for (int k = 0; k < n_dates; ++k) {
      DateAccumulator& acc = accumulators[static_cast<std::size_t>(k)];
      for (int b = 0; b < chunk.n_blocks; ++b) {
        const std::size_t at = static_cast<std::size_t>(k) * chunk.n_blocks + b;
        acc.discount.add(chunk.discount[at].sum);
        acc.discount_squares.add(chunk.discount[at].sum_squares);
        acc.state.add(chunk.state[at].sum);
        acc.state_squares.add(chunk.state[at].sum_squares);
      }
    }
    for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += chunk.histogram[i];
    result.reduce_seconds += seconds_since(reduce_start);
    first_path += n;
    advance(observer, first_path);
  }
  end_phase(observer, "Hull-White paths", seconds_since(paths_start));

  const double n_paths = static_cast<double>(spec.paths);
  for (int k = 0; k < n_dates; ++k) {
    const DateAccumulator& acc = accumulators[static_cast<std::size_t>(k)];
    const CompensatedSum &d1 = acc.discount, &d2 = acc.discount_squares;
    const CompensatedSum &x1 = acc.state, &x2 = acc.state_squares;
    DateSummary s;
    s.time = tables.times[static_cast<std::size_t>(k)];
    if (spec.grid.has_dates()) s.date = spec.grid.dates[static_cast<std::size_t>(k)];
    s.curve_discount = tables.curve_discount[static_cast<std::size_t>(k)];
    const double mean_d = d1.value() / n_paths;
    s.mc_discount_mean = s.curve_discount + mean_d;
    const double var_d =
        n_paths > 1 ? std::max(0.0, (d2.value() - d1.value() * mean_d) / (n_paths - 1)) : 0.0;
    s.mc_discount_std_error = std::sqrt(var_d / n_paths);

    const double shift = tables.short_rate_shift[static_cast<std::size_t>(k)];
    const double mean_x = x1.value() / n_paths;
    s.short_rate_mean = shift + mean_x;
    s.short_rate_std = n_paths > 1 ? std::sqrt(std::max(0.0, (x2.value() - x1.value() * mean_x) /
                                                                  (n_paths - 1)))
                                   : 0.0;
    s.model_short_rate_mean = shift;
    s.model_short_rate_std = std::sqrt(hw_state_variance(spec.model, s.time));
    const std::uint64_t* counts = histogram.data() + static_cast<std::size_t>(k) * (n_bins + 2);
    for (double q : spec.quantiles) {
      if (!(s.model_short_rate_std > 0.0)) {
        s.short_rate_quantiles.push_back(shift);  // x(t) = 0 on every path
      } else {
        const double width = 1.0 / params.histogram_inverse_width[static_cast<std::size_t>(k)];
        s.short_rate_quantiles.push_back(
            shift + histogram_quantile(counts, n_bins,
                                       params.histogram_lo[static_cast<std::size_t>(k)], width, q));
      }
    }
    result.dates.push_back(std::move(s));
  }
  result.total_seconds = seconds_since(start);
  return result;
}

}  // namespace ratesim
