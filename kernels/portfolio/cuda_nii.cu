// Per-path NII on the GPU: a launch and memory layer over nii_block() and nii_combine_blocks().

#include "kernels/device_buffer.cuh"
#include "kernels/portfolio/device_portfolio.cuh"
#include "kernels/portfolio/cuda_nii.hpp"

namespace ratesim::cuda {
namespace {

__global__ void nii_blocks_kernel(PortfolioView portfolio, BehaviourView behaviours,
                                  NiiTablesView tables, BalanceSheetAssumption assumption,
                                  NiiBlockView blocks, PathTableView paths, bool with_horizon,
                                  HorizonCurveView horizon, double* partials) {
  // Consecutive threads take consecutive paths of one block: they read the same positions.
  const long long at = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (at >= static_cast<long long>(blocks.n_blocks) * paths.n_paths) return;
  const int block = static_cast<int>(at / paths.n_paths), path = static_cast<int>(at % paths.n_paths);
  nii_block(portfolio, behaviours, tables, assumption, blocks, block, paths, path,
            with_horizon ? &horizon : nullptr,
            partials + static_cast<std::size_t>(at) * nii_partial_width(tables.months));
}

__global__ void nii_combine_kernel(NiiBlockView blocks, PathTableView paths, int n_segments,
                                   int months, const double* partials, double* out) {
  const int path = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (path >= paths.n_paths) return;
  nii_combine_blocks(
      blocks, n_segments, months,
      [&](int block) {
        return partials + (static_cast<std::size_t>(block) * paths.n_paths + path) * nii_partial_width(months);
      },
      paths.discount_at(paths.n_dates - 1, path),
      out + static_cast<std::size_t>(path) * nii_result_width(n_segments, months));
}

}  // namespace

NiiOutput nii_on_paths(const Portfolio& portfolio, const BehaviourTable& behaviours,
                       const NiiTables& tables, BalanceSheetAssumption assumption, int n_segments,
                       const PathTableView& host_paths, const HorizonCurve* horizon) {
  const DevicePortfolio portfolio_on_device(portfolio);
  const PortfolioView p = portfolio_on_device.view();
  const DeviceBehaviours behaviours_on_device(behaviours);
  const BehaviourView b = behaviours_on_device.view();

  DeviceBuffer<double> accrual, month_accrual, scheduled, reset_share, leg_accrual, survival, margin,
      survival_coefficients;
  DeviceBuffer<std::int32_t> age, maturity_month, repricing, term, index_plane, refinancing_plane,
      replacement_plane, reference_plane, order, block_begin, block_segment, survival_sets, survival_terms;
  NiiTablesView t = tables.view();
  t.accrual = upload(accrual, tables.accrual);
  t.month_accrual = upload(month_accrual, tables.month_accrual);
  t.scheduled = upload(scheduled, tables.scheduled);
  t.reset_share = upload(reset_share, tables.reset_share);
  t.survival = upload(survival, tables.survival);
  t.leg_accrual = upload(leg_accrual, tables.leg_accrual);
  t.margin = upload(margin, tables.margin);
  t.age_months = upload(age, tables.age_months);
  t.maturity_month = upload(maturity_month, tables.maturity_month);
  t.repricing_months = upload(repricing, tables.repricing_months);
  t.term_months = upload(term, tables.term);
  t.index_plane = upload(index_plane, tables.index_plane);
  t.refinancing_plane = upload(refinancing_plane, tables.refinancing_plane);
  t.replacement_plane = upload(replacement_plane, tables.replacement_plane);
  t.reference_plane = upload(reference_plane, tables.reference_plane);
  t.survival_sets = upload(survival_sets, tables.survival_sets);
  t.survival_terms = upload(survival_terms, tables.survival_terms);
  t.survival_coefficients = upload(survival_coefficients, tables.survival_coefficients);
  NiiBlockView blocks = tables.block_view();
  blocks.order = upload(order, tables.order);
  blocks.block_begin = upload(block_begin, tables.block_begin);
  blocks.block_segment = upload(block_segment, tables.block_segment);

  // The path table, in its host layout (strides travel with the view).
  const std::size_t table_doubles = host_paths.plane_size() * (2 + host_paths.n_indices);
  DeviceBuffer<double> table(table_doubles);
  RATESIM_CUDA_TRY(cudaMemcpy(table.data(), host_paths.state, table_doubles * sizeof(double),
                              cudaMemcpyHostToDevice));
  PathTableView paths = host_paths;
  bind_path_table(paths, table.data());

  DeviceBuffer<double> tau, horizon_curves, series_coefficients;
  DeviceBuffer<HorizonLeg> series_legs;
  HorizonCurveView h;
  if (horizon) {
    h = horizon->view();
    h.tau = upload(tau, horizon->tau);
    if (h.series.legs) {
      h.series.legs = upload(series_legs, horizon->legs);
      h.series.coefficients = upload(series_coefficients, horizon->coefficients);
    }
    h.settings.behaviours = b;
    const std::size_t doubles = static_cast<std::size_t>(host_paths.n_paths) * host_paths.n_curve_nodes;
    horizon_curves.resize(doubles);
    RATESIM_CUDA_TRY(cudaMemcpy(horizon_curves.data(), host_paths.horizon_curve, doubles * sizeof(double),
                                cudaMemcpyHostToDevice));
    paths.horizon_curve = horizon_curves.data();
  }

  const long long work = static_cast<long long>(blocks.n_blocks) * paths.n_paths;
  DeviceBuffer<double> partials(static_cast<std::size_t>(work) * nii_partial_width(t.months));
  DeviceBuffer<double> values(static_cast<std::size_t>(paths.n_paths) * nii_result_width(n_segments, t.months));
  fill_nan(partials);
  fill_nan(values);
  NiiOutput out;
  out.device_seconds = timed_seconds([&] {
    nii_blocks_kernel<<<grid_size(work, 64), 64>>>(p, b, t, assumption, blocks, paths,
                                                   horizon != nullptr, h, partials.data());
    RATESIM_CHECK_LAUNCH("nii_blocks_kernel");
    nii_combine_kernel<<<grid_size(paths.n_paths, 128), 128>>>(blocks, paths, n_segments, t.months,
                                                               partials.data(), values.data());
    RATESIM_CHECK_LAUNCH("nii_combine_kernel");
  });
  out.values = values.download();
  return out;
}

}  // namespace ratesim::cuda
