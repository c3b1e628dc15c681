#include "ratesim/random/philox.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ratesim/risk/statistics.hpp"

#if RATESIM_HAVE_CUDA
#include <curand.h>
#endif

namespace ratesim {
namespace {

// Known-answer vectors published with Random123 (kat_vectors, philox4x32 with 10 rounds):
// counter, key -> output.
TEST(Philox, MatchesRandom123KnownAnswers) {
  struct Case {
    Philox4x32Block counter;
    std::uint32_t key0, key1;
    Philox4x32Block expected;
  };
  const Case cases[] = {
      {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, 0xffffffff, 0xffffffff,
       {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, 0xa4093822, 0x299f31d0,
       {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
  };
  for (const Case& c : cases) {
    const Philox4x32Block out = philox4x32_10(c.counter, c.key0, c.key1);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out.v[i], c.expected.v[i]) << "word " << i;
  }
}

TEST(Philox, CounterLayoutIsBlockThenSubsequence) {
  const std::uint64_t seed = 0x0123456789abcdefULL;
  const Philox4x32Block a = philox_block(seed, 0x1111111122222222ULL, 0x3333333344444444ULL);
  const Philox4x32Block b = philox4x32_10({{0x44444444, 0x33333333, 0x22222222, 0x11111111}},
                                          0x89abcdef, 0x01234567);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a.v[i], b.v[i]);
}

TEST(Philox, NormalsHaveUnitMomentsWithinStandardErrors) {
  const int n = 1 << 20;
  CompensatedSum s1, s2, s3, s4;
  for (int i = 0; i < n / 2; ++i) {
    const NormalPair z = normal_pair(7, static_cast<std::uint64_t>(i % 1000), static_cast<std::uint64_t>(i / 1000));
    for (double v : {z.first, z.second}) {
      s1.add(v);
      s2.add(v * v);
      s3.add(v * v * v);
      s4.add(v * v * v * v);
    }
  }
  // Standard errors of the sample moments of N(0,1): sqrt(Var(Z^k) / n).
  EXPECT_NEAR(s1.value() / n, 0.0, 4.0 * std::sqrt(1.0 / n));
  EXPECT_NEAR(s2.value() / n, 1.0, 4.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s3.value() / n, 0.0, 4.0 * std::sqrt(15.0 / n));
  EXPECT_NEAR(s4.value() / n, 3.0, 4.0 * std::sqrt(96.0 / n));
}

#if RATESIM_HAVE_CUDA
// cuRAND's host generator (curandCreateGeneratorHost, no GPU needed) with the default ordering
// runs 65536 Philox subsequences side by side; curandGenerateNormalDouble writes, for round r,
// the four normals of blocks 2r and 2r+1 of subsequence s at 4 (r * 65536 + s). So output i is
// element i % 2 of block 2 (i / 262144) + (i % 4) / 2 of subsequence (i / 4) % 65536. ratesim's
// normal_pair(seed, s, b) must reproduce every one of them bit for bit.
TEST(Philox, MatchesCurandHostGeneratorBitForBit) {
  constexpr std::uint64_t kSubsequences = 65536;
  for (const std::uint64_t seed : {0ULL, 42ULL, 20260630ULL, 0xfedcba9876543210ULL}) {
    curandGenerator_t generator;
    ASSERT_EQ(curandCreateGeneratorHost(&generator, CURAND_RNG_PSEUDO_PHILOX4_32_10),
              CURAND_STATUS_SUCCESS);
    ASSERT_EQ(curandSetPseudoRandomGeneratorSeed(generator, seed), CURAND_STATUS_SUCCESS);
    const std::size_t n = 3 * 4 * kSubsequences;  // three rounds: blocks 0..5 of each subsequence
    std::vector<double> reference(n);
    ASSERT_EQ(curandGenerateNormalDouble(generator, reference.data(), n, 0.0, 1.0),
              CURAND_STATUS_SUCCESS);
    curandDestroyGenerator(generator);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t subsequence = (i / 4) % kSubsequences;
      const std::uint64_t block = 2 * (i / (4 * kSubsequences)) + (i % 4) / 2;
      const NormalPair z = normal_pair(seed, subsequence, block);
      const double mine = i % 2 == 0 ? z.first : z.second;
      if (mine != reference[i]) ++mismatches;
    }
    EXPECT_EQ(mismatches, 0u) << "seed " << seed;
  }
}

TEST(Philox, MatchesCurandHostGeneratorRawBits) {
  // curandGenerate: word j of block b of subsequence s lands at 4 (b * 65536 + s) + j.
  curandGenerator_t generator;
  ASSERT_EQ(curandCreateGeneratorHost(&generator, CURAND_RNG_PSEUDO_PHILOX4_32_10),
            CURAND_STATUS_SUCCESS);
  ASSERT_EQ(curandSetPseudoRandomGeneratorSeed(generator, 1234), CURAND_STATUS_SUCCESS);
  const std::size_t n = 2 * 4 * 65536;
  std::vector<unsigned> reference(n);
  ASSERT_EQ(curandGenerate(generator, reference.data(), n), CURAND_STATUS_SUCCESS);
  curandDestroyGenerator(generator);
  for (std::size_t i = 0; i < n; i += 4) {
    const Philox4x32Block b = philox_block(1234, (i / 4) % 65536, i / (4 * 65536));
    for (int j = 0; j < 4; ++j) ASSERT_EQ(b.v[j], reference[i + j]) << "at " << i + j;
  }
}
#else
TEST(Philox, MatchesCurandHostGeneratorBitForBit) {
  GTEST_SKIP() << "built without the CUDA toolkit, so cuRAND's host generator is not available";
}
#endif

}  // namespace
}  // namespace ratesim
