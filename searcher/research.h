// What the research endpoints ask the searcher and what it answers: the
// export of every match of a search, and attention over time (how many
// matches of each of several queries fall in each day, week, month or
// year, against all articles under the same filters). Searcher::Export and
// Searcher::Attention (searcher/searcher.h) compute them; research_format.h
// writes them as CSV, JSON Lines and JSON. docs/API.md, "/api/export" and
// "/api/attention", documents every field.
//
// Plain data; no functions but the sink the caller supplies.
#ifndef PUNDIT_SEARCHER_RESEARCH_H_
#define PUNDIT_SEARCHER_RESEARCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "searcher/periods.h"
#include "searcher/searcher.h"

namespace pundit {

// Export hands its hits over this many at a time.
inline constexpr size_t kExportBatch = 1000;

// Receives the exported hits batch by batch, in order; returns false to
// stop the export (the client went away).
using HitBatchSink = std::function<bool(const std::vector<Hit>& batch)>;

// Limits enforced by Attention() (over them: kInvalidArgument).
inline constexpr size_t kMaxAttentionQueries = 10;
// Periods from the first to the last dated article under the filters: 20,000
// days is about 55 years.
inline constexpr int64_t kMaxAttentionBuckets = 20000;

struct AttentionRequest {
  // 1..kMaxAttentionQueries queries (docs/API.md's query language; "" is
  // every article), each at most kMaxQueryLength bytes.
  std::vector<std::string> queries;
  // The filters, from, to and op that apply to every query; its q, sort,
  // paging, facet and snippet fields are ignored.
  SearchRequest scope;
  Interval interval = Interval::kMonth;
  // Each group of syndicated copies counted once, in the period of its
  // first publication (searcher/collapse.h), in `count`, `all` and `total`.
  bool dedup = false;
};

struct AttentionBucket {
  std::string key;   // PeriodKey: "2019-03-04", "2019-W10", "2019-03", "2019"
  long count = 0;    // matches of the query in the period, under the filters
  long all = 0;      // articles in the period under the filters
  double share = 0;  // count / all; 0 when all is 0
};

struct AttentionSeries {
  std::string q;
  long total = 0;  // matches under the filters, undated ones included
  // One per period from the first to the last dated article under the
  // filters (whatever the query), in date order, empty periods included;
  // none when no article under the filters is dated.
  std::vector<AttentionBucket> buckets;
};

struct AttentionResponse {
  Interval interval = Interval::kMonth;
  std::vector<AttentionSeries> series;  // in the order of the queries
};

}  // namespace pundit

#endif  // PUNDIT_SEARCHER_RESEARCH_H_
