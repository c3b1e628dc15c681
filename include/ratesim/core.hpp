#pragma once
// Shared definitions for code that compiles with both g++ and nvcc.

#if defined(__CUDACC__)
#define RATESIM_HD __host__ __device__
#else
#define RATESIM_HD
#endif

// Inlined wherever it is called: per-path templates whose SIMD instantiation must be compiled
// with the instruction set of the function that calls it (host/engine/cpu_nii.cpp).
#if defined(__CUDACC__)
#define RATESIM_FORCE_INLINE __forceinline__
#else
#define RATESIM_FORCE_INLINE inline __attribute__((always_inline))
#endif

#include <cstdint>

namespace ratesim {

/// Version of the engine, reported by `ratesim --version` and in every summary.json.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace ratesim
