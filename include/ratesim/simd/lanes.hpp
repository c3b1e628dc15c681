#pragma once
// Lanes<T, W>: W paths' values side by side, for the CPU backend to run the shared per-path
// templates (instantiated with Real = double or float on the GPU, one path per thread) on W paths
// at once with SIMD instructions. The arithmetic is lane-wise IEEE: + - * / give in every lane
// exactly what the scalar code gives, on any x86-64 target (SSE2, AVX2, AVX-512), because the
// build does not contract a*b+c (docs/reproducibility.md). exp_of has its own branch-free
// implementation (lanes_exp below), the one function whose result differs from the scalar
// library's, by at most an ulp.
//
// CPU only: GCC/Clang vector extensions. Never included by code nvcc compiles.

#if defined(__CUDACC__)
#error "ratesim/simd/lanes.hpp is for the CPU backend only"
#endif

#include <cstdint>
#include <cstring>
#include <type_traits>

// Lane operations are always inlined: an out-of-line call passes 32-byte vectors through memory
// on targets without AVX, which costs more than the operation.
#define RATESIM_LANES_INLINE inline __attribute__((always_inline))

namespace ratesim {

namespace lanes_detail {
// GCC applies vector_size to a dependent type in a typedef, not in an alias declaration.
template <class T, int Bytes>
struct VectorOf {
  typedef T type __attribute__((vector_size(Bytes)));
};
}  // namespace lanes_detail

/// The widest vector register the build targets: 32 bytes with AVX, 16 (SSE2, every x86-64)
/// otherwise.
#if defined(__AVX__)
inline constexpr int kNativeVectorBytes = 32;
#else
inline constexpr int kNativeVectorBytes = 16;
#endif

/// W lanes of T (float or double), held as one or more native vectors ("parts"). Several parts
/// give the processor independent chains of work: the LMM's predictor-corrector feeds every
/// rate's corrector into the next through an exp and a division, a chain of latency that one
/// vector alone would wait on.
template <class T, int W>
struct Lanes {
  static_assert(std::is_floating_point_v<T>, "lanes of float or double");
  static constexpr int kPartBytes = W * static_cast<int>(sizeof(T)) < kNativeVectorBytes
                                        ? W * static_cast<int>(sizeof(T))
                                        : kNativeVectorBytes;
  static constexpr int kPerPart = kPartBytes / static_cast<int>(sizeof(T));
  static constexpr int kParts = W / kPerPart;
  static_assert(kParts * kPerPart == W, "whole vectors of lanes");
  using Part = typename lanes_detail::VectorOf<T, kPartBytes>::type;
  using Scalar = T;
  static constexpr int kWidth = W;
  Part part[kParts];

  RATESIM_LANES_INLINE Lanes() {
    for (int p = 0; p < kParts; ++p) part[p] = Part{};
  }
  RATESIM_LANES_INLINE Lanes(T x) {  // NOLINT: a scalar broadcasts, as in the scalar code's T(x)
    for (int p = 0; p < kParts; ++p) part[p] = Part{} + x;
  }

  RATESIM_LANES_INLINE T operator[](int lane) const { return part[lane / kPerPart][lane % kPerPart]; }
  RATESIM_LANES_INLINE void set(int lane, T x) { part[lane / kPerPart][lane % kPerPart] = x; }

  /// f applied part by part: r.part[p] = f(a.part[p], b.part[p]).
  template <class F>
  static RATESIM_LANES_INLINE Lanes map(Lanes a, Lanes b, F f) {
    Lanes r;
    for (int p = 0; p < kParts; ++p) r.part[p] = f(a.part[p], b.part[p]);
    return r;
  }

  RATESIM_LANES_INLINE Lanes& operator+=(Lanes o) { return *this = *this + o; }
  RATESIM_LANES_INLINE Lanes& operator-=(Lanes o) { return *this = *this - o; }
  RATESIM_LANES_INLINE Lanes& operator*=(Lanes o) { return *this = *this * o; }
  RATESIM_LANES_INLINE Lanes& operator/=(Lanes o) { return *this = *this / o; }
  friend RATESIM_LANES_INLINE Lanes operator+(Lanes a, Lanes b) { return map(a, b, [](Part x, Part y) { return x + y; }); }
  friend RATESIM_LANES_INLINE Lanes operator-(Lanes a, Lanes b) { return map(a, b, [](Part x, Part y) { return x - y; }); }
  friend RATESIM_LANES_INLINE Lanes operator*(Lanes a, Lanes b) { return map(a, b, [](Part x, Part y) { return x * y; }); }
  friend RATESIM_LANES_INLINE Lanes operator/(Lanes a, Lanes b) { return map(a, b, [](Part x, Part y) { return x / y; }); }
  friend RATESIM_LANES_INLINE Lanes operator-(Lanes a) { return Lanes(T(0)) - a; }
  friend RATESIM_LANES_INLINE Lanes operator+(Lanes a, T b) { return a + Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator-(Lanes a, T b) { return a - Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator*(Lanes a, T b) { return a * Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator/(Lanes a, T b) { return a / Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator+(T a, Lanes b) { return Lanes(a) + b; }
  friend RATESIM_LANES_INLINE Lanes operator-(T a, Lanes b) { return Lanes(a) - b; }
  friend RATESIM_LANES_INLINE Lanes operator*(T a, Lanes b) { return Lanes(a) * b; }
  friend RATESIM_LANES_INLINE Lanes operator/(T a, Lanes b) { return Lanes(a) / b; }

  /// max(a, b) lane by lane (b where a is NaN).
  friend RATESIM_LANES_INLINE Lanes max_of(Lanes a, Lanes b) {
    return map(a, b, [](Part x, Part y) { return x > y ? x : y; });
  }
};

/// e^x to within about an ulp in every lane of one vector, branch-free so the compiler keeps it in
/// registers: x = n ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 in two parts, so n ln2 is exact),
/// e^r - 1 - r by its Taylor polynomial (to r^7 in float, r^13 in double: the remainder is below a
/// tenth of an ulp) evaluated in Estrin's scheme (a short chain of dependent operations, which is
/// what bounds the LMM corrector's speed), times 2^n applied as 2^(n/2) 2^(n - n/2) so that
/// results near overflow and in the subnormal range come out as the C library's do; +inf above,
/// 0 below, NaN stays NaN.
template <class T, class V>
RATESIM_LANES_INLINE V vector_exp(V in) {
  constexpr int kBytes = sizeof(V);
  constexpr bool kSingle = sizeof(T) == 4;
  using Bits = std::conditional_t<kSingle, std::int32_t, std::int64_t>;
  using IntVector = typename lanes_detail::VectorOf<Bits, kBytes>::type;
  constexpr T kLog2e = T(1.44269504088896340736);
  // ln 2 = hi + lo with hi short enough that n * hi is exact for every n in range.
  constexpr T kLn2Hi = kSingle ? T(0.693359375) : T(6.93147180369123816490e-01);
  constexpr T kLn2Lo = kSingle ? T(-2.12194440e-4) : T(1.90821492927058770002e-10);
  // Adding 1.5 * 2^(mantissa bits) rounds to an integer and leaves it in the low bits.
  constexpr T kRound = kSingle ? T(12582912.0) : T(6755399441055744.0);
  // Beyond these e^x is +inf or 0 in T (and n would leave the range the scaling handles).
  constexpr T kOverflow = kSingle ? T(89.0) : T(710.0);
  constexpr T kUnderflow = kSingle ? T(-104.0) : T(-746.0);
  constexpr int kMantissa = kSingle ? 23 : 52;
  constexpr Bits kBias = kSingle ? 127 : 1023;
  auto c = [](double value) { return V{} + static_cast<T>(value); };

  const V t = in * kLog2e + c(kRound);
  const V n = t - kRound;
  IntVector t_bits, round_bits;
  const V round_vector = c(kRound);
  std::memcpy(&t_bits, &t, sizeof t);
  std::memcpy(&round_bits, &round_vector, sizeof round_vector);
  const IntVector n_int = t_bits - round_bits;
  const IntVector n_half = n_int >> 1;
  const IntVector bits_half = (n_half + kBias) << kMantissa;
  const IntVector bits_rest = (n_int - n_half + kBias) << kMantissa;
  V scale_half, scale_rest;
  std::memcpy(&scale_half, &bits_half, sizeof scale_half);
  std::memcpy(&scale_rest, &bits_rest, sizeof scale_rest);

  const V r = (in - n * kLn2Hi) - n * kLn2Lo;
  const V r2 = r * r;
  const V r4 = r2 * r2;
  // p(r) = sum_{k >= 2} r^k / k!, so e^r = 1 + r + p(r).
  V p;
  if constexpr (kSingle) {
    const V a = c(1.0 / 2) + r * c(1.0 / 6);
    const V b = c(1.0 / 24) + r * c(1.0 / 120);
    const V d = c(1.0 / 720) + r * c(1.0 / 5040);
    p = r2 * ((a + r2 * b) + r4 * d);
  } else {
    const V r8 = r4 * r4;
    const V a = c(1.0 / 2) + r * c(1.0 / 6);
    const V b = c(1.0 / 24) + r * c(1.0 / 120);
    const V d = c(1.0 / 720) + r * c(1.0 / 5040);
    const V e = c(1.0 / 40320) + r * c(1.0 / 362880);
    const V f = c(1.0 / 3628800) + r * c(1.0 / 39916800);
    const V g = c(1.0 / 479001600) + r * c(1.0 / 6227020800.0);
    p = r2 * (((a + r2 * b) + r4 * (d + r2 * e)) + r8 * ((f + r2 * g)));
  }
  V result = (c(1.0) + (r + p)) * scale_half * scale_rest;
  result = in > c(kOverflow) ? c(__builtin_huge_val()) : result;
  result = in < c(kUnderflow) ? V{} : result;
  return result;
}

template <class T, int W>
RATESIM_LANES_INLINE Lanes<T, W> exp_of(Lanes<T, W> x) {
  Lanes<T, W> r;
  for (int p = 0; p < Lanes<T, W>::kParts; ++p) r.part[p] = vector_exp<T>(x.part[p]);
  return r;
}

}  // namespace ratesim
