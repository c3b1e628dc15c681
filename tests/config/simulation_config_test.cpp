#include "ratesim/config/simulation_config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ratesim/io/input_error.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

const char* kCurve = "tenor,zero_rate\n1Y,0.03\n10Y,0.035\n";

std::string write_config(const std::string& name, const std::string& yaml) {
  const auto dir = test::temp_dir("config-" + name);
  std::ofstream(dir / "curve.csv") << kCurve;
  const auto path = dir / "run.yaml";
  std::ofstream(path) << yaml;
  return path.string();
}

const std::string kMinimal =
    "valuation_date: 2026-06-30\n"
    "curve: {file: curve.csv}\n"
    "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n";

std::vector<InputIssue> config_issues(const std::string& name, const std::string& yaml) {
  try {
    load_simulation_config(write_config(name, yaml));
  } catch (const InputError& e) {
    return e.issues();
  }
  ADD_FAILURE() << "no error for " << name;
  return {};
}

TEST(SimulationConfig, BundledExampleLoads) {
  const SimulationSpec spec = load_simulation_config(test::source_path("scenarios/examples/hull_white_usd.yaml"));
  EXPECT_EQ(spec.valuation_date, make_date(2026, 6, 30));
  EXPECT_EQ(spec.grid.size(), 121);
  EXPECT_EQ(spec.indices.size(), 4u);
  EXPECT_EQ(spec.indices[3].kind, IndexKind::kParSwap);
  EXPECT_DOUBLE_EQ(spec.model.mean_reversion, 0.03);
  EXPECT_GT(spec.curve.discount(1.0), 0.9);
}

TEST(SimulationConfig, DefaultsForAMinimalConfig) {
  const SimulationSpec spec = load_simulation_config(write_config("minimal", kMinimal));
  EXPECT_EQ(spec.day_count, DayCount::kAct365Fixed);
  EXPECT_EQ(spec.grid.size(), 121);  // monthly for ten years
  EXPECT_EQ(spec.indices.size(), default_indices().size());
  EXPECT_EQ(spec.paths, 65536);
  EXPECT_EQ(spec.device, DeviceChoice::kAuto);
  EXPECT_EQ(spec.quantiles.size(), 5u);
}

TEST(SimulationConfig, GridInYears) {
  const SimulationSpec spec =
      load_simulation_config(write_config("years", kMinimal + "grid: {times: [0.5, 1, 2.5]}\n"));
  EXPECT_EQ(spec.grid.times, (std::vector<double>{0.0, 0.5, 1.0, 2.5}));
  EXPECT_FALSE(spec.grid.has_dates());
}

TEST(SimulationConfig, UnknownKeysAreRejectedWithTheirPosition) {
  const auto issues = config_issues("unknown", kMinimal + "simulation: {paths: 100, seeds: 3}\nextra: 1\n");
  ASSERT_EQ(issues.size(), 2u);  // the top level is checked first
  EXPECT_EQ(issues[0].rule, "unknown key");
  EXPECT_EQ(issues[0].line, 5);
  EXPECT_EQ(issues[0].column, 1);
  EXPECT_NE(issues[0].detail.find("'extra'"), std::string::npos);
  EXPECT_EQ(issues[1].rule, "unknown key");
  EXPECT_EQ(issues[1].line, 4);
  EXPECT_EQ(issues[1].column, 26);
  EXPECT_NE(issues[1].detail.find("'seeds'"), std::string::npos);
}

TEST(SimulationConfig, EveryProblemIsReportedAtOnce) {
  const auto issues = config_issues("many",
                                    "valuation_date: 2026-02-30\n"
                                    "curve: {file: missing.csv, compounding: weekly}\n"
                                    "model: {type: lmm2, mean_reversion: -1, volatility: abc}\n"
                                    "simulation: {paths: 1.5, device: tpu}\n");
  std::vector<std::string> rules;
  for (const InputIssue& i : issues) rules.push_back(i.rule);
  const std::vector<std::string> expected{"not a date",     "unknown model", "out of range",
                                          "not a number",   "not an integer", "unknown device",
                                          "unknown compounding"};
  EXPECT_EQ(rules, expected);
}

TEST(SimulationConfig, MissingKeysAndBadFiles) {
  const auto missing = config_issues("missing", "valuation_date: 2026-06-30\n");
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].rule, "missing key");
  EXPECT_NE(missing[0].detail.find("'model'"), std::string::npos);
  EXPECT_NE(missing[1].detail.find("'curve'"), std::string::npos);

  const auto no_curve = config_issues(
      "nocurve", "valuation_date: 2026-06-30\ncurve: {file: nothere.csv}\n"
                 "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n");
  ASSERT_EQ(no_curve.size(), 1u);
  EXPECT_EQ(no_curve[0].rule, "cannot read file");
  EXPECT_NE(no_curve[0].file.find("nothere.csv"), std::string::npos);

  const auto syntax = config_issues("syntax", "valuation_date: [2026\n");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].rule, "YAML syntax error");
  EXPECT_GT(syntax[0].line, 0);
}

TEST(SimulationConfig, IndexDefinitions) {
  const auto issues = config_issues(
      "indices", kMinimal +
                     "indices:\n"
                     "  - {name: A, type: simple, tenor_months: 3, fixed_frequency_months: 3}\n"
                     "  - {name: B, type: par_swap, tenor_months: 60, fixed_frequency_months: 7}\n"
                     "  - {name: B, type: cms, tenor_months: 0}\n");
  std::vector<std::string> rules;
  for (const InputIssue& i : issues) rules.push_back(i.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"not applicable", "incompatible frequency",
                                             "duplicate index", "unknown index type",
                                             "out of range"}));
}

}  // namespace
}  // namespace ratesim
