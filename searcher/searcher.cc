#include "searcher/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <limits>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/analyzer.h"
#include "core/document.h"
#include "core/schema.h"
#include "core/store.h"
#include "searcher/collapse.h"
#include "searcher/facet_counts.h"
#include "searcher/filters.h"
#include "searcher/highlight.h"
#include "searcher/hits.h"
#include "searcher/index_handle.h"
#include "searcher/matcher.h"
#include "searcher/periods.h"
#include "searcher/position_match.h"
#include "searcher/query.h"
#include "searcher/research.h"
#include "searcher/snapshot.h"
#include "searcher/spelling.h"
#include "searcher/terms.h"
#include "searcher/timeline.h"

namespace pundit {
namespace {

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
// Documents read at once from which their data is read on several threads
// (an export batch, not a page of hits).
constexpr size_t kParallelReadMin = 256;
constexpr double kRelatedMaxTermShare = 0.1;
constexpr Xapian::doccount kRelatedMinDocs = 2;

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
  Analyzer analyzer;
  SentenceBreaker breaker;
  // The match passes, over `db` (searcher/matcher.h).
  Matcher matcher{options, handle, db,
                  [this](const Xapian::Query& q, const Xapian::MSet& mset) {
                    KeepTermFreqs(q, mset);
                  }};

  // Opens the index afresh (the live generation, or every shard).
  Status Reopen() {
    if (Status s = handle.Open(options.db_dir, options.shard_timeout_ms);
        !s.ok()) {
      return s;
    }
    handle.set_remote_refresh_ms(options.shard_refresh_ms);
    db = handle.db();
    broken = false;
    snap = Snapshot::Get(db, handle.shards(), analyzer, handle.Key());
    return Status::Ok();
  }

  // Cheap freshness check before each call (IndexHandle::Refresh; `force`
  // after a failed attempt), then the snapshot of what it reads.
  Status Refresh(bool force) {
    if (Status s = handle.Refresh(force); !s.ok()) return s;
    db = handle.db();
    std::string key = handle.Key();
    if (!snap || snap->key() != key) {
      snap = Snapshot::Get(db, handle.shards(), analyzer, key);
    }
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
        Status s = attempt % 3 == 2 || broken ? Reopen() : Refresh(attempt > 0);
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
    return [this](const std::string& literal, const std::string& pattern,
                  size_t limit) {
      std::vector<std::pair<Xapian::doccount, std::string>> found;
      auto t = db.allterms_begin(literal);
      for (; t != db.allterms_end(literal); ++t) {
        const std::string& term = *t;
        // Over the whole vocabulary: prefixed terms (an upper-case first
        // letter, Omega's convention) are not words.
        if (literal.empty() && term[0] >= 'A' && term[0] <= 'Z') {
          t.skip_to("[");  // the byte after 'Z'
          if (t == db.allterms_end(literal)) break;
        }
        if (!pattern.empty() && !query::WildcardMatches(pattern, *t)) continue;
        found.emplace_back(t.get_termfreq(), *t);
      }
      query::Expansion out;
      out.matched = found.size();
      size_t n = std::min(limit, found.size());
      std::partial_sort(
          found.begin(), found.begin() + n, found.end(),
          [](const auto& a, const auto& b) { return a.first > b.first; });
      for (size_t i = 0; i < n; ++i) {
        out.terms.push_back(std::move(found[i].second));
      }
      return out;
    };
  }

  query::Compiled Compile(const std::string& q, DefaultOp op) {
    return query::ParseAndCompile(q, op, analyzer, Resolver(), Expander());
  }

  // The stored data of documents `dids`, in order: taken from `carried`
  // (what came with the match, MatchSet::carried) where it is there, the
  // others read (ReadDocumentData).
  std::vector<std::string> DocumentData(
      const std::vector<Xapian::docid>& dids,
      const std::unordered_map<Xapian::docid, std::string>* carried = nullptr) {
    if (!carried || carried->empty()) return ReadDocumentData(dids);
    std::vector<std::string> data(dids.size());
    std::vector<Xapian::docid> missing;
    std::vector<size_t> at;
    for (size_t i = 0; i < dids.size(); ++i) {
      auto it = carried->find(dids[i]);
      if (it != carried->end()) {
        data[i] = it->second;
      } else {
        missing.push_back(dids[i]);
        at.push_back(i);
      }
    }
    std::vector<std::string> read = ReadDocumentData(missing);
    for (size_t j = 0; j < at.size(); ++j) data[at[j]] = std::move(read[j]);
    return data;
  }

  // The stored data of documents `dids`, in order, read from the index.
  // Many at once on one index are read on several threads, each with its
  // own handle. Over shards, each shard's documents are asked for on a
  // thread of their own (a round trip each): a thread uses only its shard's
  // handle, which nothing else uses meanwhile.
  std::vector<std::string> ReadDocumentData(
      const std::vector<Xapian::docid>& dids) {
    std::vector<std::string> data(dids.size());
    const std::vector<Xapian::Database>& shards = handle.shards();
    const Xapian::docid n = static_cast<Xapian::docid>(shards.size());
    if (handle.local() && dids.size() >= kParallelReadMin) {
      // Many documents (an export batch): reading and inflating their data
      // is most of the work, split across handles on this revision.
      const std::vector<Xapian::Database*> handles = matcher.RevisionHandles();
      const size_t k = handles.size();
      std::vector<std::future<void>> reads;
      auto read = [&](size_t part) {
        for (size_t i = dids.size() * part / k;
             i < dids.size() * (part + 1) / k; ++i) {
          data[i] = handles[part]->get_document(dids[i]).get_data();
        }
      };
      for (size_t part = 1; part < k; ++part) {
        reads.push_back(std::async(std::launch::async, read, part));
      }
      read(0);
      for (auto& r : reads) r.get();
      return data;
    }
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

  // Without words to rank by, relevance means nothing: the newest first.
  static SortOrder EffectiveSort(SortOrder sort, const query::Compiled& c) {
    return sort == SortOrder::kRelevance && !c.has_text ? SortOrder::kNewest
                                                        : sort;
  }

  // The hits of `page`, in order, with snippets marked for `c` when
  // `snippets`, the stored data taken from `carried` where it is there.
  // kCorruption (or what ArticleFromData reports) for a
  // document whose stored data cannot be read.
  Result<std::vector<Hit>> Hits(
      const std::vector<RankedDoc>& page, const query::Compiled& c,
      bool snippets,
      const std::unordered_map<Xapian::docid, std::string>* carried) {
    std::vector<Hit> hits;
    if (page.empty()) return hits;
    std::optional<Highlighter> highlighter;
    if (snippets) highlighter.emplace(MakeHighlighter(c));
    std::vector<Xapian::docid> dids;
    for (const RankedDoc& r : page) dids.push_back(r.did);
    const std::vector<std::string> data = DocumentData(dids, carried);
    for (size_t i = 0; i < page.size(); ++i) {
      Result<Article> a = ArticleFromData(data[i]);
      if (!a.ok()) return a.status();
      hits.push_back(
          MakeHit(*a, page[i].weight, highlighter ? &*highlighter : nullptr));
    }
    return hits;
  }

  Result<SearchResponse> DoSearch(const SearchRequest& request);
  // Export and Attention on the current snapshot; `*sent` counts the hits
  // handed to `sink`.
  Status DoExport(const SearchRequest& request, const ExportOptions& options,
                  const HitBatchSink& sink, uint64_t* sent);
  Result<AttentionResponse> DoAttention(const AttentionRequest& request);

  // Hands the hits of `docs` (in order, with their weights, with what
  // `options` asks: ExportHitFromData, `highlighter` finding the matches in
  // context) to `sink` in batches; false when `sink` asked to stop.
  Result<bool> SendBatches(const std::vector<RankedDoc>& docs,
                           const ExportOptions& options,
                           Highlighter* highlighter, const HitBatchSink& sink,
                           uint64_t* sent) {
    for (size_t at = 0; at < docs.size(); at += kExportBatch) {
      const size_t end = std::min(docs.size(), at + kExportBatch);
      std::vector<Xapian::docid> dids;
      dids.reserve(end - at);
      for (size_t i = at; i < end; ++i) dids.push_back(docs[i].did);
      const std::vector<std::string> data = DocumentData(dids);
      std::vector<Hit> batch;
      batch.reserve(dids.size());
      for (size_t i = at; i < end; ++i) {
        Result<Hit> hit = ExportHitFromData(data[i - at], options, highlighter);
        if (!hit.ok()) return hit.status();
        hit->score = docs[i].weight;
        batch.push_back(std::move(*hit));
      }
      *sent += batch.size();
      if (!sink(batch)) return false;
    }
    return true;
  }

  // The entries of `ranked` that CollapsePage (searcher/collapse.h) keeps.
  static std::vector<RankedDoc> CollapsedPage(
      const FacetIndex& groups, const std::vector<RankedDoc>& ranked,
      uint64_t offset, int per_page) {
    std::vector<uint32_t> dids;
    for (const RankedDoc& r : ranked) dids.push_back(r.did);
    std::vector<RankedDoc> page;
    for (size_t i :
         CollapsePage(groups, dids, offset, static_cast<uint64_t>(per_page))) {
      page.push_back(ranked[i]);
    }
    return page;
  }

  // Fills hits[i].copies with the other members of page[i]'s group in
  // `set`. kCorruption for stored data that is not an article.
  Status AddCopies(
      const FacetIndex& groups, const Bitmap& set,
      const std::vector<RankedDoc>& page, std::vector<Hit>& hits,
      const std::unordered_map<Xapian::docid, std::string>* carried) {
    for (size_t i = 0; i < page.size() && i < hits.size(); ++i) {
      const std::vector<uint32_t> copies = CopiesIn(groups, set, page[i].did);
      if (copies.empty()) continue;
      const std::vector<std::string> data = DocumentData(
          std::vector<Xapian::docid>(copies.begin(), copies.end()), carried);
      for (const std::string& d : data) {
        Result<Article> a = ArticleFromData(d);
        if (!a.ok()) return a.status();
        hits[i].copies.push_back({a->id, a->source, a->url, a->date});
      }
    }
    return Status::Ok();
  }

  std::optional<std::string> DidYouMean(const SearchRequest& request,
                                        const query::Compiled& c, long total);
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

namespace {

// kInvalidArgument when `q` is longer than kMaxQueryLength bytes or has more
// than kMaxQueryWords words (as the index cuts them), the costs a query
// may not exceed.
Status CheckQuery(const std::string& q) {
  if (q.size() > kMaxQueryLength) {
    return Status::InvalidArgument(
        "q is " + std::to_string(q.size()) +
        " bytes long; the longest query allowed is " +
        std::to_string(kMaxQueryLength) + " bytes");
  }
  thread_local Analyzer analyzer;  // words as the index cuts them
  size_t words = analyzer.Tokenize(q).size();
  if (words > kMaxQueryWords) {
    return Status::InvalidArgument(
        "q has " + std::to_string(words) + " words; a query may have at most " +
        std::to_string(kMaxQueryWords) + ": keep the words that matter");
  }
  return Status::Ok();
}

}  // namespace

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

Status Searcher::Validate(const SearchRequest& request) {
  if (request.page < 1) {
    return Status::InvalidArgument("page must be 1 or more, got " +
                                   std::to_string(request.page));
  }
  if (request.per_page < 1 || request.per_page > kMaxSearchPerPage) {
    return Status::InvalidArgument("per_page must be between 1 and " +
                                   std::to_string(kMaxSearchPerPage) +
                                   ", got " + std::to_string(request.per_page));
  }
  if (request.facet_limit < 0 || request.facet_limit > kMaxFacetLimit) {
    return Status::InvalidArgument("facet_limit must be between 0 and " +
                                   std::to_string(kMaxFacetLimit) + ", got " +
                                   std::to_string(request.facet_limit));
  }
  if (Status s = CheckQuery(request.q); !s.ok()) return s;
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
  return Status::Ok();
}

Result<SearchResponse> Searcher::Search(const SearchRequest& request) {
  if (Status s = Validate(request); !s.ok()) return s;
  Result<SearchResponse> typed = impl_->Run<SearchResponse>(
      "searching", [&] { return impl_->DoSearch(request); });
  if (!typed.ok() || typed->total > 0 || !typed->corrected ||
      !request.correct_zero_hits) {
    return typed;
  }
  return ShowCorrection(request, std::move(*typed));
}

Result<SearchResponse> Searcher::ShowCorrection(const SearchRequest& request,
                                                SearchResponse typed) {
  SearchRequest corrected = request;
  corrected.q = *typed.corrected;
  Result<SearchResponse> r = impl_->Run<SearchResponse>(
      "searching", [&] { return impl_->DoSearch(corrected); });
  if (!r.ok() || r->total == 0) return typed;
  r->q = request.q;
  r->showing = corrected.q;
  r->corrected = typed.corrected;
  r->took_ms += typed.took_ms;
  r->stages += typed.stages;
  return r;
}

Result<SearchResponse> Searcher::Impl::DoSearch(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  // Milliseconds since the last lap (or the start).
  auto lap = [last = started]() mutable {
    const auto now = std::chrono::steady_clock::now();
    const double ms =
        std::chrono::duration<double, std::milli>(now - last).count();
    last = now;
    return ms;
  };
  const Snapshot& s = *snap;
  SearchResponse resp;
  resp.q = request.q;
  resp.page = request.page;
  resp.per_page = request.per_page;

  query::Compiled c = Compile(request.q, request.op);
  resp.interpreted = c.interpreted;
  resp.notice = c.notice;
  const RequestFilters filters = ResolveFilters(request, s, analyzer);
  const SortOrder sort = EffectiveSort(request.sort, c);
  const uint64_t offset = static_cast<uint64_t>(request.page - 1) *
                          static_cast<uint64_t>(request.per_page);

  // Collapsing copies, a page is cut from the first offset + per_page +
  // `extra` ranked matches (searcher/collapse.h).
  const FacetIndex& groups = s.groups();
  uint64_t extra =
      request.collapse
          ? ExtraCopies(groups, filters.docs ? *filters.docs : s.all())
          : 0;
  const MatchSet m =
      matcher.Match(c.query, filters, sort, offset + request.per_page + extra,
                    s, offset + request.per_page);
  resp.total = static_cast<long>(m.filtered.Cardinality());
  const uint64_t copies_in_total = ExtraCopies(groups, m.filtered);
  resp.total_groups = resp.total - static_cast<long>(copies_in_total);
  resp.collapsed = request.collapse;
  if (request.collapse) extra = copies_in_total;
  resp.stages.match_ms = lap();

  if (request.want_facets) {
    resp.facets = CountFacets(s, filters, m, request.facet_limit);
    CountTimeline(s, m.filtered, &resp.timeline_unit, &resp.timeline);
  }
  resp.stages.facets_ms = lap();

  // Collapsing, the page is ranked from the first match and cut here.
  const uint64_t fetch_offset = request.collapse ? 0 : offset;
  const uint64_t fetch_count =
      request.collapse ? offset + request.per_page + extra : request.per_page;
  std::vector<RankedDoc> page =
      matcher.RankPage(c.query, filters, m, sort, fetch_offset, fetch_count);
  if (request.collapse) {
    page = CollapsedPage(groups, page, offset, request.per_page);
  }
  Result<std::vector<Hit>> hits =
      Hits(page, c, request.want_snippets, &m.carried);
  if (!hits.ok()) return hits.status();
  resp.hits = std::move(*hits);
  if (request.collapse) {
    Status copies = AddCopies(groups, m.filtered, page, resp.hits, &m.carried);
    if (!copies.ok()) return copies;
  }
  resp.stages.page_ms = lap();

  resp.corrected = DidYouMean(request, c, resp.total);
  resp.stages.suggest_ms = lap();
  resp.took_ms = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - started)
                     .count();
  return resp;
}

Status Searcher::Impl::DoExport(const SearchRequest& request,
                                const ExportOptions& options,
                                const HitBatchSink& sink, uint64_t* sent) {
  const Snapshot& s = *snap;
  query::Compiled c = Compile(request.q, request.op);
  std::optional<Highlighter> highlighter;
  if (options.context > 0) {
    highlighter.emplace(MakeHighlighter(c));
    // No word to find (exclusions or author: alone): no match in context,
    // whatever the articles.
    if (highlighter->empty()) return Status::Ok();
  }
  Highlighter* marks = highlighter ? &*highlighter : nullptr;
  const RequestFilters filters = ResolveFilters(request, s, analyzer);
  const SortOrder sort = EffectiveSort(request.sort, c);
  const uint64_t limit = options.limit > 0
                             ? static_cast<uint64_t>(options.limit)
                             : std::numeric_limits<uint64_t>::max();
  const MatchSet m = matcher.Match(c.query, filters, sort, limit, s);
  if (m.ranked) return SendBatches(m.best, options, marks, sink, sent).status();
  if (sort == SortOrder::kRelevance) {
    // Over local shard folders Match ranks nothing: rank what is sent in
    // one pass. (A page at a time scored every match again for each page:
    // 316 passes for 315,595 matches; the last page's pass held them all
    // anyway.)
    const uint64_t n = std::min<uint64_t>(limit, m.filtered.Cardinality());
    return SendBatches(matcher.RankPage(c.query, filters, m, sort, 0, n),
                       options, marks, sink, sent)
        .status();
  }
  // By date from the snapshot, undated last, then by docid.
  std::vector<std::pair<uint32_t, uint32_t>> keyed;  // (date key, docid)
  keyed.reserve(m.filtered.Cardinality());
  const bool newest = sort == SortOrder::kNewest;
  m.filtered.ForEach([&](uint32_t did) {
    const uint32_t d = s.Date(did);
    keyed.emplace_back(d == 0   ? UINT32_MAX
                       : newest ? UINT32_MAX - 1 - d
                                : d,
                       did);
  });
  if (keyed.size() > limit) {
    const auto end = keyed.begin() + static_cast<std::ptrdiff_t>(limit);
    std::partial_sort(keyed.begin(), end, keyed.end());
    keyed.erase(end, keyed.end());
  } else {
    std::sort(keyed.begin(), keyed.end());
  }
  std::vector<RankedDoc> docs;
  docs.reserve(keyed.size());
  for (const auto& [key, did] : keyed) docs.push_back({0.0, did});
  keyed = {};
  return SendBatches(docs, options, marks, sink, sent).status();
}

Result<AttentionResponse> Searcher::Impl::DoAttention(
    const AttentionRequest& request) {
  const Snapshot& s = *snap;
  const Interval interval = request.interval;
  const RequestFilters filters = ResolveFilters(request.scope, s, analyzer);
  // With dedup, each group of copies once: its first publication.
  auto counted = [&](const Bitmap& docs) {
    if (!request.dedup) return docs;
    return FirstOfEachGroup(s.groups(), docs,
                            [&s](uint32_t did) { return s.Date(did); });
  };
  const Bitmap base = counted(filters.docs ? *filters.docs : s.all());

  // The periods from the first to the last dated article under the filters.
  uint32_t first = 0, last = 0;
  base.ForEach([&](uint32_t did) {
    const uint32_t d = s.Date(did);
    if (d == 0) return;
    if (first == 0 || d < first) first = d;
    if (d > last) last = d;
  });
  int64_t lo = 0, periods = 0;
  if (first != 0) {
    lo = PeriodIndex(interval, first);
    periods = PeriodIndex(interval, last) - lo + 1;
  }
  if (periods > kMaxAttentionBuckets) {
    return Status::InvalidArgument(
        "interval " + std::string(IntervalName(interval)) + " gives " +
        std::to_string(periods) + " periods from " + ShowDate(first) + " to " +
        ShowDate(last) + "; at most " + std::to_string(kMaxAttentionBuckets) +
        " are allowed: use a longer interval or a narrower from/to");
  }
  // Matches per period: the documents of `docs` by the period of their date.
  auto per_period = [&](const Bitmap& docs) {
    std::vector<long> counts(static_cast<size_t>(periods), 0);
    uint32_t cached_date = 0;
    int64_t cached_slot = 0;
    docs.ForEach([&](uint32_t did) {
      const uint32_t d = s.Date(did);
      if (d == 0) return;
      if (d != cached_date) {
        cached_date = d;
        cached_slot = PeriodIndex(interval, d) - lo;
      }
      ++counts[static_cast<size_t>(cached_slot)];
    });
    return counts;
  };
  const std::vector<long> all = per_period(base);

  AttentionResponse resp;
  resp.interval = interval;
  for (const std::string& q : request.queries) {
    const Bitmap match = counted(
        filters.Apply(matcher.MatchAll(Compile(q, request.scope.op).query, s)));
    const std::vector<long> counts = per_period(match);
    AttentionSeries series;
    series.q = q;
    series.total = static_cast<long>(match.Cardinality());
    series.buckets.reserve(counts.size());
    for (size_t i = 0; i < counts.size(); ++i) {
      series.buckets.push_back(
          {PeriodKey(interval, lo + static_cast<int64_t>(i)), counts[i], all[i],
           all[i] ? static_cast<double>(counts[i]) / all[i] : 0.0});
    }
    resp.series.push_back(std::move(series));
  }
  return resp;
}

Status Searcher::ValidateExport(const SearchRequest& request,
                                const ExportOptions& options) {
  if (Status s = Validate(request); !s.ok()) return s;
  if (options.context < 0 || options.context > kMaxExportContext) {
    return Status::InvalidArgument("context must be between 0 and " +
                                   std::to_string(kMaxExportContext) +
                                   ", got " + std::to_string(options.context));
  }
  if (options.context > 0 &&
      request.q.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument(
        "context shows a query's matches in their text: give q, the words "
        "to find");
  }
  if (options.limit < 0 || options.limit > kMaxExportLimit) {
    return Status::InvalidArgument("limit must be between 0 and " +
                                   std::to_string(kMaxExportLimit) + ", got " +
                                   std::to_string(options.limit));
  }
  return Status::Ok();
}

Status Searcher::Export(const SearchRequest& request,
                        const ExportOptions& options,
                        const HitBatchSink& sink) {
  if (Status s = ValidateExport(request, options); !s.ok()) return s;
  uint64_t sent = 0;
  Result<bool> done = impl_->Run<bool>("exporting", [&]() -> Result<bool> {
    // A retry after hits went out would repeat them or mix revisions.
    if (sent > 0) {
      return Status::Unavailable("the index changed during the export after " +
                                 std::to_string(sent) +
                                 " articles; export again");
    }
    if (Status s = impl_->DoExport(request, options, sink, &sent); !s.ok())
      return s;
    return true;
  });
  return done.status();
}

Result<AttentionResponse> Searcher::Attention(const AttentionRequest& request) {
  if (request.queries.empty() ||
      request.queries.size() > kMaxAttentionQueries) {
    return Status::InvalidArgument(
        "give between 1 and " + std::to_string(kMaxAttentionQueries) +
        " queries (q), got " + std::to_string(request.queries.size()));
  }
  for (const std::string& q : request.queries) {
    if (q.size() > kMaxQueryLength) {
      return Status::InvalidArgument(
          "q is " + std::to_string(q.size()) +
          " bytes long; the longest query allowed is " +
          std::to_string(kMaxQueryLength) + " bytes");
    }
  }
  SearchRequest scope = request.scope;
  scope.q.clear();
  scope.page = 1;
  scope.per_page = 1;
  scope.facet_limit = 0;
  if (Status s = Validate(scope); !s.ok()) return s;
  return impl_->Run<AttentionResponse>(
      "counting attention", [&] { return impl_->DoAttention(request); });
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
  if (Status s = CheckQuery(q); !s.ok()) return s;
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
  if (Status s = CheckQuery(scope.q); !s.ok()) return s;
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
        // Filters resolved as Search() resolves them; this facet's own
        // selection is not a filter here (the disjunctive rule).
        const RequestFilters filters =
            ResolveFilters(scope, s, impl_->analyzer);
        const Selection* own = nullptr;
        for (const Selection& sel : filters.selections) {
          if (sel.facet == &f) own = &sel;
        }
        std::set<uint32_t> selected;
        if (own) {
          for (int v : own->ids) {
            if (v >= 0) selected.insert(static_cast<uint32_t>(v));
          }
        }
        const Bitmap base = filters.AllBut(
            impl_->matcher.MatchAll(impl_->Compile(scope.q, scope.op).query, s),
            own);
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

Result<std::vector<SignificantTerm>> Searcher::SignificantTerms(
    const SearchRequest& request, int limit) {
  if (limit < 1 || limit > kMaxTermsLimit) {
    return Status::InvalidArgument("limit must be between 1 and " +
                                   std::to_string(kMaxTermsLimit) + ", got " +
                                   std::to_string(limit));
  }
  // The text phrases come from: the search's best kTermsPhraseDocs by
  // relevance (the newest without words).
  if (Status s = Validate(request); !s.ok()) return s;
  return impl_->Run<std::vector<SignificantTerm>>(
      "finding significant terms",
      [&]() -> Result<std::vector<SignificantTerm>> {
        Impl& impl = *impl_;
        const Snapshot& snap = *impl.snap;
        const query::Compiled c = impl.Compile(request.q, request.op);
        const RequestFilters filters =
            ResolveFilters(request, snap, impl.analyzer);
        const SortOrder sort = Impl::EffectiveSort(SortOrder::kRelevance, c);
        const MatchSet m =
            impl.matcher.Match(c.query, filters, sort, kTermsPhraseDocs, snap);
        const std::vector<RankedDoc> top = impl.matcher.RankPage(
            c.query, filters, m, sort, 0, kTermsPhraseDocs);
        std::vector<Xapian::docid> dids;
        for (const RankedDoc& r : top) dids.push_back(r.did);
        TermsInput in;
        in.db = impl.db;
        in.query = c.query;
        in.matches = &m.filtered;
        in.top_data = impl.DocumentData(dids);
        in.phrase_docs = [&impl, &snap](const std::string& phrase) {
          return impl.matcher.MatchAll(
              impl.Compile("\"" + phrase + "\"", DefaultOp::kAnd).query, snap);
        };
        return FindSignificantTerms(in, impl.analyzer,
                                    static_cast<size_t>(limit));
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
