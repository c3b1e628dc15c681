#include "ratesim/time/date.hpp"

#include <cstdio>

namespace ratesim {

std::optional<Date> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) {
    return std::nullopt;
  }
  return make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_iso_date(Date date) {
  const CivilDate c = to_civil(date);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buffer;
}

std::optional<DayCount> parse_day_count(std::string_view text) {
  if (text == "ACT/365F") return DayCount::kAct365Fixed;
  if (text == "ACT/360") return DayCount::kAct360;
  if (text == "30/360") return DayCount::kThirty360;
  return std::nullopt;
}

const char* day_count_name(DayCount dc) {
  switch (dc) {
    case DayCount::kAct365Fixed: return "ACT/365F";
    case DayCount::kAct360: return "ACT/360";
    case DayCount::kThirty360: return "30/360";
  }
  return "?";
}

}  // namespace ratesim
