// Calendar periods for attention over time: days, ISO 8601 weeks, months
// and years, numbered so that consecutive periods have consecutive indexes
// and named by the keys docs/API.md gives ("2019-03-04", "2019-W10",
// "2019-03", "2019"). Proleptic Gregorian calendar, years 1..9999.
//
// Pure functions; thread-safe.
#ifndef PUNDIT_SEARCHER_PERIODS_H_
#define PUNDIT_SEARCHER_PERIODS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pundit {

enum class Interval { kDay, kWeek, kMonth, kYear };

// "day", "week", "month" or "year".
std::string_view IntervalName(Interval interval);
// The interval a name gives, or nullopt for any other text.
std::optional<Interval> ParseInterval(std::string_view name);

// Days from 1970-01-01 to the date y-m-d (negative before it).
int64_t DaysFromCivil(int y, unsigned m, unsigned d);

// The index of the period holding `date` (YYYYMMDD as a number, e.g.
// 20190304; must be a valid date). Weeks start on Monday; the week of a
// date is that of its Thursday (ISO 8601), so 2019-12-30 is in 2020-W01.
int64_t PeriodIndex(Interval interval, uint32_t date);

// The key of period `index`: "2019-03-04", "2019-W10" (the ISO week-year,
// which differs from the calendar year around New Year), "2019-03",
// "2019".
std::string PeriodKey(Interval interval, int64_t index);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_PERIODS_H_
