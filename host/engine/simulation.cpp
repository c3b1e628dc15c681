#include "ratesim/engine/simulation.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/risk/histogram_quantile.hpp"

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

std::vector<std::int64_t> plan_chunks(std::int64_t total, std::int64_t max_chunk) {
  if (total <= 0) throw std::invalid_argument("plan_chunks: need at least one path");
  std::int64_t chunk = std::max<std::int64_t>(kReductionBlockPaths,
                                              max_chunk / kReductionBlockPaths * kReductionBlockPaths);
  std::vector<std::int64_t> plan;
  for (std::int64_t done = 0; done < total; done += chunk) {
    plan.push_back(std::min(chunk, total - done));
  }
  return plan;
}

SimulationResult run_simulation(const SimulationSpec& spec, const BackendSelection& backend,
                                const std::vector<std::int64_t>& chunk_sizes, const RunObserver* observer) {
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
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < chunk_sizes.size(); ++i) {
      const bool last = i + 1 == chunk_sizes.size();
      if (chunk_sizes[i] <= 0 || (!last && chunk_sizes[i] % kReductionBlockPaths != 0)) {
        throw std::invalid_argument("chunk sizes: every chunk but the last must be a positive "
                                    "multiple of " + std::to_string(kReductionBlockPaths));
      }
      sum += chunk_sizes[i];
    }
    if (sum != spec.paths) throw std::invalid_argument("chunk sizes must add up to the paths");
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
