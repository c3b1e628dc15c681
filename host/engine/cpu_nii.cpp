// Per-path NII on the CPU: an OpenMP loop over paths of the shared block and combine functions.

#include <chrono>
#include <stdexcept>

#include "ratesim/engine/backend.hpp"

#if RATESIM_HAVE_CUDA
#include "kernels/portfolio/cuda_nii.hpp"
#endif

namespace ratesim {

NiiOutput nii_on_paths_cpu(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           const NiiTables& tables, BalanceSheetAssumption assumption,
                           int n_segments, const PathTableView& paths, const HorizonCurve* horizon,
                           const std::atomic<bool>* stop) {
  const auto start = std::chrono::steady_clock::now();
  const HorizonCurveView horizon_view = horizon ? horizon->view() : HorizonCurveView{};
  const HorizonCurveView* h = horizon ? &horizon_view : nullptr;
  const PortfolioView p = portfolio.view();
  const BehaviourView b = behaviours.view();
  const NiiTablesView t = tables.view();
  const NiiBlockView blocks = tables.block_view();
  const int width = nii_result_width(n_segments, t.months);
  const int partial = nii_partial_width(t.months);
  const int horizon_date = paths.n_dates - 1;
  NiiOutput out;
  out.values.assign(static_cast<std::size_t>(paths.n_paths) * width, 0.0);
  // Block-major: each block of positions is carried along every path of the chunk while its
  // tables are in the core's cache, instead of every path streaming the whole book's tables; the
  // partials land at [path][block], so the combine below, and every result, is the same as path
  // by path.
  const std::int64_t n_paths = paths.n_paths, cells = static_cast<std::int64_t>(blocks.n_blocks) * n_paths;
  std::vector<double> partials(static_cast<std::size_t>(cells) * partial);
  auto partial_of = [&](std::int64_t path, int block) {
    return partials.data() + (static_cast<std::size_t>(path) * blocks.n_blocks + block) * partial;
  };
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 8)
    for (std::int64_t cell = 0; cell < cells; ++cell) {
      // No exception may leave a parallel region: a stop request skips the rest of the work,
      // and the chunk is abandoned below.
      if (stop && stop->load(std::memory_order_relaxed)) continue;
      const int block = static_cast<int>(cell / n_paths), path = static_cast<int>(cell % n_paths);
      nii_block(p, b, t, assumption, blocks, block, paths, path, h, partial_of(path, block));
    }
#pragma omp for schedule(static)
    for (int path = 0; path < paths.n_paths; ++path) {
      if (stop && stop->load(std::memory_order_relaxed)) continue;
      nii_combine_blocks(blocks, n_segments, t.months, [&](int block) { return partial_of(path, block); },
                         paths.discount_at(horizon_date, path),
                         out.values.data() + static_cast<std::size_t>(path) * width);
    }
  }
  check_stop_flag(stop);
  out.device_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

NiiOutput nii_on_paths(Backend backend, const Portfolio& portfolio,
                       const BehaviourTable& behaviours, const NiiTables& tables,
                       BalanceSheetAssumption assumption, int n_segments,
                       const PathTableView& paths, const HorizonCurve* horizon, const std::atomic<bool>* stop) {
  switch (backend) {
    case Backend::kCpu:
      return nii_on_paths_cpu(portfolio, behaviours, tables, assumption, n_segments, paths, horizon, stop);
    case Backend::kCuda:
#if RATESIM_HAVE_CUDA
      return cuda::nii_on_paths(portfolio, behaviours, tables, assumption, n_segments, paths, horizon);
#else
      throw std::runtime_error("this build has no CUDA backend");
#endif
  }
  return nii_on_paths_cpu(portfolio, behaviours, tables, assumption, n_segments, paths, horizon, stop);
}

}  // namespace ratesim
