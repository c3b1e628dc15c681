#pragma once
// The path table: what a rate model hands the revaluation kernels for a chunk of paths.
// Hull-White fills it today; the LMM will fill the same table. Per path and grid date it holds
// the model state x, the path discount factor D(0, t_k) = exp(-int_0^{t_k} r ds) (the inverse of
// the bank-account numeraire) and the configured index rates.
//
// Element (date, path) of a plane sits at date * date_stride + path * path_stride: the CPU backend
// stores each path contiguously (path_stride = n_dates), the GPU backend each date contiguously
// (date_stride = n_paths) so that neighbouring threads touch neighbouring addresses.

#include <cstddef>

#include "ratesim/core.hpp"

namespace ratesim {

struct PathTableView {
  int n_paths = 0;    ///< paths in this chunk
  int n_dates = 0;    ///< grid dates including t_0 = 0
  int n_indices = 0;  ///< index-rate planes
  std::size_t path_stride = 0;
  std::size_t date_stride = 0;
  double* state = nullptr;        ///< x(t_k)
  double* discount = nullptr;     ///< D(0, t_k)
  double* index_rates = nullptr;  ///< n_indices planes, plane i at i * plane_size()
  /// Optional: each path's discount curve at the last grid date, ln P(t_H, t_H + tau_j) on the
  /// nodes of a HorizonCurveView, n_curve_nodes per path, path after path. The model fills it.
  int n_curve_nodes = 0;
  double* horizon_curve = nullptr;

  RATESIM_HD std::size_t plane_size() const {
    return static_cast<std::size_t>(n_paths) * static_cast<std::size_t>(n_dates);
  }
  RATESIM_HD std::size_t offset(int date, int path) const {
    return static_cast<std::size_t>(date) * date_stride + static_cast<std::size_t>(path) * path_stride;
  }
  RATESIM_HD double& state_at(int date, int path) const { return state[offset(date, path)]; }
  RATESIM_HD double& discount_at(int date, int path) const { return discount[offset(date, path)]; }
  RATESIM_HD double& index_rate_at(int index, int date, int path) const {
    return index_rates[static_cast<std::size_t>(index) * plane_size() + offset(date, path)];
  }
  RATESIM_HD double* horizon_curve_of(int path) const {
    return horizon_curve + static_cast<std::size_t>(path) * n_curve_nodes;
  }
};

enum class PathLayout { kPathMajor, kDateMajor };

/// Strides for a table of n_paths x n_dates in the given layout (pointers left to the caller).
inline PathTableView make_path_table_layout(int n_paths, int n_dates, int n_indices,
                                            PathLayout layout) {
  PathTableView v;
  v.n_paths = n_paths;
  v.n_dates = n_dates;
  v.n_indices = n_indices;
  v.path_stride = layout == PathLayout::kPathMajor ? static_cast<std::size_t>(n_dates) : 1;
  v.date_stride = layout == PathLayout::kPathMajor ? 1 : static_cast<std::size_t>(n_paths);
  return v;
}

/// Points the planes of `view` into one contiguous buffer of view.n_paths paths: the state plane,
/// then the discount plane, then the index planes.
RATESIM_HD inline void bind_path_table(PathTableView& view, double* storage) {
  const std::size_t plane = view.plane_size();
  view.state = storage;
  view.discount = storage + plane;
  view.index_rates = storage + 2 * plane;
}

/// Doubles one path occupies in a table: state, discount and the index planes.
inline std::size_t path_table_doubles_per_path(int n_dates, int n_indices) {
  return static_cast<std::size_t>(n_dates) * static_cast<std::size_t>(2 + n_indices);
}

}  // namespace ratesim
