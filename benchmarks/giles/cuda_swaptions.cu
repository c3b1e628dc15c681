// The LMM swaption portfolio on the GPU: a launch and memory layer over
// swaption_portfolio_path().

#include <cmath>

#include "benchmarks/giles/cuda_swaptions.hpp"
#include "kernels/device_buffer.cuh"
#include "kernels/random/curand_normals.cuh"

namespace ratesim::cuda {
namespace {

template <LmmScheme S, int M, class Real>
__global__ void swaption_portfolio_kernel(BasicLmmGridView<Real> grid, SwaptionPortfolioView book,
                                          unsigned long long seed, long long first_path, long long n_paths,
                                          double* values) {
  const long long p = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= n_paths) return;
  CurandPathNormals normals;
  normals.start(seed, static_cast<unsigned long long>(first_path + p));
  FlatNormals<CurandPathNormals> flat{&normals};
  const int m = grid.n_factors;
  values[p] = static_cast<double>(swaption_portfolio_path<S, M, Real>(grid, book, [&](int, Real* z) {
    for (int f = 0; f < m; ++f) z[f] = static_cast<Real>(flat.next());
  }));
}

// The grid's arrays on the device, in the arithmetic's precision.
template <class Real>
struct DeviceGrid {
  DeviceBuffer<Real> tenor, accrual, forwards, times, sqrt_dt, loadings, ito_correction;
  DeviceBuffer<int> first_alive;
  BasicLmmGridView<Real> view;

  explicit DeviceGrid(const LmmTables& lmm) {
    auto as_real = [](const std::vector<double>& v) { return std::vector<Real>(v.begin(), v.end()); };
    view.n_rates = lmm.spec.n_rates;
    view.n_factors = lmm.spec.n_factors;
    view.n_steps = static_cast<int>(lmm.times.size()) - 1;
    view.scheme = lmm.spec.scheme;
    view.displacement = static_cast<Real>(lmm.spec.displacement);
    view.tenor = upload(tenor, as_real(lmm.tenor));
    view.accrual = upload(accrual, as_real(lmm.accrual));
    view.initial_forwards = upload(forwards, as_real(lmm.initial_forwards));
    view.times = upload(times, as_real(lmm.times));
    view.sqrt_dt = upload(sqrt_dt, as_real(lmm.sqrt_dt));
    view.loadings = upload(loadings, as_real(lmm.loadings));
    view.ito_correction = upload(ito_correction, as_real(lmm.ito_correction));
    view.first_alive = upload(first_alive, lmm.first_alive);
  }
};

template <class Real>
double run(const LmmTables& lmm, const SwaptionPortfolio& book, std::uint64_t seed, std::int64_t first_path,
           std::vector<double>& values) {
  const DeviceGrid<Real> grid(lmm);
  DeviceBuffer<int> periods;
  DeviceBuffer<double> strikes, out(values.size());
  fill_nan(out);  // a kernel that writes nothing leaves NaN, which no check passes
  SwaptionPortfolioView view = book.view();
  view.periods = upload(periods, book.periods);
  view.strikes = upload(strikes, book.strikes);
  const auto n = static_cast<long long>(values.size());
  constexpr int kBlock = 64;
  double seconds = 0.0;
  with_lmm_specialisation(grid.view, [&](auto scheme, auto factors) {
    seconds = timed_seconds([&] {
      swaption_portfolio_kernel<decltype(scheme)::value, decltype(factors)::value, Real>
          <<<grid_size(n, kBlock), kBlock>>>(grid.view, view, seed, first_path, n, out.data());
      RATESIM_CHECK_LAUNCH("swaption_portfolio_kernel");
    });
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
