// The LMM's caplet volatility and correlation CSVs (docs/model.md). The first input byte picks
// the reader, the rest is the file.
#include "fuzz_support.hpp"
#include "ratesim/model/lmm_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratesim;
  if (size == 0) return 0;
  const bool caplets = data[0] % 2 == 0;
  const std::string file = fuzz::write_input(caplets ? "caplets.csv" : "correlation.csv", data + 1, size - 1);
  return fuzz::expect_input_error_at_most([&] {
    if (caplets) {
      read_caplet_quotes(file, 3, 120);
    } else {
      read_correlation_matrix(file, 3, 4);
    }
  });
}
