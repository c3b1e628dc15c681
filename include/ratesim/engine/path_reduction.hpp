#pragma once
// What a backend returns for one chunk of paths: per date and per reduction block the centred
// moments of D(0,t_k) and x(t_k), and per date an integer histogram of x(t_k). Blocks are aligned
// to global path indices (risk/statistics.hpp), so the engine can put chunks together in a fixed
// order and get the same bits for any chunking.

#include <cstdint>
#include <vector>

#include "ratesim/core.hpp"
#include "ratesim/model/path_table.hpp"
#include "ratesim/risk/statistics.hpp"

namespace ratesim {

/// Per-date reduction parameters, computed once per run on the host.
struct ReductionParams {
  int n_bins = 8192;
  std::vector<double> discount_centre;  ///< P(0, t_k): the analytic mean of D(0, t_k)
  std::vector<double> histogram_lo;     ///< lower edge of the x(t_k) histogram
  std::vector<double> histogram_inverse_width;
};

struct ChunkReduction {
  int n_blocks = 0;
  std::vector<CentredMoments> discount;  ///< [date * n_blocks + block]
  std::vector<CentredMoments> state;     ///< [date * n_blocks + block], centred on 0
  std::vector<std::uint64_t> histogram;  ///< [date * (n_bins + 2) + bin], see histogram_bin()
};

inline int reduction_blocks(int n_paths) {
  return (n_paths + kReductionBlockPaths - 1) / kReductionBlockPaths;
}

/// Moments of block `block` of date `date` in a chunk's table; shared by both backends.
RATESIM_HD inline void path_block_moments(const PathTableView& table, int date, int block,
                                          double discount_centre, CentredMoments& discount,
                                          CentredMoments& state) {
  const int begin = block * kReductionBlockPaths;
  const int end = begin + kReductionBlockPaths < table.n_paths ? begin + kReductionBlockPaths
                                                               : table.n_paths;
  discount = centred_block_moments([&](int p) { return table.discount_at(date, p); }, begin, end,
                                   discount_centre);
  state = centred_block_moments([&](int p) { return table.state_at(date, p); }, begin, end, 0.0);
}

}  // namespace ratesim
