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

namespace ratesim {
namespace {

const char* kPositionsHeader =
    "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
    "payment_frequency_months,day_count,rate\n";

// A folder holding a curve, positions, a custom scenario and a config that names them.
std::string balance_sheet_config(const std::string& name, const std::string& positions,
                                 const std::string& extra) {
  const auto dir = test::temp_dir("bs-" + name);
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.03\n5Y,0.035\n30Y,0.04\n";
  std::ofstream(dir / "positions.csv") << kPositionsHeader << positions;
  std::ofstream(dir / "twist.yaml") << "name: twist\nshifts:\n  - {tenor: 1Y, bp: -20}\n"
                                       "  - {tenor: 5Y, bp: 40}\n";
  std::ofstream(dir / "alt.csv") << "tenor,zero_rate\n1Y,0.05\n30Y,0.05\n";
  std::ofstream(dir / "replace.yaml") << "name: flat5\ncurves:\n  USD: {file: alt.csv}\n";
  std::ofstream(dir / "run.yaml")
      << "valuation_date: 2026-06-30\n"
         "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n"
         "positions: positions.csv\n" << extra;
  return (dir / "run.yaml").string();
}

const char* kBond = "B1,book,asset,fixed_bond,USD,1000000,2026-06-30,2031-06-30,bullet,12,30/360,0.04\n";

TEST(BalanceSheetConfig, CustomScenariosShiftsAndReplacementCurves) {
  const RunConfig config = load_run_config(
      balance_sheet_config("custom", kBond,
                           "curve: {file: curve.csv}\nscenarios: {sets: [], custom: [twist.yaml, replace.yaml]}\n"),
      true);
  ASSERT_EQ(config.custom_scenarios.size(), 2u);
  const Scenario& twist = config.custom_scenarios[0];
  EXPECT_EQ(twist.name, "custom/twist");
  // Linear in t between the tenors (1Y = 1.0, 5Y = 1826/365 years from 2026-06-30), flat outside.
  const double five = 1826.0 / 365.0;
  EXPECT_NEAR(twist.shift("USD", 0.5), -20e-4, 1e-15);
  EXPECT_NEAR(twist.shift("USD", 1.0 + 0.5 * (five - 1.0)), 10e-4, 1e-15);
  EXPECT_NEAR(twist.shift("USD", 20.0), 40e-4, 1e-15);
  const Scenario& flat = config.custom_scenarios[1];
  ASSERT_EQ(flat.replacement.count("USD"), 1u);
  const EveSpec spec = make_eve_spec(config);
  const DiscountCurve replaced = shocked_curve(spec.base_curves[0], flat, "USD", {});
  EXPECT_NEAR(replaced.zero_rate(3.0), 0.05, 1e-14);
}

TEST(BalanceSheetConfig, ShockTableFromAFileAndMissingCurrencies) {
  const std::string extra_table =
      "curve: {file: curve.csv}\nscenarios: {sets: [bcbs368], bcbs368_table: table.csv, bcbs368_version: mine}\n";
  const std::string path = balance_sheet_config("table", kBond, extra_table);
  std::ofstream(std::filesystem::path(path).parent_path() / "table.csv")
      << "currency,parallel_bp,short_bp,long_bp\nUSD,150,250,100\n";
  const EveSpec spec = make_eve_spec(load_run_config(path, true));
  ASSERT_EQ(spec.scenarios.size(), 6u);
  EXPECT_NEAR(spec.scenarios[0].shift("USD", 3.0), 0.015, 1e-15);
  EXPECT_NE(spec.scenarios[0].description.find("mine"), std::string::npos);

  const std::string gbp = balance_sheet_config(
      "gbp", "G1,book,asset,fixed_bond,XYZ,1000000,2026-06-30,2031-06-30,bullet,12,30/360,0.04\n",
      "reporting_currency: XYZ\ncurve: {file: curve.csv}\n");
  try {
    make_eve_spec(load_run_config(gbp, true));
    ADD_FAILURE() << "XYZ has no BCBS shock sizes";
  } catch (const InputError& e) {
    EXPECT_EQ(e.issues().at(0).rule, "currency not in shock table");
  }
}

TEST(BalanceSheetConfig, MultiCurrencyEveConvertsWithFx) {
  // The same bond in USD and EUR on identical curves: EUR's EVE counts fx times.
  const std::string two = balance_sheet_config(
      "fx", std::string(kBond) + "E1,book,asset,fixed_bond,EUR,1000000,2026-06-30,2031-06-30,bullet,12,30/360,0.04\n",
      "curves: {USD: {file: curve.csv}, EUR: {file: curve.csv}}\nfx: {EUR: 1.08}\nscenarios: {sets: [us]}\n");
  const EveSpec spec = make_eve_spec(load_run_config(two, true));
  const EveResult r = run_eve(spec, select_backend(DeviceChoice::kCpu));
  ASSERT_EQ(r.base.by_currency.size(), 2u);
  EXPECT_NEAR(r.base.by_currency[1], 1.08 * r.base.by_currency[0], 1e-6);
  EXPECT_NEAR(r.base.value, 2.08 * r.base.by_currency[0], 1e-6);
  EXPECT_NEAR(r.scenarios[0].value, 2.08 * r.scenarios[0].by_currency[0], 1e-6);

  const std::string no_fx = balance_sheet_config(
      "nofx", std::string(kBond) + "E1,book,asset,fixed_bond,EUR,1000000,2026-06-30,2031-06-30,bullet,12,30/360,0.04\n",
      "curves: {USD: {file: curve.csv}, EUR: {file: curve.csv}}\n");
  try {
    make_eve_spec(load_run_config(no_fx, true));
    ADD_FAILURE() << "EUR positions need an fx rate";
  } catch (const InputError& e) {
    EXPECT_EQ(e.issues().at(0).rule, "no fx rate");
  }
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

TEST(LmmConfig, ExampleLoadsCalibratesAndFeedsTheNiiRun) {
  const RunConfig config = load_run_config(test::source_path("scenarios/examples/lmm_bank.yaml"), true);
  ASSERT_TRUE(config.lmm.has_value());
  EXPECT_EQ(config.lmm->n_rates, 120);
  EXPECT_EQ(config.lmm->accrual_months, 3);
  EXPECT_EQ(config.lmm->n_factors, 3);
  ASSERT_EQ(config.lmm_calibration.size(), 8u);
  for (const CalibrationFit& f : config.lmm_calibration) EXPECT_NEAR(f.model, f.target, 1e-12);
  const NiiSpec nii = make_nii_spec(config, make_eve_spec(config));
  ASSERT_TRUE(nii.lmm.has_value());
  EXPECT_EQ(nii.lmm->scales.size(), 120u);
  // `simulate` takes the LMM too, calibrated as `run` does.
  const SimulationSpec sim = load_simulation_config(test::source_path("scenarios/examples/lmm_bank.yaml"));
  ASSERT_TRUE(sim.lmm.has_value());
  EXPECT_EQ(sim.lmm->scales, nii.lmm->scales);
  EXPECT_EQ(sim.lmm_calibration.size(), 8u);
}

TEST(LmmConfig, BadLmmKeys) {
  const auto issues = config_issues("lmm-bad",
                                    "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                                    "model: {type: lmm, mean_reversion: 0.03, volatility: 0.01,\n"
                                    "        lmm: {accrual_months: 4, factors: 9, colour: red}}\n");
  std::vector<std::string> rules;
  for (const InputIssue& i : issues) rules.push_back(i.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"unknown key", "out of range", "out of range"}));
}

TEST(BalanceSheetConfig, HorizonSeriesModeByName) {
  // nii.horizon_series: auto (the default), always, or off (every leg revalued on every path).
  const std::vector<std::pair<std::string, HorizonSeriesMode>> modes{
      {"", HorizonSeriesMode::kAuto},
      {"nii: {horizon_series: auto}\n", HorizonSeriesMode::kAuto},
      {"nii: {horizon_series: always}\n", HorizonSeriesMode::kAlways},
      {"nii: {horizon_series: off}\n", HorizonSeriesMode::kOff}};
  for (const auto& [yaml, mode] : modes) {
    const RunConfig config = load_run_config(balance_sheet_config("series", kBond, "curve: {file: curve.csv}\n" + yaml), true);
    EXPECT_EQ(config.nii.horizon_series, mode) << yaml;
    EXPECT_EQ(make_nii_spec(config, make_eve_spec(config)).horizon_series, mode) << yaml;
  }
  try {
    load_run_config(balance_sheet_config("series-bad", kBond, "curve: {file: curve.csv}\nnii:\n  horizon_series: sometimes\n"), true);
    ADD_FAILURE() << "an unknown mode was accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.issues().size(), 1u);
    EXPECT_EQ(e.issues()[0].rule, "unknown value");
    EXPECT_EQ(e.issues()[0].line, 6);
    EXPECT_NE(e.issues()[0].detail.find("allowed: auto, always, off"), std::string::npos) << e.issues()[0].detail;
  }
}

TEST(LmmConfig, SchemeByName) {
  const std::string head = "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                           "model: {type: lmm, mean_reversion: 0.03, volatility: 0.01, lmm: {";
  const auto dir = test::temp_dir("config-lmm-scheme");
  std::ofstream(dir / "curve.csv") << kCurve;
  std::ofstream(dir / "default.yaml") << head << "rates: 8}}\n";
  std::ofstream(dir / "euler.yaml") << head << "rates: 8, scheme: euler}}\n";
  EXPECT_EQ(load_run_config((dir / "default.yaml").string(), false).lmm->scheme, LmmScheme::kPredictorCorrector);
  EXPECT_EQ(load_run_config((dir / "euler.yaml").string(), false).lmm->scheme, LmmScheme::kEuler);
  const auto issues = config_issues("lmm-scheme", head + "scheme: milstein}}\n");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].rule, "unknown scheme");
  EXPECT_EQ(issues[0].line, 3);
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

TEST(LmmConfig, UserCorrelationMatrixFromAFile) {
  const auto dir = test::temp_dir("config-lmm-matrix");
  std::ofstream(dir / "curve.csv") << kCurve;
  std::ofstream(dir / "rho.csv") << "0,0.5,1.0\n1,0.8,0.6\n0.8,1,0.8\n0.6,0.8,1\n";
  const std::string model = "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                            "model: {type: lmm, mean_reversion: 0.03, volatility: 0.01,\n"
                            "        lmm: {accrual_months: 6, rates: 3, factors: 2, ";
  std::ofstream(dir / "good.yaml") << model << "correlation: rho.csv}}\n";
  const RunConfig config = load_run_config((dir / "good.yaml").string(), false);
  ASSERT_TRUE(config.lmm.has_value());
  ASSERT_EQ(config.lmm->correlation.size(), 3u);
  EXPECT_DOUBLE_EQ(config.lmm->correlation[0][2], 0.6);
  EXPECT_EQ(config.lmm->correlation_file, (dir / "rho.csv").string());

  // The matrix must fit the model (3 semiannual forwards), and excludes correlation_beta.
  std::ofstream(dir / "quarterly.yaml") << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                                           "model: {type: lmm, mean_reversion: 0.03, volatility: 0.01,\n"
                                           "        lmm: {rates: 3, correlation: rho.csv}}\n";
  std::ofstream(dir / "both.yaml") << model << "correlation: rho.csv, correlation_beta: 0.1}}\n";
  for (auto [file, rule] : {std::pair{"quarterly.yaml", "tenor mismatch"}, std::pair{"both.yaml", "conflicting keys"}}) {
    try {
      load_run_config((dir / file).string(), false);
      ADD_FAILURE() << file << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.issues().at(0).rule, rule) << file;
    }
  }
}

}  // namespace
}  // namespace ratesim
