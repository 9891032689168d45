// The filters of a search request: its facet selections and its date range,
// resolved against a snapshot into a bitmap of the documents they admit and
// into the same restriction as a Xapian boolean filter (for matches that
// run on shard servers, which have no bitmaps). Internal to the searcher
// library; the second stage of a search, after compiling the query
// (query::ParseAndCompile) and before the match set (searcher/matcher.h).
//
// Pure functions of their arguments; a RequestFilters refers to the
// snapshot it was resolved against, which must outlive it. Not thread-safe
// only in that Analyzer is not.
#ifndef PUNDIT_SEARCHER_FILTERS_H_
#define PUNDIT_SEARCHER_FILTERS_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "searcher/searcher.h"
#include "searcher/snapshot.h"

namespace pundit {

// One facet's selected values, resolved against the snapshot.
struct Selection {
  const FacetIndex* facet = nullptr;
  std::vector<std::string> shown;  // the values to list as selected
  std::vector<int> ids;            // their value ids (-1: no such value)
  Bitmap docs;                     // documents carrying any of them
  Xapian::Query query;             // the same as a boolean filter
};

struct RequestFilters {
  // One per facet with a selection, in schema::kFacets order.
  std::vector<Selection> selections;
  // Documents dated within from..to; none without a date range.
  std::optional<Bitmap> dated;
  // The same range on the date value slot; empty without a range.
  Xapian::Query date_query;
  // The documents every filter admits (the date range AND each
  // selection); none when the request has no filter.
  std::optional<Bitmap> docs;

  // `match` under every filter.
  Bitmap Apply(const Bitmap& match) const;
  // `match` under every filter but `own`'s (one of `selections`, or null
  // for all of them): the base of a disjunctive facet's counts.
  Bitmap AllBut(const Bitmap& match, const Selection* own) const;
  // `text` (every document when empty) restricted by every filter as
  // Xapian boolean filters: the match set of a request as one query.
  Xapian::Query Restrict(const Xapian::Query& text) const;
};

// Resolves request.filters, from and to. A value is looked up exactly,
// else as every value equal to it but for case and accents
// (Analyzer::FoldKey); a value naming nothing selects no document. The
// request must have passed Searcher::Search's checks (known facet names,
// valid dates): nothing here fails.
RequestFilters ResolveFilters(const SearchRequest& request,
                              const Snapshot& snap, Analyzer& analyzer);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_FILTERS_H_
