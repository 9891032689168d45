// The JSON of what the searcher answers: search responses, hits, articles and
// index statistics, in the shapes that docs/API.md documents field by field.
// GET /api/search, /api/articles/ID (and ID/related) and /api/stats
// (web/server.cc) return them, and `pundit search --json` and `pundit stats`
// print them, so the command line and the HTTP API always agree.
//
// HTML fields are escaped: the searcher's highlighted HTML when it made some,
// else the plain text escaped here. Absent strings ("" or nullopt) are null.
// Scores are rounded to 4 decimals and took_ms to 2.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_SEARCHER_RESULTS_JSON_H_
#define PUNDIT_SEARCHER_RESULTS_JSON_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "searcher/searcher.h"

namespace pundit::api {

nlohmann::json SearchResponseToJson(const SearchResponse& response);
nlohmann::json HitToJson(const Hit& hit);
nlohmann::json ArticleViewToJson(const ArticleView& view);
nlohmann::json StatsToJson(const IndexStats& stats);
// {"terms": [{"term": ..., "count": ..., "score": ...}]} (GET /api/terms).
nlohmann::json TermsToJson(const std::vector<SignificantTerm>& terms);

}  // namespace pundit::api

#endif  // PUNDIT_SEARCHER_RESULTS_JSON_H_
