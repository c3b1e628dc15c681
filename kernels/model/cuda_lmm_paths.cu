// LMM paths on the GPU: a launch and memory layer over lmm_fill_path().

#include "kernels/device_buffer.cuh"
#include "kernels/random/curand_normals.cuh"
#include "kernels/model/cuda_lmm_paths.hpp"
#include "ratesim/model/lmm_paths.hpp"

namespace ratesim::cuda {
namespace {

__global__ void lmm_paths_kernel(LmmGridView grid, IndexScheduleView indices, const double* horizon_tau,
                                 PathTableView out, unsigned long long seed, long long first_path) {
  const int p = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (p >= out.n_paths) return;
  CurandPathNormals normals;
  normals.start(seed, static_cast<unsigned long long>(first_path + p));
  lmm_fill_path(grid, indices, horizon_tau, normals, out, p);
}

}  // namespace

void lmm_path_table(const LmmTables& lmm, const IndexSchedule& schedule,
                    const std::vector<double>& horizon_nodes, std::uint64_t seed,
                    std::int64_t first_path, const PathTableView& host) {
  DeviceBuffer<double> tenor, accrual, forwards, times, sqrt_dt, loadings, ito_correction;
  DeviceBuffer<int> first_alive;
  LmmGridView g = lmm.view();
  g.tenor = upload(tenor, lmm.tenor);
  g.accrual = upload(accrual, lmm.accrual);
  g.initial_forwards = upload(forwards, lmm.initial_forwards);
  g.times = upload(times, lmm.times);
  g.sqrt_dt = upload(sqrt_dt, lmm.sqrt_dt);
  g.loadings = upload(loadings, lmm.loadings);
  g.ito_correction = upload(ito_correction, lmm.ito_correction);
  g.first_alive = upload(first_alive, lmm.first_alive);

  DeviceBuffer<int> payment_begin;
  DeviceBuffer<double> index_accrual, index_tau, tau;
  IndexScheduleView idx = schedule.view();
  idx.payment_begin = upload(payment_begin, schedule.payment_begin);
  idx.accrual = upload(index_accrual, schedule.accrual);
  idx.tau = upload(index_tau, schedule.tau);
  const double* horizon = upload(tau, horizon_nodes);

  const std::size_t table_doubles = host.plane_size() * (2 + host.n_indices);
  const std::size_t curve_doubles = static_cast<std::size_t>(host.n_paths) * host.n_curve_nodes;
  DeviceBuffer<double> table(table_doubles), curves(curve_doubles);
  PathTableView out = host;
  bind_path_table(out, table.data());
  out.horizon_curve = curves.data();
  fill_nan(table);
  fill_nan(curves);
  constexpr int kBlock = 64;
  lmm_paths_kernel<<<grid_size(host.n_paths, kBlock), kBlock>>>(g, idx, horizon, out, seed, first_path);
  RATESIM_CHECK_LAUNCH("lmm_paths_kernel");
  RATESIM_CUDA_TRY(cudaDeviceSynchronize());
  RATESIM_CUDA_TRY(cudaMemcpy(host.state, table.data(), table_doubles * sizeof(double), cudaMemcpyDeviceToHost));
  RATESIM_CUDA_TRY(cudaMemcpy(host.horizon_curve, curves.data(), curve_doubles * sizeof(double), cudaMemcpyDeviceToHost));
}

}  // namespace ratesim::cuda
