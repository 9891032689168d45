#include "searcher/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/schema.h"
#include "core/store.h"
#include "searcher/highlight.h"
#include "searcher/index_handle.h"
#include "searcher/match_list_spy.h"
#include "searcher/position_match.h"
#include "searcher/query.h"
#include "searcher/snapshot.h"
#include "searcher/spelling.h"
#include "searcher/timeline.h"

namespace pundit {
namespace {

// BM25 parameters. k1 = 1.2 and b = 0.75 are the values BM25 was tuned with
// on news text (Robertson et al., TREC): term frequency saturates after a
// few occurrences, and a long article is penalised for length, though not
// fully (b < 1), since long opinion pieces are not just verbose. A grid of
// k1 0.8-2.0 and b 0.5-0.9 on CISI and Cranfield moved MAP by less than 0.01
// around them (docs/BENCHMARKS.md, "Relevance"). k2 = 0 (no query-length
// correction). k3 applies to a query term's wqf, which is 1 for every term
// the query compiler builds: a word repeated in a question is a second
// term and counts again, which ranked long questions better than merging
// repeats. A document length below half the average is treated as half the
// average (min_normlen = 0.5), so that very short items do not outrank
// articles.
constexpr double kBm25K1 = 1.2;
constexpr double kBm25K2 = 0.0;
constexpr double kBm25K3 = 1.0;
constexpr double kBm25B = 0.75;
constexpr double kBm25MinNormLen = 0.5;

constexpr size_t kSnippetChars = 300;
constexpr size_t kSnippetFragments = 3;
// Reopen-and-retry attempts when the index changes under a request.
constexpr int kMaxAttempts = 20;
// Related: expansion terms taken from the article, the share of documents
// above which a term is too common to say what it is about, and the fewest
// documents a term must be in. The terms are stems, so that "compromise"
// here and "compromises" there are one shared word; a term of this article
// alone is what Xapian's expansion weight likes best and leads nowhere, so a
// term must be in another article too. 20 terms ranked related articles on
// corpus/ better than 40, which let general words ("left", "seen") in.
constexpr Xapian::termcount kRelatedTerms = 20;
// Term frequencies kept per Searcher over shards (Impl::TermFreq).
constexpr size_t kMaxCachedTermFreqs = 100000;
constexpr double kRelatedMaxTermShare = 0.1;
constexpr Xapian::doccount kRelatedMinDocs = 2;

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
  struct Ranked {
    double weight;
    Xapian::docid did;
  };

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

// What one part of a match pass found: its matches in docid order and, when
// ranked, its best documents.
struct PassPart {
  std::vector<uint32_t> ids;
  std::vector<RankSpy::Ranked> best;
  std::vector<std::string> keys;  // sorted by date: each best one's sort key
};

// Accepts the body stems (Z<stem>) that can say what an article is about
// and lead to another one: at least 3 letters, not a number, not the stem of
// a stop word, in min_freq to max_freq documents.
class RelatedTermDecider : public Xapian::ExpandDecider {
 public:
  RelatedTermDecider(const Xapian::Database& db, Xapian::doccount min_freq,
                     Xapian::doccount max_freq,
                     const std::set<std::string>& stop_stems)
      : db_(db),
        min_freq_(min_freq),
        max_freq_(max_freq),
        stop_stems_(stop_stems) {}
  bool operator()(const std::string& term) const override {
    const std::string_view prefix = schema::kStemPrefix;
    if (term.size() < prefix.size() + 3 || term.rfind(prefix, 0) != 0) {
      return false;
    }
    std::string stem = term.substr(prefix.size());
    unsigned char c = static_cast<unsigned char>(stem[0]);
    if (c >= 'A' && c <= 'Z') return false;  // ZS<stem>, a title stem
    if (std::all_of(stem.begin(), stem.end(),
                    [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return false;
    }
    if (stop_stems_.count(stem)) return false;
    Xapian::doccount tf = db_.get_termfreq(term);
    return tf >= min_freq_ && tf <= max_freq_;
  }

 private:
  const Xapian::Database& db_;
  Xapian::doccount min_freq_, max_freq_;
  const std::set<std::string>& stop_stems_;
};

std::string ShowDate(uint32_t d) {
  if (d == 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", d / 10000, d / 100 % 100,
                d % 100);
  return buf;
}

bool IsIsoDate(const std::string& s) {
  return s.size() == 10 && query::DateBound(s, false).has_value();
}

std::string FacetNames() {
  std::string out;
  size_t n = std::size(schema::kFacets);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += i + 1 == n ? " or " : ", ";
    out += schema::kFacets[i].name;
  }
  return out;
}

// Title and body only: two copies of one article under different ids or
// sources have the same.
std::string TitleBodyHash(const Article& a) {
  std::string text = a.title;
  for (const Block& b : a.body) {
    text += '\x1f';
    text += b.text;
  }
  return schema::HashHex(text);
}

// The paragraphs a snippet may come from: the lede, then the body.
std::vector<std::string_view> SnippetParagraphs(const Article& a) {
  std::vector<std::string_view> out;
  if (!a.lede.empty()) out.push_back(a.lede);
  for (const Block& b : a.body) out.push_back(b.text);
  return out;
}

// The lede, or else the first paragraph, escaped and cut.
std::string LedeSnippet(const Article& a) {
  if (!a.lede.empty()) return EscapedPrefix(a.lede, kSnippetChars);
  for (const Block& b : a.body) {
    if (b.kind == Block::Kind::kParagraph && !b.text.empty()) {
      return EscapedPrefix(b.text, kSnippetChars);
    }
  }
  return "";
}

Hit HitFromArticle(const Article& a) {
  Hit h;
  h.id = a.id;
  h.title = a.title;
  h.title_html = EscapeHtml(a.title);
  h.authors = a.authors;
  h.date = a.date;
  h.regions = a.regions;
  h.themes = a.themes;
  h.source = a.source;
  h.url = a.url;
  return h;
}

// One facet's selected values, resolved against the snapshot.
struct Selection {
  const FacetIndex* facet = nullptr;
  std::vector<std::string> shown;  // the values to list as selected
  std::vector<int> ids;            // their value ids (-1: no such value)
  Bitmap docs;                     // documents carrying any of them
  Xapian::Query query;             // the same as a boolean filter
};

}  // namespace

struct Searcher::Impl {
  SearcherOptions options;
  IndexHandle handle;
  Xapian::Database db;  // handle.db(), as last opened or refreshed
  // A shard server closed its connection or failed: open afresh.
  bool broken = false;
  std::shared_ptr<const Snapshot> snap;
  // Term frequencies of snap's revision (key), kept over shards, where each
  // costs a round trip to every shard; filled from each match's statistics.
  std::string termfreq_key;
  std::unordered_map<std::string, Xapian::doccount> termfreqs;
  // Further handles on generation `helpers_path` for split passes, opened
  // when first needed (SplitHandles).
  std::vector<Xapian::Database> helpers;
  std::string helpers_path;
  Analyzer analyzer;
  SentenceBreaker breaker;

  // Opens the index afresh (the live generation, or every shard).
  Status Reopen() {
    if (Status s = handle.Open(options.db_dir, options.shard_timeout_ms);
        !s.ok()) {
      return s;
    }
    db = handle.db();
    broken = false;
    snap = Snapshot::Get(db, analyzer, handle.Key());
    return Status::Ok();
  }

  // Cheap freshness check before each call (IndexHandle::Refresh), then
  // the snapshot of what it reads.
  Status Refresh() {
    if (Status s = handle.Refresh(); !s.ok()) return s;
    db = handle.db();
    std::string key = handle.Key();
    if (!snap || snap->key() != key) snap = Snapshot::Get(db, analyzer, key);
    return Status::Ok();
  }

  // Runs `f` on a fresh view of the index, reopening and retrying when a
  // concurrent commit or swap invalidates what it reads.
  template <typename T, typename F>
  Result<T> Run(const char* what, F&& f) {
    Status last;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      if (attempt > 1) {
        // A writer committing faster than this request reads: let it get
        // ahead a little (1, 2, 4 ... 32 ms; about 0.5 s in all).
        std::this_thread::sleep_for(
            std::chrono::milliseconds(1 << std::min(attempt - 2, 5)));
      }
      try {
        // reopen() is enough after a commit; a fresh open every third try
        // recovers from anything else.
        Status s = attempt % 3 == 2 || broken ? Reopen() : Refresh();
        if (!s.ok()) {
          // Opening can also meet a commit or a swap in progress (the
          // generation named by CURRENT just removed, a revision just
          // overwritten): try again; a missing or foreign index is final.
          if (s.code() != Status::Code::kIoError &&
              s.code() != Status::Code::kCorruption) {
            return s;
          }
          last = s;
          continue;
        }
        return f();
      } catch (const Xapian::NetworkTimeoutError&) {
        // A shard too slow to answer: waiting again would only double the
        // wait; the next call reconnects.
        broken = true;
        return FromCurrentException(what);
      } catch (const Xapian::NetworkError&) {
        // A shard server closed the connection (restarted, idle, or its
        // generation swapped): reconnect, twice at most (shards swapping
        // one after the other), then report it.
        broken = true;
        last = FromCurrentException(what);
        if (attempt > 1) return last;
      } catch (const Xapian::DatabaseError&) {
        // DatabaseModifiedError (a commit overwrote what this revision
        // reads), DatabaseOpeningError (a swap removed the generation):
        // reopen the live index and try again.
        last = FromCurrentException(what);
      } catch (...) {
        return FromCurrentException(what);
      }
    }
    return last;
  }

  std::optional<Xapian::docid> FindDoc(const std::string& id) {
    std::string term = schema::IdTerm(id);
    auto p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) return std::nullopt;
    return *p;
  }

  Result<Article> ReadArticle(Xapian::docid did) {
    return ArticleFromData(db.get_document(did).get_data());
  }

  query::FacetResolver Resolver() {
    return [this](std::string_view facet, std::string_view value) {
      std::vector<std::string> out;
      const FacetIndex* f = snap->Facet(facet);
      if (!f) return out;
      for (uint32_t v : f->Resolve(analyzer.FoldKey(value))) {
        out.push_back(f->values[v]);
      }
      return out;
    };
  }

  query::PrefixExpander Expander() {
    return [this](const std::string& prefix, size_t limit) {
      std::vector<std::pair<Xapian::doccount, std::string>> found;
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix);
           ++t) {
        found.emplace_back(t.get_termfreq(), *t);
      }
      size_t n = std::min(limit, found.size());
      std::partial_sort(
          found.begin(), found.begin() + n, found.end(),
          [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<std::string> terms;
      for (size_t i = 0; i < n; ++i)
        terms.push_back(std::move(found[i].second));
      return terms;
    };
  }

  query::Compiled Compile(const std::string& q, DefaultOp op) {
    return query::ParseAndCompile(q, op, analyzer, Resolver(), Expander());
  }

  // The stored data of documents `dids`, in order. Over shards, each
  // shard's documents are asked for on a thread of their own (a round trip
  // each): a thread uses only its shard's handle, which nothing else uses
  // meanwhile.
  std::vector<std::string> DocumentData(
      const std::vector<Xapian::docid>& dids) {
    std::vector<std::string> data(dids.size());
    const std::vector<Xapian::Database>& shards = handle.shards();
    const Xapian::docid n = static_cast<Xapian::docid>(shards.size());
    if (!handle.all_remote() || n < 2 || dids.size() < 2) {
      for (size_t i = 0; i < dids.size(); ++i) {
        data[i] = db.get_document(dids[i]).get_data();
      }
      return data;
    }
    std::vector<std::future<void>> fetches;
    for (Xapian::docid shard = 0; shard < n; ++shard) {
      fetches.push_back(std::async(std::launch::async, [&, shard] {
        Xapian::Database d = shards[shard];
        for (size_t i = 0; i < dids.size(); ++i) {
          if ((dids[i] - 1) % n != shard) continue;
          data[i] = d.get_document((dids[i] - 1) / n + 1).get_data();
        }
      }));
    }
    // Every fetch ends before this returns, a failed one rethrowing here.
    for (auto& f : fetches) f.wait();
    for (auto& f : fetches) f.get();
    return data;
  }

  // The number of documents holding `term`.
  Xapian::doccount TermFreq(const std::string& term) {
    if (handle.local()) return db.get_termfreq(term);
    if (termfreq_key != snap->key()) {
      termfreqs.clear();
      termfreq_key = snap->key();
    }
    if (auto it = termfreqs.find(term); it != termfreqs.end()) {
      return it->second;
    }
    if (termfreqs.size() >= kMaxCachedTermFreqs) termfreqs.clear();
    return termfreqs[term] = db.get_termfreq(term);
  }

  // Keeps the frequencies of `q`'s terms, which a match over shards has
  // gathered from every shard already.
  void KeepTermFreqs(const Xapian::Query& q, const Xapian::MSet& mset) {
    if (termfreq_key != snap->key()) {
      termfreqs.clear();
      termfreq_key = snap->key();
    }
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end();
         ++t) {
      termfreqs[*t] = mset.get_termfreq(*t);
    }
  }

  // Units weighted by idf, so that rare words choose the snippet.
  Highlighter MakeHighlighter(const query::Compiled& c) {
    std::vector<query::HighlightUnit> units = c.units;
    double n = std::max<double>(1, db.get_doccount());
    for (auto& u : units) {
      double tf = u.weight_term.empty() ? n / 10 : TermFreq(u.weight_term);
      u.weight = std::max(0.05, std::log((n + 1) / (tf + 0.5)));
    }
    return Highlighter(analyzer, breaker, std::move(units));
  }

  // Every document `q` matches.
  Bitmap MatchSet(const Xapian::Query& q) {
    if (q.empty()) return snap->all();
    if (!handle.local()) {
      Xapian::Enquire enquire(db);
      enquire.set_query(q);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      const Xapian::doccount n =
          std::max<Xapian::doccount>(1, db.get_doccount());
      if (handle.all_remote()) {
        std::vector<RankSpy::Ranked> none;
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
  Bitmap RankPass(const Xapian::Query& q, const Bitmap* filter, size_t keep,
                  std::vector<RankSpy::Ranked>& best) {
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

  // RankPass over shard servers: each sends its matches as one bitmap
  // and its best `keep` of those in `filter` (all when null), weighed with
  // the statistics of all shards (MatchListSpy). With `keep` 0 the match
  // is unweighted.
  Bitmap ShardsRankPass(const Xapian::Query& q, const Bitmap* filter,
                        size_t keep, std::vector<RankSpy::Ranked>& best) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    if (keep == 0) {
      enquire.set_weighting_scheme(Xapian::BoolWeight());
    } else {
      enquire.set_weighting_scheme(MakeBm25());
    }
    const Xapian::doccount n = std::max<Xapian::doccount>(1, db.get_doccount());
    MatchListSpy spy(handle.shards(), filter, keep);
    enquire.add_matchspy(&spy);
    KeepTermFreqs(q, enquire.get_mset(0, 0, n));
    best.clear();
    for (const MatchListSpy::Ranked& r : spy.Best(handle.shards())) {
      best.push_back({r.weight, r.did});
    }
    return spy.Merged(handle.shards());
  }

  // Page [offset, offset + count) of `q` (the text query under every
  // filter) by relevance, over shards: each shard sends its best
  // offset + count, weighed with the statistics of all shards.
  std::vector<RankSpy::Ranked> ShardsRankedPage(const Xapian::Query& q,
                                                Xapian::doccount offset,
                                                Xapian::doccount count,
                                                Xapian::doccount matches) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    enquire.set_weighting_scheme(MakeBm25());
    Xapian::MSet mset = RankedPage(enquire, offset, count, matches);
    std::vector<RankSpy::Ranked> page;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      page.push_back({it.get_weight(), *it});
    }
    return page;
  }

  // DatePage over shards, oldest first: the dated matches by date, then the
  // undated ones by relevance, as the key maker of the local pass orders
  // them (a key maker does not run on a shard server).
  std::vector<RankSpy::Ranked> ShardsOldestPage(const Xapian::Query& q,
                                                Xapian::doccount offset,
                                                Xapian::doccount count) {
    const Xapian::Query has_date(Xapian::Query::OP_VALUE_GE, schema::kDateValue,
                                 "0");
    const Xapian::doccount n = std::max<Xapian::doccount>(1, db.get_doccount());
    std::vector<RankSpy::Ranked> page;
    Xapian::Enquire enquire(db);
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
  std::vector<RankSpy::Ranked> DatePage(const Xapian::Query& q, bool newest,
                                        Xapian::doccount offset,
                                        Xapian::doccount count,
                                        Xapian::doccount matches) {
    if (!handle.local() && !newest) return ShardsOldestPage(q, offset, count);
    const Xapian::doccount want = offset + count;
    std::vector<PassPart> parts =
        SplitPass(q, [newest, want, matches](
                         Xapian::Database& d, const Xapian::Query& part_q,
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
      RankSpy::Ranked r;
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
    std::vector<RankSpy::Ranked> page;
    for (size_t i = offset; i < all.size() && i < want; ++i) {
      page.push_back(all[i].r);
    }
    return page;
  }

  // The parts' matches in docid order: parts cover increasing ranges.
  static std::vector<uint32_t> Concatenated(std::vector<PassPart>& parts) {
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
  std::vector<PassPart> SplitPass(const Xapian::Query& q, F&& part) {
    std::vector<Xapian::Database*> handles = SplitHandles(q);
    std::vector<PassPart> parts;
    if (handles.size() < 2) {
      parts.push_back(part(db, q, 0, 0));
      return parts;
    }
    const std::string wire = q.serialise();
    const uint64_t last = db.get_lastdocid();
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
    parts.push_back(part(db, q, 1, bound(1)));
    for (auto& h : helpers) parts.push_back(h.get());
    return parts;
  }

  unsigned MatchThreads() const {
    if (options.match_threads != 0) {
      return std::min(options.match_threads, kMaxMatchThreads);
    }
    return std::clamp(std::thread::hardware_concurrency(), 1u,
                      kMaxMatchThreads);
  }

  // The handles a pass over `q` is split across: `db` alone unless the
  // pass reads at least options.split_min_postings postings and a helper handle
  // per further thread is open on db's revision.
  std::vector<Xapian::Database*> SplitHandles(const Xapian::Query& q) {
    std::vector<Xapian::Database*> handles{&db};
    const unsigned threads = MatchThreads();
    if (!handle.local() || threads < 2 || q.empty() ||
        db.get_lastdocid() < 2 * threads) {
      return handles;
    }
    uint64_t postings = 0;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end();
         ++t) {
      postings += db.get_termfreq(*t);
    }
    if (postings < options.split_min_postings) return handles;
    try {
      const std::string& generation_path = handle.generation_path();
      if (helpers_path != generation_path || helpers.size() != threads - 1) {
        helpers.clear();
        helpers_path.clear();
        for (unsigned i = 1; i < threads; ++i) {
          helpers.emplace_back(generation_path);
        }
        helpers_path = generation_path;
      }
      const Xapian::rev rev = db.get_revision();
      for (Xapian::Database& h : helpers) {
        if (h.get_revision() != rev) h.reopen();
        // A commit landed since `db` was opened: this request reads the
        // older revision alone.
        if (h.get_revision() != rev) return handles;
        handles.push_back(&h);
      }
    } catch (const Xapian::Error&) {
      helpers.clear();
      helpers_path.clear();
      handles.resize(1);
    }
    return handles;
  }

  Result<SearchResponse> DoSearch(const SearchRequest& request);
  std::optional<std::string> DidYouMean(const SearchRequest& request,
                                        const query::Compiled& c, long total);
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(
    const SearcherOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  Status s;
  try {
    s = impl->Reopen();
  } catch (...) {
    s = FromCurrentException("opening " + options.db_dir);
  }
  if (!s.ok()) return s;
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Result<SearchResponse> Searcher::Search(const SearchRequest& request) {
  if (request.page < 1) {
    return Status::InvalidArgument("page must be 1 or more, got " +
                                   std::to_string(request.page));
  }
  if (request.per_page < 1 || request.per_page > kMaxPerPage) {
    return Status::InvalidArgument("per_page must be between 1 and " +
                                   std::to_string(kMaxPerPage) + ", got " +
                                   std::to_string(request.per_page));
  }
  if (request.facet_limit < 0 || request.facet_limit > kMaxFacetLimit) {
    return Status::InvalidArgument("facet_limit must be between 0 and " +
                                   std::to_string(kMaxFacetLimit) + ", got " +
                                   std::to_string(request.facet_limit));
  }
  if (request.q.size() > kMaxQueryLength) {
    return Status::InvalidArgument(
        "q is " + std::to_string(request.q.size()) +
        " bytes long; the longest query allowed is " +
        std::to_string(kMaxQueryLength) + " bytes");
  }
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string&>{"from", request.from},
        {"to", request.to}}) {
    if (!value.empty() && !IsIsoDate(value)) {
      return Status::InvalidArgument(std::string(name) +
                                     " must be a date YYYY-MM-DD, got \"" +
                                     value + "\"");
    }
  }
  if (!request.from.empty() && !request.to.empty() &&
      request.from > request.to) {
    return Status::InvalidArgument("from (" + request.from + ") is after to (" +
                                   request.to + ")");
  }
  for (const auto& [name, values] : request.filters) {
    bool known = std::any_of(
        std::begin(schema::kFacets), std::end(schema::kFacets),
        [&name = name](const auto& def) { return def.name == name; });
    if (!known) {
      return Status::InvalidArgument("unknown facet \"" + name + "\": use " +
                                     FacetNames());
    }
    if (name == "year") {
      for (const std::string& y : values) {
        bool ok = y.size() == 4 && std::all_of(y.begin(), y.end(), [](char c) {
                    return c >= '0' && c <= '9';
                  });
        if (!ok) {
          return Status::InvalidArgument(
              "year must be a 4-digit year such as 2019, got \"" + y + "\"");
        }
      }
    }
  }
  return impl_->Run<SearchResponse>("searching",
                                    [&] { return impl_->DoSearch(request); });
}

Result<SearchResponse> Searcher::Impl::DoSearch(const SearchRequest& request) {
  auto started = std::chrono::steady_clock::now();
  const Snapshot& s = *snap;
  SearchResponse resp;
  resp.q = request.q;
  resp.page = request.page;
  resp.per_page = request.per_page;

  query::Compiled c = Compile(request.q, request.op);
  resp.interpreted = c.interpreted;
  resp.notice = c.notice;

  // Facet selections, in schema::kFacets order.
  std::vector<Selection> selections;
  for (const auto& def : schema::kFacets) {
    auto it = request.filters.find(std::string(def.name));
    if (it == request.filters.end() || it->second.empty()) continue;
    Selection sel;
    sel.facet = s.Facet(def.name);
    std::vector<Xapian::Query> terms;
    std::set<int> seen;
    for (const std::string& raw : it->second) {
      std::vector<int> ids;
      if (auto e = sel.facet->ids.find(raw); e != sel.facet->ids.end()) {
        ids.push_back(static_cast<int>(e->second));
      } else {
        // Same value but for case or accents ("andrew korybko").
        std::string key = analyzer.FoldKey(raw);
        for (size_t v = 0; v < sel.facet->keys.size(); ++v) {
          if (!key.empty() && sel.facet->keys[v] == key) {
            ids.push_back(static_cast<int>(v));
          }
        }
      }
      if (ids.empty()) {
        sel.shown.push_back(raw);
        sel.ids.push_back(-1);
        continue;
      }
      for (int v : ids) {
        if (!seen.insert(v).second) continue;
        sel.shown.push_back(sel.facet->values[v]);
        sel.ids.push_back(v);
        sel.docs.Or(sel.facet->docs[v]);
        terms.emplace_back(schema::FacetTerm(def.prefix, sel.facet->values[v]));
      }
    }
    sel.query = terms.empty() ? Xapian::Query::MatchNothing
                              : Xapian::Query(Xapian::Query::OP_OR,
                                              terms.begin(), terms.end());
    selections.push_back(std::move(sel));
  }

  // Date range.
  std::optional<Bitmap> dated;
  Xapian::Query date_query;
  if (!request.from.empty() || !request.to.empty()) {
    std::string lo =
        request.from.empty() ? "" : *query::DateBound(request.from, false);
    std::string hi =
        request.to.empty() ? "" : *query::DateBound(request.to, true);
    dated = s.DateRange(lo.empty() ? 0 : std::stoul(lo),
                        hi.empty() ? 0 : std::stoul(hi));
    if (!lo.empty() && !hi.empty()) {
      date_query = Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
                                 schema::kDateValue, lo, hi);
    } else if (!lo.empty()) {
      date_query =
          Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateValue, lo);
    } else {
      date_query =
          Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateValue, hi);
    }
  }

  // Without words to rank by, relevance means nothing: show the newest.
  SortOrder sort = request.sort;
  if (sort == SortOrder::kRelevance && !c.has_text) sort = SortOrder::kNewest;
  const uint64_t offset = static_cast<uint64_t>(request.page - 1) *
                          static_cast<uint64_t>(request.per_page);

  // The text match set, then under every filter. Ranked by relevance, one
  // BM25 pass gives both the match set and the ranked page.
  std::optional<Bitmap> filter;
  if (dated) filter.emplace(*dated);
  for (const Selection& sel : selections) {
    if (filter) {
      filter->And(sel.docs);
    } else {
      filter.emplace(sel.docs);
    }
  }
  // By relevance, one BM25 pass gives both: on one index (RankPass), and
  // over shard servers, each sending its matches as one bitmap and its best
  // under the filters (ShardsRankPass). Sorted by date, or over local shards
  // (`auto` lines), the match set comes first (MatchSet) and the page from a
  // match under the filters (ShardsRankedPage, DatePage).
  const bool one_pass =
      sort == SortOrder::kRelevance && (handle.local() || handle.all_remote());
  Bitmap match;
  std::vector<RankSpy::Ranked> ranked;
  if (one_pass) {
    const size_t keep = static_cast<size_t>(std::min<uint64_t>(
        offset + request.per_page, std::max(1u, db.get_doccount())));
    const Bitmap* f = filter ? &*filter : nullptr;
    match = handle.local() ? RankPass(c.query, f, keep, ranked)
                           : ShardsRankPass(c.query, f, keep, ranked);
  } else {
    match = MatchSet(c.query);
  }
  Bitmap filtered = match;
  if (filter) filtered.And(*filter);
  resp.total = static_cast<long>(filtered.Cardinality());

  if (request.want_facets) {
    for (const auto& def : schema::kFacets) {
      const FacetIndex& f = *s.Facet(def.name);
      const Selection* own = nullptr;
      for (const Selection& sel : selections) {
        if (sel.facet == &f) own = &sel;
      }
      // Every filter but this facet's own (disjunctive facets).
      std::optional<Bitmap> base_storage;
      const Bitmap* base = &filtered;
      if (own) {
        base_storage.emplace(match);
        if (dated) base_storage->And(*dated);
        for (const Selection& sel : selections) {
          if (&sel != own) base_storage->And(sel.docs);
        }
        base = &*base_storage;
      }
      std::vector<uint32_t> counts = f.Count(*base);
      std::vector<uint32_t> order;
      for (uint32_t v = 0; v < counts.size(); ++v) {
        if (counts[v] > 0) order.push_back(v);
      }
      auto by_count = [&](uint32_t a, uint32_t b) {
        return counts[a] != counts[b] ? counts[a] > counts[b]
                                      : f.values[a] < f.values[b];
      };
      size_t limit = static_cast<size_t>(request.facet_limit);
      if (order.size() > limit) {
        std::partial_sort(order.begin(), order.begin() + limit, order.end(),
                          by_count);
        order.resize(limit);
      } else {
        std::sort(order.begin(), order.end(), by_count);
      }
      std::vector<FacetValue> values;
      for (uint32_t v : order)
        values.push_back({f.values[v], counts[v], false});
      if (own) {
        for (size_t i = 0; i < own->shown.size(); ++i) {
          auto it = std::find_if(
              values.begin(), values.end(),
              [&](const FacetValue& fv) { return fv.value == own->shown[i]; });
          if (it != values.end()) {
            it->selected = true;
          } else {
            long n = own->ids[i] >= 0 ? counts[own->ids[i]] : 0;
            values.push_back({own->shown[i], n, true});
          }
        }
      }
      resp.facets.emplace_back(std::string(def.name), std::move(values));
    }

    // Timeline: months between the first and last month with a match, or
    // longer units over long spans (timeline.h).
    const FacetIndex& months = s.months();
    std::vector<uint32_t> counts = months.Count(filtered);
    std::map<int, long> by_month;  // yyyymm -> count
    for (size_t v = 0; v < counts.size(); ++v) {
      if (counts[v] > 0) by_month[std::stoi(months.values[v])] += counts[v];
    }
    BuildTimeline(by_month, &resp.timeline_unit, &resp.timeline);
  }

  // The ranked page: from the BM25 pass, or by a match under the filters.
  std::vector<RankSpy::Ranked> page;
  if (one_pass) {
    for (size_t r = offset; r < ranked.size(); ++r) page.push_back(ranked[r]);
  } else if (offset < static_cast<uint64_t>(resp.total)) {
    Xapian::Query q = c.query.empty() ? Xapian::Query(std::string()) : c.query;
    for (const Selection& sel : selections) {
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, sel.query);
    }
    if (!date_query.empty())
      q = Xapian::Query(Xapian::Query::OP_FILTER, q, date_query);
    if (sort == SortOrder::kRelevance) {
      page = ShardsRankedPage(q, static_cast<Xapian::doccount>(offset),
                              static_cast<Xapian::doccount>(request.per_page),
                              static_cast<Xapian::doccount>(resp.total));
    } else {
      page = DatePage(q, sort == SortOrder::kNewest,
                      static_cast<Xapian::doccount>(offset),
                      static_cast<Xapian::doccount>(request.per_page),
                      static_cast<Xapian::doccount>(resp.total));
    }
  }
  if (!page.empty()) {
    std::optional<Highlighter> highlighter;
    if (request.want_snippets) highlighter.emplace(MakeHighlighter(c));
    std::vector<Xapian::docid> dids;
    for (const RankSpy::Ranked& r : page) dids.push_back(r.did);
    const std::vector<std::string> data = DocumentData(dids);
    for (size_t i = 0; i < page.size(); ++i) {
      const RankSpy::Ranked& r = page[i];
      Result<Article> a = ArticleFromData(data[i]);
      if (!a.ok()) return a.status();
      Hit h = HitFromArticle(*a);
      h.score = r.weight;
      if (highlighter) {
        if (!highlighter->empty()) {
          h.title_html = highlighter->Mark(a->title);
          h.snippets = highlighter->Snippets(SnippetParagraphs(*a),
                                             kSnippetFragments, kSnippetChars);
        }
        if (h.snippets.empty()) {
          std::string lede = LedeSnippet(*a);
          if (!lede.empty()) h.snippets.push_back(std::move(lede));
        }
      }
      resp.hits.push_back(std::move(h));
    }
  }

  resp.corrected = DidYouMean(request, c, resp.total);
  resp.took_ms = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  return resp;
}

std::optional<std::string> Searcher::Impl::DidYouMean(
    const SearchRequest& request, const query::Compiled& c, long total) {
  std::vector<query::WordRef> words = c.words;
  std::sort(words.begin(), words.end(),
            [](const auto& a, const auto& b) { return a.begin > b.begin; });
  std::string corrected = request.q;
  bool any = false;
  for (const query::WordRef& w : words) {
    Xapian::doccount tf = TermFreq(w.term);
    // Unknown words always; a word in a single article only when the
    // results are thin and a far more common spelling exists.
    if (tf > 1 || (tf == 1 && total >= request.per_page)) continue;
    // A word whose stem is common is spelt right: it already finds its
    // other forms ("government" finds "governments"), and the filters, not
    // the spelling, make the results thin.
    const std::string stem = analyzer.Stem(w.term);
    std::string stem_term(schema::kStemPrefix);
    stem_term += stem;
    if (!stem.empty() && TermFreq(stem_term) > 1) continue;
    std::optional<std::string> better = SuggestSpelling(w.term, tf, *snap, db);
    if (!better) continue;
    // A suggestion of the same stem would find the same articles.
    if (!stem.empty() && analyzer.Stem(*better) == stem) continue;
    corrected.replace(w.begin, w.end - w.begin, *better);
    any = true;
  }
  if (!any) return std::nullopt;
  return corrected;
}

Result<ArticleView> Searcher::GetArticle(const std::string& id,
                                         const std::string& q) {
  if (q.size() > kMaxQueryLength) {
    return Status::InvalidArgument(
        "q is " + std::to_string(q.size()) +
        " bytes long; the longest query allowed is " +
        std::to_string(kMaxQueryLength) + " bytes");
  }
  return impl_->Run<ArticleView>(
      "reading article", [&]() -> Result<ArticleView> {
        std::optional<Xapian::docid> did = impl_->FindDoc(id);
        if (!did) return Status::NotFound("no article with id \"" + id + "\"");
        Result<Article> a = impl_->ReadArticle(*did);
        if (!a.ok()) return a.status();
        query::Compiled c = impl_->Compile(q, DefaultOp::kAnd);
        Highlighter h = impl_->MakeHighlighter(c);
        ArticleView v;
        v.title_html = h.Mark(a->title);
        v.lede_html = h.Mark(a->lede);
        v.bio_html = EscapeHtml(a->bio);
        for (const Block& b : a->body) {
          v.body_html.emplace_back(b.kind == Block::Kind::kHeading,
                                   h.Mark(b.text, &v.match_count));
        }
        v.article = std::move(a.value());
        return v;
      });
}

Result<std::vector<Hit>> Searcher::Related(const std::string& id, int limit) {
  if (limit < 1 || limit > kMaxPerPage) {
    return Status::InvalidArgument("limit must be between 1 and " +
                                   std::to_string(kMaxPerPage) + ", got " +
                                   std::to_string(limit));
  }
  return impl_->Run<std::vector<Hit>>(
      "finding related articles", [&]() -> Result<std::vector<Hit>> {
        Xapian::Database& db = impl_->db;
        std::optional<Xapian::docid> did = impl_->FindDoc(id);
        if (!did) return Status::NotFound("no article with id \"" + id + "\"");
        Xapian::Document self = db.get_document(*did);
        Result<Article> article = ArticleFromData(self.get_data());
        if (!article.ok()) return article.status();
        std::string self_hash = self.get_value(schema::kContentHash);
        std::set<std::string> seen = {TitleBodyHash(*article)};

        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query(schema::IdTerm(id)));
        Xapian::RSet rset;
        rset.add_document(*did);
        auto max_freq = static_cast<Xapian::doccount>(
            std::max(5.0, std::ceil(kRelatedMaxTermShare * db.get_doccount())));
        std::set<std::string> stop_stems =
            query::StopWordStems(impl_->analyzer);
        RelatedTermDecider decider(db, kRelatedMinDocs, max_freq, stop_stems);
        // Exact term frequencies: over shards Xapian would otherwise take
        // them from the article's own shard alone.
        Xapian::ESet eset = enquire.get_eset(
            kRelatedTerms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        std::vector<Hit> hits;
        if (eset.empty()) return hits;
        std::vector<Xapian::Query> terms;
        double top = std::max(1e-9, eset.begin().get_weight());
        for (auto t = eset.begin(); t != eset.end(); ++t) {
          terms.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t),
                             t.get_weight() / top);
        }
        Xapian::Query q(
            Xapian::Query::OP_AND_NOT,
            Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()),
            Xapian::Query(schema::IdTerm(id)));
        enquire.set_query(q);
        enquire.set_weighting_scheme(MakeBm25());
        Xapian::MSet mset =
            RankedPage(enquire, 0, static_cast<Xapian::doccount>(limit) + 20,
                       db.get_doccount());
        for (auto it = mset.begin();
             it != mset.end() && hits.size() < static_cast<size_t>(limit);
             ++it) {
          if (*it == *did) continue;
          Xapian::Document doc = it.get_document();
          if (!self_hash.empty() &&
              doc.get_value(schema::kContentHash) == self_hash)
            continue;
          Result<Article> a = ArticleFromData(doc.get_data());
          if (!a.ok()) return a.status();
          if (!seen.insert(TitleBodyHash(*a)).second) continue;  // a duplicate
          Hit h = HitFromArticle(*a);
          h.score = it.get_weight();
          std::string lede = LedeSnippet(*a);
          if (!lede.empty()) h.snippets.push_back(std::move(lede));
          hits.push_back(std::move(h));
        }
        return hits;
      });
}

namespace {

bool IsFacetName(const std::string& name) {
  return std::any_of(std::begin(schema::kFacets), std::end(schema::kFacets),
                     [&](const auto& def) { return def.name == name; });
}

// The arguments both FacetValues take, checked.
Status CheckFacetArguments(const std::string& name, int limit) {
  if (!IsFacetName(name)) {
    return Status::InvalidArgument("unknown facet \"" + name + "\": use " +
                                   FacetNames());
  }
  if (limit < 1 || limit > kMaxFacetLimit) {
    return Status::InvalidArgument("limit must be between 1 and " +
                                   std::to_string(kMaxFacetLimit) + ", got " +
                                   std::to_string(limit));
  }
  return Status::Ok();
}

// Whether a word of folded value `value` starts with folded `key` ("" matches
// every value).
bool WordStartsWith(const std::string& value, const std::string& key) {
  if (key.empty()) return true;
  for (size_t pos = value.find(key); pos != std::string::npos;
       pos = value.find(key, pos + 1)) {
    if (pos == 0 || value[pos - 1] == ' ') return true;
  }
  return false;
}

}  // namespace

Result<std::vector<FacetValue>> Searcher::FacetValues(const std::string& name,
                                                      const std::string& prefix,
                                                      int limit) {
  if (Status s = CheckFacetArguments(name, limit); !s.ok()) return s;
  return impl_->Run<std::vector<FacetValue>>(
      "listing facet values", [&]() -> Result<std::vector<FacetValue>> {
        const FacetIndex& f = *impl_->snap->Facet(name);
        std::string key = impl_->analyzer.FoldKey(prefix);
        std::vector<FacetValue> out;
        for (size_t v = 0; v < f.values.size(); ++v) {
          if (WordStartsWith(f.keys[v], key))
            out.push_back({f.values[v],
                           static_cast<long>(f.docs[v].Cardinality()), false});
        }
        std::sort(out.begin(), out.end(),
                  [](const FacetValue& a, const FacetValue& b) {
                    return a.count != b.count ? a.count > b.count
                                              : a.value < b.value;
                  });
        if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
        return out;
      });
}

Result<std::vector<FacetValue>> Searcher::FacetValues(
    const std::string& name, const std::string& prefix, int limit,
    const SearchRequest& scope) {
  if (Status s = CheckFacetArguments(name, limit); !s.ok()) return s;
  if (scope.q.size() > kMaxQueryLength) {
    return Status::InvalidArgument(
        "q is " + std::to_string(scope.q.size()) +
        " bytes long; the longest query allowed is " +
        std::to_string(kMaxQueryLength) + " bytes");
  }
  for (const std::string* date : {&scope.from, &scope.to}) {
    if (!date->empty() && !IsIsoDate(*date)) {
      return Status::InvalidArgument(
          std::string(date == &scope.from ? "from" : "to") +
          " must be a date YYYY-MM-DD, got \"" + *date + "\"");
    }
  }
  for (const auto& filter : scope.filters) {
    if (!IsFacetName(filter.first)) {
      return Status::InvalidArgument("unknown facet \"" + filter.first +
                                     "\": use " + FacetNames());
    }
  }
  return impl_->Run<std::vector<FacetValue>>(
      "listing facet values", [&]() -> Result<std::vector<FacetValue>> {
        const Snapshot& s = *impl_->snap;
        const FacetIndex& f = *s.Facet(name);
        Bitmap base = impl_->MatchSet(impl_->Compile(scope.q, scope.op).query);
        if (!scope.from.empty() || !scope.to.empty()) {
          auto bound = [](const std::string& date, bool upper) -> uint32_t {
            return date.empty() ? 0
                                : std::stoul(*query::DateBound(date, upper));
          };
          base.And(
              s.DateRange(bound(scope.from, false), bound(scope.to, true)));
        }
        // Filters resolved as Search() resolves them: the exact value, else
        // the values equal to it but for case and accents.
        std::set<uint32_t> selected;
        for (const auto& [facet, values] : scope.filters) {
          if (values.empty()) continue;
          const FacetIndex& other = *s.Facet(facet);
          Bitmap docs;
          for (const std::string& raw : values) {
            std::vector<uint32_t> ids;
            if (auto e = other.ids.find(raw); e != other.ids.end()) {
              ids.push_back(e->second);
            } else if (std::string key = impl_->analyzer.FoldKey(raw);
                       !key.empty()) {
              for (uint32_t v = 0; v < other.keys.size(); ++v) {
                if (other.keys[v] == key) ids.push_back(v);
              }
            }
            for (uint32_t v : ids) {
              if (&other == &f) {
                selected.insert(v);
              } else {
                docs.Or(other.docs[v]);
              }
            }
          }
          if (&other != &f) base.And(docs);
        }
        std::vector<uint32_t> counts = f.Count(base);
        std::string key = impl_->analyzer.FoldKey(prefix);
        std::vector<FacetValue> out;
        for (uint32_t v = 0; v < counts.size(); ++v) {
          bool chosen = selected.count(v) > 0;
          if (counts[v] == 0 && !chosen) continue;
          if (WordStartsWith(f.keys[v], key))
            out.push_back({f.values[v], counts[v], chosen});
        }
        std::sort(out.begin(), out.end(),
                  [](const FacetValue& a, const FacetValue& b) {
                    return a.count != b.count ? a.count > b.count
                                              : a.value < b.value;
                  });
        if (out.size() > static_cast<size_t>(limit)) out.resize(limit);
        return out;
      });
}

Result<IndexStats> Searcher::Stats() {
  return impl_->Run<IndexStats>(
      "reading index statistics", [&]() -> Result<IndexStats> {
        const Snapshot& s = *impl_->snap;
        IndexStats st;
        st.articles = static_cast<long>(impl_->db.get_doccount());
        st.first_date = ShowDate(s.min_date());
        st.last_date = ShowDate(s.max_date());
        for (const FacetIndex& f : s.facets()) {
          st.facet_cardinality[f.name] = static_cast<long>(f.values.size());
        }
        st.index_bytes = impl_->handle.Bytes();
        st.last_indexed = impl_->handle.LastIndexed();
        st.generation = impl_->handle.GenerationName();
        return st;
      });
}

}  // namespace pundit
