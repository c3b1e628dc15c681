// The run configuration (docs/config.md) through the one check, as `validate` makes it: with
// positions for `run`, without for `simulate`. Its named files are small valid ones beside it.
#include "fuzz_support.hpp"
#include "ratesim/config/simulation_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratesim;
  static const bool ready = [] {
    fuzz::write_file("curve.csv", "tenor,zero_rate\n3M,0.036\n1Y,0.035\n5Y,0.037\n10Y,0.04\n30Y,0.042\n");
    fuzz::write_file("positions.csv",
                     "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
                     "payment_frequency_months,day_count,rate,index_tenor_months,spread,reset_frequency_months,"
                     "cap_rate,floor_rate,swap_leg,strike,behaviour,nmd_category\n"
                     "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n"
                     "D1,retail,liability,nmd,USD,50000,,,,,,0.01,,,,,,,,core,retail_transactional\n");
    fuzz::write_file("behaviours.yaml", "- {name: core, type: deposit, core_share: 0.7, core_average_life_years: 3}\n");
    fuzz::write_file("caplets.csv", "expiry_years,black_volatility\n1,0.2\n2,0.21\n");
    return true;
  }();
  (void)ready;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = fuzz::write_file("config.yaml", text);
  const bool positions = text.find("positions") != std::string::npos;
  return fuzz::expect_input_error_at_most([&] { check_inputs(file, positions ? Purpose::kRun : Purpose::kSimulate); });
}
