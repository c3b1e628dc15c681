#pragma once
// Every CUDA call and every launch is checked; a failure becomes a std::runtime_error that names
// the call, the file and the line.

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace ratesim::cuda {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* what, const char* file,
                                          int line) {
  throw std::runtime_error(std::string("CUDA error ") + cudaGetErrorName(status) + " (" +
                           cudaGetErrorString(status) + ") in " + what + " at " + file + ":" +
                           std::to_string(line));
}

}  // namespace ratesim::cuda

#define RATESIM_CUDA_TRY(call)                                                      \
  do {                                                                              \
    const cudaError_t ratesim_status_ = (call);                                     \
    if (ratesim_status_ != cudaSuccess) {                                           \
      ::ratesim::cuda::throw_cuda_error(ratesim_status_, #call, __FILE__, __LINE__); \
    }                                                                               \
  } while (0)

#define RATESIM_CHECK_LAUNCH(kernel_name)                                                    \
  do {                                                                                       \
    const cudaError_t ratesim_status_ = cudaGetLastError();                                  \
    if (ratesim_status_ != cudaSuccess) {                                                    \
      ::ratesim::cuda::throw_cuda_error(ratesim_status_, "launch of " kernel_name, __FILE__, \
                                        __LINE__);                                           \
    }                                                                                        \
  } while (0)
