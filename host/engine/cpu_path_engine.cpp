// The CPU backend: OpenMP loops over the shared RATESIM_HD path and reduction functions.

#include <algorithm>
#include <chrono>
#include <thread>

#include "ratesim/engine/backend.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace ratesim {
namespace {

class CpuPathEngine final : public PathEngine {
 public:
  explicit CpuPathEngine(const HullWhiteTables& tables) : tables_(tables) {}

  void generate(std::uint64_t seed, std::int64_t first_path, int n_paths) override {
    const auto start = std::chrono::steady_clock::now();
    const HullWhiteGridView grid = tables_.grid_view();
    const HullWhiteIndexView indices = tables_.index_view();
    table_.view = make_path_table_layout(n_paths, grid.n_dates, tables_.n_indices(),
                                         PathLayout::kPathMajor);
    table_.storage.resize(static_cast<std::size_t>(n_paths) *
                          path_table_doubles_per_path(grid.n_dates, tables_.n_indices()));
    bind_path_table(table_.view, table_.storage.data());
    const PathTableView view = table_.view;
#pragma omp parallel for schedule(static)
    for (int p = 0; p < n_paths; ++p) {
      PhiloxPathNormals normals{seed, static_cast<std::uint64_t>(first_path + p)};
      generate_hull_white_path(grid, indices, normals, view, p);
    }
    last_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  double last_generate_seconds() const override { return last_seconds_; }

  ChunkReduction reduce(const ReductionParams& params) const override {
    const PathTableView& view = table_.view;
    const int n_dates = view.n_dates;
    ChunkReduction out;
    out.n_blocks = reduction_blocks(view.n_paths);
    out.discount.resize(static_cast<std::size_t>(n_dates) * out.n_blocks);
    out.state.resize(out.discount.size());
    const int row = params.n_bins + 2;
    out.histogram.assign(static_cast<std::size_t>(n_dates) * row, 0);
    // One date per iteration: each histogram row has a single writer, so no atomics at all.
#pragma omp parallel for schedule(dynamic)
    for (int k = 0; k < n_dates; ++k) {
      for (int b = 0; b < out.n_blocks; ++b) {
        const std::size_t at = static_cast<std::size_t>(k) * out.n_blocks + b;
        path_block_moments(view, k, b, params.discount_centre[k], out.discount[at], out.state[at]);
      }
      std::uint64_t* counts = out.histogram.data() + static_cast<std::size_t>(k) * row;
      for (int p = 0; p < view.n_paths; ++p) {
        ++counts[histogram_bin(view.state_at(k, p), params.histogram_lo[k],
                               params.histogram_inverse_width[k], params.n_bins)];
      }
    }
    return out;
  }

  HostPathTable download() const override {
    HostPathTable copy;
    copy.storage = table_.storage;
    copy.view = table_.view;
    bind_path_table(copy.view, copy.storage.data());
    return copy;
  }

  std::int64_t max_chunk_paths() const override {
    // 256 MiB of path table per chunk keeps a chunk in memory alongside everything else.
    constexpr std::size_t kBudgetBytes = std::size_t{256} << 20;
    const std::size_t per_path =
        sizeof(double) * path_table_doubles_per_path(static_cast<int>(tables_.times.size()),
                                                     tables_.n_indices());
    const std::int64_t paths = static_cast<std::int64_t>(kBudgetBytes / per_path);
    return std::max<std::int64_t>(kReductionBlockPaths,
                                  paths / kReductionBlockPaths * kReductionBlockPaths);
  }

 private:
  const HullWhiteTables& tables_;
  HostPathTable table_;
  double last_seconds_ = 0.0;
};

}  // namespace

std::unique_ptr<PathEngine> make_cpu_path_engine(const HullWhiteTables& tables) {
  return std::make_unique<CpuPathEngine>(tables);
}

std::unique_ptr<PathEngine> make_path_engine(Backend backend, const HullWhiteTables& tables) {
  switch (backend) {
    case Backend::kCpu: return make_cpu_path_engine(tables);
    case Backend::kCuda: return make_cuda_path_engine(tables);
  }
  return make_cpu_path_engine(tables);
}

int cpu_thread_count() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

}  // namespace ratesim
