// The one input check, through the CLI: nothing given twice is silently dropped, one problem hides
// no other, `validate` refuses exactly what `run` and `simulate` refuse (exit 2, file:line:column:
// rule, nothing written), inputs that used to end in an internal error are input problems, and
// a positions path that is a FIFO cannot hold a run past Ctrl-C.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>

#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

const std::string kHeader = std::string(test::kPositionsHeader) + "\n";
const char* kLoan = "L1,retail,asset,fixed_loan,USD,100000,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n";
const char* kConfigStart =
    "valuation_date: 2026-06-30\n"                                               // 1
    "curve: {file: curve.csv}\n"                                                 // 2
    "model: {type: hull_white, mean_reversion: 0.03, volatility: 0.01}\n"        // 3
    "nii: {paths: 16}\n";                                                        // 4

// A bank folder: curve.csv, positions.csv and bank.yaml = kConfigStart + `more`.
fs::path bank(const std::string& name, const std::string& more, const std::string& positions = std::string(kHeader) + kLoan) {
  const fs::path dir = test::temp_dir("check-" + name);
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,0.04\n";
  std::ofstream(dir / "positions.csv") << positions;
  std::ofstream(dir / "bank.yaml") << kConfigStart << "positions: positions.csv\n" << more;  // positions on line 5
  return dir;
}

struct Refusal {
  std::string where;   ///< "file:line:" (or "file:") that must be named
  std::string detail;  ///< part of the message
};

// validate and run both refuse, with exit 2, naming every expected problem; run writes nothing.
void expect_refused(const fs::path& dir, const std::vector<Refusal>& expected, const std::string& config = "bank.yaml") {
  const std::string path = (dir / config).string();
  const test::CommandResult v = test::ratesim("validate " + path, dir);
  EXPECT_EQ(v.exit_code, 2) << v.err;
  const test::CommandResult r = test::ratesim("run " + path + " --device cpu --quiet --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  for (const Refusal& e : expected) {
    for (const test::CommandResult* said : {&v, &r}) {
      EXPECT_NE(said->err.find(e.where), std::string::npos) << e.where << " in\n" << said->err;
      EXPECT_NE(said->err.find(e.detail), std::string::npos) << e.detail << " in\n" << said->err;
    }
  }
  EXPECT_EQ(v.err.find("internal"), std::string::npos) << v.err;
}

TEST(InputCheck, AKeyGivenTwiceIsAnError) {
  const fs::path dir = bank("yaml-duplicate", "capital: {tier1: 1000000, tier1: 2000000}\n");
  expect_refused(dir, {{"bank.yaml:6:", "duplicate key: 'tier1' is already given on line 6"}});
  // In a nested list entry too, and in a file the configuration names.
  const fs::path named = bank("yaml-duplicate-named", "behaviours: behaviours.yaml\n");
  std::ofstream(named / "behaviours.yaml") << "- name: p\n  type: prepayment\n  cpr: 0.05\n  cpr: 0.5\n";
  expect_refused(named, {{"behaviours.yaml:4:3:", "duplicate key: 'cpr'"}});
}

TEST(InputCheck, AColumnGivenTwiceIsAnError) {
  const std::string header = std::string(test::kPositionsHeader) + ",rate\n";
  const fs::path dir = bank("csv-duplicate", "", header + std::string(kLoan).substr(0, std::string(kLoan).size() - 1) + ",0.09\n");
  const int second_rate = static_cast<int>(header.size() - std::string(",rate\n").size()) + 2;  // 1-based
  expect_refused(dir, {{"positions.csv:1:" + std::to_string(second_rate) + ":", "duplicate column: 'rate' is also column 12"}});
}

TEST(InputCheck, ScenarioNamesAndSetsGivenTwiceAreErrors) {
  const fs::path dir = bank("scenario-duplicate", "scenarios: {sets: [us, us], custom: [a.yaml, b.yaml]}\n");
  for (const char* f : {"a.yaml", "b.yaml"}) std::ofstream(dir / f) << "name: twist\nshifts: [{tenor: 1Y, bp: 50}]\n";
  expect_refused(dir, {{"bank.yaml:6:", "duplicate scenario set: 'us' is already listed"},
                       {"b.yaml:1:7:", "duplicate scenario: 'twist' is also the name of the scenario in"}});
}

TEST(InputCheck, CapletExpiriesQuotedTwiceAndEmptyCapletFilesAreErrors) {
  const std::string lmm =
      "model:\n  type: lmm\n  mean_reversion: 0.03\n  volatility: 0.01\n"
      "  lmm: {rates: 40, factors: 2, caplet_volatilities: caplets.csv}\n"
      "curve: {file: curve.csv}\nvaluation_date: 2026-06-30\n";
  const fs::path dir = test::temp_dir("check-caplets");
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,0.04\n";
  std::ofstream(dir / "sim.yaml") << lmm;
  std::ofstream(dir / "caplets.csv") << "expiry_years,black_volatility\n1,0.2\n2,0.21\n1.0,0.3\n";
  test::CommandResult v = test::ratesim("validate " + (dir / "sim.yaml").string(), dir);
  EXPECT_EQ(v.exit_code, 2) << v.err;
  EXPECT_NE(v.err.find("caplets.csv:4:1: duplicate expiry: expiry 1.0 is already quoted on line 2"), std::string::npos) << v.err;
  test::CommandResult s = test::ratesim("simulate " + (dir / "sim.yaml").string() + " --out " + (dir / "out").string(), dir);
  EXPECT_EQ(s.exit_code, 2) << s.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  for (const char* empty : {"", "expiry_years,black_volatility\n"}) {
    std::ofstream(dir / "caplets.csv") << empty;
    v = test::ratesim("validate " + (dir / "sim.yaml").string(), dir);
    EXPECT_EQ(v.exit_code, 2) << v.err;
    EXPECT_NE(v.err.find("caplets.csv:"), std::string::npos) << v.err;
    EXPECT_TRUE(v.err.find("empty file") != std::string::npos || v.err.find("no quotes") != std::string::npos) << v.err;
  }
}

// A ragged row, a bad cell, an unknown shock table, an unreadable curve and a currency without a
// curve: all in one answer.
TEST(InputCheck, EveryProblemOfEveryInputAtOnce) {
  const std::string positions = kHeader + "L0,retail,asset,fixed_loan,USD,1\n" + kLoan +
                                "L2,retail,asset,fixed_loan,USD,-5,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n"
                                "E1,retail,asset,fixed_loan,EUR,100,2025-01-15,2030-01-15,annuity,1,30/360,0.05,,,,,,,,,\n";
  const fs::path dir = bank("all-at-once", "scenarios: {bcbs368_version: \"1999\"}\nfx: {EUR: 1.1}\n", positions);
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,abc\n10Y,0.04\n";
  expect_refused(dir, {{"positions.csv:2:1:", "wrong number of cells"},
                       {"positions.csv:4:", "notional must be positive"},
                       {"curve.csv:2:", "not a number"},
                       {"bank.yaml", "unknown shock table version: '1999'"},
                       {"positions.csv:5: no curve for currency", "positions in EUR (the first on this line) need a curve"}});
}

TEST(InputCheck, LmmProblemsAreFoundBeforeAnyWork) {
  // Three factors of two forward rates: the tables cannot be built; today's run found it after EVE.
  const std::string lmm = "model:\n  type: lmm\n  mean_reversion: 0.03\n  volatility: 0.01\n  lmm: {rates: 2, factors: 3}\n";
  const fs::path dir = test::temp_dir("check-lmm");
  std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,0.04\n";
  std::ofstream(dir / "positions.csv") << kHeader << kLoan;
  std::ofstream(dir / "bank.yaml") << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\npositions: positions.csv\n" << lmm;
  expect_refused(dir, {{"bank.yaml", "invalid LMM: LMM: 1..8 factors, at most the rates"}});
  std::ofstream(dir / "sim.yaml") << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n" << lmm;
  const test::CommandResult s = test::ratesim("simulate " + (dir / "sim.yaml").string() + " --out " + (dir / "o").string(), dir);
  EXPECT_EQ(s.exit_code, 2) << s.err;
  EXPECT_NE(s.err.find("invalid LMM"), std::string::npos) << s.err;
  EXPECT_FALSE(fs::exists(dir / "o"));
  const test::CommandResult v = test::ratesim("validate " + (dir / "sim.yaml").string(), dir);
  EXPECT_EQ(v.exit_code, 2) << v.err;
  EXPECT_NE(v.err.find("invalid LMM"), std::string::npos) << v.err;
}

// Each of these ended in exit 1 with an internal message (or a number) before.
TEST(InputCheck, InputsThatUsedToFailInsideAreInputProblems) {
  {
    const fs::path dir = bank("overflowing-curve", "");
    std::ofstream(dir / "curve.csv") << "tenor,zero_rate\n1Y,0.035\n10Y,1e300\n";
    expect_refused(dir, {{"curve.csv:3:", "zero rate out of range"}});
  }
  {
    const fs::path dir = bank("huge-shift", "scenarios: {custom: [shift.yaml]}\n");
    std::ofstream(dir / "shift.yaml") << "name: huge\nshifts:\n  - {tenor: 1Y, bp: 1e300}\n";
    expect_refused(dir, {{"shift.yaml:3:", "bp must be in [-10000, 10000]"}});
  }
  {
    const fs::path dir = bank("directories", "behaviours: profiles\nscenarios: {custom: [scenario]}\n");
    fs::create_directories(dir / "profiles");
    fs::create_directories(dir / "scenario");
    expect_refused(dir, {{"profiles:", "not a file: it is a directory"}, {"scenario:", "not a file: it is a directory"}});
    fs::create_directories(dir / "config");
    const test::CommandResult r = test::ratesim("validate " + (dir / "config").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("not a file: it is a directory"), std::string::npos) << r.err;
  }
  {
    const fs::path dir = bank("long-tenor", "sensitivities: {key_rate_tenors: [1Y, 99999999999Y]}\n");
    expect_refused(dir, {{"bank.yaml:6:", "not a tenor"}});
  }
}

// The documented maximum of --paths ended in std::bad_alloc after the EVE run: now it is refused
// at the start when the per-path results would not fit in memory, with the most that would.
TEST(InputCheck, PathsBeyondMemoryAreRefusedAtTheStart) {
  const fs::path dir = bank("paths-memory", "");
  const test::CommandResult r =
      test::ratesim("run " + (dir / "bank.yaml").string() + " --device cpu --paths 2147483647 --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--paths: too many paths: 2147483647 paths keep"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at most"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  std::ofstream(dir / "sim.yaml") << "valuation_date: 2026-06-30\ncurve: {file: curve.csv}\n"
                                     "model:\n  type: lmm\n  mean_reversion: 0.03\n  volatility: 0.01\n  lmm: {rates: 40}\n";
  const test::CommandResult s = test::ratesim("simulate " + (dir / "sim.yaml").string() + " --paths 2147483647 --out " + (dir / "out").string(), dir);
  EXPECT_EQ(s.exit_code, 2) << s.err;
  EXPECT_NE(s.err.find("too many paths"), std::string::npos) << s.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

// A FIFO that no one writes: the reader waits for it, and still hears Ctrl-C within 2 seconds.
TEST(InputCheck, AFifoPositionsPathDoesNotSwallowCtrlC) {
  const fs::path dir = bank("fifo", "");
  fs::remove(dir / "positions.csv");
  ASSERT_EQ(::mkfifo((dir / "positions.csv").c_str(), 0600), 0);
  const test::Interrupted r = test::interrupt_ratesim("run bank.yaml --device cpu --out out", dir, "sleep 1");
  EXPECT_EQ(r.status, "130\n") << r.err;
  EXPECT_LT(r.milliseconds, 2000);
  EXPECT_FALSE(fs::exists(dir / "out"));
  // Written to, it is read like a file.
  const std::string feed = std::string("cd ") + dir.string() + " && (printf '%s' '" + kHeader + kLoan +
                           "' > positions.csv &) && " + RATESIM_BINARY + " validate bank.yaml > stdout.txt 2> stderr.txt";
  EXPECT_EQ(std::system(feed.c_str()), 0) << test::slurp(dir / "stderr.txt");
  EXPECT_NE(test::slurp(dir / "stdout.txt").find("valid: 1 positions"), std::string::npos);
}

}  // namespace
}  // namespace ratesim
