// BoolMatch: the documents a query matches, computed from whole posting
// lists as bitmaps, without Xapian's matcher. Counting needs only the
// match set, and a term's posting list read straight into a bitmap costs a
// few nanoseconds a document, where a match pass through Enquire visits
// each document through the postlist tree and a decider. Used where no
// weight is needed (Matcher::MatchAll: attention, sorted pages).
//
// Evaluates terms, match-all and match-nothing, AND, FILTER, OR, SYNONYM,
// MAX, XOR, AND_NOT, AND_MAYBE (its left side) and SCALE_WEIGHT; for any
// other node (phrases, NEAR and pundit's position source, wildcards, value
// ranges, elite sets) it gives nothing and the caller runs Xapian's
// matcher, so its answer is always the matcher's.
//
// Internal to the searcher library. Pure over `db`; throws what Xapian
// throws.
#ifndef PUNDIT_SEARCHER_BOOL_MATCH_H_
#define PUNDIT_SEARCHER_BOOL_MATCH_H_

#include <xapian.h>

#include <optional>

#include "searcher/snapshot.h"

namespace pundit {

// The documents of `db` that `q` matches, or nothing when `q` holds a node
// this does not evaluate. `all` is every document of `db` (match-all).
std::optional<Bitmap> BoolMatch(const Xapian::Database& db,
                                const Xapian::Query& q, const Bitmap& all);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_BOOL_MATCH_H_
