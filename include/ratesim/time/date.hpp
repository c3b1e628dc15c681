#pragma once
// Calendar dates and day counts. The arithmetic is RATESIM_HD so kernels can walk payment
// schedules from integer day numbers; parsing and formatting are host only.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ratesim/core.hpp"

namespace ratesim {

/// A calendar date as days since 1970-01-01 (proleptic Gregorian).
struct Date {
  std::int32_t days = 0;
  friend constexpr bool operator==(Date, Date) = default;
  friend constexpr auto operator<=>(Date, Date) = default;
};

struct CivilDate {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days.
RATESIM_HD constexpr Date make_date(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{era * 146097 + static_cast<int>(doe) - 719468};
}

RATESIM_HD constexpr CivilDate to_civil(Date date) {
  const int z = date.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2), m, d};
}

RATESIM_HD constexpr bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

RATESIM_HD constexpr unsigned days_in_month(int y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29u : kDays[m - 1];
}

RATESIM_HD constexpr bool is_end_of_month(Date date) {
  const CivilDate c = to_civil(date);
  return c.day == days_in_month(c.year, c.month);
}

/// `date` moved by `months`; the day is clipped to the month's length, and a date at the end
/// of its month stays at the end of the month (the usual end-of-month roll convention).
/// The same from the date's civil form (schedules keep their start's, so each date costs one
/// conversion instead of three).
RATESIM_HD constexpr CivilDate add_months_civil(const CivilDate& c, int months) {
  const int total = c.year * 12 + static_cast<int>(c.month) - 1 + months;
  const int y = total >= 0 ? total / 12 : (total - 11) / 12;
  const unsigned m = static_cast<unsigned>(total - y * 12) + 1;
  const unsigned last = days_in_month(y, m);
  const bool end_of_month = c.day == days_in_month(c.year, c.month);
  return CivilDate{y, m, end_of_month || c.day > last ? last : c.day};
}

RATESIM_HD constexpr Date add_months(const CivilDate& c, int months) {
  const CivilDate moved = add_months_civil(c, months);
  return make_date(moved.year, moved.month, moved.day);
}

RATESIM_HD constexpr Date add_months(Date date, int months) { return add_months(to_civil(date), months); }

/// Parses an ISO 8601 calendar date YYYY-MM-DD; nullopt if it is not one.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date date);

enum class DayCount : std::uint8_t { kAct365Fixed, kAct360, kThirty360 };

/// "ACT/365F", "ACT/360" or "30/360"; nullopt for anything else.
std::optional<DayCount> parse_day_count(std::string_view text);
const char* day_count_name(DayCount dc);

/// Days between two dates on the 30/360 ISDA bond basis.
RATESIM_HD constexpr int thirty_360_days(const CivilDate& a, const CivilDate& b) {
  const int d1 = a.day > 30 ? 30 : static_cast<int>(a.day);
  const int d2 = (b.day == 31 && d1 == 30) ? 30 : static_cast<int>(b.day);
  return 360 * (b.year - a.year) + 30 * (static_cast<int>(b.month) - static_cast<int>(a.month)) + (d2 - d1);
}

/// Year fraction between two day numbers under a day count (30/360 is the ISDA bond basis: a
/// 31st counts as the 30th; the end date's 31st only when the start date is the 30th or 31st).
RATESIM_HD constexpr double year_fraction(DayCount dc, std::int32_t from, std::int32_t to) {
  switch (dc) {
    case DayCount::kAct365Fixed: return (to - from) / 365.0;
    case DayCount::kAct360: return (to - from) / 360.0;
    case DayCount::kThirty360: return thirty_360_days(to_civil(Date{from}), to_civil(Date{to})) / 360.0;
  }
  return 0.0;
}

/// The same with both dates' calendar forms at hand (schedules have them): no conversion.
RATESIM_HD constexpr double year_fraction(DayCount dc, std::int32_t from, const CivilDate& from_civil,
                                          std::int32_t to, const CivilDate& to_civil_date) {
  return dc == DayCount::kThirty360 ? thirty_360_days(from_civil, to_civil_date) / 360.0 : year_fraction(dc, from, to);
}

RATESIM_HD constexpr double year_fraction(DayCount dc, Date from, Date to) {
  return year_fraction(dc, from.days, to.days);
}

/// Whole months from `from` to `to` by calendar month number (the day of month is ignored).
RATESIM_HD constexpr int months_between(Date from, Date to) {
  const CivilDate a = to_civil(from), b = to_civil(to);
  return (b.year - a.year) * 12 + static_cast<int>(b.month) - static_cast<int>(a.month);
}

}  // namespace ratesim
