// Fitting the legs' horizon values as Chebyshev series in the Hull-White state (issue 12, design
// 4; portfolio/horizon_series.hpp). Every sample is a full revaluation (value_in_state) on the
// very curve a path with that state carries, so a series reproduces the revaluation to its
// fitting error, which is kept below kHorizonSeriesTolerance per unit of balance.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "ratesim/model/chebyshev.hpp"
#include "ratesim/model/hull_white.hpp"
#include "ratesim/portfolio/nii_tables.hpp"
#include "ratesim/simd/lanes.hpp"

namespace ratesim {
namespace {

using Clock = std::chrono::steady_clock;

/// Chebyshev points per piece of the state's range, and in the coupon (then the most).
constexpr int kPoints = 16;
constexpr int kMostCouponPoints = kMaxHorizonTerms;
/// Halvings of the state's range a leg may take (at most 2^8 = 256 pieces): a caplet fixing
/// days after the horizon bends within a few thousandths of x.
constexpr int kMaxDepth = 8;

/// w[k * n + j] = (2 - [k = 0]) / n cos(pi k (j + 1/2) / n): Chebyshev coefficients from the
/// values at the n Chebyshev points (model/chebyshev.hpp), as one matrix.
std::vector<double> coefficient_matrix(int n) {
  const double pi = std::acos(-1.0);
  std::vector<double> w(static_cast<std::size_t>(n) * n);
  for (int k = 0; k < n; ++k) {
    for (int j = 0; j < n; ++j) w[static_cast<std::size_t>(k) * n + j] = (k == 0 ? 1.0 : 2.0) / n * std::cos(pi * k * (j + 0.5) / n);
  }
  return w;
}

/// Coefficients c[k] = sum_j w[k n + j] f[j * stride].
std::vector<double> transform(const std::vector<double>& w, int n, const double* f, std::size_t stride = 1) {
  std::vector<double> c(static_cast<std::size_t>(n), 0.0);
  for (int k = 0; k < n; ++k) {
    double sum = 0.0;
    for (int j = 0; j < n; ++j) sum += w[static_cast<std::size_t>(k) * n + j] * f[static_cast<std::size_t>(j) * stride];
    c[static_cast<std::size_t>(k)] = sum;
  }
  return c;
}

/// Terms to keep of a 1-D fit: the fit's error estimate plus the dropped tail stays within the
/// tolerance; 0 when the estimate alone exceeds it.
int terms_within(const std::vector<double>& c, double tolerance) {
  const double estimate = chebyshev_error_estimate(c);
  if (!(estimate <= tolerance)) return 0;
  int n = static_cast<int>(c.size());
  double dropped = 0.0;
  while (n > 1 && estimate + dropped + std::fabs(c[static_cast<std::size_t>(n - 1)]) <= tolerance) {
    dropped += std::fabs(c[static_cast<std::size_t>(n - 1)]);
    --n;
  }
  return n;
}

/// A failed piece's halvings that its own coefficients show cannot succeed are skipped: the
/// piece is cut into 2^(1 + skipped) at once instead of fitting (and failing) every level between.
/// Chebyshev coefficients of a function analytic near its interval fall geometrically; on the
/// legs that need pieces (adjustable-rate mortgages, whose caps and floors bend the value near
/// each reset's at-the-money state) each halving multiplied the rate of fall by about 1.4 (measured
/// on the sample bank's mortgages: 0.37, 0.52, 0.77, 1.0 decades a term at depths 0 to 3). A level
/// is skipped only while its predicted error estimate is 100 times the tolerance or more, and at
/// most two at a time, so that a piece that does need a finer cut somewhere (a near-kink) is not
/// cut finely everywhere. Every piece kept still passes its own error estimate: the skips change
/// where the pieces are cut, never how accurately a piece is fitted.
constexpr double kHalvingDecayGain = 1.4;
constexpr double kHopelessMargin = 100.0;
constexpr int kMostSkippedHalvings = 2;

/// Levels of halving to skip after a failed piece whose coefficients (row sizes for a tensor)
/// are `size`, for an error estimate of at most `target`.
int hopeless_halvings(const std::vector<double>& size, double target) {
  const std::size_t n = size.size();
  if (n < 4) return 0;
  const double head = std::fmax(size[0], size[1]), tail = std::fmax(size[n - 2], size[n - 1]);
  if (!(tail > 0.0) || !(head > tail)) return 0;
  const double terms = static_cast<double>(n) - 1.5;
  double decay = std::log(head / tail) / terms;  // natural log a term
  int skipped = 0;
  while (skipped < kMostSkippedHalvings) {
    decay *= kHalvingDecayGain;  // after the next halving
    if (!(4.0 * head * std::exp(-decay * terms) >= kHopelessMargin * target)) break;
    ++skipped;
  }
  return skipped;
}

std::vector<double> magnitudes(const std::vector<double>& c) {
  std::vector<double> m(c.size());
  for (std::size_t k = 0; k < c.size(); ++k) m[k] = std::fabs(c[k]);
  return m;
}

/// One leg to fit: position i's original (or a replacement book like it) from start to end.
struct LegJob {
  int position = 0;
  HorizonForm form = HorizonForm::kRevalue;
  double coupon = 0.0;                     ///< kState: the coupon it keeps
  double coupon_lo = 0.0, coupon_hi = 0.0; ///< kTensor: the coupons paths can leave
  std::int32_t start = 0, end = 0;
};

struct FittedLeg {
  HorizonLeg leg;
  std::vector<double> coefficients;  ///< inner breakpoints, then the pieces' blocks
  std::int64_t valuations = 0;
};

/// One piece of a leg's series: [a, b] in the state, c[m * coupon_terms + l] (kAffine: f0's
/// terms, then f1's).
struct Piece {
  double a = 0.0, b = 0.0;
  int x_terms = 0, coupon_terms = 1;
  std::vector<double> c;
};

enum class PieceFit { kDone, kSplit, kFail };

bool is_amortizing(PositionKind kind) {
  return kind != PositionKind::kSwap && kind != PositionKind::kCap && kind != PositionKind::kFloor &&
         kind != PositionKind::kNmd;
}

/// value[l] = sum over the periods k, in order, of amortizing_value's term (b[k][l] accrual[k] r +
/// b[k][l] - b[k + 1][l]) discount[k] for every coupon l at once, split by what depends on the
/// state: where the coupon in force is paid (in_force[k]), paid[k][l] discount[k], paid = b (accrual
/// c[l] + 1) - b[k + 1] taken once per set of coupons; under a future reset, b[k][l] floating[k] +
/// principal[k][l] discount[k], floating = accrual r discount and principal = b - b[k + 1]. Two or
/// four operations a term instead of six. The sums of a block of coupons stay in registers across
/// the periods, and the function is compiled for AVX-512 and AVX2 as well, chosen at run time:
/// element by element the same IEEE operations in the same order (the build never contracts), so
/// the same bits on every instruction set.
template <int Block>
RATESIM_FORCE_INLINE void sum_periods_block(std::size_t periods, std::size_t nc, std::size_t first,
                                            const double* balance, const double* paid, const double* principal,
                                            const double* discount, const double* floating,
                                            const std::uint8_t* in_force, double* value) {
  double sum[Block] = {};
  for (std::size_t k = 0; k < periods; ++k) {
    const std::size_t row = k * nc + first;
    const double d = discount[k];
    if (in_force[k] != 0) {
      for (int j = 0; j < Block; ++j) sum[j] += paid[row + j] * d;
    } else {
      const double u = floating[k];
      for (int j = 0; j < Block; ++j) sum[j] += balance[row + j] * u + principal[row + j] * d;
    }
  }
  for (int j = 0; j < Block; ++j) value[first + j] = sum[j];
}

#if defined(__x86_64__)
#define RATESIM_X86_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RATESIM_X86_VECTOR_CLONES
#endif

RATESIM_X86_VECTOR_CLONES void sum_periods(std::size_t periods, std::size_t nc, const double* balance,
                                           const double* paid, const double* principal, const double* discount,
                                           const double* floating, const std::uint8_t* in_force, double* value) {
  std::size_t first = 0;
  for (; first + 16 <= nc; first += 16) {
    sum_periods_block<16>(periods, nc, first, balance, paid, principal, discount, floating, in_force, value);
  }
  for (; first + 2 <= nc; first += 2) {
    sum_periods_block<2>(periods, nc, first, balance, paid, principal, discount, floating, in_force, value);
  }
  for (; first < nc; ++first) {
    sum_periods_block<1>(periods, nc, first, balance, paid, principal, discount, floating, in_force, value);
  }
}

/// erfc(x) = e^(-x^2) g(x) for x >= 0, g smooth on [0, inf) (1 at 0, about 1 / (x sqrt(pi)) far
/// out): the horizon fit's vector erfc takes g as a Chebyshev series in t = (x - 2) / (x + 2),
/// which maps [0, inf) onto [-1, 1). Its coefficients are interpolated once per process in
/// extended precision (64 points, erfcl and expl, the asymptotic series beyond x = 25, where
/// e^(x^2) overflows) and the terms above 5e-18 kept: 28. Measured against erfc from 0 to 27
/// every 0.001: within 2.2e-16 absolute (what the options' values need: they are differences of
/// probabilities times discount factors), 6e-14 relative (the rounding of x^2 in e^(-x^2)).
/// The glibc erfc it replaces, one value at a time, was a quarter of the fit.
struct ErfcSeries {
  static constexpr double kCentre = 2.0;
  static constexpr int kMostTerms = 40;
  int terms = 0;
  double c[kMostTerms] = {};
};

ErfcSeries fit_erfc_series() {
  constexpr int kNodes = 64;
  const long double pi = std::acos(-1.0L);
  long double f[kNodes];
  for (int j = 0; j < kNodes; ++j) {
    const long double t = std::cos(pi * (j + 0.5L) / kNodes);
    const long double x = ErfcSeries::kCentre * (1.0L + t) / (1.0L - t);
    if (x < 25.0L) {
      f[j] = std::erfc(x) * std::exp(x * x);
    } else {  // g(x) = (1 - 1/(2x^2) + 3/(2x^2)^2 - ...) / (x sqrt(pi)), its terms falling fast
      long double sum = 1.0L, term = 1.0L;
      for (int n = 1; n < 12; ++n) {
        term *= -(2.0L * n - 1.0L) / (2.0L * x * x);
        sum += term;
      }
      f[j] = sum / (x * std::sqrt(pi));
    }
  }
  ErfcSeries s;
  for (int k = 0; k < ErfcSeries::kMostTerms; ++k) {
    long double sum = 0.0L;
    for (int j = 0; j < kNodes; ++j) sum += f[j] * std::cos(pi * k * (j + 0.5L) / kNodes);
    s.c[k] = static_cast<double>((k == 0 ? 1.0L : 2.0L) / kNodes * sum);
    if (std::fabs(s.c[k]) > 5e-18) s.terms = k + 1;
  }
  return s;
}

const ErfcSeries erfc_series = fit_erfc_series();

}  // namespace

/// The standard normal distribution in vector lanes, 0.5 erfc(-z / sqrt 2) with erfc from
/// ErfcSeries (within about 1e-16 of normal_cdf), for the option formulas' templates
/// (model/hull_white.hpp) on lanes of curves.
template <int PartBytes>
RATESIM_FORCE_INLINE Lanes<double, 8, PartBytes> normal_cdf_of(Lanes<double, 8, PartBytes> z) {
  using L = Lanes<double, 8, PartBytes>;
  const L x = -z * 0.70710678118654752440;
  // Beyond 40, erfc is 0 in doubles (e^(-1600)); capped there, an infinite z (a zero-volatility
  // limit) gives 0 or 1, not inf / inf. A NaN stays NaN.
  const L a = choose(abs_of(x) > 40.0, L(40.0), abs_of(x));
  const L t = (a - ErfcSeries::kCentre) / (a + ErfcSeries::kCentre);
  const L g = clenshaw_of([](int k) { return L(erfc_series.c[k]); }, erfc_series.terms, t);
  const L tail = exp_of(-(a * a)) * g;  // erfc(|x|)
  return 0.5 * choose(x < 0.0, 2.0 - tail, tail);
}

namespace {

/// The state-dependent work of the horizon fit in vector lanes, the same bits on every
/// instruction set (simd/lanes.hpp).
template <int PartBytes>
struct FitLanes {
  using L = Lanes<double, 8, PartBytes>;

  /// out[k] = e^x[k] for k < n (the lanes' exp, within about an ulp of the library's).
  static RATESIM_FORCE_INLINE void exp_each(const double* x, double* out, std::size_t n) {
    std::size_t k = 0;
    for (; k + 8 <= n; k += 8) exp_of(L::load(x + k)).store(out + k);
    if (k < n) {
      double tail[8] = {};
      std::copy(x + k, x + n, tail);
      exp_of(L::load(tail)).store(tail);
      std::copy(tail, tail + (n - k), out + k);
    }
  }

  /// out[k] = normal_cdf_of(z[k]) for k < n.
  static RATESIM_FORCE_INLINE void normal_cdfs(const double* z, double* out, std::size_t n) {
    for (std::size_t k = 0; k < n; k += 8) {
      const std::size_t count = std::min<std::size_t>(8, n - k);
      double in[8] = {}, cdf[8];
      std::copy(z + k, z + k + count, in);
      normal_cdf_of(L::load(in)).store(cdf);
      std::copy(cdf, cdf + count, out + k);
    }
  }

  /// out[j] = floating_rate_value_at(q, p_reset[j], p_end[j], ...) for j < n: one reset on n curves.
  static RATESIM_FORCE_INLINE void floating_rates(const IndexPeriod& q, const double* p_reset, const double* p_end,
                                                  std::size_t n, double spread, double cap, double floor,
                                                  double* out) {
    for (std::size_t j = 0; j < n; j += 8) {
      const std::size_t count = std::min<std::size_t>(8, n - j);
      double reset[8], end[8], rate[8];
      for (std::size_t l = 0; l < 8; ++l) {  // a short tail repeats the last curve
        reset[l] = p_reset[j + std::min(l, count - 1)];
        end[l] = p_end[j + std::min(l, count - 1)];
      }
      floating_rate_value_at(q, L::load(reset), L::load(end), spread, cap, floor).store(rate);
      std::copy(rate, rate + count, out + j);
    }
  }
};

struct FitKernels {
  void (*exp_each)(const double*, double*, std::size_t);
  void (*normal_cdfs)(const double*, double*, std::size_t);
  void (*floating_rates)(const IndexPeriod&, const double*, const double*, std::size_t, double, double, double,
                         double*);
};

void exp_each_sse2(const double* x, double* out, std::size_t n) { FitLanes<16>::exp_each(x, out, n); }
void normal_cdfs_sse2(const double* z, double* out, std::size_t n) { FitLanes<16>::normal_cdfs(z, out, n); }
void floating_rates_sse2(const IndexPeriod& q, const double* p_reset, const double* p_end, std::size_t n,
                         double spread, double cap, double floor, double* out) {
  FitLanes<16>::floating_rates(q, p_reset, p_end, n, spread, cap, floor, out);
}
#if defined(__x86_64__)
__attribute__((target("avx2"))) void exp_each_avx2(const double* x, double* out, std::size_t n) {
  FitLanes<32>::exp_each(x, out, n);
}
__attribute__((target("avx2"))) void normal_cdfs_avx2(const double* z, double* out, std::size_t n) {
  FitLanes<32>::normal_cdfs(z, out, n);
}
__attribute__((target("avx2"))) void floating_rates_avx2(const IndexPeriod& q, const double* p_reset,
                                                         const double* p_end, std::size_t n, double spread,
                                                         double cap, double floor, double* out) {
  FitLanes<32>::floating_rates(q, p_reset, p_end, n, spread, cap, floor, out);
}
__attribute__((target("avx512f,avx512dq"))) void exp_each_avx512(const double* x, double* out, std::size_t n) {
  FitLanes<64>::exp_each(x, out, n);
}
__attribute__((target("avx512f,avx512dq"))) void normal_cdfs_avx512(const double* z, double* out, std::size_t n) {
  FitLanes<64>::normal_cdfs(z, out, n);
}
__attribute__((target("avx512f,avx512dq"))) void floating_rates_avx512(const IndexPeriod& q, const double* p_reset,
                                                                       const double* p_end, std::size_t n,
                                                                       double spread, double cap, double floor,
                                                                       double* out) {
  FitLanes<64>::floating_rates(q, p_reset, p_end, n, spread, cap, floor, out);
}
#endif

FitKernels fit_kernels_for_this_cpu() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    return {exp_each_avx512, normal_cdfs_avx512, floating_rates_avx512};
  }
  if (__builtin_cpu_supports("avx2")) return {exp_each_avx2, normal_cdfs_avx2, floating_rates_avx2};
#endif
  return {exp_each_sse2, normal_cdfs_sse2, floating_rates_sse2};
}
const FitKernels fit_kernels = fit_kernels_for_this_cpu();

/// One leg's values per unit of balance on a grid of states and coupons, each what value_in_state
/// gives on the curve a path with that state carries. An amortizing leg (the bulk of every book,
/// and its costliest fits) is not revalued point by point: its schedule is walked once, its
/// balances once per coupon, its discount factors and floating coupons once per state (their
/// exps and options in vector lanes), and each grid value then sums amortizing_value's terms in
/// its order, so it is that revaluation to rounding (horizon_series_test checks it).
class LegValues {
 public:
  LegValues(const PortfolioView& p, const HorizonCurve& h, const HorizonSeriesInputs& in, const LegJob& job)
      : p_(p), in_(in), job_(job), curve_(h.tau.size()) {
    context_.valuation_day = h.settings.valuation_day;
    context_.time_basis = h.settings.time_basis;
    context_.curve = CurveView{h.tau.data(), curve_.data(), static_cast<int>(curve_.size())};
    context_.fixing_curve = context_.curve;
    context_.model = h.settings.model;
    context_.behaviours = h.settings.behaviours;
    context_.nmd_caps = h.settings.nmd_caps;
    if (is_amortizing(p.kind[job.position])) walk_schedule();
  }

  std::int64_t valuations() const { return valuations_; }

  /// The state inside (lo, hi) where a standalone cap's or floor's running caplet is at the money,
  /// if it has one: that caplet pays its intrinsic value (rate - K)+ on the path's own curve at
  /// the horizon (cap_floor_value), a kink no series can follow. ln P(H, end) is affine in x
  /// (each curve node is ln A - B x, interpolated linearly), so the rate (1 / P - 1) / accrual
  /// meets the strike where ln P = -log1p(K accrual). NaN when there is none.
  double running_caplet_kink(double lo, double hi) {
    const int i = job_.position;
    if (p_.kind[i] != PositionKind::kCap && p_.kind[i] != PositionKind::kFloor) return NAN;
    const int months = p_.reset_months[i] > 0 ? p_.reset_months[i] : p_.payment_months[i];
    const Schedule s = make_schedule(p_.start_day[i], p_.maturity_day[i], months);
    const std::int32_t day = context_.valuation_day;
    const int k = first_live_period(s, day);
    if (k > s.count || s.date(k - 1) > day) return NAN;  // no caplet running at the horizon
    const std::int32_t end = s.date(k);
    const double strike_growth = 1.0 + p_.strike[i] * year_fraction(kIndexDayCount, day, end);
    if (!(strike_growth > 0.0)) return NAN;  // the rate is always above such a strike
    const double t_end = context_.time(end);
    set_state(0.0);
    const double at_zero = log_discount(context_.curve, t_end);
    set_state(1.0);
    const double slope = at_zero - log_discount(context_.curve, t_end);  // ln P = at_zero - slope x
    if (!(slope > 0.0)) return NAN;
    const double kink = (at_zero + std::log(strike_growth)) / slope;
    return kink > lo && kink < hi ? kink : NAN;
  }

  /// v[j * coupons.size() + l]: the value at state xs[j] with coupon coupons[l] in force.
  void grid(const std::vector<double>& xs, const std::vector<double>& coupons, double* v) {
    const std::size_t nc = coupons.size();
    valuations_ += static_cast<std::int64_t>(xs.size() * nc);
    if (!is_amortizing(p_.kind[job_.position])) {
      for (std::size_t j = 0; j < xs.size(); ++j) {
        set_state(xs[j]);
        for (std::size_t l = 0; l < nc; ++l) {
          v[j * nc + l] = value_in_state(p_, job_.position, context_, 1.0, coupons[l], job_.start, job_.end);
        }
      }
      return;
    }
    // Balances by period and coupon, [k * nc + l], so that the sum below runs across the coupons
    // in vector lanes; each coupon's sum still adds its periods in order.
    const std::size_t periods = times_.size();
    if (coupons != balance_coupons_) {
      balance_.resize((periods + 1) * nc);
      for (std::size_t l = 0; l < nc; ++l) {
        const std::vector<double>& b = balances_at(coupons[l]);
        for (std::size_t k = 0; k <= periods; ++k) balance_[k * nc + l] = b[k];
      }
      // What each period pays whatever the state (sum_periods).
      paid_.resize(periods * nc);
      principal_.resize(periods * nc);
      for (std::size_t k = 0; k < periods; ++k) {
        for (std::size_t l = 0; l < nc; ++l) {
          const double b = balance_[k * nc + l], next = balance_[(k + 1) * nc + l];
          paid_[k * nc + l] = b * accruals_[k] * coupons[l] + b - next;
          principal_[k * nc + l] = b - next;
        }
      }
      balance_coupons_ = coupons;
    }
    const int i = job_.position;
    const double sign = eve_sign(p_.side[i]);
    if (xs != states_) on_states(xs);
    std::vector<double> value(nc);
    for (std::size_t j = 0; j < xs.size(); ++j) {
      sum_periods(periods, nc, balance_.data(), paid_.data(), principal_.data(), state_discount_.data() + j * periods,
                  state_floating_.data() + j * periods, in_force_.data(), value.data());
      for (std::size_t l = 0; l < nc; ++l) v[j * nc + l] = sign * value[l];
    }
  }

 private:
  /// The discount factors of the periods, and the floating ones' accrual x rate x discount, in
  /// every state of xs, [j * periods + k]: what the grid's sums need of the state, whatever the coupons (a leg
  /// whose coupon dimension needs more points is sampled again on the same states). The
  /// exponents of every state's discount factors first, then their exps in vector lanes.
  void on_states(const std::vector<double>& xs) {
    // Point-major, [q * n + j]: each point's factors (a period's end, or a reset's start or end)
    // in every state side by side, so a reset is priced on all the states at once.
    const std::size_t n = xs.size(), periods = times_.size(), points = periods + reset_points_.size();
    std::vector<double> exponent(points * n), factor(exponent.size());
    for (std::size_t j = 0; j < n; ++j) {
      set_state(xs[j]);
      for (int segment = first_segment_; segment <= last_segment_; ++segment) {
        forward_[static_cast<std::size_t>(segment)] = segment_forward(context_.curve, segment);
      }
      for (std::size_t k = 0; k < periods; ++k) exponent[k * n + j] = log_discount_at(period_points_[k]);
      for (std::size_t r = 0; r < reset_points_.size(); ++r) {
        exponent[(periods + r) * n + j] = log_discount_at(reset_points_[r]);
      }
    }
    fit_kernels.exp_each(exponent.data(), factor.data(), factor.size());
    // A reset at a period's end takes that period's factors.
    auto factors_of = [&](std::size_t r) {
      const int period = reset_points_[r].period;
      return factor.data() + (period >= 0 ? static_cast<std::size_t>(period) : periods + r) * n;
    };
    const int i = job_.position;
    std::vector<double> reset_rate(reset_periods_.size() * n);
    for (std::size_t r = 0; r < reset_periods_.size(); ++r) {
      if (reset_periods_[r].reset > context_.valuation_day) {
        fit_kernels.floating_rates(reset_periods_[r], factors_of(2 * r), factors_of(2 * r + 1), n, p_.spread[i],
                                   p_.cap_rate[i], p_.floor_rate[i], reset_rate.data() + r * n);
      }
    }
    states_ = xs;
    state_discount_.resize(n * periods);
    state_floating_.resize(n * periods);
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < periods; ++k) {
        const double d = factor[k * n + j];
        state_discount_[j * periods + k] = d;
        state_floating_[j * periods + k] =
            in_force_[k] ? 0.0 : accruals_[k] * reset_rate[static_cast<std::size_t>(reset_of_[k]) * n + j] * d;
      }
    }
  }

  /// The curve of a path in state x (engine/nii.cpp fills the paths' the same way).
  void set_state(double x) {
    for (std::size_t node = 0; node < curve_.size(); ++node) curve_[node] = in_.log_a[node] - in_.b[node] * x;
  }

  PortfolioView in_state(const double* rate) const {
    return position_in_state(p_, job_.position, &kUnitBalance, rate, &job_.start, &job_.end);
  }

  /// A time on the curve: the discount factor of a period that ends at the very same time, or
  /// the curve's segment that holds it (segment -1: t <= 0, discount 1).
  struct CurvePoint {
    double t;
    int segment;
    int period;  ///< -1: none
  };

  /// ln P of the state set at a point of the curve (log-linear between its nodes, as
  /// log_discount), its segment's forward already set.
  double log_discount_at(const CurvePoint& point) const {
    if (point.segment < 0) return 0.0;
    const std::size_t s = static_cast<std::size_t>(point.segment);
    return curve_[s] - forward_[s] * (point.t - context_.curve.times[s]);
  }

  CurvePoint curve_point(double t, int period) {
    CurvePoint point{t, t <= 0.0 ? -1 : curve_segment(context_.curve, t), period};
    if (point.segment >= 0) {
      first_segment_ = std::min(first_segment_, point.segment);
      last_segment_ = std::max(last_segment_, point.segment);
    }
    return point;
  }

  // The periods' times and accruals, which reset governs each, and where each time sits on the
  // curve, do not depend on the coupon or the state.
  void walk_schedule() {
    const double any_rate = 0.0;
    const bool floating = p_.floating[job_.position] != 0;
    for_each_amortizing_period(in_state(&any_rate), 0, context_.behaviours, context_.valuation_day,
                               [&](const AmortizingPeriod& q) {
                                 times_.push_back(context_.time(q.end));
                                 accruals_.push_back(q.accrual);
                                 if (floating && (reset_periods_.empty() || q.reset != reset_periods_.back().reset)) {
                                   reset_periods_.push_back(
                                       index_period(context_, q.reset, p_.index_tenor_months[job_.position],
                                                    has_options(p_.cap_rate[job_.position], p_.floor_rate[job_.position])));
                                 }
                                 reset_of_.push_back(floating ? static_cast<int>(reset_periods_.size()) - 1 : -1);
                               });
    for (std::size_t k = 0; k < times_.size(); ++k) period_points_.push_back(curve_point(times_[k], -1));
    auto period_at = [&](double t) {
      const auto it = std::lower_bound(times_.begin(), times_.end(), t);
      return it != times_.end() && *it == t ? static_cast<int>(it - times_.begin()) : -1;
    };
    for (const IndexPeriod& q : reset_periods_) {
      for (const double t : {q.t_reset, q.t_end}) reset_points_.push_back(curve_point(t, period_at(t)));
    }
    forward_.assign(curve_.size(), 0.0);
    // Which periods pay the coupon in force (no future reset governs them): the same in every state.
    for (std::size_t k = 0; k < times_.size(); ++k) {
      const int r = reset_of_[k];
      in_force_.push_back(r >= 0 && reset_periods_[static_cast<std::size_t>(r)].reset > context_.valuation_day ? 0 : 1);
    }
  }

  /// The balance in each period at coupon `coupon` (an annuity's instalment follows it), then
  /// the balance after the last: for_each_amortizing_period's balance walk alone, without the
  /// dates, accruals and resets its visit would compute again for every coupon.
  const std::vector<double>& balances_at(double coupon) {
    for (const auto& [c, b] : balances_) {
      if (c == coupon) return b;
    }
    std::vector<double> b;
    const PortfolioView one = in_state(&coupon);
    const Schedule s = make_schedule(one.start_day[0], one.maturity_day[0], one.payment_months[0]);
    const int first = first_live_period(s, context_.valuation_day);
    if (first <= s.count) {
      BalanceWalk walk(make_amortization(one, context_.behaviours, 0, s, first));
      b.push_back(walk.balance());
      for (int k = first; k <= s.count; ++k) {
        walk.advance();
        b.push_back(walk.balance());
      }
    } else {
      b.push_back(0.0);  // matured: nothing left
    }
    balances_.emplace_back(coupon, std::move(b));
    return balances_.back().second;
  }

  static constexpr double kUnitBalance = 1.0;
  const PortfolioView& p_;
  const HorizonSeriesInputs& in_;
  const LegJob& job_;
  std::vector<double> curve_;
  ValuationContext context_;
  std::int64_t valuations_ = 0;
  std::vector<double> times_, accruals_;
  std::vector<int> reset_of_;               ///< per period: index into reset_periods_; -1: the coupon
  std::vector<IndexPeriod> reset_periods_;  ///< the distinct governing resets, in order
  std::vector<CurvePoint> period_points_;   ///< each period's end on the curve
  std::vector<CurvePoint> reset_points_;    ///< each reset's start and index end on the curve
  int first_segment_ = std::numeric_limits<int>::max(), last_segment_ = -1;  ///< the segments they use
  std::vector<double> forward_;             ///< the state's forward on those segments
  std::vector<std::uint8_t> in_force_;      ///< per period: 1 where it pays the coupon in force
  std::vector<double> states_;              ///< the states of state_discount_ and state_floating_ (on_states)
  std::vector<double> state_discount_;      ///< [j * periods + k]: period k's discount factor in state j
  std::vector<double> state_floating_;      ///< [j * periods + k]: accrual x floating rate x discount (sum_periods)
  std::vector<double> balance_coupons_;     ///< the coupons of balance_, paid_ and principal_
  std::vector<double> balance_;             ///< [k * nc + l]: balance in period k at coupon l
  std::vector<double> paid_, principal_;    ///< [k * nc + l]: sum_periods' terms without the state
  std::deque<std::pair<double, std::vector<double>>> balances_;  ///< by coupon; a deque keeps references
};

class LegFitter {
 public:
  LegFitter(const PortfolioView& p, const HorizonCurve& h, const HorizonSeriesInputs& in)
      : p_(p), horizon_(h), in_(in), weights_(coefficient_matrix(kPoints)),
        most_coupon_weights_(coefficient_matrix(kMostCouponPoints)) {}

  FittedLeg fit(const LegJob& job) const {
    FittedLeg out;
    LegValues values(p_, horizon_, in_, job);
    HorizonForm form = job.form;
    // Interest is linear in the coupon unless the instalment follows it; checked, not assumed.
    if (form == HorizonForm::kAffine && !affine(values)) form = HorizonForm::kTensor;
    std::vector<Piece> pieces;
    bool fitted = false;
    if (form != HorizonForm::kRevalue) {
      // A kink is a breakpoint from the start: the value is smooth on either side of it.
      const double kink = values.running_caplet_kink(in_.x_lo, in_.x_hi);
      fitted = std::isnan(kink) ? fit_range(job, values, form, in_.x_lo, in_.x_hi, 0, pieces)
                                : fit_range(job, values, form, in_.x_lo, kink, 0, pieces) &&
                                      fit_range(job, values, form, kink, in_.x_hi, 0, pieces);
    }
    out.valuations = values.valuations();
    if (!fitted) return out;
    // One layout for every piece: the most terms any piece keeps, the rest zero.
    int n = 0, nc = 1;
    for (const Piece& piece : pieces) {
      n = std::max(n, piece.x_terms);
      nc = std::max(nc, piece.coupon_terms);
    }
    for (std::size_t k = 1; k < pieces.size(); ++k) out.coefficients.push_back(pieces[k].a);
    const int parts = form == HorizonForm::kAffine ? 2 : 1;
    for (const Piece& piece : pieces) {
      for (int part = 0; part < parts; ++part) {
        for (int m = 0; m < n; ++m) {
          for (int l = 0; l < nc; ++l) {
            const bool kept = m < piece.x_terms && l < piece.coupon_terms;
            out.coefficients.push_back(
                kept ? piece.c[static_cast<std::size_t>(part * piece.x_terms + m) * piece.coupon_terms + l] : 0.0);
          }
        }
      }
    }
    out.leg.form = form;
    out.leg.x_terms = static_cast<std::int8_t>(n);
    out.leg.coupon_terms = static_cast<std::int8_t>(form == HorizonForm::kTensor ? nc : 0);
    out.leg.pieces = static_cast<std::int16_t>(pieces.size());
    if (form == HorizonForm::kTensor) {
      out.leg.coupon_lo = job.coupon_lo;
      out.leg.coupon_hi = job.coupon_hi;
    }
    return out;
  }

 private:
  // f(x, r) = f0(x) + r f1(x) to rounding: checked at two coupons on two states.
  bool affine(LegValues& values) const {
    const std::vector<double> xs{0.5 * in_.x_lo, 0.5 * in_.x_hi};
    const std::vector<double> coupons{0.0, 1.0, -0.03, 0.09};
    double v[8];
    values.grid(xs, coupons, v);
    for (int j = 0; j < 2; ++j) {
      const double zero = v[4 * j], one = v[4 * j + 1];
      for (int l = 2; l < 4; ++l) {
        const double r = coupons[static_cast<std::size_t>(l)];
        if (!(std::fabs(v[4 * j + l] - (zero + r * (one - zero))) <= 0.1 * kHorizonSeriesTolerance)) return false;
      }
    }
    return true;
  }

  /// Fits [a, b], halving it where one series cannot reach the tolerance; false when the leg
  /// cannot be fitted (too deep, too costly, or its coupon dimension does not converge).
  bool fit_range(const LegJob& job, LegValues& values, HorizonForm form, double a, double b, int depth,
                 std::vector<Piece>& pieces) const {
    if (values.valuations() > in_.most_valuations) return false;
    Piece piece;
    piece.a = a;
    piece.b = b;
    int skipped = 0;
    switch (fit_piece(job, values, form, piece, skipped)) {
      case PieceFit::kDone: pieces.push_back(std::move(piece)); return true;
      case PieceFit::kFail: return false;
      case PieceFit::kSplit: break;
    }
    if (depth == kMaxDepth) return false;
    // The cuts repeated halving makes (each a midpoint 0.5 (lo + hi)), `levels` at once.
    const int levels = 1 + std::min(skipped, kMaxDepth - depth - 1);
    std::vector<double> cuts{a, b};
    for (int level = 0; level < levels; ++level) {
      std::vector<double> finer{cuts.front()};
      for (std::size_t k = 1; k < cuts.size(); ++k) {
        finer.push_back(0.5 * (cuts[k - 1] + cuts[k]));
        finer.push_back(cuts[k]);
      }
      cuts = std::move(finer);
    }
    for (std::size_t k = 1; k < cuts.size(); ++k) {
      if (!fit_range(job, values, form, cuts[k - 1], cuts[k], depth + levels, pieces)) return false;
    }
    return true;
  }

  /// On kSplit, `skipped` says how many levels of halving the piece's coefficients show to be
  /// hopeless (hopeless_halvings).
  PieceFit fit_piece(const LegJob& job, LegValues& values, HorizonForm form, Piece& piece, int& skipped) const {
    const std::vector<double> xs = chebyshev_points(kPoints, piece.a, piece.b);
    const double tolerance = kHorizonSeriesTolerance;
    if (form == HorizonForm::kState || form == HorizonForm::kAffine) {
      // kState: the coupon it keeps; kAffine: f0 at coupon 0, f0 + f1 at coupon 1.
      const std::vector<double> coupons = form == HorizonForm::kState ? std::vector<double>{job.coupon}
                                                                      : std::vector<double>{0.0, 1.0};
      const std::size_t nc = coupons.size();
      std::vector<double> v(kPoints * nc);
      values.grid(xs, coupons, v.data());
      std::vector<double> c = transform(weights_, kPoints, v.data(), nc);
      if (form == HorizonForm::kState) {
        piece.x_terms = terms_within(c, tolerance);
        if (piece.x_terms == 0) {
          skipped = hopeless_halvings(magnitudes(c), tolerance);
          return PieceFit::kSplit;
        }
        c.resize(static_cast<std::size_t>(piece.x_terms));
        piece.c = std::move(c);
        return PieceFit::kDone;
      }
      // Coupons stay within a few tenths: half the tolerance to each part covers |r| <= 1.
      std::vector<double> slope_values(kPoints);
      for (std::size_t j = 0; j < kPoints; ++j) slope_values[j] = v[j * nc + 1] - v[j * nc];
      const std::vector<double> slope = transform(weights_, kPoints, slope_values.data());
      const int n0 = terms_within(c, 0.5 * tolerance), n1 = terms_within(slope, 0.5 * tolerance);
      if (n0 == 0 || n1 == 0) {
        skipped = std::min(n0 == 0 ? hopeless_halvings(magnitudes(c), 0.5 * tolerance) : kMaxDepth,
                           n1 == 0 ? hopeless_halvings(magnitudes(slope), 0.5 * tolerance) : kMaxDepth);
        return PieceFit::kSplit;
      }
      piece.x_terms = std::max(n0, n1);
      piece.c.assign(c.begin(), c.begin() + piece.x_terms);
      piece.c.insert(piece.c.end(), slope.begin(), slope.begin() + piece.x_terms);
      return PieceFit::kDone;
    }
    // kTensor: v[j * nc + l] at state point j and coupon point l, transformed along the coupon
    // (rows), then along the state (columns): c[m * nc + l].
    for (const int nc : {kPoints, kMostCouponPoints}) {
      const std::vector<double>& wc = nc == kPoints ? weights_ : most_coupon_weights_;
      const std::vector<double> coupons = chebyshev_points(nc, job.coupon_lo, job.coupon_hi);
      std::vector<double> v(static_cast<std::size_t>(kPoints) * nc), half(v.size()), c(v.size());
      values.grid(xs, coupons, v.data());
      for (int j = 0; j < kPoints; ++j) {
        const std::vector<double> row = transform(wc, nc, v.data() + static_cast<std::size_t>(j) * nc);
        std::copy(row.begin(), row.end(), half.begin() + static_cast<std::ptrdiff_t>(j) * nc);
      }
      for (int l = 0; l < nc; ++l) {
        const std::vector<double> column = transform(weights_, kPoints, half.data() + l, static_cast<std::size_t>(nc));
        for (int m = 0; m < kPoints; ++m) c[static_cast<std::size_t>(m) * nc + l] = column[static_cast<std::size_t>(m)];
      }
      auto row_size = [&](int m, int width) {
        double sum = 0.0;
        for (int l = 0; l < width; ++l) sum += std::fabs(c[static_cast<std::size_t>(m) * nc + l]);
        return sum;
      };
      auto column_size = [&](int l, int height) {
        double sum = 0.0;
        for (int m = 0; m < height; ++m) sum += std::fabs(c[static_cast<std::size_t>(m) * nc + l]);
        return sum;
      };
      const double estimate_x = 2.0 * (row_size(kPoints - 1, nc) + row_size(kPoints - 2, nc));
      const double estimate_c = 2.0 * (column_size(nc - 1, kPoints) + column_size(nc - 2, kPoints));
      if (!(estimate_x <= 0.5 * tolerance)) {
        std::vector<double> rows(kPoints);
        for (int m = 0; m < kPoints; ++m) rows[static_cast<std::size_t>(m)] = row_size(m, nc);
        skipped = hopeless_halvings(rows, 0.5 * tolerance);
        return PieceFit::kSplit;
      }
      if (!(estimate_c <= 0.5 * tolerance)) continue;
      // Drop trailing rows, then trailing columns, while the error bound stays within tolerance.
      double bound = estimate_x + estimate_c;
      int mx = kPoints, mc = nc;
      while (mx > 1 && bound + row_size(mx - 1, mc) <= tolerance) bound += row_size(--mx, mc);
      while (mc > 1 && bound + column_size(mc - 1, mx) <= tolerance) bound += column_size(--mc, mx);
      piece.x_terms = mx;
      piece.coupon_terms = mc;
      for (int m = 0; m < mx; ++m) {
        for (int l = 0; l < mc; ++l) piece.c.push_back(c[static_cast<std::size_t>(m) * nc + l]);
      }
      return PieceFit::kDone;
    }
    return PieceFit::kFail;  // the coupon's dimension does not converge: halving x cannot help
  }

  const PortfolioView& p_;
  const HorizonCurve& horizon_;
  const HorizonSeriesInputs& in_;
  std::vector<double> weights_, most_coupon_weights_;
};

double clip_coupon(const PortfolioView& p, int i, double rate) {
  if (rate > p.cap_rate[i]) rate = p.cap_rate[i];
  if (rate < p.floor_rate[i]) rate = p.floor_rate[i];
  return rate;
}

/// A coupon range wide enough for Chebyshev points (a degenerate range holds one coupon).
void widen(double& lo, double& hi) {
  if (hi - lo < 1e-4) {
    const double mid = 0.5 * (lo + hi);
    lo = mid - 0.5e-4;
    hi = mid + 0.5e-4;
  }
}

/// What makes two replacement books value alike per unit: every term but the balance, the
/// coupon and the dates (a replacement starts at the horizon and runs the original's term).
std::string replacement_key(const PortfolioView& p, const NiiTablesView& t, int i) {
  std::string key;
  auto put = [&](const auto& v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put(p.kind[i]); put(p.side[i]); put(p.amortization[i]); put(p.day_count[i]); put(p.floating[i]);
  put(p.payment_months[i]); put(p.reset_months[i]); put(p.index_tenor_months[i]); put(p.behaviour[i]);
  put(p.currency[i]); put(p.spread[i]); put(p.cap_rate[i]); put(p.floor_rate[i]); put(t.term_months[i]);
  return key;
}

}  // namespace

HorizonSeriesInputs hull_white_horizon_inputs(const HullWhiteTables& hw, const DiscountCurve& curve,
                                              int horizon_date, const std::vector<double>& tau) {
  HorizonSeriesInputs in;
  const double t_h = hw.times[static_cast<std::size_t>(horizon_date)];
  for (const double t : tau) {
    in.log_a.push_back(t == 0.0 ? 0.0
                                : hw_log_bond_price(hw.params, curve.log_discount(t_h), curve.log_discount(t_h + t),
                                                    t_h, t, 0.0));
    in.b.push_back(hw_b(hw.params.mean_reversion, t));
  }
  auto deviation = [&](int k) {
    return kHorizonStateDeviations * std::sqrt(hw_state_variance(hw.params, hw.times[static_cast<std::size_t>(k)]));
  };
  in.x_lo = -deviation(horizon_date);
  in.x_hi = deviation(horizon_date);
  const HullWhiteIndexView indices = hw.index_view();
  for (int plane = 0; plane < hw.n_indices(); ++plane) {
    double lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k <= horizon_date; ++k) {
      for (const double x : {-deviation(k), deviation(k)}) {
        const double r = index_rate(indices, plane, k, x);
        lo = std::fmin(lo, r);
        hi = std::fmax(hi, r);
      }
    }
    const double pad = 0.05 * (hi - lo);
    in.plane_lo.push_back(lo - pad);
    in.plane_hi.push_back(hi + pad);
  }
  return in;
}

std::vector<double> horizon_fit_normal_cdf(const std::vector<double>& z) {
  std::vector<double> out(z.size());
  fit_kernels.normal_cdfs(z.data(), out.data(), z.size());
  return out;
}

std::vector<double> horizon_leg_samples(const Portfolio& portfolio, const HorizonCurve& horizon,
                                        const HorizonSeriesInputs& inputs, int i, std::int32_t start,
                                        std::int32_t end, const std::vector<double>& xs,
                                        const std::vector<double>& coupons) {
  const PortfolioView p = portfolio.view();
  const LegJob job{i, HorizonForm::kTensor, 0.0, 0.0, 0.0, start, end};
  LegValues values(p, horizon, inputs, job);
  std::vector<double> v(xs.size() * coupons.size());
  values.grid(xs, coupons, v.data());
  return v;
}

HorizonSeriesSummary fit_horizon_series(const Portfolio& portfolio, const NiiTables& tables, BalanceSheetAssumption assumption,
                                        const HorizonSeriesInputs& in, HorizonCurve& horizon,
                                        const RunObserver* observer) {
  const auto start = Clock::now();
  HorizonSeriesSummary summary;
  horizon.legs.clear();
  horizon.coefficients.clear();
  if (!(in.x_hi > in.x_lo)) return summary;
  horizon.x_lo = in.x_lo;
  horizon.x_hi = in.x_hi;
  const PortfolioView p = portfolio.view();
  const NiiTablesView t = tables.view();
  const int n = p.size, months = t.months;
  const std::int32_t horizon_day = horizon.settings.valuation_day;
  const bool constant = assumption == BalanceSheetAssumption::kConstant;

  // The jobs: each position's original leg, then each distinct replacement book; legs[2i + 1]
  // points at its book's job.
  std::vector<LegJob> jobs;
  std::vector<std::int64_t> original_job(static_cast<std::size_t>(n), -1), replacement_job(static_cast<std::size_t>(n), -1);
  std::unordered_map<std::string, std::int64_t> books;
  for (int i = 0; i < n; ++i) {
    const PositionKind kind = p.kind[i];
    const bool deposit = kind == PositionKind::kNmd;
    const bool off_balance = kind == PositionKind::kSwap || kind == PositionKind::kCap || kind == PositionKind::kFloor;
    const bool floating = p.floating[i] != 0;
    const int profile = p.behaviour[i];
    // A deposit with a behaviour profile passes market moves through to its rate.
    const bool dynamic = profile != kNoBehaviour;
    // The coupons a floating position can carry at the horizon: today's, or a fixing in the range.
    double lo = p.rate[i], hi = p.rate[i];
    if (floating && !deposit && !off_balance) {
      const int plane = t.index_plane[i];
      for (const double r : {in.plane_lo[static_cast<std::size_t>(plane)], in.plane_hi[static_cast<std::size_t>(plane)]}) {
        const double c = clip_coupon(p, i, r + p.spread[i]);
        lo = std::fmin(lo, c);
        hi = std::fmax(hi, c);
      }
    }
    widen(lo, hi);
    const bool annuity = p.amortization[i] == Amortization::kAnnuity;
    if (deposit || p.maturity_day[i] > horizon_day) {
      LegJob job{i, HorizonForm::kState, p.rate[i], lo, hi, p.start_day[i], p.maturity_day[i]};
      if ((deposit && dynamic) || (floating && !off_balance)) job.form = annuity ? HorizonForm::kTensor : HorizonForm::kAffine;
      original_job[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(jobs.size());
      jobs.push_back(job);
    }
    if (!constant || deposit || off_balance) continue;
    bool runs_off = profile != kNoBehaviour;
    for (int k = 0; k < months && !runs_off; ++k) runs_off = t.scheduled[static_cast<std::size_t>(i) * months + k] < 1.0;
    if (!runs_off) continue;
    // The replacement book's coupon: the floating coupon, or new business at the replacement
    // index plus the product's margin.
    double book_lo = lo, book_hi = hi;
    if (!floating) {
      const int plane = t.replacement_plane[i];
      book_lo = in.plane_lo[static_cast<std::size_t>(plane)] + t.margin[i];
      book_hi = in.plane_hi[static_cast<std::size_t>(plane)] + t.margin[i];
    }
    const auto [it, added] = books.emplace(replacement_key(p, t, i), static_cast<std::int64_t>(jobs.size()));
    if (added) {
      const std::int32_t end = add_months(Date{horizon_day}, t.term_months[i]).days;
      jobs.push_back(LegJob{i, annuity ? HorizonForm::kTensor : HorizonForm::kAffine, 0.0, book_lo, book_hi, horizon_day, end});
    } else {
      LegJob& job = jobs[static_cast<std::size_t>(it->second)];
      job.coupon_lo = std::fmin(job.coupon_lo, book_lo);
      job.coupon_hi = std::fmax(job.coupon_hi, book_hi);
    }
    replacement_job[static_cast<std::size_t>(i)] = it->second;
  }
  summary.replacement_classes = static_cast<std::int64_t>(books.size());
  for (LegJob& job : jobs) widen(job.coupon_lo, job.coupon_hi);

  // Fitted in blocks, in parallel within a block, concatenated in job order: the same pool for
  // any thread count.
  const LegFitter fitter(p, horizon, in);
  std::vector<HorizonLeg> fitted(jobs.size());
  const std::int64_t n_jobs = static_cast<std::int64_t>(jobs.size());
  constexpr std::int64_t kBlock = 8192;
  begin_phase(observer, "horizon EVE series", n_jobs, "legs");
  std::vector<FittedLeg> block(static_cast<std::size_t>(kBlock));
  for (std::int64_t first = 0; first < n_jobs; first += kBlock) {
    const std::int64_t count = std::min(kBlock, n_jobs - first);
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t j = 0; j < count; ++j) block[static_cast<std::size_t>(j)] = fitter.fit(jobs[static_cast<std::size_t>(first + j)]);
    for (std::int64_t j = 0; j < count; ++j) {
      FittedLeg& f = block[static_cast<std::size_t>(j)];
      f.leg.offset = static_cast<std::int64_t>(horizon.coefficients.size());
      horizon.coefficients.insert(horizon.coefficients.end(), f.coefficients.begin(), f.coefficients.end());
      fitted[static_cast<std::size_t>(first + j)] = f.leg;
      summary.valuations += f.valuations;
    }
    advance(observer, first + count);
  }
  horizon.legs.assign(2 * static_cast<std::size_t>(n), HorizonLeg{});
  for (int i = 0; i < n; ++i) {
    for (int leg = 0; leg < 2; ++leg) {
      const std::int64_t job = (leg == 0 ? original_job : replacement_job)[static_cast<std::size_t>(i)];
      if (job < 0) continue;
      horizon.legs[2 * static_cast<std::size_t>(i) + leg] = fitted[static_cast<std::size_t>(job)];
      ++summary.legs[static_cast<int>(fitted[static_cast<std::size_t>(job)].form)];
    }
  }
  summary.coefficients = static_cast<std::int64_t>(horizon.coefficients.size());
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  end_phase(observer, "horizon EVE series", summary.seconds);
  return summary;
}

}  // namespace ratesim
