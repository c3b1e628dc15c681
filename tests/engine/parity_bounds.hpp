#pragma once
// How far apart the CPU and the GPU may be, derived from each quantity's conditioning.
//
// Both backends run the same RATESIM_HD code on the same Philox blocks. What differs:
//  * the math library: glibc's log, sqrt, sin, cos, exp against CUDA's log, sqrt, sincospi, exp,
//    each within 2 ulp of the exact result (CUDA Math API and glibc accuracy tables), so a
//    Box-Muller normal z = R sin(theta) differs by at most |dz| <= R (3u + 4u) < 8u R, R the
//    radius (R <= 8.7 for 53-bit uniforms), u = 2^-53;
//  * contraction: nvcc fuses a*b+c into one rounding (docs/reproducibility.md), so each
//    operation may round differently, by at most an ulp of each operand term.
// The bounds below carry these first-order errors through each quantity's formula along the
// CPU's own path, with every operation's rounding counted at 4 ulp of the magnitudes it combines
// (kOps), and double the result for the second-order terms (kSafety). A correct kernel stays far
// inside (docs/validation.md records the worst ratio each parity test reaches); a kernel that reads
// the wrong normal, step or table misses by orders of magnitude.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ratesim/model/hull_white_tables.hpp"
#include "ratesim/model/index_schedule.hpp"
#include "ratesim/model/lmm.hpp"
#include "ratesim/model/lmm_tables.hpp"
#include "ratesim/model/path_table.hpp"
#include "ratesim/portfolio/behaviour.hpp"
#include "ratesim/portfolio/portfolio.hpp"
#include "ratesim/random/philox.hpp"

namespace ratesim::test {

inline constexpr double kUnitRoundoff = 0x1p-53;
inline constexpr float kFloatUnitRoundoff = 0x1p-24f;
inline constexpr double kOps = 4.0;     ///< ulps counted per rounding of an operation
inline constexpr double kSafety = 2.0;  ///< for the neglected second-order terms

/// |dz| between the two backends' Box-Muller normals of radius R.
inline double normal_error(double radius) { return 8.0 * kUnitRoundoff * radius; }

/// The error of an index rate (1 - P_n) / sum_j alpha_j P_j when each bond P_j carries the
/// relative error rho_j: first order in the rho_j plus the rounding of the division, the sum and
/// the difference 1 - P_n (the cancellation that makes short simple rates sensitive: for the 1M
/// rate one ulp of P moves the rate by 12 ulp of 1, about 1.3e-15).
struct BondStrip {
  double annuity = 0.0, annuity_error = 0.0;  ///< sum alpha P, and its error bound
  double last = 1.0, last_error = 0.0;        ///< P_n and its error bound
  int payments = 0;
  void add(double accrual, double bond, double relative_error) {
    annuity += accrual * bond;
    annuity_error += accrual * bond * relative_error;
    last = bond;
    last_error = bond * relative_error;
    ++payments;
  }
  double rate() const { return (1.0 - last) / annuity; }
  double rate_error() const {
    const double u = kOps * kUnitRoundoff;
    const double numerator_error = last_error + u * (1.0 + last);
    const double a_error = annuity_error + u * payments * annuity;
    return kSafety * ((numerator_error + std::fabs(rate()) * a_error) / annuity + u * std::fabs(rate()));
  }
};

/// Bounds on |CPU - GPU| for every value of one Hull-White path, [date] and [index][date].
struct HullWhitePathBounds {
  std::vector<double> state, discount;
  std::vector<std::vector<double>> rates;
};

/// Propagates the normals' errors through the exact (x, int x) step: x' = d x + l11 z1 and
/// I' = I + b x + l21 z1 + l22 z2 are sums, so their errors add, each term's rounding counted;
/// D = exp(ln P(0,t) - G - I) carries dI plus exp's rounding relative to its argument; each
/// index bond exp(log_a - b x) carries b dx plus the same; BondStrip does the rest.
inline HullWhitePathBounds hull_white_path_bounds(const HullWhiteTables& t, std::uint64_t seed, std::uint64_t path) {
  const double u = kOps * kUnitRoundoff;
  const HullWhiteGridView grid = t.grid_view();
  const HullWhiteIndexView indices = t.index_view();
  HullWhitePathBounds out;
  out.rates.assign(static_cast<std::size_t>(indices.schedule.n_indices), {});
  PhiloxPathNormals normals{seed, path};
  HullWhiteState s;
  double dx = 0.0, di = 0.0;
  for (int k = 0; k < grid.n_dates; ++k) {
    if (k > 0) {
      const HullWhiteStep& st = grid.steps[k - 1];
      const NormalPair z = normals.next_pair();
      const double dz = normal_error(std::hypot(z.first, z.second));
      const HullWhiteState next = hw_advance(st, s, z.first, z.second);
      const double dx_next = st.decay * dx + st.l11 * dz +
                             u * (std::fabs(st.decay * s.x) + std::fabs(st.l11 * z.first) + std::fabs(next.x));
      di = di + st.b * dx + (st.l21 + st.l22) * dz +
           u * (std::fabs(s.integral) + std::fabs(st.b * s.x) + std::fabs(st.l21 * z.first) +
                std::fabs(st.l22 * z.second) + std::fabs(next.integral));
      dx = dx_next;
      s = next;
    }
    out.state.push_back(kSafety * dx);
    const double log_d = grid.log_discount_drift[k] - s.integral;
    out.discount.push_back(kSafety * std::exp(log_d) * (di + u * (1.0 + std::fabs(log_d))));
    for (int i = 0; i < indices.schedule.n_indices; ++i) {
      BondStrip strip;
      for (int j = indices.schedule.payment_begin[i]; j < indices.schedule.payment_begin[i + 1]; ++j) {
        const int row = indices.schedule.row(j, k);
        const double log_p = indices.log_a[row] - indices.b[row] * s.x;
        strip.add(indices.schedule.accrual[row], std::exp(log_p),
                  indices.b[row] * dx + u * (1.0 + std::fabs(log_p)));
      }
      out.rates[static_cast<std::size_t>(i)].push_back(strip.rate_error());
    }
  }
  return out;
}

/// A bound on the relative error of every forward's L + s after each LMM step k (index k + 1) of
/// path `path`, followed along the CPU's own path: each step adds to ln(L + s) the loadings'
/// response to the normals' errors, |lambda_i|_1 sqrt(dt) dz, the drift's response to the
/// forwards' errors (each drift term delta (L + s) lambda / (1 + delta L) moves by at most its own
/// size times rho, so mu rho dt), and the rounding of the drift, the shock, the exp and the
/// product (kOps ulp each on L, and on the exponent's m-term sums in proportion to their size);
/// the predictor-corrector does the drift and the exp twice. In float the normals are the same
/// doubles rounded, so they differ by at most a float ulp: dz <= 2 u_f R. The errors are added as
/// if they all had one sign (a worst case; typical differences are a hundredth of it, as
/// parity_bounds_test records). `largest_forward`, when given, receives max L + s on the path.
template <class Real>
std::vector<double> lmm_forward_error_bounds(const BasicLmmGridView<Real>& g, std::uint64_t seed, std::uint64_t path,
                                             double* largest_forward = nullptr) {
  const bool single = sizeof(Real) == 4;
  const double unit = single ? static_cast<double>(kFloatUnitRoundoff) : kUnitRoundoff;
  const double u = kOps * unit;
  const int passes = g.scheme == LmmScheme::kEuler ? 1 : 2;
  // Records the radius of the blocks drawn since the last look.
  struct RadiusRecorder {
    PhiloxPathNormals inner;
    double radius = 0.0;
    NormalPair next_pair() {
      const NormalPair z = inner.next_pair();
      radius = std::max(radius, std::hypot(z.first, z.second));
      return z;
    }
  };
  RadiusRecorder normals{{seed, path}};
  std::vector<double> rho{0.0};
  double drift = 0.0, worst_loading = 0.0, largest = 0.0;
  simulate_lmm_path_with(g, normals, [&](int k, const Real* L) {
    for (int i = 0; i < g.n_rates; ++i) {
      largest = std::max(largest, std::fabs(static_cast<double>(L[i]) + static_cast<double>(g.displacement)));
    }
    if (k > 0) {
      const double dt = static_cast<double>(g.times[k] - g.times[k - 1]);
      const double sqdt = std::sqrt(dt);
      const double radius = normals.radius;
      const double dz = single ? 2.0 * unit * radius : normal_error(radius);
      rho.push_back(rho.back() * (1.0 + passes * drift * dt) + worst_loading * sqdt * dz +
                    passes * u * (3.0 + g.n_factors * (drift * dt + worst_loading * sqdt * radius)));
      normals.radius = 0.0;
    }
    if (k == g.n_steps) return;
    // The drift's size at the start of step k, on this path: max_i |lambda_i|_1 sum_{j <= i} w_j |lambda_j|_1.
    drift = 0.0;
    worst_loading = 0.0;
    double sum = 0.0;
    for (int i = g.first_alive[k]; i < g.n_rates; ++i) {
      double l1 = 0.0;
      for (int f = 0; f < g.n_factors; ++f) {
        l1 += std::fabs(static_cast<double>(g.loadings[(static_cast<std::size_t>(k) * g.n_rates + i) * g.n_factors + f]));
      }
      const double a = static_cast<double>(g.accrual[i]), x = static_cast<double>(L[i]);
      sum += a * std::fabs(x + static_cast<double>(g.displacement)) * l1 / (1.0 + a * x);
      drift = std::max(drift, l1 * sum);
      worst_loading = std::max(worst_loading, l1);
    }
  });
  for (double& r : rho) r *= kSafety;
  if (largest_forward) *largest_forward = largest;
  return rho;
}

/// The scale of a book's money figures. A position's value is a sum of its cash flows (at most
/// |notional| (1 + T) in all over T years) times discount factors, each rounded within kOps ulp
/// per operation over about 16 operations a flow: 64 u |notional| (1 + T). A path's NII is a sum
/// over positions and months of balance x rate x accrual, at most G H R in all (G = sum
/// |notional|, H the horizon in years, R the largest coupon or index rate), rounded likewise:
/// 64 u G H R; its response to an error dr in the path's index rates is at most G H dr in accrued
/// interest, amplified by the steepest prepayment S-curve (an annual CPR moving by
/// steepness (max - base) / 4 per unit of incentive). The horizon EVE adds the values' rounding,
/// the balances' response to the rates, and G T A d ln P for an error d ln P of the horizon curve.
struct BookScale {
  double gross = 0.0;          ///< sum |notional|
  double longest_years = 0.0;  ///< longest remaining maturity (NMDs: 10 years)
  double largest_rate = 0.0;   ///< largest |coupon| + |spread|, plus 10% for an index
  double amplification = 1.0;  ///< 1 + steepest S-curve slope

  double position(double notional, double years) const {
    return 64.0 * kUnitRoundoff * std::fabs(notional) * (1.0 + years);
  }
  double nii(double horizon_years, double rate_error) const {
    return kSafety * gross * horizon_years * (64.0 * kUnitRoundoff * largest_rate + amplification * rate_error);
  }
  double eve(double horizon_years, double rate_error, double curve_log_error) const {
    return kSafety * gross *
           (64.0 * kUnitRoundoff * (1.0 + longest_years) + horizon_years * amplification * rate_error +
            (longest_years + 1.0) * amplification * curve_log_error);
  }
};

inline BookScale book_scale(const Portfolio& p, const BehaviourTable& behaviours, std::int32_t valuation_day) {
  BookScale s;
  for (int i = 0; i < p.size(); ++i) {
    const auto at = static_cast<std::size_t>(i);
    s.gross += std::fabs(p.notional[at]);
    const double years = p.kind[at] == PositionKind::kNmd ? 10.0 : (p.maturity_day[at] - valuation_day) / 365.25;
    s.longest_years = std::max(s.longest_years, years);
    s.largest_rate = std::max(s.largest_rate, std::fabs(p.rate[at]) + std::fabs(p.spread[at]) + 0.1);
  }
  for (const BehaviourDynamics& d : behaviours.dynamics) {
    if (d.has_s_curve) s.amplification = std::max(s.amplification, 1.0 + d.steepness * (d.max_cpr - d.base_cpr) / 4.0);
  }
  return s;
}

/// Bounds for every value of an LMM path table (lmm_paths.hpp), path p of the CPU's table `cpu`:
/// with rho the forwards' relative error at the date (lmm_forward_error_bounds) and forwards below
/// 100%, ln P(t, T) = -sum ln(1 + delta L) over at most (T - t)/delta + 1 periods carries
/// ((T - t) + delta) rho plus a rounding per period; D(0, t) the same over the periods since 0;
/// the index rates follow through BondStrip with each annuity bounded below by rates under 25%.
struct LmmTableBounds {
  double state, discount, rate, curve;
};

inline LmmTableBounds lmm_table_bound(const LmmGridView& g, const IndexScheduleView& schedule,
                                      const std::vector<double>& horizon_tau, const std::vector<double>& rho,
                                      const PathTableView& cpu, int path, int date, int index) {
  const double u = kOps * kUnitRoundoff;
  const double delta = g.accrual[0], r = rho[static_cast<std::size_t>(date)];
  const double t = g.times[date];
  LmmTableBounds b{};
  b.state = (std::fabs(cpu.state_at(date, path)) + g.displacement) * r;
  const double periods = t / delta + 1.0;
  b.discount = cpu.discount_at(date, path) * kSafety * ((t + delta) * r + u * (periods + 2.0));
  if (index >= 0) {
    double worst_bond_error = 0.0, annuity_lower = 0.0;
    int payments = 0;
    for (int j = schedule.payment_begin[index]; j < schedule.payment_begin[index + 1]; ++j) {
      const int row = schedule.row(j, date);
      const double tau = schedule.tau[row];
      worst_bond_error = std::max(worst_bond_error, (tau + delta) * r + u * (2.0 + tau / delta));
      annuity_lower += schedule.accrual[row] * std::exp(-0.25 * tau);
      ++payments;
    }
    const double rate = std::fabs(cpu.index_rate_at(index, date, path));
    b.rate = kSafety * ((worst_bond_error + 2.0 * u) / annuity_lower + rate * (worst_bond_error + payments * u) + u * rate);
  }
  double worst_curve = 0.0;
  for (double tau : horizon_tau) worst_curve = std::max(worst_curve, (tau + delta) * r + u * (2.0 + tau / delta));
  b.curve = kSafety * worst_curve;
  return b;
}

/// Calls add(value of a, value of b, bound) for every value of two Hull-White path tables: path p
/// of `b` against path p + offset of `a`, the reference (the CPU's), whose paths are paths
/// first, first + 1, ... of the stream `seed`.
template <class Add>
void for_each_hull_white_value(const HullWhiteTables& t, std::uint64_t seed, std::int64_t first, const PathTableView& a,
                               const PathTableView& b, Add add, int offset = 0) {
  for (int p = 0; p + offset < a.n_paths && p < b.n_paths; ++p) {
    const int q = p + offset;
    const HullWhitePathBounds bound = hull_white_path_bounds(t, seed, static_cast<std::uint64_t>(first + q));
    for (int k = 0; k < a.n_dates; ++k) {
      add(a.state_at(k, q), b.state_at(k, p), bound.state[static_cast<std::size_t>(k)]);
      add(a.discount_at(k, q), b.discount_at(k, p), bound.discount[static_cast<std::size_t>(k)]);
      for (int i = 0; i < a.n_indices; ++i) {
        add(a.index_rate_at(i, k, q), b.index_rate_at(i, k, p), bound.rates[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)]);
      }
    }
  }
}

/// The LMM both parity tests fill: 120 quarterly forwards, three factors, a displacement and a
/// humped abcd volatility, monthly steps over two years.
inline LmmSpec parity_lmm_spec() {
  LmmSpec spec;
  spec.n_rates = 120;
  spec.n_factors = 3;
  spec.displacement = 0.02;
  spec.volatility = AbcdVolatility{-0.02, 0.25, 0.8, 0.12};
  spec.steps_per_accrual = 3;
  spec.horizon_periods = 8;
  return spec;
}

/// As for_each_hull_white_value for two LMM path tables (lmm_paths.hpp) and their horizon curves.
template <class Add>
void for_each_lmm_value(const LmmGridView& g, const IndexScheduleView& schedule, const std::vector<double>& nodes,
                        std::uint64_t seed, std::int64_t first, const PathTableView& a, const PathTableView& b, Add add) {
  for (int p = 0; p < a.n_paths; ++p) {
    const std::vector<double> rho = lmm_forward_error_bounds(g, seed, static_cast<std::uint64_t>(first + p));
    for (int k = 0; k < a.n_dates; ++k) {
      const LmmTableBounds bound = lmm_table_bound(g, schedule, nodes, rho, a, p, k, -1);
      add(a.state_at(k, p), b.state_at(k, p), bound.state);
      add(a.discount_at(k, p), b.discount_at(k, p), bound.discount);
      for (int i = 0; i < a.n_indices; ++i) {
        add(a.index_rate_at(i, k, p), b.index_rate_at(i, k, p), lmm_table_bound(g, schedule, nodes, rho, a, p, k, i).rate);
      }
    }
    const double curve = lmm_table_bound(g, schedule, nodes, rho, a, p, a.n_dates - 1, -1).curve;
    for (int j = 0; j < a.n_curve_nodes; ++j) add(a.horizon_curve_of(p)[j], b.horizon_curve_of(p)[j], curve);
  }
}

}  // namespace ratesim::test
