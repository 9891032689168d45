// Collapsing syndicated copies (indexer/copy_groups.h): one hit per group of
// copies, its best-ranked member, with the others listed as its copies.
// Internal to the searcher library.
//
// How a page stays exact: the first k groups of a ranked list are among its
// first k + ExtraCopies(set) entries, where `set` holds every article the
// list may contain (each group adds at most its members in `set` but one
// before its own first entry). So a search asks the ranking stage for
// offset + per_page + ExtraCopies entries, from 0, and CollapsePage cuts
// the page out of them. Deep pages of a set with many copies cost more.
//
// Groups are read from the Snapshot (its groups() facet), so over shards
// copies sharing a key collapse whichever shard holds them.
//
// Pure functions over immutable data: thread-safe.
#ifndef PUNDIT_SEARCHER_COLLAPSE_H_
#define PUNDIT_SEARCHER_COLLAPSE_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "searcher/snapshot.h"

namespace pundit {

// The articles of `set` beyond the first of each group:
// |set| - (groups in set) - (articles of set in no group) as a count.
uint64_t ExtraCopies(const FacetIndex& groups, const Bitmap& set);

// The group of document `did` (a value id of `groups`), or -1.
int64_t GroupOf(const FacetIndex& groups, uint32_t did);

// Positions in `ranked` (document ids, best first) of the first entry of
// each group and of every ungrouped entry, from the `offset`th such entry,
// at most `count` of them.
std::vector<size_t> CollapsePage(const FacetIndex& groups,
                                 const std::vector<uint32_t>& ranked,
                                 uint64_t offset, uint64_t count);

// `set` with each group counted once: every article of `set` in no group,
// and of each group's members in `set` the first by `date_of` (a YYYYMMDD
// number, 0 for undated, which come last), then by docid: the first
// publication of a syndicated piece.
Bitmap FirstOfEachGroup(const FacetIndex& groups, const Bitmap& set,
                        const std::function<uint32_t(uint32_t)>& date_of);

// The other members of `did`'s group that are in `set`, by docid; empty
// when it has no group.
std::vector<uint32_t> CopiesIn(const FacetIndex& groups, const Bitmap& set,
                               uint32_t did);

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_COLLAPSE_H_
