#include "ratesim/model/lmm_paths.hpp"

#include <cmath>
#include <stdexcept>

#if RATESIM_HAVE_CUDA
#include "kernels/model/cuda_lmm_paths.hpp"
#endif

namespace ratesim {

HostPathTable lmm_path_table(Backend backend, const LmmTables& lmm, const IndexSchedule& schedule,
                             const std::vector<double>& horizon_nodes, std::uint64_t seed,
                             std::int64_t first_path, int n_paths,
                             std::vector<double>& horizon_storage) {
  const LmmGridView g = lmm.view();
  const int n_dates = schedule.n_dates();
  if (g.n_steps + 1 < n_dates) throw std::invalid_argument("LMM grid shorter than the path table's");
  const IndexScheduleView idx = schedule.view();
  HostPathTable table;
  table.view = make_path_table_layout(n_paths, n_dates, idx.n_indices, PathLayout::kPathMajor);
  // NaN until written: a value the fill misses cannot pass for a number.
  table.storage.assign(static_cast<std::size_t>(n_paths) * path_table_doubles_per_path(n_dates, idx.n_indices),
                       std::nan(""));
  bind_path_table(table.view, table.storage.data());
  horizon_storage.assign(static_cast<std::size_t>(n_paths) * horizon_nodes.size(), std::nan(""));
  table.view.n_curve_nodes = static_cast<int>(horizon_nodes.size());
  table.view.horizon_curve = horizon_storage.data();
#if RATESIM_HAVE_CUDA
  if (backend == Backend::kCuda) {
    cuda::lmm_path_table(lmm, schedule, horizon_nodes, seed, first_path, table.view);
    return table;
  }
#else
  if (backend == Backend::kCuda) throw std::runtime_error("this build has no CUDA backend");
#endif
  const PathTableView v = table.view;
#pragma omp parallel for schedule(dynamic, 16)
  for (int p = 0; p < n_paths; ++p) {
    PhiloxPathNormals normals{seed, static_cast<std::uint64_t>(first_path + p)};
    lmm_fill_path(g, idx, horizon_nodes.data(), normals, v, p);
  }
  return table;
}

}  // namespace ratesim
