// Searcher: ranked, faceted search over a pundit database, with highlighted
// snippets, did-you-mean and related articles. No Xapian type appears here.
//
// Ownership and threads: a Searcher owns one Xapian read handle and one
// Analyzer and is NOT thread-safe; use each Searcher from one thread at a
// time (the web server lends them to requests from a bounded pool,
// web/searcher_pool.h). Facet data derived from the index
// (per-document facet values, built once per index revision) is shared between
// Searchers of the same folder through an immutable, reference-counted
// snapshot, so extra Searchers cost little.
//
// Freshness: every call first checks whether the live generation or its
// revision changed (a new `pundit index` commit or a `--full` swap) and, if
// so, reopens before answering. A call therefore never fails because of a
// concurrent reindex.
#ifndef PUNDIT_SEARCHER_SEARCHER_H_
#define PUNDIT_SEARCHER_SEARCHER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/article.h"
#include "core/status.h"
#include "searcher/default_op.h"

namespace pundit {

// Below this many postings a match pass takes a few milliseconds, less than
// a split gains (docs/BENCHMARKS.md, "Splitting the match pass at 100k").
inline constexpr uint64_t kSplitMinPostings = 40000;
inline constexpr unsigned kMaxMatchThreads = 4;

struct SearcherOptions {
  // A pundit database folder (core/store.h), or a stub file naming shards
  // (`remote HOST:PORT` lines, searcher/index_handle.h), or a folder holding
  // shards.stub. Over shards every answer is that of one index of all
  // their articles; a shard that cannot be reached makes the call fail
  // with kUnavailable naming HOST:PORT, and a later call reconnects.
  std::string db_dir;
  // How long a shard server may take to connect or answer, in ms.
  int shard_timeout_ms = 4000;
  // Over shard servers: a shard's new commits are seen within this many ms
  // (asking for them is a round trip to every shard, which a search then
  // need not pay); 0 = before every call. A shard's swapped generation, a
  // restart or a failure is seen at once.
  int shard_refresh_ms = 1000;
  // Threads one search may use for its match pass. A pass whose terms
  // have at least `split_min_postings` postings in all is split by docid
  // into this many parts, each read by its own thread on its own handle of
  // the same revision; the response is the same as from one pass. 0: one
  // per core, at most kMaxMatchThreads; 1: never split.
  unsigned match_threads = 0;
  uint64_t split_min_postings = kSplitMinPostings;
};

enum class SortOrder { kRelevance, kNewest, kOldest };

// Limits enforced by Search() (a request over them is kInvalidArgument).
// kMaxPerPage is the JSON API's and the page's cap on per_page; Search()
// itself takes up to kMaxSearchPerPage (the command line's --limit).
inline constexpr int kMaxPerPage = 100;
inline constexpr int kMaxSearchPerPage = 1000;
inline constexpr size_t kMaxQueryLength = 10000;  // bytes
// Words in a query (each word of a phrase counts): what a query costs.
inline constexpr size_t kMaxQueryWords = 1000;
inline constexpr int kMaxFacetLimit = 1000;

struct SearchRequest {
  std::string q;  // the query language of docs/API.md; may be empty
  // Facet filters by API name ("author", "region", "theme", "source",
  // "year"): values ORed within a facet, facets ANDed.
  std::map<std::string, std::vector<std::string>> filters;
  std::string from;  // "YYYY-MM-DD" inclusive, or ""
  std::string to;    // "YYYY-MM-DD" inclusive, or ""
  SortOrder sort = SortOrder::kRelevance;
  DefaultOp op = DefaultOp::kAnd;
  int page = 1;       // 1-based
  int per_page = 10;  // 1..kMaxSearchPerPage
  int facet_limit = 10;
  bool want_facets = true;    // facets and timeline
  bool want_snippets = true;  // snippets and title_html
  // When q matches nothing and its did-you-mean correction matches
  // something, answer with the correction's results (SearchResponse::
  // showing); false searches q as typed only.
  bool correct_zero_hits = true;
  // One hit per group of syndicated copies (its best-ranked member, the
  // others in Hit::copies); false (`collapse=none`): every copy is a hit.
  bool collapse = true;
};

// Another member of a hit's group of syndicated copies.
struct Copy {
  std::string id, source, url, date;
};

// One match of a query in a text, with the words around it: plain text
// (not escaped), runs of white space made one space; an export's row
// when asked with `context` (ExportOptions).
struct InContext {
  std::string left;   // up to N words before the match
  std::string match;  // the matched words, as spelled in the text
  std::string right;  // up to N words after it
};

// What an export carries besides each article's fields.
struct ExportOptions {
  bool text = false;  // each article's text (Hit::text)
  // 1..kMaxExportContext: each article's matches with this many words
  // either side (Hit::in_context); 0: none.
  int context = 0;
  // 1..kMaxExportLimit: only the first `limit` articles in the search's
  // order (a sample of the best, newest or oldest); 0: every match.
  int limit = 0;
};
inline constexpr int kMaxExportContext = 50;
inline constexpr int kMaxExportLimit = 1'000'000'000;

struct Hit {
  std::string id, title, title_html;  // title_html: escaped, <mark> matches
  std::vector<std::string> authors;
  std::string date;
  std::vector<std::string> regions, themes;
  std::string source, url;
  double score = 0;
  std::vector<std::string> snippets;  // escaped HTML, <mark> the only markup
  // Only in an export asked for it: the article's text as plain text, its
  // lede and then each block of its body, separated by blank lines.
  std::string text;
  // Only in an export asked for it (ExportOptions::context): every match
  // of the query in its title, lede and body, in that order, in context;
  // none from a title that is the start of the text (one derived from it).
  std::vector<InContext> in_context;
  // When collapsing: the other members of its group that the search
  // matches under its filters, by docid; empty otherwise.
  std::vector<Copy> copies;
};

struct FacetValue {
  std::string value;
  long count = 0;
  bool selected = false;
};

struct TimelineBucket {
  std::string key;  // "2019-01" (month) or "2019" (year)
  long count = 0;
};

// Milliseconds a search spent in each stage: the match set (and, ranked,
// the best under the filters), the facet counts and timeline, the page
// (ranking a page, reading its documents, snippets, copies) and the
// did-you-mean suggestion.
struct SearchStageTimes {
  double match_ms = 0;
  double facets_ms = 0;
  double page_ms = 0;
  double suggest_ms = 0;

  SearchStageTimes& operator+=(const SearchStageTimes& o) {
    match_ms += o.match_ms;
    facets_ms += o.facets_ms;
    page_ms += o.page_ms;
    suggest_ms += o.suggest_ms;
    return *this;
  }
};

struct SearchResponse {
  std::string q;
  std::string interpreted;               // how the query was read
  std::optional<std::string> corrected;  // did-you-mean, when one is found
  // The query whose results these are, when q matched nothing and they are
  // those of its correction (q stays as typed); nullopt otherwise.
  std::optional<std::string> showing;
  std::optional<std::string>
      notice;      // e.g. "syntax error ...: searched as plain words"
  long total = 0;  // exact
  // Exact, as total but with each group of syndicated copies counted once.
  long total_groups = 0;
  // request.collapse: one hit per group, paged over total_groups.
  bool collapsed = false;
  int page = 1, per_page = 10;
  double took_ms = 0;
  // Where took_ms went, by stage of the search (docs/ARCHITECTURE.md).
  SearchStageTimes stages;
  std::vector<Hit> hits;
  // Facet name -> values, in kFacets order; empty when !want_facets.
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;
  std::string timeline_unit;  // "month" or "year"
  std::vector<TimelineBucket> timeline;
};

// A word or two-word phrase over-represented in a search's matches
// (Searcher::SignificantTerms; the method is in searcher/terms.h).
struct SignificantTerm {
  std::string term;  // a folded word, or two joined by one space
  long count = 0;    // matching articles holding it
  double score = 0;  // log-likelihood ratio G^2 (matches vs the rest)
};

// The most terms SignificantTerms() lists.
inline constexpr int kMaxTermsLimit = 100;

// A whole article for the article page; with a query, matches are marked.
struct ArticleView {
  Article article;
  std::string title_html, lede_html, bio_html;
  std::vector<std::pair<bool, std::string>> body_html;  // (is_heading, html)
  int match_count = 0;                                  // marks in the body
};

struct IndexStats {
  long articles = 0;
  std::string first_date, last_date;              // "" when no dates
  std::map<std::string, long> facet_cardinality;  // facet name -> #values
  // Bytes of the index on disk; nullopt over shard servers, whose size
  // is not told (IndexHandle::Bytes).
  std::optional<long long> index_bytes;
  std::string last_indexed;  // ISO 8601, "" when unknown
  std::string generation;
};

struct AttentionRequest;   // searcher/research.h
struct AttentionResponse;  // searcher/research.h

class Searcher {
 public:
  // kNotFound when there is no index at options.db_dir, kVersionMismatch for
  // another schema version, kCorruption for a damaged one.
  static Result<std::unique_ptr<Searcher>> Open(const SearcherOptions& options);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // kInvalidArgument for: page < 1, per_page outside 1..kMaxSearchPerPage,
  // facet_limit outside 0..kMaxFacetLimit, q longer than kMaxQueryLength or
  // with more than kMaxQueryWords words,
  // from/to not a valid YYYY-MM-DD or from > to, an unknown facet name. A
  // query with a syntax error is not an error: it is searched as plain words
  // and `notice` says so.
  Result<SearchResponse> Search(const SearchRequest& request);

  // What Search() checks of `request`, without an index: OK, or the
  // kInvalidArgument Search() would return.
  static Status Validate(const SearchRequest& request);

  // Every match of `request` (its q, op, filters, from, to and sort; page,
  // per_page, facets and snippets are ignored), or the first
  // options.limit of them, handed to `sink` in
  // batches of kExportBatch hits (searcher/research.h) in the order of the
  // search: by relevance, best first; newest or oldest first (undated
  // last, then by docid), with score 0. Hits have no snippets and an
  // unmarked title_html; with options.text, each has its article's text
  // (Hit::text); with options.context, every match of q in its title, lede
  // and body in context (Hit::in_context: an article matched only through
  // its authors has none, and a query without words to find, such as
  // `-oil` or `author:"A B"`, sends no hit); with neither only the start
  // of each stored
  // article is read. Memory is that of one batch plus the order of the
  // matches sent (by relevance, Xapian's ranking of them: one pass).
  // Stops early, OK, when `sink` returns false. Errors: as Search(), and
  // what ValidateExport refuses; kUnavailable when
  // the index changed after hits were handed over (the export would not be
  // one revision's).
  Status Export(const SearchRequest& request, const ExportOptions& options,
                const std::function<bool(const std::vector<Hit>&)>& sink);

  // What Export() checks before it starts, without an index: Validate(),
  // and kInvalidArgument for options.context outside 0..kMaxExportContext
  // or given without a q, and options.limit outside 0..kMaxExportLimit.
  static Status ValidateExport(const SearchRequest& request,
                               const ExportOptions& options);

  // Attention over time (searcher/research.h): for each query, its matches
  // per period under request.scope's filters, and all articles per period
  // under them. Exact counts. kInvalidArgument for no query or more than
  // kMaxAttentionQueries, a query longer than kMaxQueryLength, what
  // Validate() refuses in the scope, or more than kMaxAttentionBuckets
  // periods (the message names the limit and what to change).
  Result<AttentionResponse> Attention(const AttentionRequest& request);

  // kNotFound for an unknown id. `q` (may be empty) marks the matches.
  Result<ArticleView> GetArticle(const std::string& id, const std::string& q);

  // Up to `limit` other articles like `id` (relevance feedback over its
  // terms), never the article itself or an exact duplicate of it. kNotFound
  // for an unknown id.
  Result<std::vector<Hit>> Related(const std::string& id, int limit = 5);

  // Values of facet `name` whose case- and accent-folded form starts with
  // (any word of) `prefix`, by count descending. kInvalidArgument for an
  // unknown facet.
  Result<std::vector<FacetValue>> FacetValues(const std::string& name,
                                              const std::string& prefix,
                                              int limit);

  // The same values, counted as Search() counts facet `name` for `scope`:
  // over the match set of scope.q (with scope.op) under scope.from/to and
  // every filter of scope.filters but `name`'s own (the disjunctive rule).
  // Lists only values with a count above 0, plus the values that
  // scope.filters[name] selects (selected = true, count possibly 0) when
  // they match `prefix`; by count descending, then value. Other fields of
  // `scope` are ignored. Errors as FacetValues(), and kInvalidArgument for
  // what Search() refuses in scope's q, from, to and filter names.
  Result<std::vector<FacetValue>> FacetValues(const std::string& name,
                                              const std::string& prefix,
                                              int limit,
                                              const SearchRequest& scope);

  Result<IndexStats> Stats();

  // The words and two-word phrases most over-represented in the matches of
  // `request` (its q, op, filters, from and to; the other fields are
  // ignored) against the rest of the index, best first, at most `limit`
  // (searcher/terms.h says how). Empty when nothing or everything matches.
  // kInvalidArgument as Search(), and for limit outside 1..kMaxTermsLimit.
  Result<std::vector<SignificantTerm>> SignificantTerms(
      const SearchRequest& request, int limit);

 private:
  struct Impl;
  // The response for `request.q`'s correction when it finds articles
  // (`showing` set, q as typed), else `typed`, the zero-hit response.
  Result<SearchResponse> ShowCorrection(const SearchRequest& request,
                                        SearchResponse typed);
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_SEARCHER_H_
