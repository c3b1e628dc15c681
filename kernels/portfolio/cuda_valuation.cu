// Batched deterministic valuation on the GPU: a launch and memory layer over value_in_scenario().

#include "kernels/device_buffer.cuh"
#include "kernels/portfolio/device_portfolio.cuh"
#include "kernels/portfolio/cuda_valuation.hpp"

namespace ratesim::cuda {
namespace {

__global__ void value_positions_kernel(PortfolioView portfolio, const std::int32_t* order,
                                       CurveSetView curves, ValuationSettings settings, double* values) {
  const long long at = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  const long long n = portfolio.size;
  if (at >= n * curves.n_valued()) return;
  // Consecutive threads take consecutive positions of one scenario in coherent_order: alike
  // positions, so a warp's threads walk schedules of the same shape (measured on an H200, in
  // file order a warp kept 13.8 of its 32 threads busy).
  const long long scenario = at / n;
  const int i = order[at % n];
  values[scenario * n + i] = value_in_scenario(portfolio, i, curves,
                                               curves.first_valued + static_cast<int>(scenario), settings);
}

}  // namespace

ValuationOutput value_positions(const Portfolio& portfolio, const BehaviourTable& behaviours,
                                const CurveSet& curves, const ValuationSettings& settings) {
  // Device copies of every table the kernel reads.
  const DevicePortfolio portfolio_on_device(portfolio);
  const PortfolioView p = portfolio_on_device.view();

  DeviceBuffer<int> offset;
  DeviceBuffer<double> times, log_discount;
  CurveSetView c = curves.view();
  c.offset = upload(offset, curves.offset);
  c.times = upload(times, curves.times);
  c.log_discount = upload(log_discount, curves.log_discount);

  const DeviceBehaviours behaviours_on_device(behaviours);
  ValuationSettings s = settings;
  s.behaviours = behaviours_on_device.view();

  DeviceBuffer<std::int32_t> order;
  order.upload(coherent_order(portfolio));

  const long long total = static_cast<long long>(p.size) * c.n_valued();
  DeviceBuffer<double> values(static_cast<std::size_t>(total));
  fill_nan(values);
  constexpr int kBlock = 128;
  ValuationOutput out;
  out.device_seconds = timed_seconds([&] {
    value_positions_kernel<<<grid_size(total, kBlock), kBlock>>>(p, order.data(), c, s, values.data());
    RATESIM_CHECK_LAUNCH("value_positions_kernel");
  });
  out.values = values.download();
  return out;
}

}  // namespace ratesim::cuda
