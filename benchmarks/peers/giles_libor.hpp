#pragma once
// The peer for the LMM benchmark: Giles' value-only LIBOR code (M. Giles, "libor" CPU and CUDA
// codes, after Glasserman and Zhao), written here from the published algorithm so that it runs
// beside ratesim on the same cores and with the same compiler flags. One path at a time:
// per step one exp and one division per live rate (log-Euler, one factor), the path's normals
// drawn up front. Normals: Philox4x32-10 blocks (subsequence = path, as ratesim) turned into
// four float normals each by Box-Muller (two 32-bit uniforms per pair, as cuRAND's float
// generator does), the draws HeCBench's copy replaces with a constant.
//
// Payoff: ratesim's receiver swaptions, 100 max(K A + B - 1, 0) per swaption (Giles' code values
// the payer side, 100 max(1 - B - K A, 0)); the same arithmetic either way, and the values can then
// be checked against ratesim's.

#include <cstdint>
#include <vector>

namespace ratesim::peers {

struct GilesLiborWorkload {
  int n_rates = 80;            ///< N
  int n_steps = 40;            ///< Nmat: steps of delta, the swaptions' expiry
  float delta = 0.25f;
  float forward = 0.051f;      ///< every L_i(0)
  float volatility = 0.2f;     ///< every lambda
  std::vector<int> maturities{4, 4, 4, 8, 8, 8, 20, 20, 20, 28, 28, 28, 40, 40, 40};
  std::vector<float> swap_rates{0.045f, 0.05f, 0.055f, 0.045f, 0.05f, 0.055f, 0.045f, 0.05f,
                                0.055f, 0.045f, 0.05f, 0.055f, 0.045f, 0.05f, 0.055f};
};

/// The discounted portfolio value of paths [first_path, first_path + values.size()) of `seed`,
/// OpenMP over paths.
void giles_libor_values(const GilesLiborWorkload& workload, std::uint64_t seed, std::int64_t first_path,
                        std::vector<double>& values);

}  // namespace ratesim::peers
