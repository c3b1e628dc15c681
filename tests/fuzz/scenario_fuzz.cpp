// A custom scenario file (docs/scenarios.md), read through the one check of a configuration that
// lists it; every shift it accepts must shock the curve to finite discount factors.
#include "fuzz_support.hpp"
#include "ratesim/config/simulation_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratesim;
  static const std::string config = [] {
    fuzz::write_file("curve.csv", "tenor,zero_rate\n3M,0.036\n1Y,0.035\n10Y,0.04\n");
    return fuzz::write_file("config.yaml",
                            "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                            "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n"
                            "scenarios: {custom: [scenario.yaml]}\n");
  }();
  fuzz::write_input("scenario.yaml", data, size);
  return fuzz::expect_input_error_at_most([&] {
    const CheckedInputs in = check_inputs(config, Purpose::kSimulate);
    for (const Scenario& s : in.config.custom_scenarios) {
      if (!s.shift) continue;
      for (const double t : {0.1, 1.0, 30.0, 150.0}) {
        const double shift = s.shift("USD", t);
        if (!(std::isfinite(shift) && std::fabs(shift) <= 1.0)) __builtin_trap();
      }
    }
  });
}
