#pragma once
// cuRAND's Philox state as a NormalSource for the shared path code: curand_init(seed, path, 0)
// starts at block 0 of the path's subsequence and each curand_normal2_double takes one block,
// the stream the CPU draws with ratesim::normal_pair (docs/reproducibility.md).

#include <curand_kernel.h>

#include "ratesim/random/philox.hpp"

namespace ratesim::cuda {

struct CurandPathNormals {
  curandStatePhilox4_32_10_t state;

  __device__ void start(unsigned long long seed, unsigned long long path) {
    curand_init(seed, path, 0, &state);
  }
  RATESIM_HD NormalPair next_pair() {
#if defined(__CUDA_ARCH__)
    const double2 z = curand_normal2_double(&state);
    return NormalPair{z.x, z.y};
#else
    return NormalPair{0.0, 0.0};  // never called on the host
#endif
  }
};

}  // namespace ratesim::cuda
