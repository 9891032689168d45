// Groups of syndicated copies: articles whose texts are near-identical
// (estimated resemblance >= dedup::kCopyResemblance, core/dedup.h) share a
// group key, stored in schema::kGroupValue and as a schema::kGroupPrefix
// term, which the searcher collapses on.
//
// Candidates come from the index itself, through the band terms every
// document with a signature holds, so an incremental run finds the copies
// that earlier runs stored; each candidate pair is verified with the
// signatures stored in schema::kSignatureValue. Verified pairs are joined
// transitively into groups.
//
// Keys: a new group's key is schema::HashHex of the least signature of its
// members when it forms, so it depends on content, not on document ids
// (exact copies get the same key in every shard of a cluster). A member
// keeps its key for as long as it is stored unchanged; an article that
// joins an existing group takes that group's key (the least one, when it
// is a copy of members of two groups, which stay apart otherwise).
// Deleting any member, the first included, leaves the others grouped under
// the same key; an article whose text changes is grouped afresh.
//
// Not thread-safe: call it from the thread that writes `db`, inside its
// open transaction or not. Throws what Xapian throws.
#ifndef PUNDIT_INDEXER_COPY_GROUPS_H_
#define PUNDIT_INDEXER_COPY_GROUPS_H_

#include <xapian.h>

#include <vector>

namespace pundit::indexer {

struct CopyGroupCounts {
  long pairs_checked = 0;   // candidate pairs whose signatures were compared
  long copies_found = 0;    // of them, with resemblance >= the threshold
  long articles_keyed = 0;  // documents given a group key
};

// Groups the documents `docs` (sorted or not; documents without a
// signature are ignored) with their copies anywhere in `db`, writing the
// key into every document of a group that has none yet. A document that
// already has a key keeps it.
CopyGroupCounts GroupCopiesOf(Xapian::WritableDatabase& db,
                              const std::vector<Xapian::docid>& docs);

// The same for every document of `db` (a new generation, before it goes
// live): reads the band terms in order rather than per document.
CopyGroupCounts GroupAllCopies(Xapian::WritableDatabase& db);

}  // namespace pundit::indexer

#endif  // PUNDIT_INDEXER_COPY_GROUPS_H_
