// The curve CSV reader (docs/curve.md), both compoundings; a curve it accepts must discount finitely.
#include <cmath>

#include "fuzz_support.hpp"
#include "ratesim/curve/curve_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratesim;
  const std::string file = fuzz::write_input("curve.csv", data, size);
  for (const Compounding compounding : {Compounding::kContinuous, Compounding::kAnnual}) {
    fuzz::expect_input_error_at_most([&] {
      CurveInputSpec spec;
      spec.file = file;
      spec.compounding = compounding;
      spec.valuation_date = make_date(2026, 6, 30);
      const DiscountCurve curve = read_curve_csv(spec);
      for (const double t : {0.0, 0.5, 10.0, 100.0, 250.0}) {
        const double df = curve.discount(t);
        if (!(std::isfinite(df) && df > 0.0)) __builtin_trap();
      }
    });
  }
  return 0;
}
