#pragma once
// Per-path NII on the GPU; plain C++ interface.

#include "ratesim/engine/backend.hpp"

namespace ratesim::cuda {

/// One thread per (path, position block) runs the shared nii_block(); a second kernel combines
/// each path's blocks in order (nii_combine_blocks), so sums run as on the CPU.
NiiOutput nii_on_paths(const Portfolio& portfolio, const BehaviourTable& behaviours,
                       const NiiTables& tables, BalanceSheetAssumption assumption, int n_segments,
                       const PathTableView& paths, const HorizonCurve* horizon);

}  // namespace ratesim::cuda
