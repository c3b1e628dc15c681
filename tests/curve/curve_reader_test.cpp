// Every bad-curve rule: the error names the file, line, column and the rule.

#include <gtest/gtest.h>

#include <fstream>

#include "ratesim/curve/curve_reader.hpp"
#include "ratesim/io/input_error.hpp"
#include "test_support.hpp"

namespace ratesim {
namespace {

std::vector<InputIssue> curve_issues(const std::string& name, const std::string& contents) {
  const auto dir = test::temp_dir("curve-rules");
  const auto path = dir / name;
  std::ofstream(path) << contents;
  CurveInputSpec spec;
  spec.file = path.string();
  spec.valuation_date = make_date(2026, 6, 30);
  try {
    read_curve_csv(spec);
  } catch (const InputError& e) {
    for (const InputIssue& issue : e.issues()) EXPECT_EQ(issue.file, spec.file);
    return e.issues();
  }
  ADD_FAILURE() << "no error for " << name;
  return {};
}

TEST(CurveRules, EmptyFile) {
  const auto issues = curve_issues("empty.csv", "");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].rule, "empty file");
  const auto header_only = curve_issues("header.csv", "tenor,zero_rate\n");
  ASSERT_EQ(header_only.size(), 1u);
  EXPECT_EQ(header_only[0].rule, "empty file");
}

TEST(CurveRules, MissingColumn) {
  const auto issues = curve_issues("missing.csv", "tenor\n1\n");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].rule, "missing column");
  EXPECT_EQ(issues[0].line, 1);
  const auto no_tenor = curve_issues("no_tenor.csv", "maturity,zero_rate\n1,0.03\n");
  ASSERT_EQ(no_tenor.size(), 2u);  // tenor missing, and 'maturity' is not a known column
  EXPECT_EQ(no_tenor[0].rule, "missing column");
  EXPECT_EQ(no_tenor[1].rule, "unknown column");
  EXPECT_EQ(no_tenor[1].column, 1);
}

TEST(CurveRules, NonIncreasingTenors) {
  const auto issues = curve_issues("order.csv", "tenor,zero_rate\n1,0.03\n3,0.03\n2,0.03\n2,0.03\n");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].rule, "non-increasing tenors");
  EXPECT_EQ(issues[0].line, 4);
  EXPECT_EQ(issues[0].column, 1);
  EXPECT_NE(issues[0].detail.find("line 3"), std::string::npos) << issues[0].detail;
  EXPECT_EQ(issues[1].line, 5);
}

TEST(CurveRules, NonPositiveDiscountFactor) {
  const auto issues = curve_issues("df.csv", "tenor,discount_factor\n1,0.97\n2,0\n3,-0.5\n");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].rule, "non-positive discount factor");
  EXPECT_EQ(issues[0].line, 3);
  EXPECT_EQ(issues[0].column, 3);
  EXPECT_EQ(issues[1].line, 4);
}

TEST(CurveRules, NanOrTextInANumberField) {
  const auto issues =
      curve_issues("text.csv", "tenor,zero_rate\n1,nan\n2,abc\n3,inf\n4,0.03x\n5,0.03\n");
  ASSERT_EQ(issues.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(issues[i].rule, "not a number");
    EXPECT_EQ(issues[i].line, i + 2);
    EXPECT_EQ(issues[i].column, 3);
  }
  const auto bad_tenor = curve_issues("tenor.csv", "tenor,zero_rate\nten,0.03\n");
  ASSERT_EQ(bad_tenor.size(), 1u);
  EXPECT_EQ(bad_tenor[0].rule, "not a tenor");
}

TEST(CurveRules, NonPositiveTenorAndRaggedRows) {
  const auto zero = curve_issues("zero.csv", "tenor,zero_rate\n0,0.03\n");
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0].rule, "non-positive tenor");
  const auto ragged = curve_issues("ragged.csv", "tenor,zero_rate\n1,0.03,7\n");
  ASSERT_EQ(ragged.size(), 1u);
  EXPECT_EQ(ragged[0].rule, "wrong number of cells");
  EXPECT_EQ(ragged[0].line, 2);
}

TEST(CurveRules, ARaggedRowHidesNoOtherProblem) {
  const auto issues = curve_issues("ragged.csv", "tenor,zero_rate\n1,0.03,7\n2,abc\n3,0.03\n");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].rule, "wrong number of cells");
  EXPECT_EQ(issues[0].line, 2);
  EXPECT_EQ(issues[1].rule, "not a number");
  EXPECT_EQ(issues[1].line, 3);
}

TEST(CurveRules, DuplicateColumnsAndAbsurdValuesAreRefused) {
  const auto twice = curve_issues("twice.csv", "tenor,zero_rate,zero_rate\n1,0.03,0.04\n");
  ASSERT_FALSE(twice.empty());
  EXPECT_EQ(twice[0].rule, "duplicate column");
  EXPECT_EQ(twice[0].column, 17);
  // A rate in percent, a discount factor that underflows, a tenor whose day count would overflow.
  const auto absurd = curve_issues("absurd.csv", "tenor,zero_rate\n1Y,3.5\n2Y,1e300\n99999999999Y,0.03\n300,0.03\n");
  ASSERT_EQ(absurd.size(), 4u);
  EXPECT_EQ(absurd[0].rule, "zero rate out of range");
  EXPECT_EQ(absurd[1].rule, "zero rate out of range");
  EXPECT_EQ(absurd[2].rule, "not a tenor");
  EXPECT_EQ(absurd[3].rule, "out of range");
}

TEST(CurveRules, MessageFormat) {
  const InputIssue issue{"curve.csv", 4, 3, "not a number", "zero_rate 'abc'"};
  EXPECT_EQ(issue.format(), "curve.csv:4:3: not a number: zero_rate 'abc'");
}

}  // namespace
}  // namespace ratesim
