// Stage "facets and timeline" of a search: exact counts from the bitmaps of
// a snapshot, whatever the size of the match set. Internal to the searcher
// library.
//
// Pure functions of their arguments; thread-safe.
#ifndef PUNDIT_SEARCHER_FACET_COUNTS_H_
#define PUNDIT_SEARCHER_FACET_COUNTS_H_

#include <string>
#include <utility>
#include <vector>

#include "searcher/filters.h"
#include "searcher/matcher.h"
#include "searcher/searcher.h"
#include "searcher/snapshot.h"

namespace pundit {

// Every facet of schema::kFacets, in that order, with its `limit` values of
// highest count within m.filtered, by count descending then value. A facet
// with a selection is counted over m.match under every other filter (the
// disjunctive rule), and lists its selected values (selected = true) even
// when they are beyond `limit` or count 0.
std::vector<std::pair<std::string, std::vector<FacetValue>>> CountFacets(
    const Snapshot& snap, const RequestFilters& filters, const MatchSet& m,
    int limit);

// The timeline of `docs` (searcher/timeline.h): *unit and *buckets.
void CountTimeline(const Snapshot& snap, const Bitmap& docs, std::string* unit,
                   std::vector<TimelineBucket>* buckets);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_FACET_COUNTS_H_
