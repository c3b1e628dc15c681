// The LMM swaption portfolio on the GPU: a launch and memory layer over
// lmm_swaption_portfolio_path().

#include "kernels/device_buffer.cuh"
#include "kernels/model/cuda_lmm_swaptions.hpp"
#include "kernels/random/curand_normals.cuh"
#include "ratesim/model/lmm_swaptions.hpp"

namespace ratesim::cuda {
namespace {

template <class Real>
__global__ void swaption_portfolio_kernel(BasicLmmGridView<Real> grid, SwaptionPortfolioView book,
                                          unsigned long long seed, long long first_path, long long n_paths,
                                          double* values) {
  const long long p = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= n_paths) return;
  CurandPathNormals normals;
  normals.start(seed, static_cast<unsigned long long>(first_path + p));
  values[p] = static_cast<double>(lmm_swaption_portfolio_path(grid, book, normals));
}

// The grid's arrays on the device, in the arithmetic's precision.
template <class Real>
struct DeviceGrid {
  DeviceBuffer<Real> tenor, accrual, forwards, times, loadings;
  DeviceBuffer<int> first_alive;
  BasicLmmGridView<Real> view;

  explicit DeviceGrid(const LmmTables& lmm) {
    auto as_real = [](const std::vector<double>& v) { return std::vector<Real>(v.begin(), v.end()); };
    view.n_rates = lmm.spec.n_rates;
    view.n_factors = lmm.spec.n_factors;
    view.n_steps = static_cast<int>(lmm.times.size()) - 1;
    view.displacement = static_cast<Real>(lmm.spec.displacement);
    view.tenor = upload(tenor, as_real(lmm.tenor));
    view.accrual = upload(accrual, as_real(lmm.accrual));
    view.initial_forwards = upload(forwards, as_real(lmm.initial_forwards));
    view.times = upload(times, as_real(lmm.times));
    view.loadings = upload(loadings, as_real(lmm.loadings));
    view.first_alive = upload(first_alive, lmm.first_alive);
  }
};

template <class Real>
double run(const LmmTables& lmm, const SwaptionPortfolio& book, std::uint64_t seed, std::int64_t first_path,
           std::vector<double>& values) {
  const DeviceGrid<Real> grid(lmm);
  DeviceBuffer<int> periods;
  DeviceBuffer<double> strikes, out(values.size());
  SwaptionPortfolioView view = book.view();
  view.periods = upload(periods, book.periods);
  view.strikes = upload(strikes, book.strikes);
  const auto n = static_cast<long long>(values.size());
  constexpr int kBlock = 64;
  const double seconds = timed_seconds([&] {
    swaption_portfolio_kernel<Real><<<grid_size(n, kBlock), kBlock>>>(grid.view, view, seed, first_path, n, out.data());
    RATESIM_CHECK_LAUNCH("swaption_portfolio_kernel");
  });
  RATESIM_CUDA_TRY(cudaMemcpy(values.data(), out.data(), values.size() * sizeof(double), cudaMemcpyDeviceToHost));
  return seconds;
}

}  // namespace

double lmm_swaption_portfolio_values(const LmmTables& lmm, const SwaptionPortfolio& book, bool single_precision,
                                     std::uint64_t seed, std::int64_t first_path, std::vector<double>& values) {
  return single_precision ? run<float>(lmm, book, seed, first_path, values)
                          : run<double>(lmm, book, seed, first_path, values);
}

}  // namespace ratesim::cuda
