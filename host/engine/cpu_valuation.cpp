// Batched deterministic valuation on the CPU: an OpenMP loop over the shared RATESIM_HD function.

#include <algorithm>
#include <chrono>

#include "ratesim/engine/backend.hpp"

#if RATESIM_HAVE_CUDA
#include "kernels/portfolio/cuda_valuation.hpp"
#endif

namespace ratesim {

ValuationOutput value_positions_cpu(const Portfolio& portfolio, const CurveSet& curves,
                                    const ValuationSettings& settings, const RunObserver* observer) {
  const auto start = std::chrono::steady_clock::now();
  const PortfolioView p = portfolio.view();
  const CurveSetView c = curves.view();
  const long long n = p.size;
  const long long total = n * c.n_valued();
  ValuationOutput out;
  out.values.resize(static_cast<std::size_t>(total));
  double* values = out.values.data();
  // Blocks of valuations (about 20 ms each on two cores; under ASan ten times that), each value
  // independent of the blocking:
  // between them the run reports progress and hears a stop request.
  constexpr long long kBlock = 1 << 13;
  for (long long first = 0; first < total; first += kBlock) {
    const long long last = std::min(total, first + kBlock);
#pragma omp parallel for schedule(dynamic, 256)
    for (long long at = first; at < last; ++at) {
      values[at] = value_in_scenario(p, static_cast<int>(at % n), c, c.first_valued + static_cast<int>(at / n), settings);
    }
    advance(observer, last);
  }
  out.device_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ValuationOutput value_positions(Backend backend, const Portfolio& portfolio,
                                const BehaviourTable& behaviours, const CurveSet& curves,
                                const ValuationSettings& settings, const RunObserver* observer) {
  switch (backend) {
    case Backend::kCpu: return value_positions_cpu(portfolio, curves, settings, observer);
    case Backend::kCuda:
#if RATESIM_HAVE_CUDA
      return cuda::value_positions(portfolio, behaviours, curves, settings);
#else
      (void)behaviours;
      throw std::runtime_error("this build has no CUDA backend");
#endif
  }
  return value_positions_cpu(portfolio, curves, settings, observer);
}

}  // namespace ratesim
