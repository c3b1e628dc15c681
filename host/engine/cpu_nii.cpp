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
#pragma omp parallel
  {
    std::vector<double> partials(static_cast<std::size_t>(blocks.n_blocks) * partial);
#pragma omp for schedule(dynamic, 4)
    for (int path = 0; path < paths.n_paths; ++path) {
      for (int block = 0; block < blocks.n_blocks; ++block) {
        // No exception may leave a parallel region: a stop request skips the rest of the work,
        // and the chunk is abandoned below.
        if (stop && stop->load(std::memory_order_relaxed)) break;
        nii_block(p, b, t, assumption, blocks, block, paths, path, h,
                  partials.data() + static_cast<std::size_t>(block) * partial);
      }
      nii_combine_blocks(blocks, n_segments, t.months,
                         [&](int block) { return partials.data() + static_cast<std::size_t>(block) * partial; },
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
