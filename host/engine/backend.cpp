#include "ratesim/engine/backend.hpp"

#include <stdexcept>

#if RATESIM_HAVE_CUDA
#include "kernels/engine/cuda_path_engine.hpp"
#endif

namespace ratesim {

bool cuda_backend_compiled() { return RATESIM_HAVE_CUDA != 0; }

namespace {
std::string cpu_device_name() {
  return "CPU (" + std::to_string(cpu_thread_count()) + " OpenMP threads, " +
         cpu_vector_isa_name(best_cpu_vector_isa()) + ")";
}
}  // namespace

BackendSelection select_backend(DeviceChoice choice) {
  if (choice == DeviceChoice::kCpu) return {Backend::kCpu, cpu_device_name(), ""};
#if RATESIM_HAVE_CUDA
  const cuda::DeviceStatus status = cuda::query_device();
  if (status.usable) return {Backend::kCuda, status.name, ""};
  if (choice == DeviceChoice::kGpu) {
    throw std::runtime_error("--device gpu: " + status.reason);
  }
  return {Backend::kCpu, cpu_device_name(),
          "the CUDA backend is built but " + status.reason + "; running on the CPU backend"};
#else
  if (choice == DeviceChoice::kGpu) {
    throw std::runtime_error("--device gpu: this build has no CUDA backend (nvcc was not found "
                             "or RATESIM_CUDA=OFF)");
  }
  return {Backend::kCpu, cpu_device_name(), ""};
#endif
}

std::unique_ptr<PathEngine> make_cuda_path_engine(const HullWhiteTables& tables) {
#if RATESIM_HAVE_CUDA
  const cuda::DeviceStatus status = cuda::query_device();
  if (!status.usable) throw std::runtime_error("CUDA backend: " + status.reason);
  return cuda::make_path_engine(tables);
#else
  (void)tables;
  throw std::runtime_error("this build has no CUDA backend");
#endif
}

}  // namespace ratesim
