#include "benchmarks/peers/giles_libor.hpp"

#include <cmath>

#include "ratesim/random/philox.hpp"

namespace ratesim::peers {
namespace {

constexpr int kMaxRates = 128, kMaxSteps = 128;

// Giles' path_calc: log-Euler steps of the one-factor spot-measure LMM.
void path_calc(int N, int Nmat, float delta, float* L, const float* lambda, const float* z) {
  for (int n = 0; n < Nmat; ++n) {
    const float sqez = std::sqrt(delta) * z[n];
    float v = 0.0f;
    for (int i = n + 1; i < N; ++i) {
      const float lam = lambda[i - n - 1];
      const float con1 = delta * lam;
      v += (con1 * L[i]) / (1.0f + delta * L[i]);
      const float vrat = std::exp(con1 * v + lam * (sqez - 0.5f * con1));
      L[i] = L[i] * vrat;
    }
  }
}

// Giles' portfolio, with the receiver payoff (see the header).
float portfolio(int N, int Nmat, float delta, int Nopt, const int* maturities, const float* swaprates,
                const float* L) {
  float B[kMaxRates], S[kMaxRates];
  float b = 1.0f, s = 0.0f;
  for (int n = Nmat; n < N; ++n) {
    b = b / (1.0f + delta * L[n]);
    s = s + delta * b;
    B[n] = b;
    S[n] = s;
  }
  float v = 0.0f;
  for (int i = 0; i < Nopt; ++i) {
    const int m = maturities[i] + Nmat - 1;
    const float swapval = B[m] + swaprates[i] * S[m] - 1.0f;
    if (swapval > 0.0f) v += 100.0f * swapval;
  }
  for (int n = 0; n < Nmat; ++n) v = v / (1.0f + delta * L[n]);
  return v;
}

// Four float normals from one Philox block: Box-Muller on two pairs of 32-bit uniforms.
void normals_of_block(const Philox4x32Block& block, float* z) {
  constexpr float kTwoPow32Inv = 2.3283064e-10f, kTwoPi = 6.2831853f;
  for (int pair = 0; pair < 2; ++pair) {
    const float u = static_cast<float>(block.v[2 * pair]) * kTwoPow32Inv + kTwoPow32Inv / 2.0f;
    const float angle = static_cast<float>(block.v[2 * pair + 1]) * (kTwoPow32Inv * kTwoPi);
    const float radius = std::sqrt(-2.0f * std::log(u));
    z[2 * pair] = radius * std::sin(angle);
    z[2 * pair + 1] = radius * std::cos(angle);
  }
}

}  // namespace

void giles_libor_values(const GilesLiborWorkload& w, std::uint64_t seed, std::int64_t first_path,
                        std::vector<double>& values) {
  const int N = w.n_rates, Nmat = w.n_steps, Nopt = static_cast<int>(w.maturities.size());
  float lambda[kMaxRates];
  for (int i = 0; i < N; ++i) lambda[i] = w.volatility;
  const auto n_paths = static_cast<std::int64_t>(values.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t p = 0; p < n_paths; ++p) {
    float z[kMaxSteps + 3], L[kMaxRates];
    for (int b = 0; 4 * b < Nmat; ++b) {
      normals_of_block(philox_block(seed, static_cast<std::uint64_t>(first_path + p), static_cast<std::uint64_t>(b)),
                       z + 4 * b);
    }
    for (int i = 0; i < N; ++i) L[i] = w.forward;
    path_calc(N, Nmat, w.delta, L, lambda, z);
    values[static_cast<std::size_t>(p)] = portfolio(N, Nmat, w.delta, Nopt, w.maturities.data(), w.swap_rates.data(), L);
  }
}

}  // namespace ratesim::peers
