// The HTTP side of the JSON API: query parameters read into a SearchRequest,
// error bodies and the status code of each error. The JSON of the answers
// themselves is searcher/results_json.h, which the command line prints too.
// docs/API.md documents every parameter and field.
//
// All functions are pure and thread-safe.
#ifndef PUNDIT_WEB_API_H_
#define PUNDIT_WEB_API_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "searcher/searcher.h"

namespace pundit::api {

// Query parameters as received: name -> every value given, in order.
using Params = std::multimap<std::string, std::string>;

// Reads q, author, region, theme, source, year (repeatable), from, to, sort
// (relevance|newest|oldest), page, per_page, op (and|or), facet_limit,
// collapse (group|none).
// kInvalidArgument with a message naming the parameter and what is allowed
// ("per_page must be between 1 and 100, got 1000"); unknown parameters are
// ignored.
Result<SearchRequest> ParseSearchParams(const Params& params);

// {"error": {"code": "invalid_argument", "message": "..."}}
nlohmann::json ErrorToJson(const Status& status);
// HTTP status for a non-OK Status: 400 invalid argument, 404 not found,
// 503 locked/io/version problems of the index, 500 internal.
int HttpStatusFor(const Status& status);

}  // namespace pundit::api

#endif  // PUNDIT_WEB_API_H_
