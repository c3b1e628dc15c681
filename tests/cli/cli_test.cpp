// The `ratesim` binary as a user runs it: exit codes, messages, and what lands on disk.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.hpp"

namespace ratesim {
namespace {

namespace fs = std::filesystem;

TEST(Cli, Version) {
  const auto dir = test::temp_dir("cli-version");
  const test::CommandResult r = test::ratesim("--version", dir);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("ratesim 0.1.0", 0), 0u) << r.out;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  const auto dir = test::temp_dir("cli-usage");
  EXPECT_EQ(test::ratesim("simulate", dir).exit_code, 2);
  EXPECT_EQ(test::ratesim("simulate x.yaml --device tpu", dir).exit_code, 2);
  EXPECT_EQ(test::ratesim("frobnicate", dir).exit_code, 2);
}

TEST(Cli, SimulateWritesTheSummary) {
  const auto dir = test::temp_dir("cli-simulate");
  const fs::path out = dir / "run";
  const test::CommandResult r =
      test::ratesim("simulate " + test::source_path("scenarios/examples/hull_white_usd.yaml") +
                  " --device cpu --paths 4096 --seed 5 --out " + out.string(),
              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* file : {"summary.json", "discount_factors.csv", "short_rate.csv"}) {
    EXPECT_TRUE(fs::exists(out / file)) << file;
  }
  const auto summary = nlohmann::json::parse(test::slurp(out / "summary.json"));
  EXPECT_EQ(summary["run"]["backend"], "cpu");
  EXPECT_EQ(summary["run"]["paths"], 4096);
  EXPECT_EQ(summary["run"]["seed"], 5);
  EXPECT_EQ(summary["run"]["valuation_date"], "2026-06-30");
  ASSERT_EQ(summary["discount_factors"].size(), 121u);
  EXPECT_EQ(summary["discount_factors"][12]["date"], "2027-06-30");
  EXPECT_TRUE(summary["short_rate"][60]["quantiles"].contains("0.99"));
  EXPECT_NE(r.out.find("E[D(0,t)]"), std::string::npos);

  // A second run replaces the first and leaves no staging folders behind.
  ASSERT_EQ(test::ratesim("simulate " + test::source_path("scenarios/examples/hull_white_usd.yaml") +
                        " --device cpu --paths 2048 --out " + out.string(),
                    dir).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(test::slurp(out / "summary.json"))["run"]["paths"], 2048);
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".run."), std::string::npos) << entry.path();
  }
}

// Each bad-curve rule through the CLI: the message names file:line:column and the rule, the exit
// code is 2 and the output folder is not created.
TEST(Cli, BadCurvesExitWithTwoAndWriteNothing) {
  struct Case {
    std::string name, contents, expected;
  };
  const std::vector<Case> cases{
      {"empty", "", "empty.csv: empty file"},
      {"missing", "tenor,rate\n1,0.03\n", "missing.csv:1:1: missing column"},
      {"order", "tenor,zero_rate\n2,0.03\n1,0.03\n", "order.csv:3:1: non-increasing tenors"},
      {"negative", "tenor,discount_factor\n1,-0.9\n", "negative.csv:2:3: non-positive discount factor"},
      {"nan", "tenor,zero_rate\n1,NaN\n", "nan.csv:2:3: not a number"},
      {"text", "tenor,zero_rate\n1,three\n", "text.csv:2:3: not a number"},
  };
  for (const Case& c : cases) {
    const auto dir = test::temp_dir("cli-curve-" + c.name);
    std::ofstream(dir / (c.name + ".csv")) << c.contents;
    std::ofstream(dir / "run.yaml") << "valuation_date: 2026-06-30\ncurve: {file: " << c.name
                                    << ".csv}\nmodel: {type: hull_white, mean_reversion: 0.03, "
                                       "volatility: 0.01}\n";
    const test::CommandResult r =
        test::ratesim("simulate " + (dir / "run.yaml").string() + " --out " + (dir / "out").string(), dir);
    EXPECT_EQ(r.exit_code, 2) << c.name;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << c.name;
    EXPECT_FALSE(fs::exists(dir / "out")) << c.name;
  }
}

TEST(Cli, BadConfigExitsWithTwo) {
  const auto dir = test::temp_dir("cli-config");
  std::ofstream(dir / "run.yaml") << "valuation_date: 2026-06-30\nmodle: {}\n";
  const test::CommandResult r = test::ratesim("simulate " + (dir / "run.yaml").string() + " --out " +
                                      (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run.yaml:2:1: unknown key: 'modle'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(Cli, GpuDemandedWithoutOneIsAnError) {
  if (std::system("nvidia-smi -L > /dev/null 2>&1") == 0) GTEST_SKIP() << "this machine has a GPU";
  const auto dir = test::temp_dir("cli-gpu");
  const test::CommandResult r = test::ratesim("simulate " + test::source_path("scenarios/examples/hull_white_usd.yaml") +
                                      " --device gpu --paths 1024 --out " + (dir / "out").string(), dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--device gpu"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace
}  // namespace ratesim
