// `ratesim run`, `scenarios` and `generate-bank` as a user runs them, and every positions
// validation rule through the CLI: message (file:line:column: rule), exit code 2, nothing written.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

const char* kHeader = test::kPositionsHeader;
const char* kGoodRow =
    "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,prepay,";

// A folder with a curve, a config naming `positions.csv`, and the given positions file.
fs::path bank_folder(const std::string& name, const std::string& positions) {
  const fs::path dir = test::temp_dir("run-" + name);
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,0.04\n";
  std::ofstream(dir / "bank.yaml")
      << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
         "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n"
         "positions: positions.csv\n"
         "behaviours:\n  - {name: prepay, type: prepayment, cpr: 0.05}\n"
         "  - {name: core, type: deposit, core_share: 0.7, core_average_life_years: 3}\n"
         "capital: {tier1: 1000000}\n";
  std::ofstream(dir / "positions.csv") << positions;
  return dir;
}

// 1-based character column of field `field` (0-based) in a CSV line.
int column_of(const std::string& line, int field) {
  int column = 1;
  for (int f = 0; f < field; ++f) column = static_cast<int>(line.find(',', static_cast<std::size_t>(column - 1))) + 2;
  return column;
}

TEST(RunCli, SampleBankWritesEveryOutput) {
  const fs::path dir = test::temp_dir("run-sample");
  const test::CommandResult r = test::ratesim(
      "run " + test::source_path("scenarios/sample_bank/bank.yaml") + " --device cpu --paths 64 --out " +
          (dir / "out").string(), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"summary.json", "eve_by_scenario.csv", "repricing_gap.csv", "sensitivities.csv",
                        "nii_by_scenario.csv", "nii_fan.csv", "distribution.csv"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
  }
  const auto j = nlohmann::json::parse(test::slurp(dir / "out" / "summary.json"));
  EXPECT_EQ(j["run"]["positions"]["count"], 10000);
  EXPECT_EQ(j["run"]["backend"], "cpu");
  const double base = j["eve"]["base"];
  EXPECT_GT(base, 0.0);
  for (const char* name : {"bcbs368/parallel_up", "bcbs368/parallel_down", "bcbs368/steepener",
                           "bcbs368/flattener", "bcbs368/short_up", "bcbs368/short_down",
                           "us/parallel_+100", "us/parallel_-400", "custom/twist_up_100"}) {
    ASSERT_TRUE(j["eve"]["scenarios"].contains(name)) << name;
    const double value = j["eve"]["scenarios"][name]["value"];
    const double delta = j["eve"]["scenarios"][name]["delta"];
    EXPECT_NEAR(delta, value - base, 1e-6 * std::fabs(base)) << name;
  }
  // The bundled bank is asset-sensitive: rising rates cost EVE, falling rates add to it.
  EXPECT_LT(j["eve"]["scenarios"]["bcbs368/parallel_up"]["delta"].get<double>(), 0.0);
  EXPECT_GT(j["eve"]["scenarios"]["bcbs368/parallel_down"]["delta"].get<double>(), 0.0);
  EXPECT_TRUE(j["eve"]["sot"].contains("outlier"));
  EXPECT_TRUE(j["eve"]["worst"].contains("scenario"));
  EXPECT_GT(j["sensitivities"]["dv01"].get<double>(), 0.0);
  EXPECT_EQ(j["repricing_gap"]["buckets"].size(), 19u);
  EXPECT_NE(test::slurp(dir / "out" / "repricing_gap.csv").find("total,>20Y"), std::string::npos);

  // NII: base, the NII scenarios with deltas, and the Monte Carlo block.
  const auto& nii = j["nii"];
  EXPECT_EQ(nii["horizon_months"], 12);
  const double nii_base = nii["base"];
  EXPECT_GT(nii_base, 0.0);
  for (const char* name : {"bcbs368/parallel_up", "bcbs368/parallel_down", "us/parallel_+200",
                           "us/ramp_+100", "us/ramp_-400", "custom/twist_up_100"}) {
    ASSERT_TRUE(nii["scenarios"].contains(name)) << name;
    EXPECT_NEAR(nii["scenarios"][name]["delta"].get<double>(),
                nii["scenarios"][name]["value"].get<double>() - nii_base, 1e-6 * nii_base) << name;
  }
  const auto& mc = j["monte_carlo"]["nii"];
  for (const char* key : {"mean", "std", "std_error", "ear95", "ear99", "es99"}) {
    EXPECT_TRUE(mc.contains(key)) << key;
  }
  for (const char* q : {"0.01", "0.05", "0.5", "0.95", "0.99"}) EXPECT_TRUE(mc["quantiles"].contains(q)) << q;
  EXPECT_LE(mc["quantiles"]["0.01"].get<double>(), mc["quantiles"]["0.99"].get<double>());
  EXPECT_NEAR(mc["ear99"].get<double>(), mc["mean"].get<double>() - mc["quantiles"]["0.01"].get<double>(), 1e-6 * nii_base);
  // The Monte Carlo mean sits near the base (forward) NII: behaviour makes them differ a little,
  // but not by more than a few percent.
  EXPECT_NEAR(mc["mean"].get<double>(), nii_base, 0.05 * nii_base);
  EXPECT_EQ(j["monte_carlo"]["paths"], 64);
  const auto& eve_mc = j["monte_carlo"]["eve"];
  for (const char* key : {"mean", "std_error", "ear99", "es99", "discounted_mean", "today"}) {
    EXPECT_TRUE(eve_mc.contains(key)) << key;
  }
  // How the horizon EVE was valued: series for the legs (64 paths fit the cheaper ones: kAuto),
  // what the fit cost, and the legs revalued on every path instead.
  const auto& horizon = j["monte_carlo"]["horizon_eve"];
  EXPECT_EQ(horizon["horizon_series"], "auto");
  EXPECT_EQ(horizon["method"], "series");
  const std::int64_t legs = horizon["legs"]["series_in_state"].get<std::int64_t>() +
                            horizon["legs"]["series_affine_in_coupon"].get<std::int64_t>() +
                            horizon["legs"]["series_in_state_and_coupon"].get<std::int64_t>() +
                            horizon["legs"]["revalued_on_every_path"].get<std::int64_t>();
  EXPECT_GE(legs, 10000);  // every live position, and the replacement books
  EXPECT_GT(horizon["legs"]["series_in_state"].get<std::int64_t>(), 0);
  EXPECT_GT(horizon["fit_samples"].get<std::int64_t>(), 0);
  EXPECT_GT(horizon["series_memory_mb"].get<double>(), 0.0);
}

TEST(RunCli, ScenariosListsTheBuiltInSets) {
  const fs::path dir = test::temp_dir("run-scenarios");
  const test::CommandResult r = test::ratesim("scenarios", dir);
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"bcbs368/parallel_up", "bcbs368/flattener", "us/parallel_-200", "2016"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
}

TEST(RunCli, GenerateBankIsReproducible) {
  const fs::path dir = test::temp_dir("run-generate");
  ASSERT_EQ(test::ratesim("generate-bank --positions 500 --seed 9 --out " + (dir / "a.csv").string(), dir).exit_code, 0);
  ASSERT_EQ(test::ratesim("generate-bank --positions 500 --seed 9 --out " + (dir / "b.csv").string(), dir).exit_code, 0);
  ASSERT_EQ(test::ratesim("generate-bank --positions 500 --seed 10 --out " + (dir / "c.csv").string(), dir).exit_code, 0);
  const std::string a = test::slurp(dir / "a.csv");
  EXPECT_EQ(a, test::slurp(dir / "b.csv"));
  EXPECT_NE(a, test::slurp(dir / "c.csv"));
  EXPECT_EQ(std::count(a.begin(), a.end(), '\n'), 501);
  // The bundled sample bank is exactly what the documented command makes.
  ASSERT_EQ(test::ratesim("generate-bank --positions 10000 --seed 20260630 --out " + (dir / "sample.csv").string(), dir).exit_code, 0);
  EXPECT_EQ(test::slurp(dir / "sample.csv"), test::slurp(test::source_path("scenarios/sample_bank/positions.csv")));
}

// generate-bank streams to a staging file: Ctrl-C within it ends it within 2 s, leaving no file
// and no staging file behind.
TEST(RunCli, GenerateBankHearsCtrlC) {
  const fs::path dir = test::temp_dir("generate-interrupt");
  const test::Interrupted r = test::interrupt_ratesim("generate-bank --positions 20000000 --out bank.csv", dir, "sleep 1");
  EXPECT_EQ(r.status, "130\n") << r.err;
  EXPECT_LT(r.milliseconds, 2000);
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "stdout.txt" || name == "stderr.txt" || name == "status.txt" || name == "ms.txt") << name;
  }
}

struct RuleCase {
  std::string name;
  std::string header;
  std::string row;
  int field;  ///< the cell the message points at (0-based), -1 for the header
  std::string rule;
};

TEST(RunCli, EveryPositionsRuleExitsWithTwoAndWritesNothing) {
  const std::string h = kHeader;
  const std::vector<RuleCase> cases{
      {"unknown_kind", h, "L1,retail,asset,loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 3, "unknown value"},
      {"unknown_enum", h, "L1,retail,both,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 2, "unknown value"},
      {"unknown_day_count", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,ACT/ACT,0.05,,,,,,,,,", 10, "unknown value"},
      {"maturity_before_start", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2024-01-15,annuity,1,30/360,0.05,,,,,,,,,", 7, "maturity before start"},
      {"missing_value", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,,,,,,,,,,", 11, "missing value"},
      {"unknown_behaviour", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,nope,", 19, "unknown behaviour"},
      {"wrong_behaviour_type", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,core,", 19, "wrong behaviour type"},
      {"not_a_number", h, "L1,retail,asset,fixed_loan,USD,1e5x,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 5, "not a number"},
      {"non_finite", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,inf,,,,,,,,,", 11, "non-finite value"},
      {"not_applicable", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,0.03,,", 18, "not applicable"},
      {"not_a_date", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-32,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 6, "not a date"},
      {"out_of_range", h, "L1,retail,asset,fixed_loan,USD,-100,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 5, "out of range"},
      // The ranges beyond which a risk engine's arithmetic overflows or means nothing (the issue's
      // examples gave exit 0 and NaN EVE everywhere).
      {"open_ended_maturity", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,9999-12-31,annuity,1,30/360,0.05,,,,,,,,,", 7, "maturity too far"},
      {"coupon_out_of_range", h, "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,1e6,,,,,,,,,", 11, "out of range"},
      {"huge_notional", h, "L1,retail,asset,fixed_loan,USD,1.7e308,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,", 5, "out of range"},
      {"spread_out_of_range", h, "F1,corp,asset,floating_loan,USD,100,2025-01-15,2030-01-15,bullet,3,ACT/360,0.05,3,2.5,3,,,,,,", 13, "out of range"},
      {"wrong_side", h, "D1,retail,asset,term_deposit,USD,100,2025-01-15,2030-01-15,,,ACT/365F,0.05,,,,,,,,,", 2, "wrong side"},
      {"floor_above_cap", h, "F1,corp,asset,floating_loan,USD,100,2025-01-15,2030-01-15,bullet,3,ACT/360,0.05,3,0.01,3,0.02,0.03,,,,", 16, "floor above cap"},
      {"incompatible_frequency", h, "F1,corp,asset,floating_loan,USD,100,2025-01-15,2030-01-15,bullet,3,ACT/360,0.05,3,0.01,4,,,,,,", 14, "incompatible frequency"},
      {"unknown_column", h + ",colour", std::string(kGoodRow) + ",red", -2, "unknown column"},
      {"missing_column", "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,payment_frequency_months,day_count", "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360", -1, "missing column"},
  };
  for (const RuleCase& c : cases) {
    const fs::path dir = bank_folder(c.name, c.header + "\n" + c.row + "\n");
    const test::CommandResult r =
        test::ratesim("run " + (dir / "bank.yaml").string() + " --out " + (dir / "out").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    // field -1: the header's first column; -2: the header's last column.
    const std::string where =
        c.field >= 0    ? "positions.csv:2:" + std::to_string(column_of(c.row, c.field))
        : c.field == -1 ? std::string("positions.csv:1:1")
                        : "positions.csv:1:" + std::to_string(c.header.rfind(',') + 2);
    EXPECT_NE(r.err.find(where + ": " + c.rule), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << c.name;
    EXPECT_FALSE(fs::exists(dir / "out")) << c.name;
  }
}

TEST(RunCli, DuplicateIdsAndManyBadRowsAreAllReported) {
  std::string positions = std::string(kHeader) + "\n" + kGoodRow + "\n" + kGoodRow + "\n";
  for (int i = 0; i < 5; ++i) {
    positions += "B" + std::to_string(i) + ",retail,asset,fixed_loan,USD,-5,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n";
  }
  const fs::path dir = bank_folder("duplicates", positions);
  const test::CommandResult r =
      test::ratesim("run " + (dir / "bank.yaml").string() + " --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("positions.csv:3:1: duplicate id: 'L1' is already used on line 2"), std::string::npos) << r.err;
  for (int line = 4; line <= 8; ++line) {
    EXPECT_NE(r.err.find("positions.csv:" + std::to_string(line) + ":"), std::string::npos) << line;
  }
  EXPECT_NE(r.err.find("6 input problem(s)"), std::string::npos) << r.err;
}

TEST(RunCli, MissingCurveOrFxForACurrency) {
  const std::string positions = std::string(kHeader) + "\n" + kGoodRow + "\n" +
      "E1,retail,asset,fixed_loan,EUR,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n";
  const fs::path dir = bank_folder("currency", positions);
  const test::CommandResult r =
      test::ratesim("run " + (dir / "bank.yaml").string() + " --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no curve for currency"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

namespace fs = std::filesystem;

TEST(RunCli, ValidateChecksEverythingAndRunsNothing) {
  const fs::path dir = test::temp_dir("validate");
  const test::CommandResult ok =
      test::ratesim("validate " + test::source_path("scenarios/sample_bank/bank.yaml"), dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("valid: 10000 positions"), std::string::npos) << ok.out;
  EXPECT_FALSE(fs::exists(fs::path("runs") / "bank")) << "validate must not write a run folder";

  // Problems in the config, the curve, the positions and a behaviour profile, reported together.
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,abc\n";
  std::ofstream(dir / "positions.csv")
      << "id,segment,side,kind,currency,notional,start_date,maturity_date,amortization,"
         "payment_frequency_months,day_count,rate,index_tenor_months,spread,reset_frequency_months,"
         "cap_rate,floor_rate,swap_leg,strike,behaviour,nmd_category\n"
         "L1,retail,asset,fixed_loan,USD,-5,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,prepay,\n";
  std::ofstream(dir / "bank.yaml") << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                                      "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01, colour: red}\n"
                                      "positions: positions.csv\n"
                                      "behaviours:\n  - {name: prepay, type: prepayment, cpr: 1.5}\n";
  const test::CommandResult bad = test::ratesim("validate " + (dir / "bank.yaml").string(), dir);
  EXPECT_EQ(bad.exit_code, 2);
  for (const char* expected : {"bank.yaml:3:", "unknown key", "curve.csv:3:", "positions.csv:2:", "cpr"}) {
    EXPECT_NE(bad.err.find(expected), std::string::npos) << expected << "\n" << bad.err;
  }
  EXPECT_EQ(bad.err.find("nothing was written"), std::string::npos);  // validate writes nothing anyway
}

TEST(RunCli, LogLinesQuietAndLogLevel) {
  const fs::path dir = test::temp_dir("logging");
  const std::string run = "run " + test::source_path("scenarios/sample_bank/bank.yaml") + " --device cpu --paths 16 --out ";
  // Not a terminal: plain progress lines on stderr, results on stdout.
  const test::CommandResult info = test::ratesim(run + (dir / "a").string(), dir);
  ASSERT_EQ(info.exit_code, 0) << info.err;
  for (const char* line : {"ratesim: Reading inputs: done in", "ratesim: EVE revaluation: done in",
                           "ratesim: NII Monte Carlo: 16 paths", "ratesim: NII Monte Carlo: 16/16 paths (100%)"}) {
    EXPECT_NE(info.err.find(line), std::string::npos) << line << "\n" << info.err;
  }
  EXPECT_EQ(info.err.find('\r'), std::string::npos);  // no bar redrawing outside a terminal
  // The results (stdout) without the first line, which carries the timing, and the folder.
  auto results = [](const std::string& out) {
    const std::size_t from = out.find('\n'), to = out.find("results in");
    return from < to && to != std::string::npos ? out.substr(from, to - from) : "<no results>";
  };
  // --quiet (after or before the subcommand) and --log-level error: nothing on stderr.
  for (const std::string& flags : {std::string(" --quiet"), std::string(" --log-level error")}) {
    const test::CommandResult quiet = test::ratesim(run + (dir / "b").string() + flags, dir);
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_EQ(quiet.err, "") << flags;
    EXPECT_EQ(results(quiet.out), results(info.out)) << flags;
  }
  const test::CommandResult before = test::ratesim("--quiet " + run + (dir / "c").string(), dir);
  EXPECT_EQ(before.exit_code, 0);
  EXPECT_EQ(before.err, "");
  EXPECT_EQ(test::ratesim(run + (dir / "d").string() + " --log-level loud", dir).exit_code, 2);
}

// Ctrl-C in the middle of the Monte Carlo: exit 130, the earlier output folder untouched, no
// partial folder left beside it.
// Ctrl-C during the Monte Carlo: exit 130, the earlier run's folder untouched, no staging folder
// left, and no parent folder the run created for a new --out.
TEST(RunCli, InterruptStopsCleanly) {
  const fs::path dir = test::temp_dir("interrupt");
  const std::string bank = test::source_path("scenarios/sample_bank/bank.yaml");
  const fs::path out = dir / "out";
  ASSERT_EQ(test::ratesim("run " + bank + " --device cpu --paths 16 --quiet --out " + out.string(), dir).exit_code, 0);
  const std::string earlier = test::slurp(out / "summary.json");
  auto interrupt = [&](const fs::path& target) {
    const std::string command = std::string("cd ") + dir.string() + " && (" + RATESIM_BINARY + " run " + bank +
                                " --device cpu --paths 100000 --out " + target.string() +
                                " > stdout.txt 2> stderr.txt & pid=$!; "
                                "for i in $(seq 600); do grep -q 'NII Monte Carlo: 100000 paths' stderr.txt && break; sleep 0.2; done; "
                                "kill -INT $pid; wait $pid; echo $? > status.txt)";
    ASSERT_EQ(std::system(command.c_str()), 0);
    EXPECT_EQ(test::slurp(dir / "status.txt"), "130\n") << test::slurp(dir / "stderr.txt");
    EXPECT_NE(test::slurp(dir / "stderr.txt").find("interrupted; nothing was written"), std::string::npos);
  };
  interrupt(out);
  EXPECT_EQ(test::slurp(out / "summary.json"), earlier);
  interrupt(dir / "new" / "deeper" / "out");
  EXPECT_FALSE(fs::exists(dir / "new"));
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
    EXPECT_EQ(entry.path().filename().string().find(".lock"), std::string::npos) << entry.path();
  }
}

// The EVE revaluation is one phase of a book times its scenarios (100,000 positions x 39 scenarios,
// about 15 s on two cores): Ctrl-C within it ends the run within 2 seconds, with nothing written.
TEST(RunCli, InterruptIsHeardWithinTheEveRevaluation) {
  const fs::path dir = test::temp_dir("interrupt-eve");
  ASSERT_EQ(test::ratesim("generate-bank --positions 100000 --out " + (dir / "positions.csv").string(), dir).exit_code, 0);
  std::ofstream(dir / "bank.yaml") << "valuation_date: 2026-06-30\n"
                                   << "curve: {file: " << test::source_path("scenarios/curves/usd_sofr_2026-06-30.csv") << "}\n"
                                   << "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.009}\n"
                                   << "positions: positions.csv\n"
                                   << "behaviours: " << test::source_path("scenarios/sample_bank/behaviours.yaml") << "\n";
  const test::Interrupted r =
      test::interrupt_ratesim("run bank.yaml --device cpu --out out", dir, "grep -q 'EVE revaluation:' stderr.txt");
  EXPECT_EQ(r.status, "130\n") << r.err;
  EXPECT_LT(r.milliseconds, 2000) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// Every bundled configuration the README and docs name passes `validate`.
TEST(RunCli, BundledExamplesValidate) {
  const std::filesystem::path dir = test::temp_dir("examples");
  for (const char* config : {"scenarios/sample_bank/bank.yaml", "scenarios/examples/bcbs_only.yaml",
                             "scenarios/examples/us_shocks_ramps.yaml", "scenarios/examples/lmm_bank.yaml",
                             "scenarios/examples/hull_white_usd.yaml"}) {
    const test::CommandResult r = test::ratesim("validate " + test::source_path(config), dir);
    EXPECT_EQ(r.exit_code, 0) << config << "\n" << r.err;
    EXPECT_NE(r.out.find("valid"), std::string::npos) << config;
  }
}

}  // namespace
}  // namespace ratesim

namespace ratesim {
namespace {

// On a terminal the progress is a bar redrawn in place (util-linux `script` gives the run one).
TEST(RunCli, ProgressBarOnATerminal) {
  if (!std::filesystem::exists("/usr/bin/script")) GTEST_SKIP() << "util-linux `script` is not installed";
  const std::filesystem::path dir = test::temp_dir("terminal");
  const std::filesystem::path typescript = dir / "typescript";
  const std::string command = "cd " + dir.string() + " && TERM=xterm /usr/bin/script -qfec '" + RATESIM_BINARY + " run " +
                              test::source_path("scenarios/sample_bank/bank.yaml") + " --device cpu --paths 64 --out " +
                              (dir / "out").string() + "' " + typescript.string() + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << test::slurp(typescript);
  const std::string screen = test::slurp(typescript);
  EXPECT_NE(screen.find("\r\033[KNII Monte Carlo ["), std::string::npos) << screen.substr(0, 2000);
  EXPECT_NE(screen.find("] 64/64 paths 100%"), std::string::npos);
  EXPECT_NE(screen.find("ratesim: NII Monte Carlo: done in"), std::string::npos);
  EXPECT_NE(screen.find("results in"), std::string::npos);
}

}  // namespace
}  // namespace ratesim
