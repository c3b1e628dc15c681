#pragma once
// LMM paths on the GPU; plain C++ interface.

#include <cstdint>
#include <vector>

#include "ratesim/model/index_schedule.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/path_table.hpp"

namespace ratesim::cuda {

/// Fills the host table `out` (path-major, with its horizon curve) on the GPU: one thread per
/// path runs the shared lmm_fill_path() with cuRAND's Philox normals.
void lmm_path_table(const LmmTables& lmm, const IndexSchedule& schedule,
                    const std::vector<double>& horizon_nodes, std::uint64_t seed,
                    std::int64_t first_path, const PathTableView& out);

}  // namespace ratesim::cuda
