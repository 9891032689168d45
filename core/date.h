// The calendar, written once: leap years, days in a month, ISO dates
// ("YYYY-MM-DD") and the bounds of a date range given as a year, a month or
// a day; the date forms articles use (NormalizeDate) and the plausible range
// of an article's date. Proleptic Gregorian calendar, years 0001-9999.
//
// All functions are pure and thread-safe (LatestArticleYear reads the clock).
#ifndef PUNDIT_CORE_DATE_H_
#define PUNDIT_CORE_DATE_H_

#include <optional>
#include <string>
#include <string_view>

namespace pundit {

// True for a Gregorian leap year (2000 and 2024, not 1900 or 2023).
bool IsLeapYear(int year);

// 28..31 for `month` 1..12 of `year`; 0 for a month outside 1..12.
int DaysInMonth(int year, int month);

// True for exactly "YYYY-MM-DD" naming a real day, year 0001-9999
// ("2019-02-29" is false, "2020-02-29" true, "2020-2-1" false).
bool IsValidIsoDate(std::string_view text);

// The first (upper false) or last (upper true) day of the period `text`
// names, as "YYYYMMDD": "2019" -> 20190101 / 20191231, "2019-02" ->
// 20190201 / 20190228, "2019-02-14" -> 20190214 either way. nullopt for
// anything else: other shapes, year 0000, month 13, an impossible day.
std::optional<std::string> DateBound(std::string_view text, bool upper);

// Normalises a date to "YYYY-MM-DD", the calendar date as written (no time
// zone shifting). Accepted: YYYY-MM-DD and YYYY/MM/DD, each alone or with a
// time ("2016-12-31T23:10:00.123+05:30", "2016-12-31 23:10", "2016/12/31
// 10:00:00 UTC"); "January 31, 2019", "Jan 31 2019", "31 January 2019",
// each optionally after a weekday and before a time ("December 31, 2016
// 10:00 AM"); RFC 822/1123/2822 ("Sat, 31 Dec 2016 10:00:00 +0000", "31
// Dec 2016 10:00:00 GMT"); digits alone as dumps write them: "20161231"
// (YYYYMMDD), "20161231101500" (YYYYMMDDhhmmss), a Unix time in seconds (9
// or 10 digits, "1483179300", optionally with a fraction) or milliseconds
// (12 or 13 digits), read as its UTC date. Returns "" and sets *error (if
// non-null) to a message for text that is not such a date, has an impossible
// time of day (hours 0-23, minutes 0-59, seconds 0-60) or is an impossible date
// (2019-02-30, year 0).
std::string NormalizeDate(std::string_view text, std::string* error);

// The plausible range of an article's date: from 1800-01-01 to the end of
// next year (LatestArticleYear()). A date outside it is a typing or
// conversion slip (0001-01-01 for "no date", 9999-12-31, a year from the
// wrong column), and one such date stretches every timeline over
// centuries. NormalizeDate accepts any calendar date; the readers
// (readers::CheckDates, applied by readers::OpenInput) skip an article
// dated outside this range.
inline constexpr int kEarliestArticleYear = 1800;

// The current year (UTC) plus one: the last year an article may be dated
// (a date-line a little ahead of the clock, a time zone ahead of UTC).
int LatestArticleYear();

// "" when `date` ("YYYY-MM-DD", as NormalizeDate returns it, or "" for no
// date) lies within kEarliestArticleYear-01-01..`latest_year`-12-31; else
// the message of a ParseError: "date 0001-01-01 is outside
// 1800-01-01..2026-12-31; fix the date or leave it out".
std::string DateOutsideRangeError(std::string_view date, int latest_year);

}  // namespace pundit

#endif  // PUNDIT_CORE_DATE_H_
