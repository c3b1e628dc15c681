#pragma once
// The LMM filling the path table (model/path_table.hpp) the revaluation kernels read, as
// Hull-White does: index rates, D(0, t_k) and the horizon curve, from each path's forwards.

#include <cstdint>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/lmm_tables.hpp"

namespace ratesim {

/// Fills a path-major table of n_paths paths, paths [first_path, first_path + n_paths) of the
/// seed, on a monthly grid: grid date k is LMM step k (k/12 years; `lmm` built with monthly
/// steps). `schedule` supplies the indices' payment times and accruals per grid date (the
/// Hull-White tables of the same grid and indices). Each path's curve at t_k: the stub to the
/// next tenor date at the fixed rate of the running period, then the forwards, log-linear in
/// between, flat-forward beyond the last tenor. D(0, t_k) is the inverse of the spot-LIBOR
/// numeraire valued at t_k. The horizon curve (last date) is written on `horizon_nodes`.
HostPathTable lmm_path_table(const LmmTables& lmm, const HullWhiteTables& schedule,
                             const std::vector<double>& horizon_nodes, std::uint64_t seed,
                             std::int64_t first_path, int n_paths,
                             std::vector<double>& horizon_storage);

}  // namespace ratesim
