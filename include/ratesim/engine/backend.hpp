#pragma once
// Choosing where paths are computed. The CUDA backend exists only in builds with nvcc
// (RATESIM_HAVE_CUDA); without a usable GPU, `auto` falls back to the CPU and says why once.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ratesim/engine/progress.hpp"
#include "ratesim/engine/path_reduction.hpp"
#include "ratesim/curve/curve_set.hpp"
#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/portfolio/valuation.hpp"

namespace ratesim {

enum class DeviceChoice { kAuto, kCpu, kGpu };
enum class Backend { kCpu, kCuda };

/// The SIMD instruction sets the CPU's month step is compiled for; the best the machine has is
/// chosen at run time. All give the same bits (docs/reproducibility.md). kScalar runs the shared
/// scalar code one path at a time, as the GPU does: the reference the lanes are tested against.
enum class CpuVectorIsa { kBest, kScalar, kSse2, kAvx2, kAvx512 };
CpuVectorIsa best_cpu_vector_isa();
bool cpu_supports(CpuVectorIsa isa);
const char* cpu_vector_isa_name(CpuVectorIsa isa);

struct BackendSelection {
  Backend backend = Backend::kCpu;
  std::string device;  ///< "CPU (N OpenMP threads, ISA)" or the GPU's name
  std::string note;    ///< why `auto` chose the CPU, empty otherwise
  CpuVectorIsa cpu_isa = CpuVectorIsa::kBest;  ///< the CPU backend's NII month step
};

/// Throws std::runtime_error when a GPU is demanded and none can be used.
BackendSelection select_backend(DeviceChoice choice);

/// True when this binary contains the CUDA backend.
bool cuda_backend_compiled();

/// OpenMP threads the CPU backend uses.
int cpu_thread_count();

/// A chunk's path table in host memory, in the backend's own layout.
struct HostPathTable {
  std::vector<double> storage;
  PathTableView view;
};

/// Generates paths [first_path, first_path + n_paths) of the stream `seed` into tables, and
/// reduces them. One object per run: it keeps the grid tables (and on a GPU the device buffers).
class PathEngine {
 public:
  virtual ~PathEngine() = default;
  virtual void generate(std::uint64_t seed, std::int64_t first_path, int n_paths) = 0;
  virtual ChunkReduction reduce(const ReductionParams& params) const = 0;
  virtual HostPathTable download() const = 0;
  /// Paths that fit the backend's memory budget per chunk (a multiple of the reduction block).
  virtual std::int64_t max_chunk_paths() const = 0;
  /// Seconds the last generate() took on the device (CUDA events) or the host (wall clock).
  virtual double last_generate_seconds() const = 0;
};

/// The engines keep a reference to `tables`, which must outlive them.
std::unique_ptr<PathEngine> make_cpu_path_engine(const HullWhiteTables& tables);
/// Throws std::runtime_error when the CUDA backend is not compiled in or no GPU is usable.
std::unique_ptr<PathEngine> make_cuda_path_engine(const HullWhiteTables& tables);
std::unique_ptr<PathEngine> make_path_engine(Backend backend, const HullWhiteTables& tables);

/// Values of every position under every valued scenario of `curves` (from first_valued on):
/// values[(s - first_valued) * n_positions + i].
struct ValuationOutput {
  std::vector<double> values;
  double device_seconds = 0.0;  ///< the valuation itself (kernel time on a GPU)
};

/// `settings.behaviours` must view `behaviours`; the backend copies what it needs. With an
/// observer, the CPU reports progress in valuations and stops (RunInterrupted) within a block of
/// them, a fraction of a second, once asked; the GPU's one batched launch takes milliseconds.
ValuationOutput value_positions(Backend backend, const Portfolio& portfolio,
                                const BehaviourTable& behaviours, const CurveSet& curves,
                                const ValuationSettings& settings, const RunObserver* observer = nullptr);
ValuationOutput value_positions_cpu(const Portfolio& portfolio, const CurveSet& curves,
                                    const ValuationSettings& settings, const RunObserver* observer = nullptr);

/// Per-path NII of the whole portfolio on every path of `paths` (a chunk in host memory), and
/// with `horizon` its EVE at the horizon: values[path * width + j], width = nii_result_width(),
/// laid out as [NII total, by segment..., by month..., EVE total, by segment..., D(0, H)].
struct NiiOutput {
  std::vector<double> values;
  double device_seconds = 0.0;
};
/// On the CPU every block of positions of every path checks `stop`, so that a chunk of a book of
/// 10^6 positions stops within a second of Ctrl-C (RunInterrupted).
NiiOutput nii_on_paths(Backend backend, const Portfolio& portfolio,
                       const BehaviourTable& behaviours, const NiiTables& tables,
                       BalanceSheetAssumption assumption, int n_segments,
                       const PathTableView& paths, const HorizonCurve* horizon,
                       const std::atomic<bool>* stop = nullptr, CpuVectorIsa cpu_isa = CpuVectorIsa::kBest);

/// The paths of a Monte Carlo chunk on the CPU for a book of n_blocks blocks of positions: 256
/// (at least 16 a thread), fewer where the chunk's partials (a row of nii_partial_width(months)
/// doubles per path and block) would pass 256 MB, never fewer than one group of lanes a thread.
std::int64_t cpu_nii_chunk_paths(int n_blocks, int months);

/// Throws std::runtime_error when the machine lacks `isa`.
NiiOutput nii_on_paths_cpu(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           const NiiTables& tables, BalanceSheetAssumption assumption,
                           int n_segments, const PathTableView& paths, const HorizonCurve* horizon,
                           const std::atomic<bool>* stop = nullptr, CpuVectorIsa isa = CpuVectorIsa::kBest);

}  // namespace ratesim
