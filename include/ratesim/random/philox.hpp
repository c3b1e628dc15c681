#pragma once
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
// counter-based generator behind cuRAND's CURAND_RNG_PSEUDO_PHILOX4_32_10, and the Box-Muller
// transform cuRAND applies to it for double-precision normals.
//
// Stream layout (docs/reproducibility.md): the key is the 64-bit seed; the 128-bit counter is
// (block_lo, block_hi, subsequence_lo, subsequence_hi). This is the state that cuRAND's
// curand_init(seed, subsequence, 0, &state) starts from, and each curand_normal2_double() call
// consumes exactly one block. ratesim uses one subsequence per Monte Carlo path.

#include <cmath>
#include <cstdint>

#include "ratesim/core.hpp"

namespace ratesim {

struct Philox4x32Block {
  std::uint32_t v[4];
};

namespace philox_detail {
inline constexpr std::uint32_t kMultiplier0 = 0xD2511F53u;
inline constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;  // golden ratio
inline constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;  // sqrt(3) - 1

RATESIM_HD inline void mul_hi_lo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi,
                                 std::uint32_t& lo) {
  const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(product >> 32);
  lo = static_cast<std::uint32_t>(product);
}
}  // namespace philox_detail

/// One Philox4x32 block: ten rounds over the counter `c` with the key `k`.
RATESIM_HD inline Philox4x32Block philox4x32_10(Philox4x32Block c, std::uint32_t key0,
                                                std::uint32_t key1) {
  using namespace philox_detail;
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mul_hi_lo(kMultiplier0, c.v[0], hi0, lo0);
    mul_hi_lo(kMultiplier1, c.v[2], hi1, lo1);
    c = Philox4x32Block{{hi1 ^ c.v[1] ^ key0, lo1, hi0 ^ c.v[3] ^ key1, lo0}};
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  return c;
}

/// The `block`-th output block of subsequence `subsequence` of the stream with key `seed`.
RATESIM_HD inline Philox4x32Block philox_block(std::uint64_t seed, std::uint64_t subsequence,
                                               std::uint64_t block) {
  const Philox4x32Block counter{{static_cast<std::uint32_t>(block),
                                 static_cast<std::uint32_t>(block >> 32),
                                 static_cast<std::uint32_t>(subsequence),
                                 static_cast<std::uint32_t>(subsequence >> 32)}};
  return philox4x32_10(counter, static_cast<std::uint32_t>(seed),
                       static_cast<std::uint32_t>(seed >> 32));
}

struct NormalPair {
  double first;
  double second;
};

/// cuRAND's double-precision Box-Muller on one block: two 53-bit uniforms, u in (0, 1] for the
/// radius and v in (0, 2] for the angle in units of pi. Host code uses sin/cos of v*pi exactly as
/// cuRAND's host path does; device code uses sincospi as cuRAND's device path does (the two
/// differ by at most a few ulp).
RATESIM_HD inline NormalPair box_muller_double(const Philox4x32Block& b) {
  constexpr double kTwoPow53Inv = 1.0 / 9007199254740992.0;
  const std::uint64_t zu = static_cast<std::uint64_t>(b.v[0]) ^
                           (static_cast<std::uint64_t>(b.v[1]) << (53 - 32));
  const std::uint64_t zv = static_cast<std::uint64_t>(b.v[2]) ^
                           (static_cast<std::uint64_t>(b.v[3]) << (53 - 32));
  const double u = static_cast<double>(zu) * kTwoPow53Inv + kTwoPow53Inv / 2.0;
  const double v = static_cast<double>(zv) * (kTwoPow53Inv * 2.0) + kTwoPow53Inv;
  const double radius = sqrt(-2.0 * log(u));
#if defined(__CUDA_ARCH__)
  double s, c;
  sincospi(v, &s, &c);
#else
  constexpr double kPi = 3.1415926535897932;
  const double s = std::sin(v * kPi);
  const double c = std::cos(v * kPi);
#endif
  return NormalPair{s * radius, c * radius};
}

/// The two standard normals of block `block` in path `path`'s subsequence.
RATESIM_HD inline NormalPair normal_pair(std::uint64_t seed, std::uint64_t path,
                                         std::uint64_t block) {
  return box_muller_double(philox_block(seed, path, block));
}

/// Normals for one path on the CPU: block k of the path's Philox subsequence, then k + 1, ... (the
/// path code's NormalSource; the GPU backend draws the same blocks through cuRAND).
struct PhiloxPathNormals {
  std::uint64_t seed;
  std::uint64_t path;
  std::uint64_t block = 0;
  RATESIM_HD NormalPair next_pair() { return normal_pair(seed, path, block++); }
};

}  // namespace ratesim
