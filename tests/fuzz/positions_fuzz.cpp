// The positions CSV reader (docs/positions.md), with the sample bank's behaviour profiles.
#include "fuzz_support.hpp"
#include "ratesim/portfolio/portfolio_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratesim;
  // The sample bank's profile names (scenarios/sample_bank/behaviours.yaml), so its rows are valid seeds.
  static const BehaviourTable behaviours = [] {
    BehaviourTable t;
    for (const char* name : {"mortgage_prepayment", "consumer_prepayment"}) {
      BehaviourProfile p;
      p.name = name;
      p.type = BehaviourType::kPrepayment;
      p.cpr = 0.05;
      t.add(p);
    }
    for (const char* name : {"transactional_deposits", "savings_deposits", "operational_deposits"}) {
      BehaviourProfile p;
      p.name = name;
      p.type = BehaviourType::kDeposit;
      p.core_share = 0.7;
      p.core_average_life = 3.0;
      t.add(p);
    }
    return t;
  }();
  const std::string file = fuzz::write_input("positions.csv", data, size);
  return fuzz::expect_input_error_at_most([&] { read_positions_csv(file, behaviours, make_date(2026, 6, 30)); });
}
