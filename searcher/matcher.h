// Matcher: the match passes of a search over one index or over shards.
// Internal to the searcher library. Two stages of a search live here:
//
//   the match set  Match(): every document the compiled query matches, and
//                  the same under the request's filters (searcher/filters.h);
//                  ranked by relevance, one BM25 pass also ranks the best
//                  documents under the filters (on one index, and over
//                  shard servers through the match list spy);
//   rank a page    RankPage(): the documents [offset, offset + count) of
//                  the filtered match set in a sort order.
//
// Whether an index is one local generation (IndexHandle::local()) or
// shards decides how each is computed; that decision is taken here and
// nowhere else. Every answer is the same either way.
//
// Ownership and threads: a Matcher refers to its Searcher's options,
// IndexHandle and Database (which must outlive it) and owns the helper
// handles a split pass reads with. Not thread-safe: one Searcher uses it
// from one thread at a time; a split pass runs its own threads, each on its
// own handle, and joins them before returning. Methods throw what Xapian
// throws (the Searcher reopens and retries).
#ifndef PUNDIT_SEARCHER_MATCHER_H_
#define PUNDIT_SEARCHER_MATCHER_H_

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/filters.h"
#include "searcher/index_handle.h"
#include "searcher/searcher.h"
#include "searcher/snapshot.h"

namespace pundit {

// A ranked document: its weight (BM25, 0 when unranked) and docid.
struct RankedDoc {
  double weight;
  Xapian::docid did;
};

// The match set of a request.
struct MatchSet {
  Bitmap match;     // every document the text query matches
  Bitmap filtered;  // `match` under every filter
  // True when `best` holds the best documents of `filtered` by relevance,
  // best first, as many as Match() was asked to keep (or all of them).
  bool ranked = false;
  std::vector<RankedDoc> best;
  // The stored data of documents of `best` that came with the match (over
  // shard servers, a page's worth: MatchListSpy), by docid; read the others.
  std::unordered_map<Xapian::docid, std::string> carried;
};

// The BM25 weighting of every ranked pass (parameters in matcher.cc).
Xapian::BM25Weight MakeBm25();

// Ranks `matches` (or fewer) documents and returns [first, first + count),
// visiting every match so that Xapian 1.4 loses none (matcher.cc).
Xapian::MSet RankedPage(Xapian::Enquire& enquire, Xapian::doccount first,
                        Xapian::doccount count, Xapian::doccount matches);

class Matcher {
 public:
  // Receives the term frequencies a match over shards gathered from every
  // shard, so that the Searcher need not ask for them again.
  using TermFreqSink =
      std::function<void(const Xapian::Query&, const Xapian::MSet&)>;

  Matcher(const SearcherOptions& options, IndexHandle& handle,
          Xapian::Database& db, TermFreqSink keep_termfreqs);

  // Stage "the match set": the documents `text` matches (every document
  // of `snap` when `text` is empty) and those of them `filters` admit.
  // With sort kRelevance on one index or over shard servers, one BM25
  // pass also keeps the best
  // `keep` of the filtered matches (MatchSet::ranked); otherwise nothing
  // is ranked here and RankPage ranks.
  // Over shard servers the first `carry` of the best come with their
  // stored data (MatchSet::carried): the documents a page will show.
  MatchSet Match(const Xapian::Query& text, const RequestFilters& filters,
                 SortOrder sort, uint64_t keep, const Snapshot& snap,
                 uint64_t carry = 0);

  // Stage "rank a page": documents [offset, offset + count) of
  // m.filtered in `sort` order (relevance: weight, then docid; newest or
  // oldest: date, undated last, then weight, then docid). `text`,
  // `filters` and `sort` must be those m was matched with; kept = m.best
  // when m.ranked. Empty beyond the last match.
  std::vector<RankedDoc> RankPage(const Xapian::Query& text,
                                  const RequestFilters& filters,
                                  const MatchSet& m, SortOrder sort,
                                  uint64_t offset, uint64_t count);

  // Every document `q` matches (every document of `snap` when empty).
  Bitmap MatchAll(const Xapian::Query& q, const Snapshot& snap);

  // Handles on the revision `db` reads, for reading in parallel: `db`
  // first, then one helper per further match thread (MatchThreads); `db`
  // alone over shards, with one thread, or when a commit has landed since
  // `db` was opened. Each may be used by one thread at a time until the
  // next call.
  std::vector<Xapian::Database*> RevisionHandles();

 private:
  struct PassPart;

  Bitmap RankPass(const Xapian::Query& q, const Bitmap* filter, size_t keep,
                  std::vector<RankedDoc>& best);
  Bitmap ShardsRankPass(
      const Xapian::Query& q, const Bitmap* filter, size_t keep,
      std::vector<RankedDoc>& best, size_t carry = 0,
      std::unordered_map<Xapian::docid, std::string>* carried = nullptr);
  std::vector<RankedDoc> ShardsRankedPage(const Xapian::Query& q,
                                          Xapian::doccount offset,
                                          Xapian::doccount count,
                                          Xapian::doccount matches);
  std::vector<RankedDoc> ShardsOldestPage(const Xapian::Query& q,
                                          Xapian::doccount offset,
                                          Xapian::doccount count);
  std::vector<RankedDoc> DatePage(const Xapian::Query& q, bool newest,
                                  Xapian::doccount offset,
                                  Xapian::doccount count,
                                  Xapian::doccount matches);
  static std::vector<uint32_t> Concatenated(std::vector<PassPart>& parts);
  template <typename F>
  std::vector<PassPart> SplitPass(const Xapian::Query& q, F&& part);
  unsigned MatchThreads() const;
  std::vector<Xapian::Database*> SplitHandles(const Xapian::Query& q);

  const SearcherOptions& options_;
  IndexHandle& handle_;
  Xapian::Database& db_;
  TermFreqSink keep_termfreqs_;
  // Further handles on generation `helpers_path_` for split passes, opened
  // when first needed (SplitHandles).
  std::vector<Xapian::Database> helpers_;
  std::string helpers_path_;
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_MATCHER_H_
