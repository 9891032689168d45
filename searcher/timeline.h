// The timeline of a search: how many matches fall in each month, year,
// decade or century between the first and the last dated match. Internal to
// the searcher library (SearchResponse::timeline, docs/API.md "timeline").
//
// The unit is the finest one that keeps the buckets within bounds:
//   month    the dated matches span at most kTimelineMaxMonths months;
//   year     else, at most kTimelineMaxBuckets years;
//   decade   else, at most kTimelineMaxBuckets decades;
//   century  else (years 1..9999 make at most 100 centuries).
// So whatever the dates in an index (an old one may hold 0001 and 9999),
// a timeline never has more than kTimelineMaxBuckets buckets.
//
// A pure function; thread-safe.
#ifndef PUNDIT_SEARCHER_TIMELINE_H_
#define PUNDIT_SEARCHER_TIMELINE_H_

#include <map>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace pundit {

// More months than this between the first and last match: a coarser unit.
inline constexpr int kTimelineMaxMonths = 120;
// The most buckets a timeline has, whatever the span of its dates.
inline constexpr int kTimelineMaxBuckets = 200;

// From `by_month` (yyyymm, e.g. 201901, -> number of matches; a key whose
// year is not 1..9999 or whose month is not 1..12 is ignored, as are
// counts of 0 or less) fills *unit with "month", "year", "decade" or
// "century" and *buckets with one bucket per unit from the one holding the
// first month to the one holding the last, in date order, empty ones
// included with a count of 0. Keys: "2019-01" (month), "2019" (year), the
// first year of a decade ("2010") or of a century ("1900"; "0000" for
// years 1 to 99), four digits. No month counted: unit "month" and no
// buckets.
void BuildTimeline(const std::map<int, long>& by_month, std::string* unit,
                   std::vector<TimelineBucket>* buckets);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_TIMELINE_H_
