#pragma once
// Shared definitions for code that compiles with both g++ and nvcc.

#if defined(__CUDACC__)
#define RATESIM_HD __host__ __device__
#else
#define RATESIM_HD
#endif

#include <cstdint>

namespace ratesim {

/// Version of the engine, reported by `ratesim --version` and in every summary.json.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace ratesim
