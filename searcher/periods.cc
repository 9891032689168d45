#include "searcher/periods.h"

#include <cstdio>

namespace pundit {
namespace {

// Floor division for possibly negative numerators.
int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

struct Civil {
  int y;
  unsigned m, d;
};

// The inverse of DaysFromCivil (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms").
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}

}  // namespace

std::string_view IntervalName(Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
    case Interval::kYear:
      break;
  }
  return "year";
}

std::optional<Interval> ParseInterval(std::string_view name) {
  for (Interval i :
       {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kYear}) {
    if (IntervalName(i) == name) return i;
  }
  return std::nullopt;
}

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  const int64_t yy = static_cast<int64_t>(y) - (m <= 2);
  const int64_t era = FloorDiv(yy, 400);
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t PeriodIndex(Interval interval, uint32_t date) {
  const int y = static_cast<int>(date / 10000);
  const unsigned m = date / 100 % 100, d = date % 100;
  switch (interval) {
    case Interval::kDay:
      return DaysFromCivil(y, m, d);
    case Interval::kWeek:
      // 1970-01-01 was a Thursday: day 4 (1970-01-05) starts week 1.
      return FloorDiv(DaysFromCivil(y, m, d) + 3, 7);
    case Interval::kMonth:
      return static_cast<int64_t>(y) * 12 + (m - 1);
    case Interval::kYear:
      break;
  }
  return y;
}

std::string PeriodKey(Interval interval, int64_t index) {
  char buf[32];
  switch (interval) {
    case Interval::kDay: {
      Civil c = CivilFromDays(index);
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
      break;
    }
    case Interval::kWeek: {
      // Week `index` runs from day 7 * index - 3 (a Monday) to Sunday; its
      // Thursday, day 7 * index, names its ISO week-year and number.
      const int64_t thursday = index * 7;
      Civil c = CivilFromDays(thursday);
      const int64_t week = (thursday - DaysFromCivil(c.y, 1, 1)) / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", c.y, static_cast<int>(week));
      break;
    }
    case Interval::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d",
                    static_cast<int>(FloorDiv(index, 12)),
                    static_cast<int>(index - FloorDiv(index, 12) * 12 + 1));
      break;
    case Interval::kYear:
      std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(index));
      break;
  }
  return buf;
}

}  // namespace pundit
