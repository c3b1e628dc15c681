// The CUDA backend: thin launch and memory layer over the shared RATESIM_HD path and reduction
// functions (DESIGN.md invariant 1). Normals come from cuRAND's device API: path p uses
// subsequence p of the Philox4x32-10 stream keyed by the seed, exactly as the CPU backend does.

#include <algorithm>
#include <cstdio>
#include <vector>

#include "kernels/cuda_check.cuh"
#include "kernels/device_buffer.cuh"
#include "kernels/random/curand_normals.cuh"
#include "kernels/engine/cuda_path_engine.hpp"
#include "ratesim/model/hull_white_paths.hpp"

namespace ratesim::cuda {
namespace {

__global__ void hull_white_paths_kernel(HullWhiteGridView grid, HullWhiteIndexView indices,
                                        PathTableView out, unsigned long long seed,
                                        long long first_path) {
  const int p = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (p >= out.n_paths) return;
  CurandPathNormals normals;
  normals.start(seed, static_cast<unsigned long long>(first_path + p));
  generate_hull_white_path(grid, indices, normals, out, p);
}

__global__ void block_moments_kernel(PathTableView table, const double* discount_centre,
                                     int n_blocks, CentredMoments* discount,
                                     CentredMoments* state) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i >= table.n_dates * n_blocks) return;
  const int date = i / n_blocks;
  path_block_moments(table, date, i % n_blocks, discount_centre[date], discount[i], state[i]);
}

__global__ void state_histogram_kernel(PathTableView table, const double* lo,
                                       const double* inverse_width, int n_bins,
                                       unsigned long long* counts) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= static_cast<long long>(table.n_dates) * table.n_paths) return;
  const int date = static_cast<int>(i / table.n_paths);
  const int path = static_cast<int>(i % table.n_paths);
  const int bin = histogram_bin(table.state_at(date, path), lo[date], inverse_width[date], n_bins);
  // Integer atomics: the counts are exact whatever the order (no floating-point atomics).
  atomicAdd(counts + static_cast<std::size_t>(date) * (n_bins + 2) + bin, 1ULL);
}

class CudaPathEngine final : public PathEngine {
 public:
  explicit CudaPathEngine(const HullWhiteTables& tables) : tables_(tables) {
    times_.upload(tables.times);
    steps_.upload(tables.steps);
    log_discount_drift_.upload(tables.log_discount_drift);
    short_rate_shift_.upload(tables.short_rate_shift);
    payment_begin_.upload(tables.schedule.payment_begin);
    index_log_a_.upload(tables.index_log_a);
    index_b_.upload(tables.index_b);
    index_accrual_.upload(tables.schedule.accrual);
  }

  void generate(std::uint64_t seed, std::int64_t first_path, int n_paths) override {
    const int n_dates = static_cast<int>(tables_.times.size());
    view_ = make_path_table_layout(n_paths, n_dates, tables_.n_indices(), PathLayout::kDateMajor);
    table_.resize(static_cast<std::size_t>(n_paths) *
                  path_table_doubles_per_path(n_dates, tables_.n_indices()));
    bind_path_table(view_, table_.data());
    fill_nan(table_);

    HullWhiteGridView grid{n_dates, times_.data(), steps_.data(), log_discount_drift_.data(),
                           short_rate_shift_.data()};
    const HullWhiteIndexView indices{
        IndexScheduleView{tables_.n_indices(), n_dates, payment_begin_.data(), index_accrual_.data(), nullptr},
        index_log_a_.data(), index_b_.data()};
    constexpr int kBlock = 128;
    last_seconds_ = timed_seconds([&] {
      hull_white_paths_kernel<<<grid_size(n_paths, kBlock), kBlock>>>(grid, indices, view_, seed,
                                                                       first_path);
      RATESIM_CHECK_LAUNCH("hull_white_paths_kernel");
    });
  }

  ChunkReduction reduce(const ReductionParams& params) const override {
    ChunkReduction out;
    out.n_blocks = reduction_blocks(view_.n_paths);
    const int n_dates = view_.n_dates;
    DeviceBuffer<double> centre, lo, inverse_width;
    centre.upload(params.discount_centre);
    lo.upload(params.histogram_lo);
    inverse_width.upload(params.histogram_inverse_width);
    DeviceBuffer<CentredMoments> discount(static_cast<std::size_t>(n_dates) * out.n_blocks);
    DeviceBuffer<CentredMoments> state(discount.size());
    DeviceBuffer<unsigned long long> counts(static_cast<std::size_t>(n_dates) *
                                           (params.n_bins + 2));
    fill_nan(discount);
    fill_nan(state);
    // The counts start at zero: the histogram kernel adds to them.
    RATESIM_CUDA_TRY(cudaMemset(counts.data(), 0, counts.size() * sizeof(unsigned long long)));

    constexpr int kBlock = 128;
    block_moments_kernel<<<grid_size(static_cast<long long>(n_dates) * out.n_blocks, kBlock),
                           kBlock>>>(view_, centre.data(), out.n_blocks, discount.data(),
                                     state.data());
    RATESIM_CHECK_LAUNCH("block_moments_kernel");
    state_histogram_kernel<<<grid_size(static_cast<long long>(n_dates) * view_.n_paths, 256),
                             256>>>(view_, lo.data(), inverse_width.data(), params.n_bins,
                                    counts.data());
    RATESIM_CHECK_LAUNCH("state_histogram_kernel");
    RATESIM_CUDA_TRY(cudaDeviceSynchronize());

    out.discount = discount.download();
    out.state = state.download();
    const std::vector<unsigned long long> c = counts.download();
    out.histogram.assign(c.begin(), c.end());
    return out;
  }

  HostPathTable download() const override {
    HostPathTable copy;
    copy.storage = table_.download();
    copy.view = view_;
    bind_path_table(copy.view, copy.storage.data());
    return copy;
  }

  std::int64_t max_chunk_paths() const override {
    std::size_t free_bytes = 0, total_bytes = 0;
    RATESIM_CUDA_TRY(cudaMemGetInfo(&free_bytes, &total_bytes));
    const std::size_t per_path =
        sizeof(double) * path_table_doubles_per_path(static_cast<int>(tables_.times.size()),
                                                     tables_.n_indices());
    // Half of the free memory for the table leaves room for the reduction buffers.
    std::int64_t paths = static_cast<std::int64_t>(free_bytes / 2 / per_path);
    paths = std::min<std::int64_t>(paths, std::int64_t{1} << 26);
    return std::max<std::int64_t>(kReductionBlockPaths,
                                  paths / kReductionBlockPaths * kReductionBlockPaths);
  }

  double last_generate_seconds() const override { return last_seconds_; }

 private:
  const HullWhiteTables& tables_;
  DeviceBuffer<double> times_, log_discount_drift_, short_rate_shift_;
  DeviceBuffer<HullWhiteStep> steps_;
  DeviceBuffer<int> payment_begin_;
  DeviceBuffer<double> index_log_a_, index_b_, index_accrual_;
  DeviceBuffer<double> table_;
  PathTableView view_;
  double last_seconds_ = 0.0;
};

}  // namespace

DeviceStatus query_device() {
  DeviceStatus status;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorInsufficientDriver || err == cudaErrorNoDevice) {
    status.reason = "no NVIDIA GPU or driver found";
    cudaGetLastError();
    return status;
  }
  if (err != cudaSuccess) {
    status.reason = std::string("no usable CUDA device (") + cudaGetErrorString(err) + ")";
    cudaGetLastError();  // clear the sticky error state for later calls
    return status;
  }
  if (count == 0) {
    status.reason = "no CUDA device found";
    return status;
  }
  cudaDeviceProp prop{};
  RATESIM_CUDA_TRY(cudaGetDeviceProperties(&prop, 0));
  status.name = prop.name;
  status.compute_capability = prop.major * 10 + prop.minor;
  cudaDriverGetVersion(&status.driver_version);
  cudaRuntimeGetVersion(&status.runtime_version);
  int memory_clock_khz = 0, bus_width_bits = 0;
  cudaDeviceGetAttribute(&memory_clock_khz, cudaDevAttrMemoryClockRate, 0);
  cudaDeviceGetAttribute(&bus_width_bits, cudaDevAttrGlobalMemoryBusWidth, 0);
  // Double data rate: two transfers per clock.
  status.peak_bandwidth_gb_s = 2.0 * memory_clock_khz * 1e3 * (bus_width_bits / 8.0) / 1e9;
  const cudaError_t mem = cudaMemGetInfo(&status.free_bytes, &status.total_bytes);
  if (mem != cudaSuccess) {
    status.reason = std::string("cannot use the CUDA device (") + cudaGetErrorString(mem) + ")";
    cudaGetLastError();
    return status;
  }
  status.usable = true;
  return status;
}

std::unique_ptr<PathEngine> make_path_engine(const HullWhiteTables& tables) {
  return std::make_unique<CudaPathEngine>(tables);
}

}  // namespace ratesim::cuda
