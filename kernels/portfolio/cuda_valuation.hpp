#pragma once
// Batched deterministic valuation on the GPU; plain C++ interface.

#include "ratesim/engine/backend.hpp"

namespace ratesim::cuda {

/// One thread per (scenario, position) runs the shared value_in_scenario().
ValuationOutput value_positions(const Portfolio& portfolio, const BehaviourTable& behaviours,
                                const CurveSet& curves, const ValuationSettings& settings);

}  // namespace ratesim::cuda
