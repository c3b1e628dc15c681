// Every numeric configuration input with a range, through the CLI: `ratesim validate` (and so
// `run` and `simulate`, which read the same way) refuses a value outside it with exit 2 and
// file:line:column: out of range. Each of these ran to exit 0 before, some with a false alarm.

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

struct RangeCase {
  const char* name;
  const char* yaml;   ///< appended to a valid configuration
  int line;           ///< where the problem is reported
  const char* detail;
};

TEST(InputRanges, OutOfRangeValuesAreRefusedWithTheirPosition) {
  const std::string base =
      "valuation_date: 2026-06-30\n"                                        // 1
      "curve: {file: curve.csv}\n";                                         // 2
  const std::string hull_white = "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n";  // 3
  const std::vector<RangeCase> cases{
      {"negative_threshold", "capital: {tier1: 1000, outlier_threshold: -0.15}\n", 4, "capital.outlier_threshold must be in (0, 1]"},
      {"threshold_above_one", "capital: {tier1: 1000, outlier_threshold: 1.5}\n", 4, "capital.outlier_threshold must be in (0, 1]"},
      {"core_share", "nmd_caps:\n  retail_transactional: {max_core_share: 1.2}\n", 5, "max_core_share must be in [0, 1]"},
      {"average_life", "nmd_caps:\n  wholesale: {max_average_life_years: 0}\n", 5, "max_average_life_years must be in (0, 30]"},
      {"grid_times", "grid: {times: [0.5, 1e300]}\n", 4, "grid.times entry (years) must be in (0, 50]"},
      {"horizon_years_overflow", "grid: {horizon_years: 100000000000}\n", 4, "at most 50 years"},
  };
  const std::vector<RangeCase> lmm_cases{
      {"displacement", "lmm: {displacement: -1}\n", 7, "model.lmm.displacement must be in [0, 1]"},
      {"beta", "lmm: {correlation_beta: -1}\n", 7, "model.lmm.correlation_beta must be in [0, 10]"},
      {"abcd_negative", "lmm: {volatility: {a: -1, b: 0, c: 0, d: 0.2}}\n", 7, "the abcd volatility must lie in [0, 5]"},
      {"abcd_d", "lmm: {volatility: {a: 0, b: 0, c: 0, d: -1}}\n", 7, "model.lmm.volatility.d must be in [0, 5]"},
  };
  auto check = [&](const RangeCase& c, const std::string& config) {
    const fs::path dir = test::temp_dir(std::string("ranges-") + c.name);
    std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,0.04\n";
    std::ofstream(dir / "config.yaml") << config;
    const test::CommandResult r = test::ratesim("validate " + (dir / "config.yaml").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("config.yaml:" + std::to_string(c.line) + ":"), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.detail), std::string::npos) << c.name << ": " << r.err;
  };
  for (const RangeCase& c : cases) check(c, base + hull_white + c.yaml);
  const std::string lmm = "model:\n  type: lmm\n  mean_reversion: 0.03\n  volatility: 0.01\n  ";  // lines 3-7
  for (const RangeCase& c : lmm_cases) check(c, base + lmm + c.yaml);
}

}  // namespace
}  // namespace ratesim
