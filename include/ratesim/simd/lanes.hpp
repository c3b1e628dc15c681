#pragma once
// Lanes<T, W>: W paths' values side by side, for the CPU backend to run the shared per-path
// templates (instantiated with Real = double or float on the GPU, one path per thread) on W paths
// at once with SIMD instructions. The arithmetic is lane-wise IEEE: + - * / give in every lane
// exactly what the scalar code gives, on any x86-64 target (SSE2, AVX2, AVX-512), because the
// build does not contract a*b+c (docs/reproducibility.md). exp_of has its own branch-free
// implementation (vector_exp below), and log_of (double) its own (vector_log), the functions
// whose results differ from the scalar library's, by at most an ulp.
//
// CPU only: GCC/Clang vector extensions. Never included by code nvcc compiles.

#if defined(__CUDACC__)
#error "ratesim/simd/lanes.hpp is for the CPU backend only"
#endif

#include <cstdint>
#include <cstring>
#include <limits>
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
/// Makes the compiler hold v as the integer vector it is. GCC 12 otherwise keeps a comparison's
/// mask in AVX-512 code as a vector of booleans across branches, which it then cannot expand (an
/// internal compiler error in do_store_flag); the empty asm costs nothing but that folding.
template <class V>
inline __attribute__((always_inline)) void materialise(V& v) {
#if defined(__x86_64__)
  asm("" : "+vm"(v));
#else
  (void)v;
#endif
}
}  // namespace lanes_detail

/// The widest vector register the build targets: 32 bytes with AVX, 16 (SSE2, every x86-64)
/// otherwise.
#if defined(__AVX__)
inline constexpr int kNativeVectorBytes = 32;
#else
inline constexpr int kNativeVectorBytes = 16;
#endif

template <class T, int W, int MaxPartBytes>
struct LaneMask;

/// W lanes of T (float or double), held as one or more vectors ("parts") of at most MaxPartBytes.
/// Several parts give the processor independent chains of work: the LMM's predictor-corrector
/// feeds every rate's corrector into the next through an exp and a division, a chain of latency
/// that one vector alone would wait on. MaxPartBytes above the build's native width is for code
/// compiled for a wider instruction set than the build's (a function with a target attribute,
/// chosen at run time: host/engine/cpu_nii.cpp); every operation is inlined into it.
template <class T, int W, int MaxPartBytes = kNativeVectorBytes>
struct Lanes {
  static_assert(std::is_floating_point_v<T>, "lanes of float or double");
  static constexpr int kPartBytes = W * static_cast<int>(sizeof(T)) < MaxPartBytes
                                        ? W * static_cast<int>(sizeof(T))
                                        : MaxPartBytes;
  static constexpr int kPerPart = kPartBytes / static_cast<int>(sizeof(T));
  static constexpr int kParts = W / kPerPart;
  static_assert(kParts * kPerPart == W, "whole vectors of lanes");
  using Part = typename lanes_detail::VectorOf<T, kPartBytes>::type;
  using Mask = LaneMask<T, W, MaxPartBytes>;
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
  /// The W values at `from` (no alignment needed) / stored to `to`.
  static RATESIM_LANES_INLINE Lanes load(const T* from) {
    Lanes r;
    std::memcpy(&r.part, from, sizeof r.part);
    return r;
  }
  RATESIM_LANES_INLINE void store(T* to) const { std::memcpy(to, &part, sizeof part); }

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
  friend RATESIM_LANES_INLINE Lanes operator-(Lanes a) {  // the sign flipped, as the scalar -a
    for (int p = 0; p < kParts; ++p) a.part[p] = -a.part[p];
    return a;
  }
  friend RATESIM_LANES_INLINE Lanes operator+(Lanes a, T b) { return a + Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator-(Lanes a, T b) { return a - Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator*(Lanes a, T b) { return a * Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator/(Lanes a, T b) { return a / Lanes(b); }
  friend RATESIM_LANES_INLINE Lanes operator+(T a, Lanes b) { return Lanes(a) + b; }
  friend RATESIM_LANES_INLINE Lanes operator-(T a, Lanes b) { return Lanes(a) - b; }
  friend RATESIM_LANES_INLINE Lanes operator*(T a, Lanes b) { return Lanes(a) * b; }
  friend RATESIM_LANES_INLINE Lanes operator/(T a, Lanes b) { return Lanes(a) / b; }

  /// max(a, b) lane by lane (b where a is NaN), as the scalar a > b ? a : b.
  friend RATESIM_LANES_INLINE Lanes max_of(Lanes a, Lanes b) {
    return map(a, b, [](Part x, Part y) { return x > y ? x : y; });
  }
  /// min(a, b) lane by lane (b where a is NaN), as the scalar a < b ? a : b.
  friend RATESIM_LANES_INLINE Lanes min_of(Lanes a, Lanes b) {
    return map(a, b, [](Part x, Part y) { return x < y ? x : y; });
  }
  /// |a| lane by lane: the sign bit cleared, as fabs.
  friend RATESIM_LANES_INLINE Lanes abs_of(Lanes a) {
    Lanes r;
    for (int p = 0; p < kParts; ++p) {
      typename Mask::Part bits;
      std::memcpy(&bits, &a.part[p], sizeof bits);
      bits &= std::numeric_limits<typename Mask::Bits>::max();  // every bit but the sign
      std::memcpy(&r.part[p], &bits, sizeof bits);
    }
    return r;
  }

  // Comparisons give a mask, lane by lane as the scalar comparison (false where either is NaN,
  // except !=).
  template <class F>
  static RATESIM_LANES_INLINE Mask compare(Lanes a, Lanes b, F f) {
    Mask m;
    for (int p = 0; p < kParts; ++p) {
      m.part[p] = f(a.part[p], b.part[p]);
      lanes_detail::materialise(m.part[p]);
    }
    return m;
  }
  friend RATESIM_LANES_INLINE Mask operator<(Lanes a, Lanes b) { return compare(a, b, [](Part x, Part y) { return x < y; }); }
  friend RATESIM_LANES_INLINE Mask operator>(Lanes a, Lanes b) { return compare(a, b, [](Part x, Part y) { return x > y; }); }
  friend RATESIM_LANES_INLINE Mask operator<=(Lanes a, Lanes b) { return compare(a, b, [](Part x, Part y) { return x <= y; }); }
  friend RATESIM_LANES_INLINE Mask operator>=(Lanes a, Lanes b) { return compare(a, b, [](Part x, Part y) { return x >= y; }); }
  friend RATESIM_LANES_INLINE Mask operator<(Lanes a, T b) { return a < Lanes(b); }
  friend RATESIM_LANES_INLINE Mask operator>(Lanes a, T b) { return a > Lanes(b); }
  friend RATESIM_LANES_INLINE Mask operator<=(Lanes a, T b) { return a <= Lanes(b); }
  friend RATESIM_LANES_INLINE Mask operator>=(Lanes a, T b) { return a >= Lanes(b); }

  /// Lane by lane, the scalar `m ? a : b`.
  friend RATESIM_LANES_INLINE Lanes choose(Mask m, Lanes a, Lanes b) {
    Lanes r;
    for (int p = 0; p < kParts; ++p) r.part[p] = m.part[p] ? a.part[p] : b.part[p];
    return r;
  }
};

/// W truth values, one per lane of Lanes<T, W, MaxPartBytes>: all bits set for true.
template <class T, int W, int MaxPartBytes>
struct LaneMask {
  using Values = Lanes<T, W, MaxPartBytes>;
  using Bits = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
  using Part = typename lanes_detail::VectorOf<Bits, Values::kPartBytes>::type;
  static constexpr int kParts = Values::kParts;
  Part part[kParts];

  RATESIM_LANES_INLINE bool operator[](int lane) const {
    return part[lane / Values::kPerPart][lane % Values::kPerPart] != 0;
  }
  friend RATESIM_LANES_INLINE LaneMask operator&(LaneMask a, LaneMask b) {
    for (int p = 0; p < kParts; ++p) a.part[p] &= b.part[p];
    return a;
  }
  friend RATESIM_LANES_INLINE LaneMask operator|(LaneMask a, LaneMask b) {
    for (int p = 0; p < kParts; ++p) a.part[p] |= b.part[p];
    return a;
  }
  friend RATESIM_LANES_INLINE LaneMask operator!(LaneMask a) {
    for (int p = 0; p < kParts; ++p) a.part[p] = ~a.part[p];
    return a;
  }
  /// Whether any lane is true.
  friend RATESIM_LANES_INLINE bool any_of(LaneMask m) {
    Part all = m.part[0];
    for (int p = 1; p < kParts; ++p) all |= m.part[p];
    for (int l = 0; l < Values::kPerPart; ++l) {
      if (all[l] != 0) return true;
    }
    return false;
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

template <class T, int W, int B>
RATESIM_LANES_INLINE Lanes<T, W, B> exp_of(Lanes<T, W, B> x) {
  Lanes<T, W, B> r;
  for (int p = 0; p < Lanes<T, W, B>::kParts; ++p) r.part[p] = vector_exp<T>(x.part[p]);
  return r;
}

/// ln x in double to within an ulp in every lane of one vector, branch-free: fdlibm's e_log.c
/// (x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f), ln m = 2 atanh s by
/// its minimax polynomial in s^2, k ln 2 in two parts), with subnormals scaled up first; ln 0 =
/// -inf, ln x = NaN below 0, ln inf = inf, NaN stays NaN.
template <class V>
RATESIM_LANES_INLINE V vector_log(V x) {
  constexpr int kBytes = sizeof(V);
  // Unsigned: NaN and infinity bit patterns wrap instead of overflowing a signed integer.
  using Bits = typename lanes_detail::VectorOf<std::uint64_t, kBytes>::type;
  auto c = [](double value) { return V{} + value; };
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                   kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                   kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  constexpr double kSmallest = 2.2250738585072014e-308;  // below it, subnormal
  constexpr double kTwo54 = 18014398509481984.0;
  const auto subnormal = x < c(kSmallest);
  const V scaled = subnormal ? x * kTwo54 : x;
  Bits bits;
  std::memcpy(&bits, &scaled, sizeof bits);
  // Shift the mantissa's range so that the exponent field gives k with m in [sqrt(1/2), sqrt(2)).
  constexpr std::uint64_t kShift = static_cast<std::uint64_t>(0x3ff00000 - 0x3fe6a09e) << 32;
  constexpr std::uint64_t kSqrtHalfHigh = static_cast<std::uint64_t>(0x3fe6a09e) << 32;
  constexpr std::uint64_t kMantissaMask = 0x000fffffffffffff;
  const Bits shifted = bits + kShift;
  const Bits m_bits = (shifted & kMantissaMask) + kSqrtHalfHigh;
  // The biased exponent as a double, exactly: 2^52 + e read as a double, less 2^52.
  constexpr std::uint64_t kTwo52Bits = 0x4330000000000000;
  const Bits e_bits = ((shifted >> 52) & 0x7ff) | kTwo52Bits;
  V m, e;
  std::memcpy(&m, &m_bits, sizeof m);
  std::memcpy(&e, &e_bits, sizeof e);
  const V k = (e - c(4503599627370496.0)) - c(1023.0) - (subnormal ? c(54.0) : c(0.0));

  const V f = m - c(1.0);
  const V half_f2 = c(0.5) * f * f;
  const V s = f / (c(2.0) + f);
  const V z = s * s;
  const V w = z * z;
  const V t1 = w * (c(kLg2) + w * (c(kLg4) + w * c(kLg6)));
  const V t2 = z * (c(kLg1) + w * (c(kLg3) + w * (c(kLg5) + w * c(kLg7))));
  const V r = t2 + t1;
  V result = s * (half_f2 + r) + k * kLn2Lo - half_f2 + f + k * kLn2Hi;
  result = x == c(0.0) ? c(-__builtin_huge_val()) : result;
  result = x == c(__builtin_huge_val()) ? x : result;
  result = x < c(0.0) ? c(__builtin_nan("")) : result;
  result = x != x ? x : result;
  return result;
}

template <int W, int B>
RATESIM_LANES_INLINE Lanes<double, W, B> log_of(Lanes<double, W, B> x) {
  Lanes<double, W, B> r;
  for (int p = 0; p < Lanes<double, W, B>::kParts; ++p) r.part[p] = vector_log(x.part[p]);
  return r;
}

}  // namespace ratesim
