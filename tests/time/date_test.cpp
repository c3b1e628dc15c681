#include "ratesim/time/date.hpp"

#include <gtest/gtest.h>

namespace ratesim {

TEST(Date, RoundTripsThroughCivilDates) {
  for (int days = -800000; days <= 800000; days += 997) {
    const CivilDate c = to_civil(Date{days});
    EXPECT_EQ(make_date(c.year, c.month, c.day).days, days);
  }
  EXPECT_EQ(make_date(1970, 1, 1).days, 0);
  EXPECT_EQ(make_date(2000, 3, 1).days - make_date(2000, 2, 28).days, 2);  // 2000 is leap
}

TEST(Date, ParsesAndFormatsIso) {
  EXPECT_EQ(format_iso_date(*parse_iso_date("2026-06-30")), "2026-06-30");
  EXPECT_FALSE(parse_iso_date("2026-02-29"));
  EXPECT_FALSE(parse_iso_date("2026-13-01"));
  EXPECT_FALSE(parse_iso_date("2026/06/30"));
  EXPECT_FALSE(parse_iso_date("26-06-30"));
}

TEST(Date, AddMonthsRollsToMonthEnd) {
  EXPECT_EQ(add_months(make_date(2026, 1, 31), 1), make_date(2026, 2, 28));
  EXPECT_EQ(add_months(make_date(2026, 2, 28), 1), make_date(2026, 3, 31));  // month end stays
  EXPECT_EQ(add_months(make_date(2026, 6, 15), 18), make_date(2027, 12, 15));
  EXPECT_EQ(add_months(make_date(2026, 3, 31), -1), make_date(2026, 2, 28));
  EXPECT_EQ(add_months(make_date(2024, 1, 30), 1), make_date(2024, 2, 29));
}

TEST(Date, DayCounts) {
  const Date a = make_date(2026, 1, 31), b = make_date(2026, 7, 31);
  EXPECT_DOUBLE_EQ(year_fraction(DayCount::kAct365Fixed, a, b), 181.0 / 365.0);
  EXPECT_DOUBLE_EQ(year_fraction(DayCount::kAct360, a, b), 181.0 / 360.0);
  EXPECT_DOUBLE_EQ(year_fraction(DayCount::kThirty360, a, b), 0.5);
  // 30/360 bond basis: an end date on the 31st counts as the 31st unless the start is the 30th+.
  EXPECT_DOUBLE_EQ(year_fraction(DayCount::kThirty360, make_date(2026, 1, 15), make_date(2026, 3, 31)),
                   76.0 / 360.0);
  EXPECT_EQ(parse_day_count("ACT/365F"), DayCount::kAct365Fixed);
  EXPECT_FALSE(parse_day_count("ACT/ACT"));
}

}  // namespace ratesim
