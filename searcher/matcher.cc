#include "searcher/matcher.h"

#include <algorithm>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "core/schema.h"
#include "searcher/bool_match.h"
#include "searcher/match_list_spy.h"
#include "searcher/position_match.h"

namespace pundit {
namespace {

// BM25 parameters. b = 0.7, a little below the 0.75 BM25 was tuned with on
// news text (Robertson et al., TREC): a long article is penalised for
// length, though not fully, since long opinion pieces are not just verbose;
// of b 0.6-0.8 at k1 1.6, 0.7 gave the development collections (below) the
// best mean MAP and nDCG@10. k1 =
// 1.6 rather than the textbook 1.2: term frequency saturates a little later,
// so an article that names a person or a place many times outranks one that
// names it once. A grid of k1 1.2-2.0 over the development collections
// (CISI, Cranfield, the Reuters and BBC known-item sets) gave the best mean
// MAP at 1.6 and 1.8, and 1.6 the better nDCG@10 of the two
// (docs/BENCHMARKS.md, "Relevance"). k2 = 0 (no query-length
// correction). k3 applies to a query term's wqf, which is 1 for every term
// the query compiler builds: a word repeated in a question is a second
// term and counts again, which ranked long questions better than merging
// repeats. A document length below half the average is treated as half the
// average (min_normlen = 0.5), so that very short items do not outrank
// articles.
constexpr double kBm25K1 = 1.6;
constexpr double kBm25K2 = 0.0;
constexpr double kBm25K3 = 1.0;
constexpr double kBm25B = 0.7;
constexpr double kBm25MinNormLen = 0.5;

// Collects the ids of every document the query matches and accepts none, so
// that Xapian keeps no result heap and checks every candidate.
class CollectDecider : public Xapian::MatchDecider {
 public:
  bool operator()(const Xapian::Document& doc) const override {
    ids.push_back(doc.get_docid());
    return false;
  }
  mutable std::vector<uint32_t> ids;
};

// One BM25 pass over a text query that both collects every match (for the
// exact total, facets and timeline) and ranks the matches that pass
// `filter` (all when null), keeping the best `keep` of them. Xapian calls a
// spy for every candidate with its weight; with check_at_least = every
// document it never prunes, so no match is lost (see RankedPage), and this
// one pass replaces a collecting pass plus a ranking pass that would score
// every match again.
class RankSpy : public Xapian::MatchSpy {
 public:
  using Ranked = RankedDoc;

  RankSpy(const Bitmap* filter, size_t keep) : filter_(filter), keep_(keep) {}

  void operator()(const Xapian::Document& doc, double wt) override {
    const Xapian::docid did = doc.get_docid();
    ids.push_back(did);
    if (keep_ == 0 || (filter_ && !filter_->Contains(did))) return;
    // Documents come in increasing docid order, so on equal weights the
    // earlier one ranks first, as in Xapian's own MSet.
    if (heap_.size() == keep_) {
      if (wt <= heap_.front().weight) return;
      std::pop_heap(heap_.begin(), heap_.end(), Worse);
      heap_.pop_back();
    }
    heap_.push_back({wt, did});
    std::push_heap(heap_.begin(), heap_.end(), Worse);
  }

  // The ranked documents, best first.
  std::vector<Ranked> Best() const {
    std::vector<Ranked> best = heap_;
    std::sort(best.begin(), best.end(), Worse);
    return best;
  }

  // Orders the heap with its worst document (lowest weight, then highest
  // docid) on top; as a sort order, best first.
  static bool Worse(const Ranked& a, const Ranked& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.did < b.did;
  }

  std::vector<uint32_t> ids;

 private:
  const Bitmap* filter_;
  size_t keep_;
  std::vector<Ranked> heap_;
};

// Documents lo..hi by docid, as a boolean filter: one part of a match pass
// split across threads. Ids without a document are skipped by the query it
// filters, so the range need not be dense.
class DocidRange : public Xapian::PostingSource {
 public:
  DocidRange(Xapian::docid lo, Xapian::docid hi) : lo_(lo), hi_(hi) {}

  void init(const Xapian::Database& db) override {
    did_ = 0;
    size_ = std::min<Xapian::doccount>(hi_ - lo_ + 1, db.get_doccount());
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return size_; }
  void next(double) override { did_ = did_ == 0 ? lo_ : did_ + 1; }
  void skip_to(Xapian::docid did, double) override {
    did_ = std::max({did_, did, lo_});
  }
  bool at_end() const override { return did_ > hi_; }
  Xapian::docid get_docid() const override { return did_; }
  std::string name() const override { return "pundit::DocidRange"; }

 private:
  Xapian::docid lo_, hi_;
  Xapian::docid did_ = 0;
  Xapian::doccount size_ = 0;
};

// `q` restricted to docids lo..hi, or `q` itself when hi is 0. `range` must
// outlive the returned query's use.
Xapian::Query InRange(const Xapian::Query& q, DocidRange& range,
                      Xapian::docid hi) {
  if (hi == 0) return q;
  return Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(&range));
}

}  // namespace

// What one part of a match pass found: its matches in docid order and, when
// ranked, its best documents.
struct Matcher::PassPart {
  std::vector<uint32_t> ids;
  std::vector<RankedDoc> best;
  std::vector<std::string> keys;  // sorted by date: each best one's sort key
};

Xapian::BM25Weight MakeBm25() {
  return Xapian::BM25Weight(kBm25K1, kBm25K2, kBm25K3, kBm25B, kBm25MinNormLen);
}

// Ranks `matches` (or fewer) documents and returns [first, first + count).
// Xapian 1.4 (1.4.22 here) loses matches when it prunes by weight: once its
// result heap is full, the lowest weight in it is passed down the postlist
// tree; an OR branch that can no longer reach it turns the OR into
// AND_MAYBE, and an AND_MAYBE whose left side alone can no longer reach it
// turns into an AND that starts after max(left docid, right docid)
// (matcher/andmaybepostlist.cc, AndMaybePostList::next), skipping the
// document the right side already stands on even when both sides match it.
// The document is lost only from pages whose heap triggers the decay, so
// pages repeat one hit and never show another. Asking Xapian to see every
// match (check_at_least) keeps the minimum weight at 0, so no branch
// decays: every match is scored, as the exact total already visits them.
Xapian::MSet RankedPage(Xapian::Enquire& enquire, Xapian::doccount first,
                        Xapian::doccount count, Xapian::doccount matches) {
  return enquire.get_mset(first, count, std::max(matches, first + count));
}

// Every document `q` matches.
Bitmap Matcher::MatchAll(const Xapian::Query& q, const Snapshot& snap) {
  if (q.empty()) return snap.all();
  // Posting lists straight into bitmaps, where the query allows it; a
  // shard server sends its match set in one message instead.
  if (!handle_.all_remote()) {
    if (std::optional<Bitmap> b = BoolMatch(db_, q, snap.all())) return *b;
  }
  if (!handle_.local()) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::doccount n =
        std::max<Xapian::doccount>(1, db_.get_doccount());
    if (handle_.all_remote()) {
      std::vector<RankedDoc> none;
      return ShardsRankPass(q, nullptr, 0, none);
    }
    // Local shards (`auto` lines) are merged by Xapian itself: list them.
    Xapian::MSet all = enquire.get_mset(0, n, n);
    std::vector<uint32_t> ids;
    ids.reserve(all.size());
    for (auto it = all.begin(); it != all.end(); ++it) ids.push_back(*it);
    return Bitmap(ids);
  }
  std::vector<PassPart> parts =
      SplitPass(q, [](Xapian::Database& d, const Xapian::Query& part_q,
                      Xapian::docid lo, Xapian::docid hi) {
        DocidRange range(lo, hi);
        Xapian::Enquire enquire(d);
        enquire.set_query(InRange(part_q, range, hi));
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        CollectDecider collect;
        collect.ids.reserve(1024);
        Xapian::doccount n = std::max<Xapian::doccount>(1, d.get_doccount());
        enquire.get_mset(0, n, n, nullptr, &collect);
        return PassPart{std::move(collect.ids), {}, {}};
      });
  return Bitmap(Concatenated(parts));
}

// One BM25 pass over `q` (see RankSpy): every match, and the best `keep`
// of those in `filter` (all when null), best first.
Bitmap Matcher::RankPass(const Xapian::Query& q, const Bitmap* filter,
                         size_t keep, std::vector<RankedDoc>& best) {
  std::vector<PassPart> parts = SplitPass(
      q, [filter, keep](Xapian::Database& d, const Xapian::Query& part_q,
                        Xapian::docid lo, Xapian::docid hi) {
        DocidRange range(lo, hi);
        Xapian::Enquire enquire(d);
        enquire.set_query(InRange(part_q, range, hi));
        enquire.set_weighting_scheme(MakeBm25());
        RankSpy spy(filter, keep);
        spy.ids.reserve(1024);
        Xapian::doccount n = std::max<Xapian::doccount>(1, d.get_doccount());
        enquire.add_matchspy(&spy);
        enquire.get_mset(0, 0, n);
        return PassPart{std::move(spy.ids), spy.Best(), {}};
      });
  best.clear();
  for (PassPart& p : parts) {
    best.insert(best.end(), p.best.begin(), p.best.end());
  }
  // Each part kept its best `keep`; the best `keep` of all are among them.
  std::sort(best.begin(), best.end(), RankSpy::Worse);
  if (best.size() > keep) best.resize(keep);
  return Bitmap(Concatenated(parts));
}

// Page [offset, offset + count) of `q` (the text query under every
// filter) by relevance, over shards: each shard sends its best
// offset + count, weighed with the statistics of all shards.
std::vector<RankedDoc> Matcher::ShardsRankedPage(const Xapian::Query& q,
                                                 Xapian::doccount offset,
                                                 Xapian::doccount count,
                                                 Xapian::doccount matches) {
  Xapian::Enquire enquire(db_);
  enquire.set_query(q);
  enquire.set_weighting_scheme(MakeBm25());
  Xapian::MSet mset = RankedPage(enquire, offset, count, matches);
  std::vector<RankedDoc> page;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    page.push_back({it.get_weight(), *it});
  }
  return page;
}

// DatePage over shards, oldest first: the dated matches by date, then the
// undated ones by relevance, as the key maker of the local pass orders
// them (a key maker does not run on a shard server).
std::vector<RankedDoc> Matcher::ShardsOldestPage(const Xapian::Query& q,
                                                 Xapian::doccount offset,
                                                 Xapian::doccount count) {
  const Xapian::Query has_date(Xapian::Query::OP_VALUE_GE, schema::kDateValue,
                               "0");
  const Xapian::doccount n = std::max<Xapian::doccount>(1, db_.get_doccount());
  std::vector<RankedDoc> page;
  Xapian::Enquire enquire(db_);
  enquire.set_weighting_scheme(MakeBm25());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, has_date));
  enquire.set_sort_by_value_then_relevance(schema::kDateValue, false);
  Xapian::MSet dated = RankedPage(enquire, offset, count, n);
  for (auto it = dated.begin(); it != dated.end(); ++it) {
    page.push_back({it.get_weight(), *it});
  }
  if (page.size() == count) return page;
  const Xapian::doccount dated_total = dated.get_matches_estimated();
  const Xapian::doccount first =
      offset > dated_total ? offset - dated_total : 0;
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, q, has_date));
  enquire.set_sort_by_relevance();
  Xapian::MSet undated = RankedPage(
      enquire, first, count - static_cast<Xapian::doccount>(page.size()), n);
  for (auto it = undated.begin(); it != undated.end(); ++it) {
    page.push_back({it.get_weight(), *it});
  }
  return page;
}

// Page [offset, offset + count) of `q`'s `matches` matches by date
// (newest or oldest first), then relevance, then docid.
std::vector<RankedDoc> Matcher::DatePage(const Xapian::Query& q, bool newest,
                                         Xapian::doccount offset,
                                         Xapian::doccount count,
                                         Xapian::doccount matches) {
  if (!handle_.local() && !newest) return ShardsOldestPage(q, offset, count);
  const Xapian::doccount want = offset + count;
  std::vector<PassPart> parts =
      SplitPass(q, [newest, want, matches](Xapian::Database& d,
                                           const Xapian::Query& part_q,
                                           Xapian::docid lo, Xapian::docid hi) {
        DocidRange range(lo, hi);
        Xapian::Enquire enquire(d);
        enquire.set_query(InRange(part_q, range, hi));
        enquire.set_weighting_scheme(MakeBm25());
        Xapian::MultiValueKeyMaker oldest_first;
        if (newest) {
          // Undated articles ("" sorts lowest) come last.
          enquire.set_sort_by_value_then_relevance(schema::kDateValue, true);
        } else {
          oldest_first.add_value(schema::kDateValue, false, "99999999");
          enquire.set_sort_by_key_then_relevance(&oldest_first, false);
        }
        PassPart part;
        Xapian::MSet mset = RankedPage(enquire, 0, want, matches);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
          part.best.push_back({it.get_weight(), *it});
          part.keys.push_back(it.get_sort_key());
        }
        return part;
      });
  // Each part holds its first `want`; the first `want` of all are among
  // them, in Xapian's order: key, then weight, then docid.
  struct Entry {
    const std::string* key;
    RankedDoc r;
  };
  std::vector<Entry> all;
  for (const PassPart& p : parts) {
    for (size_t i = 0; i < p.best.size(); ++i) {
      all.push_back({&p.keys[i], p.best[i]});
    }
  }
  auto before = [newest](const Entry& a, const Entry& b) {
    if (*a.key != *b.key) return newest ? *a.key > *b.key : *a.key < *b.key;
    if (a.r.weight != b.r.weight) return a.r.weight > b.r.weight;
    return a.r.did < b.r.did;
  };
  if (parts.size() > 1) std::stable_sort(all.begin(), all.end(), before);
  std::vector<RankedDoc> page;
  for (size_t i = offset; i < all.size() && i < want; ++i) {
    page.push_back(all[i].r);
  }
  return page;
}

// The parts' matches in docid order: parts cover increasing ranges.
std::vector<uint32_t> Matcher::Concatenated(std::vector<PassPart>& parts) {
  if (parts.size() == 1) return std::move(parts[0].ids);
  size_t n = 0;
  for (const PassPart& p : parts) n += p.ids.size();
  std::vector<uint32_t> ids;
  ids.reserve(n);
  for (const PassPart& p : parts) {
    ids.insert(ids.end(), p.ids.begin(), p.ids.end());
  }
  return ids;
}

// Runs `part(db, q, lo, hi)` over the whole index (lo = hi = 0), or, when
// the pass is big enough to be worth it, over docid ranges in parallel,
// the first on this thread and each other on a helper handle of the same
// revision. Xapian objects are not shared between threads: each helper
// thread rebuilds the query from its serialised form.
template <typename F>
std::vector<Matcher::PassPart> Matcher::SplitPass(const Xapian::Query& q,
                                                  F&& part) {
  std::vector<Xapian::Database*> handles = SplitHandles(q);
  std::vector<PassPart> parts;
  if (handles.size() < 2) {
    parts.push_back(part(db_, q, 0, 0));
    return parts;
  }
  const std::string wire = q.serialise();
  const uint64_t last = db_.get_lastdocid();
  const uint64_t k = handles.size();
  auto bound = [&](uint64_t i) {
    return static_cast<Xapian::docid>(last * i / k);
  };
  std::vector<std::future<PassPart>> helpers;
  for (uint64_t i = 1; i < k; ++i) {
    helpers.push_back(std::async(
        std::launch::async,
        [&part, &wire, d = handles[i], lo = bound(i) + 1, hi = bound(i + 1)] {
          return part(*d,
                      Xapian::Query::unserialise(
                          wire, query::PositionMatch::Registry()),
                      lo, hi);
        }));
  }
  // Should this part throw, the futures wait for their threads as they
  // are destroyed, so nothing outlives what it refers to.
  parts.push_back(part(db_, q, 1, bound(1)));
  for (auto& h : helpers) parts.push_back(h.get());
  return parts;
}

unsigned Matcher::MatchThreads() const {
  if (options_.match_threads != 0) {
    return std::min(options_.match_threads, kMaxMatchThreads);
  }
  return std::clamp(std::thread::hardware_concurrency(), 1u, kMaxMatchThreads);
}

// The handles a pass over `q` is split across: `db` alone unless the
// pass reads at least options_.split_min_postings postings, else
// RevisionHandles().
std::vector<Xapian::Database*> Matcher::SplitHandles(const Xapian::Query& q) {
  if (!handle_.local() || q.empty()) return {&db_};
  uint64_t postings = 0;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end();
       ++t) {
    postings += db_.get_termfreq(*t);
  }
  if (postings < options_.split_min_postings) return {&db_};
  return RevisionHandles();
}

std::vector<Xapian::Database*> Matcher::RevisionHandles() {
  std::vector<Xapian::Database*> handles{&db_};
  const unsigned threads = MatchThreads();
  if (!handle_.local() || threads < 2 || db_.get_lastdocid() < 2 * threads) {
    return handles;
  }
  try {
    const std::string& generation_path = handle_.generation_path();
    if (helpers_path_ != generation_path || helpers_.size() != threads - 1) {
      helpers_.clear();
      helpers_path_.clear();
      for (unsigned i = 1; i < threads; ++i) {
        helpers_.emplace_back(generation_path);
      }
      helpers_path_ = generation_path;
    }
    const Xapian::rev rev = db_.get_revision();
    for (Xapian::Database& h : helpers_) {
      if (h.get_revision() != rev) h.reopen();
      // A commit landed since `db` was opened: this request reads the
      // older revision alone.
      if (h.get_revision() != rev) return handles;
      handles.push_back(&h);
    }
  } catch (const Xapian::Error&) {
    helpers_.clear();
    helpers_path_.clear();
    handles.resize(1);
  }
  return handles;
}

Matcher::Matcher(const SearcherOptions& options, IndexHandle& handle,
                 Xapian::Database& db, TermFreqSink keep_termfreqs)
    : options_(options),
      handle_(handle),
      db_(db),
      keep_termfreqs_(std::move(keep_termfreqs)) {}

// RankPass over shard servers: each sends its matches as one bitmap and
// its best `keep` of those in `filter` (all when null), weighed with the
// statistics of all shards (MatchListSpy), the stored data of the first
// `carry` of each shard's best into `carried`. With `keep` 0 the match is
// unweighted.
Bitmap Matcher::ShardsRankPass(
    const Xapian::Query& q, const Bitmap* filter, size_t keep,
    std::vector<RankedDoc>& best, size_t carry,
    std::unordered_map<Xapian::docid, std::string>* carried) {
  Xapian::Enquire enquire(db_);
  enquire.set_query(q);
  if (keep == 0) {
    enquire.set_weighting_scheme(Xapian::BoolWeight());
  } else {
    enquire.set_weighting_scheme(MakeBm25());
  }
  const Xapian::doccount n = std::max<Xapian::doccount>(1, db_.get_doccount());
  MatchListSpy spy(handle_.shards(), filter, keep, carried ? carry : 0);
  enquire.add_matchspy(&spy);
  keep_termfreqs_(q, enquire.get_mset(0, 0, n));
  best.clear();
  for (const MatchListSpy::Ranked& r : spy.Best(handle_.shards(), carried)) {
    best.push_back({r.weight, r.did});
  }
  return spy.Merged(handle_.shards());
}

MatchSet Matcher::Match(const Xapian::Query& text,
                        const RequestFilters& filters, SortOrder sort,
                        uint64_t keep, const Snapshot& snap, uint64_t carry) {
  // By relevance, one BM25 pass gives both: on one index (RankPass), and
  // over shard servers, each sending its matches as one bitmap and its best
  // under the filters (ShardsRankPass). Sorted by date, or over local shards
  // (`auto` lines), the match set comes first (MatchAll) and RankPage ranks
  // a match under the filters (ShardsRankedPage, DatePage).
  MatchSet m;
  m.ranked = sort == SortOrder::kRelevance &&
             (handle_.local() || handle_.all_remote());
  if (m.ranked) {
    const Bitmap* f = filters.docs ? &*filters.docs : nullptr;
    const auto n = static_cast<size_t>(
        std::min<uint64_t>(keep, std::max(1u, db_.get_doccount())));
    m.match =
        handle_.local()
            ? RankPass(text, f, n, m.best)
            : ShardsRankPass(text, f, n, m.best,
                             static_cast<size_t>(std::min<uint64_t>(carry, n)),
                             &m.carried);
  } else {
    m.match = MatchAll(text, snap);
  }
  m.filtered = filters.Apply(m.match);
  return m;
}

std::vector<RankedDoc> Matcher::RankPage(const Xapian::Query& text,
                                         const RequestFilters& filters,
                                         const MatchSet& m, SortOrder sort,
                                         uint64_t offset, uint64_t count) {
  std::vector<RankedDoc> page;
  if (m.ranked) {
    for (size_t r = offset; r < m.best.size() && r < offset + count; ++r) {
      page.push_back(m.best[r]);
    }
    return page;
  }
  const uint64_t total = m.filtered.Cardinality();
  if (offset >= total) return page;
  Xapian::Query q = filters.Restrict(text);
  if (sort == SortOrder::kRelevance) {
    return ShardsRankedPage(q, static_cast<Xapian::doccount>(offset),
                            static_cast<Xapian::doccount>(count),
                            static_cast<Xapian::doccount>(total));
  }
  return DatePage(q, sort == SortOrder::kNewest,
                  static_cast<Xapian::doccount>(offset),
                  static_cast<Xapian::doccount>(count),
                  static_cast<Xapian::doccount>(total));
}

}  // namespace pundit
