// Per-path NII on the CPU: an OpenMP loop over blocks of positions and groups of paths, the
// shared month step (portfolio/nii.hpp) run on the group's paths side by side in SIMD lanes, and
// the shared combine function.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "ratesim/engine/backend.hpp"
#include "ratesim/simd/lanes.hpp"

#if RATESIM_HAVE_CUDA
#include "kernels/portfolio/cuda_nii.hpp"
#endif

namespace ratesim {

namespace {

// Paths side by side in the CPU's month step: eight doubles, one AVX-512 register, two AVX2 or
// four SSE2 ones. Every instruction set computes the same bits (simd/lanes.hpp), so which one
// runs changes only the speed.
constexpr int kPathLanes = 8;

struct NiiKernel {
  PortfolioView p;
  BehaviourView b;
  NiiTablesView t;
  BalanceSheetAssumption assumption;
  NiiBlockView blocks;
  PathTableView paths;
  const HorizonCurveView* horizon;  ///< null: no horizon EVE
};

/// One group's index rates, [plane][date][lane]: a rate of the group's paths is one load.
template <class L>
struct GroupRates {
  const double* rates;
  int n_dates;
  RATESIM_FORCE_INLINE L operator()(int plane, int date) const {
    return L::load(rates + (static_cast<std::size_t>(plane) * n_dates + date) * kPathLanes);
  }
};

/// One leg's value at the horizon on each lane's path (position_horizon_value's leg_value, lane
/// by lane): from its series on the lanes whose state and coupon it covers, the others revalued
/// on their own path's curve. Only lanes in `active` count; the others hold anything.
template <class L, class Mask>
RATESIM_FORCE_INLINE L horizon_leg_lanes(const NiiKernel& k, int i, int leg_index, const HorizonState* states,
                                         Mask active, L x, double x_min, double x_max, L notional, L rate,
                                         std::int32_t start, std::int32_t maturity) {
  const HorizonSeriesView& s = k.horizon->series;
  const HorizonLeg* leg = s.legs ? &s.legs[2 * static_cast<std::size_t>(i) + leg_index] : nullptr;
  bool takes[kPathLanes];
  bool any = false, all = true;
  for (int lane = 0; lane < kPathLanes; ++lane) {
    takes[lane] = leg && states[lane].series && horizon_series_takes(*leg, rate[lane]);
    any = any || (takes[lane] && active[lane]);
    all = all && (takes[lane] || !active[lane]);
  }
  L value(0.0);
  if (any) {
    L unit;
    // The group's paths are in order of x(H) (nii_on_paths_cpu), so their states are close and
    // mostly share a piece: then every lane reads the same coefficients, once.
    const HorizonPiece first = horizon_piece_of(s, *leg, x_min);
    // x_max is in x_min's piece when below its upper breakpoint, or when that piece is the last.
    if (leg->pieces == 1 || x_max < first.b || first.b == s.x_hi) {
      const double* c = first.coefficients;
      const L u = (2.0 * x - first.a - first.b) / (first.b - first.a);
      unit = horizon_piece_value<L>(*leg, [&](int j) { return L(c[j]); }, u, rate);
    } else {
      // The lanes straddle pieces (mostly two): each piece among them is evaluated on every lane,
      // from its coefficients broadcast, and each lane keeps its own piece's value. Gathering
      // every coefficient lane by lane cost a tensor's 169 coefficients eight inserts each.
      HorizonPiece piece[kPathLanes];
      for (int lane = 0; lane < kPathLanes; ++lane) piece[lane] = horizon_piece_of(s, *leg, x[lane]);
      bool done[kPathLanes] = {};
      for (int lead = 0; lead < kPathLanes; ++lead) {
        if (done[lead]) continue;
        const HorizonPiece& own = piece[lead];
        double in_piece[kPathLanes];
        for (int lane = lead; lane < kPathLanes; ++lane) {
          const bool same = !done[lane] && piece[lane].coefficients == own.coefficients;
          done[lane] = done[lane] || same;
          in_piece[lane] = same ? 1.0 : 0.0;
        }
        for (int lane = 0; lane < lead; ++lane) in_piece[lane] = 0.0;
        const double* c = own.coefficients;
        const L u = (2.0 * x - own.a - own.b) / (own.b - own.a);
        const L v = horizon_piece_value<L>(*leg, [&](int j) { return L(c[j]); }, u, rate);
        unit = choose(L::load(in_piece) > 0.0, v, unit);
      }
    }
    value = notional * unit;
  }
  if (!all) {
    for (int lane = 0; lane < kPathLanes; ++lane) {
      if (active[lane] && !takes[lane]) {
        value.set(lane, value_in_state(k.p, i, states[lane].context, notional[lane], rate[lane], start, maturity));
      }
    }
  }
  return value;
}

/// nii_block for the paths lane_paths[0..used) (fewer than kPathLanes at the end of the chunk:
/// the last path fills the spare lanes, whose results are dropped): the same sums in the same
/// order, lane by lane, whichever paths share a group. `scratch` holds n_indices * n_dates *
/// kPathLanes doubles.
template <int PartBytes>
RATESIM_FORCE_INLINE void nii_block_lanes(const NiiKernel& k, int block, const int* lane_paths, int used,
                                          double* scratch, double* const* partials) {
  using L = Lanes<double, kPathLanes, PartBytes>;
  const PathTableView& paths = k.paths;
  int path_of[kPathLanes];
  for (int lane = 0; lane < kPathLanes; ++lane) path_of[lane] = lane_paths[lane < used ? lane : used - 1];
  for (int plane = 0; plane < paths.n_indices; ++plane) {
    for (int date = 0; date < paths.n_dates; ++date) {
      double* to = scratch + (static_cast<std::size_t>(plane) * paths.n_dates + date) * kPathLanes;
      for (int lane = 0; lane < kPathLanes; ++lane) to[lane] = paths.index_rate_at(plane, date, path_of[lane]);
    }
  }
  const GroupRates<L> rates{scratch, paths.n_dates};
  HorizonState states[kPathLanes];
  L x(0.0);
  double x_min = INFINITY, x_max = -INFINITY;
  if (k.horizon) {
    for (int lane = 0; lane < kPathLanes; ++lane) {
      states[lane] = horizon_state_of(*k.horizon, paths, path_of[lane]);
      x.set(lane, states[lane].x);
      x_min = std::fmin(x_min, states[lane].x);
      x_max = std::fmax(x_max, states[lane].x);
    }
  }
  const int months = k.t.months;
  BasicCompensatedSum<L> total;
  BasicCompensatedSum<L> by_month[kMaxNiiMonths];
  BasicCompensatedSum<L> eve;
  for (int at = k.blocks.block_begin[block]; at < k.blocks.block_begin[block + 1]; ++at) {
    const int i = k.blocks.order[at];
    PositionAtHorizon<L> end;
    // Straight into the month sums, as nii_block does (0.0 + v: the bits a zeroed slot gave).
    auto add_month = [&](int m, L v) __attribute__((always_inline)) { by_month[m].add(L(0.0) + v); };
    total.add(position_months<L>(k.p, k.b, k.t, k.assumption, i, rates, add_month, nullptr, &end));
    if (k.horizon) {
      // Always inlined: a lambda does not inherit this function's target attribute, and an
      // out-of-line call taking 64-byte lanes by value from AVX-512 code crashed (SIGSEGV).
      auto leg_value = [&](int leg, L notional, L rate, std::int32_t start, std::int32_t maturity,
                           auto active) __attribute__((always_inline)) {
        return horizon_leg_lanes(k, i, leg, states, active, x, x_min, x_max, notional, rate, start, maturity);
      };
      eve.add(horizon_value_of(k.p, k.t, i, k.horizon->settings.valuation_day, end, leg_value));
    }
  }
  const L total_value = total.value(), eve_value = eve.value();
  for (int lane = 0; lane < used; ++lane) {
    double* out = partials[lane];
    out[0] = total_value[lane];
    out[1 + months] = eve_value[lane];
  }
  for (int m = 0; m < months; ++m) {
    const L value = by_month[m].value();
    for (int lane = 0; lane < used; ++lane) partials[lane][1 + m] = value[lane];
  }
}

using NiiBlockLanes = void (*)(const NiiKernel&, int, const int*, int, double*, double* const*);

// The shared scalar nii_block, one path at a time, as each GPU thread runs it: the reference the
// lanes are tested against, and a way to run the GPU's code path on the CPU.
void nii_block_scalar(const NiiKernel& k, int block, const int* lane_paths, int used, double*, double* const* partials) {
  for (int lane = 0; lane < used; ++lane) {
    nii_block(k.p, k.b, k.t, k.assumption, k.blocks, block, k.paths, lane_paths[lane], k.horizon, partials[lane]);
  }
}

// One function per instruction set, each compiling the shared template with its own vector width
// (a target attribute, not a compiler flag for the file, so that no inline function this file
// also emits can come out with instructions the machine lacks). Lanes' months start at zero.
void nii_block_sse2(const NiiKernel& k, int block, const int* lane_paths, int used, double* scratch,
                    double* const* partials) {
  nii_block_lanes<16>(k, block, lane_paths, used, scratch, partials);
}
#if defined(__x86_64__)
__attribute__((target("avx2"))) void nii_block_avx2(const NiiKernel& k, int block, const int* lane_paths, int used,
                                                     double* scratch, double* const* partials) {
  nii_block_lanes<32>(k, block, lane_paths, used, scratch, partials);
}
__attribute__((target("avx512f,avx512dq"))) void nii_block_avx512(const NiiKernel& k, int block, const int* lane_paths,
                                                                   int used, double* scratch, double* const* partials) {
  nii_block_lanes<64>(k, block, lane_paths, used, scratch, partials);
}
#endif

NiiBlockLanes nii_block_for(CpuVectorIsa isa) {
  switch (isa) {
    case CpuVectorIsa::kScalar: return nii_block_scalar;
    case CpuVectorIsa::kSse2: return nii_block_sse2;
#if defined(__x86_64__)
    case CpuVectorIsa::kAvx2: return nii_block_avx2;
    case CpuVectorIsa::kAvx512: return nii_block_avx512;
#else
    case CpuVectorIsa::kAvx2:
    case CpuVectorIsa::kAvx512: break;
#endif
    case CpuVectorIsa::kBest: return nii_block_for(best_cpu_vector_isa());
  }
  return nii_block_sse2;
}

}  // namespace

CpuVectorIsa best_cpu_vector_isa() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return CpuVectorIsa::kAvx512;
  if (__builtin_cpu_supports("avx2")) return CpuVectorIsa::kAvx2;
#endif
  return CpuVectorIsa::kSse2;
}

bool cpu_supports(CpuVectorIsa isa) {
  switch (isa) {
    case CpuVectorIsa::kScalar:
    case CpuVectorIsa::kSse2: return true;
    case CpuVectorIsa::kAvx2: return best_cpu_vector_isa() != CpuVectorIsa::kSse2;
    case CpuVectorIsa::kAvx512: return best_cpu_vector_isa() == CpuVectorIsa::kAvx512;
    case CpuVectorIsa::kBest: return true;
  }
  return false;
}

const char* cpu_vector_isa_name(CpuVectorIsa isa) {
  switch (isa) {
    case CpuVectorIsa::kScalar: return "scalar";
    case CpuVectorIsa::kSse2: return "SSE2";
    case CpuVectorIsa::kAvx2: return "AVX2";
    case CpuVectorIsa::kAvx512: return "AVX-512";
    case CpuVectorIsa::kBest: return cpu_vector_isa_name(best_cpu_vector_isa());
  }
  return "?";
}

std::int64_t cpu_nii_chunk_paths(int n_blocks, int months) {
  const std::int64_t threads = std::max(1, cpu_thread_count());
  const std::int64_t row_bytes = static_cast<std::int64_t>(std::max(1, n_blocks)) * nii_partial_width(months) *
                                 static_cast<std::int64_t>(sizeof(double));
  constexpr std::int64_t kPartialsBytes = std::int64_t{256} << 20;
  const std::int64_t wanted = std::max<std::int64_t>(256, 16 * threads);
  return std::max(kPathLanes * threads, std::min(wanted, kPartialsBytes / row_bytes));
}

NiiOutput nii_on_paths_cpu(const Portfolio& portfolio, const BehaviourTable& behaviours,
                           const NiiTables& tables, BalanceSheetAssumption assumption,
                           int n_segments, const PathTableView& paths, const HorizonCurve* horizon,
                           const std::atomic<bool>* stop, CpuVectorIsa isa) {
  if (!cpu_supports(isa)) {
    throw std::runtime_error(std::string("this CPU has no ") + cpu_vector_isa_name(isa) + " instructions");
  }
  const auto start = std::chrono::steady_clock::now();
  const HorizonCurveView horizon_view = horizon ? horizon->view() : HorizonCurveView{};
  const NiiKernel kernel{portfolio.view(), behaviours.view(), tables.view(), assumption,
                         tables.block_view(), paths, horizon ? &horizon_view : nullptr};
  const NiiBlockLanes block_lanes = nii_block_for(isa);
  const NiiBlockView& blocks = kernel.blocks;
  const int months = kernel.t.months;
  const int width = nii_result_width(n_segments, months);
  const int partial = nii_partial_width(months);
  const int horizon_date = paths.n_dates - 1;
  NiiOutput out;
  out.values.assign(static_cast<std::size_t>(paths.n_paths) * width, 0.0);
  // Block-major: each block of positions is carried along every group of paths of the chunk
  // while its tables are in the core's cache, instead of every path streaming the whole book's
  // tables; the partials land at [path][block], so the combine below, and every result, is the
  // same as path by path, whatever the chunking and the threads.
  const std::int64_t groups = (paths.n_paths + kPathLanes - 1) / kPathLanes;
  const std::int64_t cells = static_cast<std::int64_t>(blocks.n_blocks) * groups;
  std::vector<double> partials(static_cast<std::size_t>(paths.n_paths) * blocks.n_blocks * partial);
  auto partial_of = [&](std::int64_t path, int block) {
    return partials.data() + (static_cast<std::size_t>(path) * blocks.n_blocks + block) * partial;
  };
  // Paths in order of their state at the horizon (ties by path): a group of lanes then holds
  // neighbouring states, whose horizon series mostly share a piece. Each lane's sums are its own
  // path's whichever group it is in, so the order changes no result.
  std::vector<int> lane_order(static_cast<std::size_t>(paths.n_paths));
  for (int path = 0; path < paths.n_paths; ++path) lane_order[static_cast<std::size_t>(path)] = path;
  if (kernel.horizon && paths.n_dates > 0) {
    std::stable_sort(lane_order.begin(), lane_order.end(), [&](int a, int b) {
      return paths.state_at(horizon_date, a) < paths.state_at(horizon_date, b);
    });
  }
  const std::size_t scratch_size = static_cast<std::size_t>(paths.n_indices > 0 ? paths.n_indices : 1) *
                                   paths.n_dates * kPathLanes;
#pragma omp parallel
  {
    std::vector<double> scratch(scratch_size);
#pragma omp for schedule(dynamic, 2)
    for (std::int64_t cell = 0; cell < cells; ++cell) {
      // No exception may leave a parallel region: a stop request skips the rest of the work,
      // and the chunk is abandoned below.
      if (stop && stop->load(std::memory_order_relaxed)) continue;
      const int block = static_cast<int>(cell / groups);
      const int first = static_cast<int>(cell % groups) * kPathLanes;
      const int* lane_paths = lane_order.data() + first;
      const int used = std::min(kPathLanes, paths.n_paths - first);
      double* lanes_partials[kPathLanes];
      for (int lane = 0; lane < kPathLanes; ++lane) {
        lanes_partials[lane] = lane < used ? partial_of(lane_paths[lane], block) : nullptr;
      }
      block_lanes(kernel, block, lane_paths, used, scratch.data(), lanes_partials);
    }
#pragma omp for schedule(static)
    for (int path = 0; path < paths.n_paths; ++path) {
      if (stop && stop->load(std::memory_order_relaxed)) continue;
      nii_combine_blocks(blocks, n_segments, months, [&](int block) { return partial_of(path, block); },
                         paths.discount_at(horizon_date, path),
                         out.values.data() + static_cast<std::size_t>(path) * width);
    }
  }
  check_stop_flag(stop);
  out.device_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

NiiOutput nii_on_paths(Backend backend, const Portfolio& portfolio,
                       const BehaviourTable& behaviours, const NiiTables& tables,
                       BalanceSheetAssumption assumption, int n_segments,
                       const PathTableView& paths, const HorizonCurve* horizon, const std::atomic<bool>* stop,
                       CpuVectorIsa cpu_isa) {
  switch (backend) {
    case Backend::kCpu:
      return nii_on_paths_cpu(portfolio, behaviours, tables, assumption, n_segments, paths, horizon, stop, cpu_isa);
    case Backend::kCuda:
#if RATESIM_HAVE_CUDA
      return cuda::nii_on_paths(portfolio, behaviours, tables, assumption, n_segments, paths, horizon);
#else
      throw std::runtime_error("this build has no CUDA backend");
#endif
  }
  return nii_on_paths_cpu(portfolio, behaviours, tables, assumption, n_segments, paths, horizon, stop, cpu_isa);
}

}  // namespace ratesim
