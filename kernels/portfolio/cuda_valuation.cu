// Batched deterministic valuation on the GPU: a launch and memory layer over value_in_scenario().

#include "kernels/device_buffer.cuh"
#include "kernels/portfolio/cuda_valuation.hpp"

namespace ratesim::cuda {
namespace {

__global__ void value_positions_kernel(PortfolioView portfolio, CurveSetView curves,
                                       ValuationSettings settings, double* values) {
  const long long at = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  const long long n = portfolio.size;
  if (at >= n * curves.n_scenarios) return;
  // Consecutive threads take consecutive positions of one scenario: their SoA reads coalesce.
  values[at] = value_in_scenario(portfolio, static_cast<int>(at % n), curves,
                                 static_cast<int>(at / n), settings);
}

template <class T>
const T* upload(DeviceBuffer<T>& buffer, const std::vector<T>& host) {
  buffer.upload(host);
  return buffer.data();
}

}  // namespace

ValuationOutput value_positions(const Portfolio& portfolio, const BehaviourTable& behaviours,
                                const CurveSet& curves, const ValuationSettings& settings) {
  // Device copies of every table the kernel reads.
  DeviceBuffer<PositionKind> kind;
  DeviceBuffer<Side> side;
  DeviceBuffer<Amortization> amortization;
  DeviceBuffer<DayCount> day_count;
  DeviceBuffer<SwapLeg> swap_leg;
  DeviceBuffer<NmdCategory> nmd_category;
  DeviceBuffer<std::uint8_t> floating;
  DeviceBuffer<std::int32_t> start_day, maturity_day, payment_months, reset_months, index_tenor,
      behaviour, segment, currency;
  DeviceBuffer<double> notional, rate, spread, cap_rate, floor_rate, strike;
  PortfolioView p;
  p.size = portfolio.size();
  p.kind = upload(kind, portfolio.kind);
  p.side = upload(side, portfolio.side);
  p.amortization = upload(amortization, portfolio.amortization);
  p.day_count = upload(day_count, portfolio.day_count);
  p.swap_leg = upload(swap_leg, portfolio.swap_leg);
  p.nmd_category = upload(nmd_category, portfolio.nmd_category);
  p.floating = upload(floating, portfolio.floating);
  p.start_day = upload(start_day, portfolio.start_day);
  p.maturity_day = upload(maturity_day, portfolio.maturity_day);
  p.payment_months = upload(payment_months, portfolio.payment_months);
  p.reset_months = upload(reset_months, portfolio.reset_months);
  p.index_tenor_months = upload(index_tenor, portfolio.index_tenor_months);
  p.behaviour = upload(behaviour, portfolio.behaviour);
  p.segment = upload(segment, portfolio.segment);
  p.currency = upload(currency, portfolio.currency);
  p.notional = upload(notional, portfolio.notional);
  p.rate = upload(rate, portfolio.rate);
  p.spread = upload(spread, portfolio.spread);
  p.cap_rate = upload(cap_rate, portfolio.cap_rate);
  p.floor_rate = upload(floor_rate, portfolio.floor_rate);
  p.strike = upload(strike, portfolio.strike);

  DeviceBuffer<int> offset;
  DeviceBuffer<double> times, log_discount;
  CurveSetView c = curves.view();
  c.offset = upload(offset, curves.offset);
  c.times = upload(times, curves.times);
  c.log_discount = upload(log_discount, curves.log_discount);

  DeviceBuffer<BehaviourType> behaviour_type;
  DeviceBuffer<double> cpr, core_share, core_life;
  ValuationSettings s = settings;
  s.behaviours.type = upload(behaviour_type, behaviours.type);
  s.behaviours.cpr = upload(cpr, behaviours.cpr);
  s.behaviours.core_share = upload(core_share, behaviours.core_share);
  s.behaviours.core_average_life = upload(core_life, behaviours.core_average_life);
  s.behaviours.dynamics = nullptr;  // rate-driven behaviour is the NII engine's, not valuation's

  const long long total = static_cast<long long>(p.size) * c.n_scenarios;
  DeviceBuffer<double> values(static_cast<std::size_t>(total));
  CudaEvent start, stop;
  constexpr int kBlock = 128;
  RATESIM_CUDA_TRY(cudaEventRecord(start.get()));
  value_positions_kernel<<<grid_size(total, kBlock), kBlock>>>(p, c, s, values.data());
  RATESIM_CHECK_LAUNCH("value_positions_kernel");
  RATESIM_CUDA_TRY(cudaEventRecord(stop.get()));
  RATESIM_CUDA_TRY(cudaEventSynchronize(stop.get()));
  float ms = 0.0f;
  RATESIM_CUDA_TRY(cudaEventElapsedTime(&ms, start.get(), stop.get()));
  ValuationOutput out;
  out.values = values.download();
  out.device_seconds = ms * 1e-3;
  return out;
}

}  // namespace ratesim::cuda
