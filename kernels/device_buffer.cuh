#pragma once
// RAII owners of device memory and events for the CUDA backend.

#include <cuda_runtime.h>

#include <type_traits>
#include <vector>

#include "kernels/cuda_check.cuh"

namespace ratesim::cuda {

/// Owns one device allocation; never throws from its destructor.
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t n) { resize(n); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (data_) cudaFree(data_);
  }
  void resize(std::size_t n) {
    if (n <= capacity_) {
      size_ = n;
      return;
    }
    if (data_) RATESIM_CUDA_TRY(cudaFree(data_));
    data_ = nullptr;
    RATESIM_CUDA_TRY(cudaMalloc(reinterpret_cast<void**>(&data_), n * sizeof(T)));
    capacity_ = size_ = n;
  }
  void upload(const std::vector<T>& host) {
    resize(host.size());
    if (!host.empty()) {
      RATESIM_CUDA_TRY(cudaMemcpy(data_, host.data(), host.size() * sizeof(T),
                                  cudaMemcpyHostToDevice));
    }
  }
  std::vector<T> download() const {
    std::vector<T> host(size_);
    if (size_ > 0) {
      RATESIM_CUDA_TRY(cudaMemcpy(host.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost));
    }
    return host;
  }
  T* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Sets every element of a buffer of kernel outputs to NaN (all bits set) before the kernel runs,
/// so that an element the kernel fails to write shows up as NaN, which no check passes.
/// T is float, double or a plain struct of them (all bits set is NaN in either).
template <class T>
void fill_nan(DeviceBuffer<T>& buffer) {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % sizeof(float) == 0,
                "NaN exists for floating-point outputs only");
  if (buffer.size() > 0) RATESIM_CUDA_TRY(cudaMemset(buffer.data(), 0xFF, buffer.size() * sizeof(T)));
}

/// Copies `host` into `buffer` and returns the device pointer, for filling a kernel's view.
template <class T>
const T* upload(DeviceBuffer<T>& buffer, const std::vector<T>& host) {
  buffer.upload(host);
  return buffer.data();
}

class CudaEvent {
 public:
  CudaEvent() { RATESIM_CUDA_TRY(cudaEventCreate(&event_)); }
  CudaEvent(const CudaEvent&) = delete;
  CudaEvent& operator=(const CudaEvent&) = delete;
  ~CudaEvent() { cudaEventDestroy(event_); }
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_{};
};

/// Runs `launches` (kernel launches on the default stream) between two events and returns the
/// device time in seconds; waits for them to finish.
template <class Launches>
double timed_seconds(Launches launches) {
  CudaEvent start, stop;
  RATESIM_CUDA_TRY(cudaEventRecord(start.get()));
  launches();
  RATESIM_CUDA_TRY(cudaEventRecord(stop.get()));
  RATESIM_CUDA_TRY(cudaEventSynchronize(stop.get()));
  float ms = 0.0f;
  RATESIM_CUDA_TRY(cudaEventElapsedTime(&ms, start.get(), stop.get()));
  return ms * 1e-3;
}

unsigned inline grid_size(long long n, int block) {
  return static_cast<unsigned>((n + block - 1) / block);
}

}  // namespace ratesim::cuda
